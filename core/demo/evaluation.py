"""Demo evaluation: the shipped questionnaires copied into the Lyon programme, and answers from
enough people for the dashboard to show its figures (5 or more per figure).

Deterministic (random.Random(SEED)) and idempotent: a programme that already has demo
responses is left as it is."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from beneficiaires.enums import EnrollmentStatus
from beneficiaires.models import Beneficiary, Enrollment
from diagnostics.enums import DiagnosticStatus
from diagnostics.models import Need
from evaluation.defaults import ensure_default_questionnaires
from evaluation.enums import EntryMode, Phase, SendMoment
from evaluation.models import Answer, Question, Questionnaire, Response
from evaluation.services.invitations import invitation_create
from evaluation.services.questionnaires import questionnaire_copy
from programmes.models import Programme
from seances.enums import AttendanceStatus
from seances.models import Attendance

SEED = 7
PROGRAMME = "Fabrique des initiatives citoyennes 2026-2027"
COORDINATOR = "coordinatrice@example.org"
BENEFICIARY = "beneficiaire@example.org"
PEOPLE = 14

SATISFACTION_COMMENTS = [
    "Très clair, je repars avec une liste d'actions précises.",
    "J'aurais aimé plus de temps pour parler du budget.",
    "L'accompagnante a su reformuler mon projet mieux que moi.",
    "Les horaires en soirée m'arrangent beaucoup.",
    "Un peu trop d'informations d'un coup, mais le compte rendu aide.",
]
STRENGTHS = [
    "L'écoute et la disponibilité de l'accompagnant.",
    "Les ateliers collectifs : on apprend des autres projets.",
    "Le plan d'action, qui m'a obligée à avancer entre les rendez-vous.",
    "La mise en relation avec la CRESS.",
    "Le co-développement, très riche.",
    "Les comptes rendus envoyés après chaque séance.",
]
IMPROVEMENTS = [
    "Des créneaux le samedi matin.",
    "Un annuaire des partenaires plus complet.",
    "Plus d'ateliers sur la recherche de financements.",
    "Des rappels par SMS aussi pour les ateliers.",
    "Un suivi après la fin du programme.",
    "Moins de délai pour le premier rendez-vous.",
]


def seed_evaluation(now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    ensure_default_questionnaires(Questionnaire, Question)
    programme = Programme.objects.get(title=PROGRAMME)
    if Response.objects.filter(programme=programme).exists():
        return
    coordinator = get_user_model().objects.get(email=COORDINATOR)
    copies = {}
    for default in Questionnaire.objects.filter(organization=None, programme=None).exclude(
        default_key=""
    ):
        copies[default.default_key] = Questionnaire.objects.filter(
            programme=programme, copied_from=default
        ).first() or questionnaire_copy(
            source=default, programme=programme, acting_user=coordinator
        )
    rng = random.Random(SEED)  # noqa: S311 - demo data
    for enrollment in _enrollments(programme)[:PEOPLE]:
        _answers_of(enrollment, copies, rng, now)
    # Sophie has a questionnaire to answer: her midway progress self-assessment.
    sophie = Beneficiary.objects.get(user__email=BENEFICIARY)
    invitation_create(
        questionnaire=copies["progress"],
        beneficiary=sophie,
        moment=SendMoment.MANUAL,
        phase=Phase.MIDWAY,
        acting_user=coordinator,
    )


def _enrollments(programme: Programme) -> list[Enrollment]:
    """One active enrollment per person with a completed diagnostic, in a stable order."""
    seen, chosen = set(), []
    enrollments = (
        Enrollment.objects.filter(offer__programme=programme, status=EnrollmentStatus.ACTIVE)
        .filter(beneficiary__diagnostics__status=DiagnosticStatus.COMPLETED)
        .select_related("beneficiary", "referent_mentor")
        .order_by("beneficiary__name", "pk")
    )
    for enrollment in enrollments:
        if enrollment.beneficiary_id not in seen and enrollment.referent_mentor_id:
            seen.add(enrollment.beneficiary_id)
            chosen.append(enrollment)
    return chosen


def _respond(questionnaire, enrollment, *, phase, mode, at, seance=None, entered_by=None):
    return Response.objects.create(
        questionnaire=questionnaire,
        programme=questionnaire.programme,
        beneficiary=enrollment.beneficiary,
        seance=seance,
        mentor=seance.mentor if seance else enrollment.referent_mentor,
        phase=phase,
        entry_mode=mode,
        entered_by=entered_by,
        submitted_at=at,
    )


def _answer(response, questionnaire, code, **values):
    question = questionnaire.questions.get(code=code)
    return Answer.objects.create(response=response, question=question, **values)


def _answers_of(enrollment, copies, rng, now) -> None:
    beneficiary = enrollment.beneficiary
    themes = list(
        Need.objects.filter(
            diagnostic__beneficiary=beneficiary, diagnostic__status=DiagnosticStatus.COMPLETED
        )
        .order_by("theme_id")
        .values_list("theme_id", flat=True)
        .distinct()
    )
    # Satisfaction after each séance the person attended.
    satisfaction = copies["satisfaction"]
    attended = Attendance.objects.filter(
        beneficiary=beneficiary,
        status=AttendanceStatus.PRESENT,
        seance__offer__programme=satisfaction.programme,
        seance__starts_at__lt=now,
    ).select_related("seance__mentor")
    for attendance in attended:
        seance = attendance.seance
        response = _respond(
            satisfaction,
            enrollment,
            phase=Phase.NONE,
            mode=EntryMode.LINK,
            at=seance.starts_at + datetime.timedelta(hours=rng.randint(3, 48)),
            seance=seance,
        )
        _answer(
            response, satisfaction, "satisfaction_overall", value_number=rng.choice([3, 4, 4, 5, 5])
        )
        _answer(
            response, satisfaction, "satisfaction_useful", value_number=rng.choice([2, 3, 4, 5, 5])
        )
        if rng.random() < 0.5:
            _answer(
                response,
                satisfaction,
                "satisfaction_comment",
                value_text=rng.choice(SATISFACTION_COMMENTS),
            )
    # Progress on each need at the start and now: the same scale, so they compare.
    progress = copies["progress"]
    start_at = now - datetime.timedelta(days=rng.randint(90, 150))
    starts = {theme: rng.randint(1, 3) for theme in themes}
    for phase, at, values in (
        (Phase.START, start_at, starts),
        (
            Phase.END,
            now - datetime.timedelta(days=rng.randint(1, 20)),
            {
                theme: min(5, value + rng.choice([0, 1, 1, 2, 2, 3]))
                for theme, value in starts.items()
            },
        ),
    ):
        response = _respond(progress, enrollment, phase=phase, mode=EntryMode.LINK, at=at)
        for theme, value in values.items():
            _answer(response, progress, "need_progress", theme_id=theme, value_number=value)
    # End of programme for most, one of them entered by phone by the mentor.
    if rng.random() < 0.8:
        end = copies["end_of_programme"]
        by_phone = not beneficiary.email
        response = _respond(
            end,
            enrollment,
            phase=Phase.END,
            mode=EntryMode.ON_BEHALF if by_phone else EntryMode.LINK,
            entered_by=enrollment.referent_mentor if by_phone else None,
            at=now - datetime.timedelta(days=rng.randint(1, 10)),
        )
        most_useful = end.questions.get(code="most_useful")
        _answer(response, end, "nps", value_number=rng.choice([6, 7, 8, 9, 9, 10, 10]))
        _answer(response, end, "objectives_met", value_number=rng.choice([0, 1, 1, 1]))
        _answer(response, end, "most_useful", value_choices=[rng.choice(most_useful.choices)])
        _answer(response, end, "strengths", value_text=rng.choice(STRENGTHS))
        _answer(response, end, "improvements", value_text=rng.choice(IMPROVEMENTS))
    # The mentor's own view of the progress.
    assessment = copies["mentor_assessment"]
    response = _respond(
        assessment,
        enrollment,
        phase=Phase.END,
        mode=EntryMode.MENTOR,
        entered_by=enrollment.referent_mentor,
        at=now - datetime.timedelta(days=rng.randint(1, 15)),
    )
    for theme, value in starts.items():
        _answer(
            response,
            assessment,
            "mentor_need_progress",
            theme_id=theme,
            value_number=min(5, value + rng.choice([0, 1, 2])),
        )

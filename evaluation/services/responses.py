"""Answering questionnaires: validate every answer, record the response once per link.

Answers are keyed by `answer_key(question, theme)`: "q<question id>", or "q<id>_t<theme id>"
for a question asked once per diagnosed need. The pages' forms and the API use the same keys."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from beneficiaires.models import Beneficiary, Enrollment
from diagnostics.enums import DiagnosticStatus
from diagnostics.models import NeedsDiagnostic
from evaluation.enums import EntryMode, QuestionKind
from evaluation.models import Answer, Invitation, Question, Questionnaire, Response
from programmes.models import Theme

TEXT_MAX_LENGTH = 2000
SCALE_BOUNDS = {QuestionKind.SCALE: (1, 5), QuestionKind.NPS: (0, 10)}
# True and False also stand for 1 and 0.
YES_VALUES = {True: 1, False: 0, "yes": 1, "no": 0, "1": 1, "0": 0}


def answer_key(question: Question, theme: Theme | None = None) -> str:
    return f"q{question.pk}_t{theme.pk}" if theme is not None else f"q{question.pk}"


def need_themes(beneficiary: Beneficiary) -> list[Theme]:
    """The themes of the needs of the person's latest completed diagnostic, by priority."""
    diagnostic = (
        NeedsDiagnostic.objects.filter(beneficiary=beneficiary, status=DiagnosticStatus.COMPLETED)
        .order_by("-completed_at", "-held_on", "-pk")
        .first()
    )
    if diagnostic is None:
        return []
    return [need.theme for need in diagnostic.needs.select_related("theme")]


@dataclass(frozen=True)
class Slot:
    """One answer to give: a question, for one need's theme when it is asked per need."""

    question: Question
    theme: Theme | None

    @property
    def key(self) -> str:
        return answer_key(self.question, self.theme)


def answer_slots(questionnaire: Questionnaire, beneficiary: Beneficiary) -> list[Slot]:
    """The answers the questionnaire asks of this person, in order."""
    themes = None
    slots = []
    for question in questionnaire.questions.order_by("position", "pk"):
        if question.per_need:
            if themes is None:
                themes = need_themes(beneficiary)
            slots += [Slot(question, theme) for theme in themes]
        else:
            slots.append(Slot(question, None))
    return slots


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _clean(question: Question, value) -> dict:
    """The columns of an Answer for a value, or ValidationError with a French message."""
    kind = question.kind
    if kind in SCALE_BOUNDS:
        low, high = SCALE_BOUNDS[kind]
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if isinstance(value, bool) or number is None or not low <= number <= high:
            raise ValidationError(
                _("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return {"value_number": number}
    if kind == QuestionKind.YES_NO:
        key = value.lower() if isinstance(value, str) else value
        if key not in YES_VALUES:
            raise ValidationError(_("Answer yes or no."))
        return {"value_number": YES_VALUES[key]}
    if kind == QuestionKind.SINGLE:
        if not isinstance(value, str) or value not in question.choices:
            raise ValidationError(_("Choose one of the options."))
        return {"value_choices": [value]}
    if kind == QuestionKind.MULTIPLE:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or any(v not in question.choices for v in values):
            raise ValidationError(_("Choose among the options."))
        # Kept in the questionnaire's order, each once.
        return {"value_choices": [choice for choice in question.choices if choice in values]}
    if not isinstance(value, str):
        raise ValidationError(_("Write your answer as text."))
    text = value.strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Keep your answer under %(max)s characters.") % {"max": TEXT_MAX_LENGTH}
        )
    return {"value_text": text}


def validate_answers(slots: list[Slot], answers: dict) -> list[Answer]:
    """Unsaved Answer rows for the given answers; ValidationError keyed by answer key."""
    errors: dict[str, list[str]] = {}
    rows = []
    known = {slot.key for slot in slots}
    for key in answers:
        if key not in known:
            errors[key] = [_("This question is not part of the questionnaire.")]
    for slot in slots:
        value = answers.get(slot.key)
        if isinstance(value, str) and not value.strip():
            value = ""
        if _is_empty(value):
            if slot.question.required:
                errors[slot.key] = [_("This question needs an answer.")]
            continue
        try:
            columns = _clean(slot.question, value)
        except ValidationError as error:
            errors[slot.key] = error.messages
            continue
        if columns.get("value_text") == "" or columns.get("value_choices") == []:
            if slot.question.required:
                errors[slot.key] = [_("This question needs an answer.")]
            continue
        rows.append(Answer(question=slot.question, theme=slot.theme, **columns))
    if errors:
        raise ValidationError(errors)
    return rows


def response_mentor(*, programme, beneficiary: Beneficiary, seance=None):
    """Who the answers are about: the séance's mentor, else the person's referent mentor in
    the programme (an active enrollment first)."""
    if seance is not None:
        return seance.mentor
    enrollment = (
        Enrollment.objects.filter(
            beneficiary=beneficiary, offer__programme=programme, referent_mentor__isnull=False
        )
        .select_related("referent_mentor")
        .order_by("ended_on", "-started_on", "-pk")
        .first()
    )
    return enrollment.referent_mentor if enrollment else None


def invitation_refusal(invitation: Invitation) -> str:
    """ "answered", "expired", or "" when the link can still be answered."""
    if invitation.answered_at is not None:
        return "answered"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return ""


def response_submit(
    *,
    questionnaire: Questionnaire,
    beneficiary: Beneficiary,
    answers: dict,
    entry_mode: str,
    invitation: Invitation | None = None,
    entered_by=None,
    seance=None,
    phase: str = "",
) -> Response:
    """Record a filled-in questionnaire; through an invitation, once (the row is locked)."""
    if questionnaire.programme_id is None:
        raise ValidationError(_("Only the questionnaires of a programme are answered."))
    if entry_mode not in EntryMode.values:
        raise ValidationError(_("Unknown way of answering."))
    with transaction.atomic():
        if invitation is not None:
            # Two submissions of one link wait for each other here; the second sees answered_at.
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if (
                invitation.questionnaire_id != questionnaire.pk
                or invitation.beneficiary_id != beneficiary.pk
            ):
                raise ValidationError(_("This link is for another questionnaire."))
            refusal = invitation_refusal(invitation)
            if refusal == "answered":
                raise ValidationError(
                    _("This questionnaire has already been answered."), code="answered"
                )
            if refusal == "expired":
                raise ValidationError(_("This link has expired."), code="expired")
            seance = invitation.seance
            phase = invitation.phase
        rows = validate_answers(answer_slots(questionnaire, beneficiary), answers)
        now = timezone.now()
        response = Response.objects.create(
            questionnaire=questionnaire,
            programme_id=questionnaire.programme_id,
            beneficiary=beneficiary,
            invitation=invitation,
            seance=seance,
            mentor=response_mentor(
                programme=questionnaire.programme, beneficiary=beneficiary, seance=seance
            ),
            phase=phase,
            entry_mode=entry_mode,
            entered_by=entered_by,
            submitted_at=now,
        )
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        if invitation is not None:
            invitation.answered_at = now
            invitation.save(update_fields=["answered_at"])
    return response


def responses_visible_to(user) -> QuerySet[Response]:
    """The programme's coordinators, the person's mentors (referent in the programme, the
    séance's mentor, who entered it), the person themselves. A ResponseQuerySet candidate."""
    if not user.is_authenticated:
        return Response.objects.none()
    if user.is_superuser:
        return Response.objects.all()
    referent = Enrollment.objects.filter(
        referent_mentor=user,
        beneficiary=OuterRef("beneficiary"),
        offer__programme=OuterRef("programme"),
    )
    return Response.objects.filter(
        Q(programme__organization_id__in=user.organization_ids_with_role(Role.COORDINATOR))
        | Q(beneficiary__user=user)
        | Q(mentor=user)
        | Q(entered_by=user)
        | Q(Exists(referent))
    )


def mentor_entry_questionnaires(user, beneficiary: Beneficiary) -> QuerySet[Questionnaire]:
    """The active questionnaires a mentor may fill in for (or about) a person they follow:
    those of the programmes where they are the person's referent on an active enrollment."""
    if not user.is_authenticated:
        return Questionnaire.objects.none()
    programmes = (
        Enrollment.objects.active()
        .filter(beneficiary=beneficiary, referent_mentor=user)
        .values("offer__programme_id")
    )
    return Questionnaire.objects.filter(programme_id__in=programmes, is_active=True).select_related(
        "programme"
    )

"""What each role's home and each programme's dashboard show; every query starts from what
the person may see."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Window
from django.urls import reverse
from django.utils import timezone

from beneficiaires.enums import (
    ACTIVE_ENROLLMENT_STATUSES,
    EnrollmentStatus,
    OutreachStage,
    Situation,
)
from beneficiaires.models import Beneficiary, Enrollment
from diagnostics.enums import DiagnosticStatus
from diagnostics.models import NeedsDiagnostic
from evaluation.models import Invitation
from partners.selectors import unanswered_referrals_for
from programmes.enums import OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme
from seances.enums import AppointmentStatus, RecordStatus, SeanceKind
from seances.models import ActionItem, Appointment, Attendance, ClosingRecord, Seance
from seances.selectors_work import record_to_complete
from seances.services.logbook import pending_invitations

WAITING_LIST_SIZE = 10
REPORTS_ON_HOME = 3
UPCOMING_ON_HOME = 5
OVERDUE_ON_HOME = 5


def stage_rows(counts: dict[str, int]) -> list[dict]:
    """One row per pipeline stage, in pipeline order, with its share of the largest count."""
    largest = max(counts.values(), default=0) or 1
    return [
        {
            "value": stage.value,
            "label": stage.label,
            "count": counts.get(stage.value, 0),
            "percent": round(100 * counts.get(stage.value, 0) / largest),
        }
        for stage in OutreachStage
    ]


def coordinator_home(user) -> dict:
    programmes = list(
        Programme.objects.managed_by(user)
        .select_related("organization")
        .annotate(
            offer_count=Count("offers", distinct=True),
            active_enrollment_count=Count(
                "offers__enrollments",
                filter=Q(offers__enrollments__status__in=ACTIVE_ENROLLMENT_STATUSES),
                distinct=True,
            ),
        )
        .order_by("status", "-start_date", "pk")
    )
    per_programme: dict[int, dict[str, int]] = defaultdict(dict)
    for programme_id, stage, n in (
        Beneficiary.objects.filter(programme__in=[p.pk for p in programmes])
        .values_list("programme_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    ):
        per_programme[programme_id][stage] = n
    for programme in programmes:
        programme.stage_counts = stage_rows(per_programme[programme.pk])
    unanswered = unanswered_referrals_for(user)
    return {
        "programmes": programmes,
        "beneficiary_count": Beneficiary.objects.visible_to(user).count(),
        "unanswered_referrals": unanswered[:WAITING_LIST_SIZE],
        "unanswered_referral_count": unanswered.count(),
    }


def programme_dashboard(programme: Programme, user) -> dict:
    """The programme's pilotage: pipeline, situations, who waits for what, offers' fill."""
    outreach = Beneficiary.objects.filter(programme=programme)
    completed_diagnostic = NeedsDiagnostic.objects.filter(
        beneficiary=OuterRef("pk"), status=DiagnosticStatus.COMPLETED
    )
    waits_for_diagnostic = Q(stage=OutreachStage.CONTACTED) & ~Q(Exists(completed_diagnostic))
    # The pipeline, the situations and the diagnostic queue's length in one pass.
    counts = outreach.aggregate(
        total=Count("id"),
        waiting_diagnostic=Count("id", filter=waits_for_diagnostic),
        **{f"stage:{stage}": Count("id", filter=Q(stage=stage)) for stage in OutreachStage},
        **{
            f"situation:{value}": Count("id", filter=Q(situation=value))
            for value in [*Situation, ""]
        },
    )
    stages = {stage.value: counts[f"stage:{stage}"] for stage in OutreachStage}
    situations = {value: counts[f"situation:{value}"] for value in [*Situation, ""]}
    waiting_diagnostic = outreach.filter(waits_for_diagnostic).order_by(
        "priority", "stage_changed_at", "pk"
    )
    waiting_mentor = (
        Enrollment.objects.filter(
            offer__programme=programme,
            referent_mentor__isnull=True,
            status__in=ACTIVE_ENROLLMENT_STATUSES,
        )
        .select_related("beneficiary", "offer")
        .order_by("started_on", "pk")
    )
    unanswered = unanswered_referrals_for(user, programme=programme)
    offers = (
        Offer.objects.filter(programme=programme)
        .annotate(
            active_count=Count(
                "enrollments", filter=Q(enrollments__status__in=ACTIVE_ENROLLMENT_STATUSES)
            ),
            pending_count=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.PENDING)
            ),
        )
        .order_by("kind", "title")
    )
    largest_situation = max(situations.values(), default=0) or 1
    outreach_url = f"{reverse('beneficiaires:list')}?programme={programme.public_id}"
    stage_counts = stage_rows(stages)
    for row in stage_counts:
        row["url"] = f"{outreach_url}&stage={row['value']}"
    return {
        "programme": programme,
        "stage_counts": stage_counts,
        "outreach_url": outreach_url,
        "outreach_total": counts["total"],
        "situation_counts": [
            {
                "value": situation.value,
                "label": situation.label,
                "count": situations.get(situation.value, 0),
                "percent": round(100 * situations.get(situation.value, 0) / largest_situation),
                "url": f"{outreach_url}&situation={situation.value}",
            }
            for situation in Situation
        ],
        "unknown_situation_count": situations.get("", 0),
        "waiting_diagnostic": waiting_diagnostic[:WAITING_LIST_SIZE],
        "waiting_diagnostic_count": counts["waiting_diagnostic"],
        "waiting_mentor": waiting_mentor[:WAITING_LIST_SIZE],
        "waiting_mentor_count": waiting_mentor.count(),
        "unanswered_referrals": unanswered[:WAITING_LIST_SIZE],
        "unanswered_referral_count": unanswered.count(),
        "offers": offers,
    }


def mentor_home(user) -> dict:
    enrollments = (
        Enrollment.objects.filter(referent_mentor=user)
        .active()
        .select_related("beneficiary", "offer__programme")
        .order_by("beneficiary__name")
    )
    upcoming = (
        Appointment.objects.filter(
            mentor=user, status=AppointmentStatus.BOOKED, starts_at__gte=timezone.now()
        )
        .select_related("beneficiary", "offer")
        .order_by("starts_at")[:UPCOMING_ON_HOME]
    )
    # The people the mentor follows: referent, or mentor of a séance they attended. One
    # UNION of ids: an OR of two IN-subqueries made PostgreSQL scan every task.
    referent = Enrollment.objects.filter(referent_mentor=user).order_by().values("beneficiary_id")
    led = (
        Attendance.objects.filter(seance__in=Seance.objects.led_by(user))
        .order_by()
        .values("beneficiary_id")
    )
    overdue = (
        ActionItem.objects.filter(beneficiary_id__in=referent.union(led, all=True))
        .overdue(timezone.localdate())
        .select_related("beneficiary")
        .order_by("due_on", "pk")
    )
    # One-to-one séances held whose closing record is not validated yet: the mentor's to-do.
    to_close = (
        Seance.objects.led_by(user)
        .filter(
            kind__in=[SeanceKind.INDIVIDUAL, SeanceKind.TUTORING, SeanceKind.PRACTICE_ANALYSIS],
            starts_at__lt=timezone.now(),
        )
        .filter(record_to_complete())
        .select_related("offer")
        .order_by("starts_at", "pk")
    )
    return {
        "enrollments": enrollments,
        "upcoming_appointments": upcoming,
        "overdue_tasks": overdue[:OVERDUE_ON_HOME],
        "overdue_task_count": overdue.count(),
        "seances_to_close": to_close[:OVERDUE_ON_HOME],
        "seances_to_close_count": to_close.count(),
    }


def beneficiary_home(user) -> dict:
    beneficiary = user.beneficiary_profile
    enrollments = (
        Enrollment.objects.filter(beneficiary=beneficiary)
        .select_related("offer__programme", "referent_mentor")
        .order_by("-started_on")
    )
    upcoming = (
        Appointment.objects.filter(
            beneficiary=beneficiary,
            status=AppointmentStatus.BOOKED,
            ends_at__gte=timezone.now(),
        )
        .select_related("offer", "mentor")
        .order_by("starts_at", "pk")
    )
    can_book = Offer.objects.filter(
        mode=OfferMode.INDIVIDUAL,
        programme__status=ProgrammeStatus.OPEN,
        enrollments__beneficiary=beneficiary,
        enrollments__status__in=ACTIVE_ENROLLMENT_STATUSES,
    ).exists()
    # The first overdue tasks with their total (a window count): one query, whatever the number.
    overdue = list(
        ActionItem.objects.filter(beneficiary=beneficiary)
        .overdue(timezone.localdate())
        .annotate(overdue_total=Window(Count("id")))
        .order_by("due_on", "pk")[:OVERDUE_ON_HOME]
    )
    reports = (
        ClosingRecord.objects.filter(beneficiary=beneficiary, status=RecordStatus.VALIDATED)
        .exclude(next_version__status=RecordStatus.VALIDATED)
        .select_related("seance__offer", "seance__mentor")
        .order_by("-seance__starts_at", "-pk")[:REPORTS_ON_HOME]
    )
    questionnaires = Invitation.objects.filter(
        beneficiary=beneficiary, answered_at__isnull=True, expires_at__gt=timezone.now()
    )
    return {
        "beneficiary": beneficiary,
        "enrollments": enrollments,
        "questionnaires_to_answer": questionnaires.count(),
        "upcoming_appointments": upcoming,
        "latest_reports": reports,
        "logbook_invitations": pending_invitations(user)[:REPORTS_ON_HOME],
        "can_book": can_book,
        "overdue_tasks": overdue,
        "overdue_task_count": overdue[0].overdue_total if overdue else 0,
    }

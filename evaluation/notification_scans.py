"""The periodic scan that sends questionnaires at their configured moments (issue 7).

Safe to run twice, or twice at once: the invitation constraints (once per séance, once per
phase and moment) make a second run find the first run's rows, and each row is written in its
own savepoint so a concurrent scan's win is skipped, not fatal."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from beneficiaires.models import Enrollment
from evaluation.enums import Phase, SendMoment
from evaluation.models import Questionnaire
from evaluation.services.invitations import invitation_create
from seances.enums import AttendanceStatus
from seances.models import Attendance, Seance
from seances.notification_scans import seance_end

logger = logging.getLogger(__name__)

# After a séance: once it has ended an hour ago, and not for séances older than a week (a new
# deployment or a scan down for days must not send questionnaires about old séances).
AFTER_SEANCE_DELAY = datetime.timedelta(hours=1)
AFTER_SEANCE_LOOKBACK = datetime.timedelta(days=7)
# 30 days after the last séance, within a week.
AFTER_LAST_SEANCE_DELAY = datetime.timedelta(days=30)
AFTER_LAST_SEANCE_WINDOW = datetime.timedelta(days=7)
PROGRAMME_END_WINDOW = datetime.timedelta(days=14)


def _sendable(moment: str):
    return Questionnaire.objects.filter(
        programme__isnull=False, is_active=True, send_moment=moment
    ).select_related("programme__organization")


def _invite(**kwargs) -> bool:
    """Write one invitation; True when it is new."""
    try:
        with transaction.atomic():
            _invitation, raw_token = invitation_create(**kwargs)
    except IntegrityError:
        # Another scan wrote it between our check and our insert.
        return False
    return bool(raw_token)


def _after_seance(questionnaire: Questionnaire, now: datetime.datetime) -> int:
    # A séance lasts at most a day (model constraint): its start bounds its end.
    seances = (
        Seance.objects.filter(
            offer__programme_id=questionnaire.programme_id,
            starts_at__lte=now - AFTER_SEANCE_DELAY,
            starts_at__gt=now - AFTER_SEANCE_LOOKBACK - datetime.timedelta(days=1),
            created_at__gte=questionnaire.created_at,
        )
        .select_related("mentor")
        .order_by("starts_at", "pk")
    )
    due = [
        seance
        for seance in seances
        if now - AFTER_SEANCE_LOOKBACK <= seance_end(seance) <= now - AFTER_SEANCE_DELAY
    ]
    attendances = (
        Attendance.objects.filter(seance__in=due, status=AttendanceStatus.PRESENT)
        .select_related("beneficiary__user", "seance")
        .order_by("seance__starts_at", "pk")
    )
    return sum(
        _invite(
            questionnaire=questionnaire,
            beneficiary=attendance.beneficiary,
            moment=SendMoment.AFTER_SEANCE,
            seance=attendance.seance,
        )
        for attendance in attendances
    )


def _after_last_seance(questionnaire: Questionnaire, now: datetime.datetime) -> int:
    earliest = now - AFTER_LAST_SEANCE_DELAY - AFTER_LAST_SEANCE_WINDOW
    attendances = Attendance.objects.filter(
        seance__offer__programme_id=questionnaire.programme_id,
        status=AttendanceStatus.PRESENT,
        seance__starts_at__gt=earliest - datetime.timedelta(days=1),
        seance__starts_at__lte=now,
    ).select_related("beneficiary__user", "seance")
    last_end: dict[int, datetime.datetime] = {}
    people = {}
    for attendance in attendances:
        end = seance_end(attendance.seance)
        if end > now:
            continue
        people[attendance.beneficiary_id] = attendance.beneficiary
        last_end[attendance.beneficiary_id] = max(end, last_end.get(attendance.beneficiary_id, end))
    return sum(
        _invite(
            questionnaire=questionnaire,
            beneficiary=people[beneficiary_id],
            moment=SendMoment.AFTER_LAST_SEANCE,
            phase=Phase.END,
        )
        for beneficiary_id, end in sorted(last_end.items())
        if earliest <= end <= now - AFTER_LAST_SEANCE_DELAY
    )


def _programme_end(questionnaire: Questionnaire, today: datetime.date) -> int:
    end_date = questionnaire.programme.end_date
    if end_date is None or not today - PROGRAMME_END_WINDOW <= end_date <= today:
        return 0
    enrollments = (
        Enrollment.objects.active()
        .filter(offer__programme_id=questionnaire.programme_id)
        .select_related("beneficiary__user")
        .order_by("beneficiary_id", "pk")
    )
    people = {enrollment.beneficiary_id: enrollment.beneficiary for enrollment in enrollments}
    return sum(
        _invite(
            questionnaire=questionnaire,
            beneficiary=beneficiary,
            moment=SendMoment.PROGRAMME_END,
            phase=Phase.END,
        )
        for beneficiary in people.values()
    )


def scan_evaluation_invitations(now: datetime.datetime | None = None) -> int:
    """Send the active programme questionnaires due at their moment; returns the number of
    new invitations (those of an earlier run are not counted again)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for questionnaire in _sendable(SendMoment.AFTER_SEANCE):
        sent += _after_seance(questionnaire, now)
    for questionnaire in _sendable(SendMoment.AFTER_LAST_SEANCE):
        sent += _after_last_seance(questionnaire, now)
    for questionnaire in _sendable(SendMoment.PROGRAMME_END):
        sent += _programme_end(questionnaire, today)
    if sent:
        logger.info("evaluation invitations sent: %s", sent)
    return sent

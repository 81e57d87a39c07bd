"""Periodic scans that write séance notifications into the outbox (issue 6).

Each scan is safe to run twice, or twice at once: every row it writes has a deterministic
`scheduled_for` (the moment the reminder became due), so `notify()` finds the row of an
earlier run instead of writing a second one. Rows are written only once due, so the outbox
delivers them right after the commit; nothing waits in the future to be cancelled.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from beneficiaires.models import Enrollment
from notifications.enums import Channel, NotificationKind
from notifications.services import channels_for, notify, render_notification
from seances.enums import AttendanceStatus, RecordStatus, SeanceKind
from seances.models import ActionItem, Attendance, ClosingRecord, Seance
from seances.selectors_work import record_to_complete

PARIS = ZoneInfo("Europe/Paris")

CLOSING_REMINDER_DELAY = datetime.timedelta(hours=24)
# Older séances are history: a new deployment, or a scan down for days, must not send
# reminders about them all at once.
CLOSING_REMINDER_LOOKBACK = datetime.timedelta(days=14)
# The séances whose record the mentor is expected to write: the to-close list of the mentor's
# home (core.selectors.mentor_home) uses the same kinds.
CLOSING_RECORD_KINDS = (SeanceKind.INDIVIDUAL, SeanceKind.TUTORING, SeanceKind.PRACTICE_ANALYSIS)
DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 8
# How late the digest may still go out when a loop, not beat, runs the scan.
DIGEST_WINDOW = datetime.timedelta(hours=12)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def preferences_url() -> str:
    """Where a person opts out of non-essential messages: the preferences page when it is
    routed, else their profile."""
    try:
        return absolute_url(reverse("notifications:preferences"))
    except NoReverseMatch:
        return absolute_url(reverse("accounts:profile"))


def write_notification(
    *,
    kind: str,
    user,
    context: dict,
    object_type: str,
    object_id: str,
    scheduled_for: datetime.datetime,
    programme=None,
    organization=None,
) -> int:
    """One row per channel the person uses; returns the number of channels written to."""
    targets = channels_for(user, kind=kind)
    if not targets:
        return 0
    rendered = render_notification(kind, {"recipient_name": _greeting(user), **context})
    for channel, address in targets:
        is_sms = channel == Channel.SMS
        notify(
            kind=kind,
            channel=channel,
            to_address=address,
            subject=rendered.subject,
            body_text=rendered.sms_text if is_sms and rendered.sms_text else rendered.body_text,
            body_html="" if is_sms else rendered.body_html,
            object_type=object_type,
            object_id=object_id,
            scheduled_for=scheduled_for,
            recipient=user,
            programme=programme,
            organization=organization,
        )
    return len(targets)


def _greeting(user) -> str:
    return user.first_name or user.get_full_name() or user.email


# (a) The closing record to write, 24 h after the séance


def seance_end(seance: Seance) -> datetime.datetime:
    return seance.starts_at + datetime.timedelta(minutes=seance.duration_minutes)


def seances_awaiting_record(now: datetime.datetime) -> list[Seance]:
    """Séances of the last days that ended 24 h ago or more with a present participant whose
    record is not validated, with what the reminder shows (one query plus two prefetches)."""
    # A séance lasts at most a day (model constraint): its start bounds its end.
    latest_start = now - CLOSING_REMINDER_DELAY
    earliest_start = now - CLOSING_REMINDER_LOOKBACK - datetime.timedelta(days=1)
    seances = (
        Seance.objects.filter(
            kind__in=CLOSING_RECORD_KINDS,
            starts_at__lte=latest_start,
            starts_at__gt=earliest_start,
            mentor__is_active=True,
        )
        .annotate(to_complete=record_to_complete())
        .filter(to_complete=True)
        .select_related("mentor", "offer__programme")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(status=AttendanceStatus.PRESENT)
                .select_related("beneficiary")
                .order_by("beneficiary__name", "pk"),
                to_attr="present",
            ),
            Prefetch(
                "records",
                queryset=ClosingRecord.objects.filter(status=RecordStatus.VALIDATED).only(
                    "seance_id", "beneficiary_id"
                ),
                to_attr="validated_records",
            ),
        )
        .order_by("starts_at", "pk")
    )
    return [
        seance
        for seance in seances
        if now - CLOSING_REMINDER_LOOKBACK <= seance_end(seance) + CLOSING_REMINDER_DELAY <= now
    ]


def scan_closing_record_reminders(now: datetime.datetime | None = None) -> int:
    """Remind each mentor, 24 h after a séance, of the closing records still to validate.
    Returns the number of séances reminded about (rows already written count again)."""
    now = now or timezone.now()
    seances = seances_awaiting_record(now)
    with transaction.atomic():
        for seance in seances:
            validated = {record.beneficiary_id for record in seance.validated_records}
            missing = [a.beneficiary for a in seance.present if a.beneficiary_id not in validated]
            programme = seance.offer.programme
            write_notification(
                kind=NotificationKind.CLOSING_RECORD_REMINDER,
                user=seance.mentor,
                context={
                    "programme_name": programme.title,
                    "seance_date": seance.starts_at,
                    "beneficiary_name": ", ".join(b.name for b in missing),
                    "record_url": absolute_url(
                        reverse("seances:seance_detail", args=[seance.public_id])
                    ),
                    "preferences_url": preferences_url(),
                },
                object_type="seances.seance",
                object_id=str(seance.public_id),
                scheduled_for=seance_end(seance) + CLOSING_REMINDER_DELAY,
                programme=programme,
            )
    return len(seances)


# (b) The weekly digest of overdue action-plan tasks


def digest_time(now: datetime.datetime) -> datetime.datetime:
    """Monday 08:00, Paris time, of the week of `now`: the key of this week's digest."""
    local = timezone.localtime(now, PARIS)
    monday = local.date() - datetime.timedelta(days=local.weekday() - DIGEST_WEEKDAY)
    return datetime.datetime.combine(monday, datetime.time(DIGEST_HOUR), tzinfo=PARIS)


@dataclass
class Digest:
    user: object
    tasks: list = field(default_factory=list)
    task_ids: set = field(default_factory=set)


def _task_programme(task: ActionItem):
    if task.seance_id is not None:
        return task.seance.offer.programme
    enrollments = task.beneficiary.digest_enrollments
    if enrollments:
        return enrollments[0].offer.programme
    return task.beneficiary.programme


def overdue_digests(today: datetime.date) -> list[Digest]:
    """Who gets a digest this week and which tasks it lists, in a fixed number of queries:
    mentors the overdue tasks of the people they follow (referent, or mentor of a séance
    they attended), beneficiaries their own tasks only."""
    tasks = list(
        ActionItem.objects.overdue(today)
        .select_related("beneficiary__user", "beneficiary__programme", "seance__offer__programme")
        .prefetch_related(
            Prefetch(
                "beneficiary__enrollments",
                queryset=Enrollment.objects.select_related("offer__programme").order_by(
                    "-started_on", "-pk"
                ),
                to_attr="digest_enrollments",
            )
        )
        .order_by("due_on", "pk")
    )
    if not tasks:
        return []
    beneficiary_ids = {task.beneficiary_id for task in tasks}
    followers: dict[int, set[int]] = defaultdict(set)
    pairs = Enrollment.objects.filter(
        beneficiary_id__in=beneficiary_ids, referent_mentor__isnull=False
    ).values_list("beneficiary_id", "referent_mentor_id")
    led = Attendance.objects.filter(beneficiary_id__in=beneficiary_ids).values_list(
        "beneficiary_id", "seance__mentor_id"
    )
    co_led = (
        Attendance.objects.filter(beneficiary_id__in=beneficiary_ids)
        .filter(seance__co_mentors__isnull=False)
        .values_list("beneficiary_id", "seance__co_mentors")
    )
    for query in (pairs, led, co_led):
        for beneficiary_id, mentor_id in query:
            followers[beneficiary_id].add(mentor_id)
    mentor_ids = set().union(*followers.values()) if followers else set()
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(
            Q(pk__in=mentor_ids)
            | Q(pk__in=[t.beneficiary.user_id for t in tasks if t.beneficiary.user_id])
        )
        .filter(is_active=True)
    }
    digests: dict[int, Digest] = {}

    def add(user_id: int | None, task: ActionItem) -> None:
        user = users.get(user_id)
        if user is None:
            return
        digest = digests.setdefault(user_id, Digest(user=user))
        if task.pk not in digest.task_ids:
            digest.task_ids.add(task.pk)
            digest.tasks.append(task)

    for task in tasks:
        # A beneficiary's digest lists their own tasks, never another person's.
        add(task.beneficiary.user_id, task)
        for mentor_id in sorted(followers.get(task.beneficiary_id, ())):
            add(mentor_id, task)
    return sorted(digests.values(), key=lambda digest: digest.user.pk)


def scan_overdue_tasks_digest(
    now: datetime.datetime | None = None, *, window: datetime.timedelta | None = None
) -> int:
    """Write this week's digest of overdue tasks for each person who has some; returns the
    number of people. Run again in the same week, it writes nothing new.

    With `window`, it writes only within that time after Monday 08:00: a loop that runs every
    scan every minute (the embedded default, no beat) then sends the digest on Monday
    morning rather than whenever it first runs in the week."""
    now = now or timezone.now()
    scheduled_for = digest_time(now)
    if window is not None and not scheduled_for <= now <= scheduled_for + window:
        return 0
    digests = overdue_digests(timezone.localdate(now, PARIS))
    with transaction.atomic():
        for digest in digests:
            programmes = {}
            for task in digest.tasks:
                programme = _task_programme(task)
                task.digest_programme = programme
                if programme is not None:
                    programmes[programme.pk] = programme
            only = next(iter(programmes.values())) if len(programmes) == 1 else None
            write_notification(
                kind=NotificationKind.OVERDUE_TASKS_DIGEST,
                user=digest.user,
                context={
                    "programme_name": ", ".join(sorted(p.title for p in programmes.values())),
                    "tasks": [
                        {
                            "title": task.title,
                            "who": task.owner_label(),
                            "due_on": task.due_on,
                            "beneficiary_name": task.beneficiary.name,
                            "programme_name": getattr(task.digest_programme, "title", ""),
                        }
                        for task in digest.tasks
                    ],
                    "task_count": len(digest.tasks),
                    "own_tasks": all(
                        task.beneficiary.user_id == digest.user.pk for task in digest.tasks
                    ),
                    "plan_url": absolute_url(reverse("seances:action_plan")),
                    "preferences_url": preferences_url(),
                },
                object_type="accounts.user",
                object_id=str(digest.user.public_id),
                scheduled_for=scheduled_for,
                programme=only,
            )
    return len(digests)


def scan_overdue_tasks_digest_in_window(now: datetime.datetime | None = None) -> int:
    """The digest for a loop that runs every minute (`send_due_notifications` without Redis):
    written only during Monday's sending window, not whenever the loop first runs."""
    return scan_overdue_tasks_digest(now, window=DIGEST_WINDOW)

"""Writing notifications into the outbox, rendering them, and delivering them exactly once."""

import enum
import logging
import smtplib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import channels
from notifications.enums import ESSENTIAL_KINDS, Channel, NotificationKind, NotificationStatus
from notifications.models import Notification, NotificationPreference
from notifications.sms import SmsDeliveryError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str
    sms_text: str


def _render_optional(template_name: str, context: dict[str, Any]) -> str:
    try:
        return render_to_string(template_name, context).strip()
    except TemplateDoesNotExist:
        return ""


def render_notification(kind: str, context: dict[str, Any]) -> Rendered:
    """Render templates/notifications/<kind>/{subject,body,sms}.txt and body.html in French."""
    folder = f"notifications/{kind}"
    with translation.override("fr"):
        subject = render_to_string(f"{folder}/subject.txt", context)
        return Rendered(
            # A header holds one line.
            subject=" ".join(subject.split()),
            body_text=render_to_string(f"{folder}/body.txt", context).strip() + "\n",
            body_html=_render_optional(f"{folder}/body.html", context),
            sms_text=_render_optional(f"{folder}/sms.txt", context),
        )


class Audience:
    """The preferences and phones of the people one event writes to, read in one query.

    An event (a booking, a cancellation) writes several rows to a few people: reading each
    person's preference once, with the users, keeps the number of queries constant."""

    def __init__(self, users: Iterable) -> None:
        """`users`: users or their ids (None is left out)."""
        ids = {getattr(user, "pk", user) for user in users} - {None}
        loaded = (
            get_user_model()
            .objects.filter(pk__in=ids)
            .select_related("notification_preference", "beneficiary_profile")
            if ids
            else []
        )
        self._users = {user.pk: user for user in loaded}

    def user(self, pk: int):
        """The user read with their preference and phone (for an id given to the audience)."""
        return self._users[pk]

    def __contains__(self, user) -> bool:
        return user is not None and user.pk in self._users

    def preference(self, user) -> NotificationPreference | None:
        if user is None:
            return None
        if user.pk not in self._users:
            return _preference(user)
        return getattr(self._users[user.pk], "notification_preference", None)

    def phone(self, user) -> str:
        from notifications.selectors import phone_for  # selectors import this module

        return phone_for(self._users.get(user.pk, user))


def _preference(user) -> NotificationPreference | None:
    if user is None:
        return None
    return NotificationPreference.objects.filter(user=user).first()


def channels_for(user, *, kind: str, audience: Audience | None = None) -> list[tuple[str, str]]:
    """The (channel, address) pairs to use for this person: their enabled channels that have
    an address; for an essential kind, whatever address exists when they disabled them all.
    `audience`: the preferences already read for the event (else one query)."""
    from notifications.selectors import phone_for  # selectors import this module

    if audience is not None and user in audience:
        phone, preference = audience.phone(user), audience.preference(user)
    else:
        phone, preference = phone_for(user), _preference(user)
    addresses = [(Channel.EMAIL, user.email), (Channel.SMS, phone)]
    available = [(channel, address) for channel, address in addresses if address]
    chosen = [
        (channel, address)
        for channel, address in available
        if preference is None or preference.channel_enabled(channel)
    ]
    if not chosen and kind in ESSENTIAL_KINDS:
        chosen = available[:1]
    return chosen


@dataclass
class Message:
    """One outbox row to write (see notify): the key is (kind, object, channel, address,
    scheduled_for). `reopen`: a row of the same key cancelled earlier (the appointment moved
    away and back to the same time) is pending again, with this subject and text."""

    kind: str
    channel: str
    to_address: str
    subject: str
    body_text: str
    object_type: str
    object_id: str | int
    body_html: str = ""
    scheduled_for: datetime | None = None
    recipient: Any = None
    programme: Any = None
    organization: Any = None
    attachments: list[dict] | None = None
    reopen: bool = False

    def key(self) -> tuple:
        return (
            self.kind,
            self.object_type,
            str(self.object_id),
            self.channel,
            self.to_address,
            self.scheduled_for,
        )


def notify(
    *,
    kind: str,
    channel: str,
    to_address: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    object_type: str,
    object_id: str | int,
    scheduled_for: datetime | None = None,
    recipient=None,
    programme=None,
    organization=None,
    attachments: list[dict] | None = None,
) -> Notification:
    """Write one notification in the caller's transaction; the same key gives the same row.

    `attachments` (email only): see Notification.attachments.

    The key is (kind, object, channel, address, scheduled_for): for a message sent now, pass
    the time of the event as `scheduled_for` so that a repeated call stays one row.
    """
    message = Message(
        kind=kind,
        channel=channel,
        to_address=to_address,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        object_type=object_type,
        object_id=object_id,
        scheduled_for=scheduled_for,
        recipient=recipient,
        programme=programme,
        organization=organization,
        attachments=attachments,
    )
    (pk,) = notify_many([message])
    return Notification.objects.get(pk=pk)


def notify_many(messages: Iterable[Message], *, audience: Audience | None = None) -> list[int]:
    """Write the rows of one event in the caller's transaction, in a constant number of
    queries: the preferences (unless `audience` has them), one INSERT … ON CONFLICT DO
    NOTHING, one SELECT of the rows back. The ids of the rows, in the order of `messages`.

    The database's unique key decides what exists (a repeated call, or a concurrent one,
    adds nothing); only the rows this call created and that are due now are delivered after
    the commit, once each."""
    messages = list(messages)
    now = timezone.now()
    unique: dict[tuple, Message] = {}
    for message in messages:
        message.scheduled_for = message.scheduled_for or now
        # The first of two messages with the same key wins, as two notify() calls would.
        unique.setdefault(message.key(), message)
    if not unique:
        return []
    recipients = [m.recipient for m in unique.values() if m.recipient is not None]
    if audience is None or not all(recipient in audience for recipient in recipients):
        preferences = {
            preference.user_id: preference
            for preference in NotificationPreference.objects.filter(
                user_id__in={recipient.pk for recipient in recipients}
            )
        }
    else:
        preferences = {recipient.pk: audience.preference(recipient) for recipient in recipients}
    rows = []
    for message in unique.values():
        preference = preferences.get(message.recipient.pk) if message.recipient else None
        allowed = preference is None or preference.allows(
            kind=message.kind, channel=message.channel
        )
        organization_id = (
            message.organization.pk
            if message.organization is not None
            else (message.programme.organization_id if message.programme is not None else None)
        )
        rows.append(
            Notification(
                kind=message.kind,
                object_type=message.object_type,
                object_id=str(message.object_id),
                channel=message.channel,
                to_address=message.to_address,
                scheduled_for=message.scheduled_for,
                recipient=message.recipient,
                programme=message.programme,
                organization_id=organization_id,
                subject=message.subject,
                body_text=message.body_text,
                body_html=message.body_html,
                attachments=list(message.attachments or []),
                status=NotificationStatus.PENDING if allowed else NotificationStatus.SKIPPED,
                last_error="" if allowed else "muted by the recipient",
            )
        )
    # Rows created by this INSERT get a created_at from now on; older rows of the same key
    # are left as they are. (A row a concurrent transaction created in between would be
    # delivered by both: deliver() sends it once.)
    started = timezone.now()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # ON CONFLICT DO NOTHING returns no ids on PostgreSQL: read the rows back in one query.
    rows_back = (
        Notification.objects.filter(
            object_type__in={m.object_type for m in unique.values()},
            object_id__in={str(m.object_id) for m in unique.values()},
            kind__in={m.kind for m in unique.values()},
            scheduled_for__in={m.scheduled_for for m in unique.values()},
        )
        .order_by()
        .values_list(
            "kind",
            "object_type",
            "object_id",
            "channel",
            "to_address",
            "scheduled_for",
            "pk",
            "status",
            "created_at",
        )
    )
    found = {tuple(row[:6]): row[6:] for row in rows_back}
    reopened: dict[int, Message] = {}
    for key, message in unique.items():
        pk, status, created = found[key]
        if created >= started:
            if status == NotificationStatus.PENDING and message.scheduled_for <= now:
                _deliver_on_commit(pk)
        elif (
            message.reopen
            and status == NotificationStatus.CANCELLED
            and message.scheduled_for > timezone.now()
        ):
            reopened[pk] = message
    if reopened:
        Notification.objects.filter(pk__in=reopened).update(
            status=NotificationStatus.PENDING,
            subject=Case(*[When(pk=pk, then=Value(m.subject)) for pk, m in reopened.items()]),
            body_text=Case(*[When(pk=pk, then=Value(m.body_text)) for pk, m in reopened.items()]),
        )
    ids = {key: found[key][0] for key in unique}
    return [ids[message.key()] for message in messages]


def _deliver_on_commit(pk: int) -> None:
    from notifications.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(pk))


def cancel_pending(
    *,
    object_type: str,
    object_id: str | int | list,
    kinds: Iterable[str] | None = None,
) -> int:
    """Cancel the notifications about an object (or a list of objects of one type) that are
    not sent yet (a moved appointment)."""
    ids = [str(pk) for pk in object_id] if isinstance(object_id, list) else [str(object_id)]
    rows = Notification.objects.filter(
        object_type=object_type, object_id__in=ids, status=NotificationStatus.PENDING
    )
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    # UPDATE waits for a delivery holding the row lock, then sees its committed status.
    return rows.update(status=NotificationStatus.CANCELLED, next_attempt_at=None)


def notification_resend(*, notification: Notification) -> bool:
    """Put a failed notification back in the queue, with a fresh count of attempts."""
    updated = Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.FAILED
    ).update(status=NotificationStatus.PENDING, attempts=0, next_attempt_at=None, last_error="")
    if updated:
        from notifications.tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return bool(updated)


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"
    NOTHING = "nothing"  # not pending, not due, or being sent by someone else


# The recipient address is refused for good: retrying cannot help.
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused,)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt, capped."""
    base = settings.NOTIFICATIONS_RETRY_BACKOFF
    return timedelta(seconds=min(base * 2**attempts, settings.NOTIFICATIONS_RETRY_BACKOFF_MAX))


def deliver(notification_id: int, *, session: channels.Session | None = None) -> Outcome:
    """Send one due notification at most once: lock the row, send, mark it sent, commit.

    The row lock (SELECT … FOR UPDATE SKIP LOCKED) is held while the message is handed to the
    SMTP server or the SMS backend, and the row is marked sent in the same transaction: a
    second delivery of the same row, from a duplicate task or a concurrent scan, either skips
    the locked row or finds it sent. On SQLite (embedded default, one process) FOR UPDATE is a
    no-op and writers are serialised by the database file lock instead.

    Remaining window: the server accepted the message but the process died (or lost the
    database) before COMMIT. The transaction rolls back, the row stays pending and the next
    scan sends it again. Nothing runs between the send and the commit but one UPDATE, and the
    stable Message-ID lets mail clients fold such a copy.

    `session` (see deliver_many) lends its open SMTP connection.
    """
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .due(now)
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return Outcome.NOTHING
        notification.attempts += 1
        try:
            if session is not None:
                session.send(notification)
            else:
                channels.send(notification)
        except Exception as exc:
            # Anything that prevents the send counts as an attempt, so a bug cannot loop forever.
            if not isinstance(exc, OSError | smtplib.SMTPException | SmsDeliveryError):
                logger.exception("notification %s: unexpected error", notification_id)
            return _record_failure(notification, exc)
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.next_attempt_at = None
        notification.save(
            update_fields=["status", "sent_at", "attempts", "last_error", "next_attempt_at"]
        )
    return Outcome.SENT


def _record_failure(notification: Notification, exc: Exception) -> Outcome:
    notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    permanent = isinstance(exc, PERMANENT_ERRORS)
    if permanent or notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        notification.status = NotificationStatus.FAILED
        notification.next_attempt_at = None
        outcome = Outcome.FAILED
    else:
        notification.next_attempt_at = timezone.now() + retry_delay(notification.attempts)
        outcome = Outcome.RETRYING
    notification.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    logger.warning(
        "notification %s: attempt %s failed (%s)",
        notification.pk,
        notification.attempts,
        notification.last_error,
    )
    return outcome


def deliver_many(notification_ids: Iterable[int]) -> Counter[Outcome]:
    """deliver() each row in turn, each in its own transaction (a failure or a crash touches
    one row), through one SMTP connection for the whole run."""
    with channels.session() as session:
        return Counter(deliver(pk, session=session) for pk in notification_ids)


def due_notification_ids(*, batch: int = 500) -> list[int]:
    return list(
        Notification.objects.due()
        .order_by("scheduled_for", "pk")
        .values_list("pk", flat=True)[:batch]
    )


def preference_update(
    *,
    user,
    email_enabled: bool,
    sms_enabled: bool,
    muted_kinds: Iterable[str],
    acting_user=None,
) -> NotificationPreference:
    """Save a person's channels and the optional kinds they opted out of."""
    # Imported here: the selectors import domain models, which may import this module.
    from notifications.selectors import phone_for

    acting_user = acting_user or user
    if acting_user != user and not acting_user.is_superuser:
        raise PermissionDenied
    muted = sorted(set(muted_kinds))
    unknown = [kind for kind in muted if kind not in NotificationKind.values]
    if unknown:
        raise ValidationError({"muted_kinds": _("Unknown kind of message.")})
    if any(kind in ESSENTIAL_KINDS for kind in muted):
        raise ValidationError(
            {
                "muted_kinds": _(
                    "Messages about your appointments and your closing report are always "
                    "sent: they cannot be turned off."
                )
            }
        )
    has_phone = bool(phone_for(user))
    if not (email_enabled and user.email) and not (sms_enabled and has_phone):
        raise ValidationError(
            _(
                "Keep at least one way to reach you: messages about your appointments "
                "would still be sent to your email address or phone."
            )
        )
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
            user=user
        )
        preference.email_enabled = email_enabled
        preference.sms_enabled = sms_enabled
        preference.muted_kinds = muted
        preference.save(update_fields=["email_enabled", "sms_enabled", "muted_kinds"])
    return preference

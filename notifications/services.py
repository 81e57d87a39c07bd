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
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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


def _preference(user) -> NotificationPreference | None:
    if user is None:
        return None
    return NotificationPreference.objects.filter(user=user).first()


def channels_for(user, *, kind: str) -> list[tuple[str, str]]:
    """The (channel, address) pairs to use for this person: their enabled channels that have
    an address; for an essential kind, whatever address exists when they disabled them all."""
    from notifications.selectors import phone_for  # selectors import this module

    addresses = [(Channel.EMAIL, user.email), (Channel.SMS, phone_for(user))]
    available = [(channel, address) for channel, address in addresses if address]
    preference = _preference(user)
    chosen = [
        (channel, address)
        for channel, address in available
        if preference is None or preference.channel_enabled(channel)
    ]
    if not chosen and kind in ESSENTIAL_KINDS:
        chosen = available[:1]
    return chosen


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
    now = timezone.now()
    scheduled_for = scheduled_for or now
    preference = _preference(recipient)
    allowed = preference is None or preference.allows(kind=kind, channel=channel)
    if programme is not None and organization is None:
        organization = programme.organization
    notification, created = Notification.objects.get_or_create(
        kind=kind,
        object_type=object_type,
        object_id=str(object_id),
        channel=channel,
        to_address=to_address,
        scheduled_for=scheduled_for,
        defaults={
            "recipient": recipient,
            "programme": programme,
            "organization": organization,
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "attachments": list(attachments or []),
            "status": NotificationStatus.PENDING if allowed else NotificationStatus.SKIPPED,
            "last_error": "" if allowed else "muted by the recipient",
        },
    )
    if created and allowed and scheduled_for <= now:
        from notifications.tasks import deliver_notification

        pk = notification.pk
        transaction.on_commit(lambda: deliver_notification.delay(pk))
    return notification


def cancel_pending(
    *, object_type: str, object_id: str | int, kinds: Iterable[str] | None = None
) -> int:
    """Cancel the notifications about an object that are not sent yet (a moved appointment)."""
    rows = Notification.objects.filter(
        object_type=object_type, object_id=str(object_id), status=NotificationStatus.PENDING
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

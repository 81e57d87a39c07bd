"""How one outbox row leaves: each channel sends an already-rendered notification."""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from notifications.enums import Channel
from notifications.models import Notification
from notifications.sms import get_sms_backend


def message_id(notification: Notification) -> str:
    """A stable Message-ID: if a crash ever re-sends a row, mail clients can fold the copies."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<notification-{notification.pk}@{domain}>"


def attachment_content(attachment: dict) -> str | bytes:
    """The text stored in the row, or the bytes rendered now by the function it names
    (a dotted path, as data: this app imports no domain module)."""
    if attachment.get("render"):
        return import_string(attachment["render"])(attachment["object_id"])
    return attachment["content"]


def send_email(notification: Notification) -> None:
    # A timeout bounds how long the row lock is held when the SMTP server hangs.
    connection = get_connection(timeout=settings.NOTIFICATIONS_SEND_TIMEOUT)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        to=[notification.to_address],
        headers={"Message-ID": message_id(notification)},
        connection=connection,
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    for attachment in notification.attachments or []:
        message.attach(
            attachment["filename"], attachment_content(attachment), attachment["mimetype"]
        )
    message.send()


def send_sms(notification: Notification) -> None:
    get_sms_backend().send(to=notification.to_address, body=notification.body_text)


SENDERS: dict[str, Callable[[Notification], None]] = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_sms,
}


def send(notification: Notification) -> None:
    SENDERS[notification.channel](notification)

"""How one outbox row leaves: each channel sends an already-rendered notification."""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.enums import Channel
from notifications.models import Notification
from notifications.sms import get_sms_backend


def message_id(notification: Notification) -> str:
    """A stable Message-ID: if a crash ever re-sends a row, mail clients can fold the copies."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<notification-{notification.pk}@{domain}>"


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
    message.send()


def send_sms(notification: Notification) -> None:
    get_sms_backend().send(to=notification.to_address, body=notification.body_text)


SENDERS: dict[str, Callable[[Notification], None]] = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_sms,
}


def send(notification: Notification) -> None:
    SENDERS[notification.channel](notification)

"""How one outbox row leaves: each channel sends an already-rendered notification."""

import contextlib
from collections.abc import Iterator

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


def email_connection():
    # A timeout bounds how long the row lock is held when the SMTP server hangs.
    return get_connection(timeout=settings.NOTIFICATIONS_SEND_TIMEOUT)


class Session:
    """The channels' connections for a run of deliveries: one SMTP connection, opened at the
    first email and reused for the next ones (a handshake per message would cost more than the
    message), dropped after a failure so that the next message starts from a fresh one."""

    def __init__(self) -> None:
        self._email = None

    def email(self):
        if self._email is None:
            connection = email_connection()
            # Opened here, so that sending does not close it after each message.
            connection.open()
            self._email = connection
        return self._email

    def reset(self) -> None:
        if self._email is not None:
            with contextlib.suppress(Exception):  # The connection is already broken.
                self._email.close()
            self._email = None

    def send(self, notification: Notification) -> None:
        try:
            send(notification, session=self)
        except Exception:
            self.reset()
            raise


@contextlib.contextmanager
def session() -> Iterator[Session]:
    current = Session()
    try:
        yield current
    finally:
        current.reset()


def send_email(notification: Notification, *, session: Session | None = None) -> None:
    connection = session.email() if session is not None else email_connection()
    headers = {"Message-ID": message_id(notification)}
    # Headers a domain app adds to its kind (a campaign's List-Unsubscribe): the function's
    # path is data, so this app still imports no domain app.
    extra = settings.NOTIFICATIONS_EMAIL_HEADERS.get(notification.kind)
    if extra:
        headers.update(import_string(extra)(notification))
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        to=[notification.to_address],
        headers=headers,
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


def send(notification: Notification, *, session: Session | None = None) -> None:
    if notification.channel == Channel.EMAIL:
        send_email(notification, session=session)
    else:
        send_sms(notification)

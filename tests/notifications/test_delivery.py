"""Delivering outbox rows: once, with retries and a maximum, by the scan and the command."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.enums import Channel, NotificationStatus
from notifications.models import Notification
from notifications.services import Outcome, deliver, retry_delay
from notifications.tasks import deliver_notification, dispatch_due_notifications


class FlakyBackend(EmailBackend):
    """Locmem email that refuses the first `failures` sends like a server that is down."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures = 0


def test_delivery_marks_sent_once(make_notification):
    notification = make_notification()

    assert deliver_notification(notification.pk) == Outcome.SENT
    assert deliver_notification(notification.pk) == Outcome.NOTHING

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Rappel"
    assert message.alternatives[0].mimetype == "text/html"
    assert message.extra_headers["Message-ID"].startswith(f"<notification-{notification.pk}@")


def test_not_yet_due_or_cancelled_is_not_sent(make_notification):
    later = make_notification(scheduled_for=timezone.now() + timedelta(hours=1))
    cancelled = make_notification()
    Notification.objects.filter(pk=cancelled.pk).update(status=NotificationStatus.CANCELLED)

    assert deliver(later.pk) == Outcome.NOTHING
    assert deliver(cancelled.pk) == Outcome.NOTHING
    assert mail.outbox == []


def test_sms_goes_through_the_sms_backend(make_notification, sms_outbox):
    notification = make_notification(channel=Channel.SMS, to_address="0601020304")

    assert deliver(notification.pk) == Outcome.SENT
    assert sms_outbox == [{"to": "0601020304", "body": "Votre rendez-vous"}]
    assert mail.outbox == []


def test_failure_schedules_a_retry_then_one_email(make_notification, flaky_smtp, settings):
    settings.NOTIFICATIONS_RETRY_BACKOFF = 30
    flaky_smtp.failures = 2
    notification = make_notification()

    before = timezone.now()
    assert deliver(notification.pk) == Outcome.RETRYING
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    # 30 s × 2^1 after the first failure.
    assert notification.next_attempt_at >= before + timedelta(seconds=60)
    # Waiting for its retry: neither the task nor the scan touch it.
    assert deliver(notification.pk) == Outcome.NOTHING
    assert dispatch_due_notifications() == 0

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert deliver(notification.pk) == Outcome.RETRYING
    notification.refresh_from_db()
    assert notification.next_attempt_at >= timezone.now() + timedelta(seconds=110)

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert dispatch_due_notifications() == 1

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 3
    assert notification.last_error == ""
    assert len(mail.outbox) == 1


def test_backoff_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_BACKOFF = 30
    settings.NOTIFICATIONS_RETRY_BACKOFF_MAX = 3600

    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 12)] == [
        60,
        120,
        240,
        3600,
        3600,
    ]


def test_max_attempts_marks_failed(make_notification, flaky_smtp, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    flaky_smtp.failures = 100
    notification = make_notification()

    outcomes = []
    for _ in range(4):
        outcomes.append(deliver(notification.pk))
        Notification.objects.filter(pk=notification.pk, status="pending").update(
            next_attempt_at=timezone.now()
        )

    assert outcomes == [Outcome.RETRYING, Outcome.RETRYING, Outcome.FAILED, Outcome.NOTHING]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 3
    assert notification.next_attempt_at is None
    assert mail.outbox == []


def test_refused_recipient_fails_at_once(make_notification, settings, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    notification = make_notification()

    assert deliver(notification.pk) == Outcome.FAILED


def test_command_sends_the_due_notifications(make_notification, flaky_smtp):
    make_notification()
    make_notification()
    make_notification(scheduled_for=timezone.now() + timedelta(hours=1))
    flaky_smtp.failures = 1
    out = StringIO()

    call_command("send_due_notifications", stdout=out)

    assert out.getvalue().strip() == "written: 0, sent: 1, retrying: 1, failed: 0"
    assert len(mail.outbox) == 1


def test_admin_resend_puts_a_failed_notification_back(
    client, admin, make_notification, django_capture_on_commit_callbacks
):
    failed = make_notification()
    Notification.objects.filter(pk=failed.pk).update(
        status=NotificationStatus.FAILED, attempts=8, last_error="SMTPServerDisconnected"
    )
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "resend", ACTION_CHECKBOX_NAME: [failed.pk]},
        )

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.SENT
    assert failed.attempts == 1
    assert len(mail.outbox) == 1


def test_admin_lists_notifications(client, admin, make_notification):
    make_notification()
    client.force_login(admin)

    response = client.get(
        reverse("admin:notifications_notification_changelist"), {"status__exact": "pending"}
    )

    assert response.status_code == 200
    assert b"ines@example.org" in response.content


def test_beat_scans_every_minute(beat_schedule):
    task = PeriodicTask.objects.get(name="notifications: dispatch due")

    assert task.task == "notifications.tasks.dispatch_due_notifications"
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_the_command_runs_the_scans_named_in_the_settings(settings, db):
    from io import StringIO

    from django.core.management import call_command

    calls = []
    settings.NOTIFICATION_SCANS = ["tests.notifications.test_delivery.fake_scan"]
    fake_scan.calls = calls
    out = StringIO()
    call_command("send_due_notifications", stdout=out)
    assert calls == [1]
    assert out.getvalue().startswith("written: 3,")
    call_command("send_due_notifications", "--no-scans", stdout=StringIO())
    assert calls == [1]


def fake_scan():
    fake_scan.calls.append(1)
    return 3

"""The outbox with the real parts: PostgreSQL row locks, Redis, a Celery worker, SMTP."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications.enums import NotificationStatus
from notifications.models import Notification
from notifications.services import deliver, due_notification_ids
from notifications.tasks import dispatch_due_notifications

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    # The worker thread has its own connection: it must see committed rows.
    pytest.mark.django_db(transaction=True),
]


def wait_for(condition, timeout: float = 20, every: float = 0.05, then=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if then is not None:
            then()
        time.sleep(every)
    return condition()


def status_of(notification) -> str:
    notification.refresh_from_db()
    return notification.status


def test_worker_delivers_a_due_reminder_to_smtp(make_notification, smtp_server, redis_worker):
    smtp_server.start()
    reminder = make_notification(scheduled_for=timezone.now() + timedelta(seconds=1))
    time.sleep(1.1)

    # What beat does every minute, through Redis and the worker.
    dispatch_due_notifications.delay()

    assert wait_for(lambda: status_of(reminder) == NotificationStatus.SENT)
    assert wait_for(lambda: len(smtp_server.received) == 1)
    envelope = smtp_server.received[0]
    assert envelope.rcpt_tos == ["ines@example.org"]
    assert b"Rappel" in envelope.original_content
    # A second scan finds nothing to do.
    dispatch_due_notifications.delay()
    time.sleep(0.5)
    assert len(smtp_server.received) == 1


def test_smtp_down_is_retried_and_delivered_once(
    make_notification, smtp_server, redis_worker, settings
):
    settings.NOTIFICATIONS_RETRY_BACKOFF = 1
    # Due now: notify() enqueues the delivery after commit; nothing listens on the port yet.
    reminder = make_notification()

    assert wait_for(lambda: (reminder.refresh_from_db(), reminder.attempts)[1] == 1)
    assert reminder.status == NotificationStatus.PENDING
    assert "Connection refused" in reminder.last_error or "ConnectionRefused" in (
        reminder.last_error
    )
    assert reminder.next_attempt_at > timezone.now()

    smtp_server.start()
    # Beat's scan, much more often than every minute: repeated enqueues must not duplicate.
    assert wait_for(
        lambda: status_of(reminder) == NotificationStatus.SENT,
        every=0.2,
        then=dispatch_due_notifications.delay,
    )

    time.sleep(0.5)
    assert len(smtp_server.received) == 1
    reminder.refresh_from_db()
    assert reminder.attempts == 2
    assert reminder.last_error == ""


def test_concurrent_scans_send_each_notification_once(make_notification, smtp_server, redis_worker):
    smtp_server.start()
    smtp_server.handler.delay = 0.02
    soon = timezone.now() + timedelta(seconds=1)
    notifications = [make_notification(scheduled_for=soon) for _ in range(30)]
    time.sleep(1.1)
    start = threading.Barrier(3)
    sent_by_scan, errors = [], []

    def scan_inline() -> None:
        # What `manage.py send_due_notifications` does, in its own connection.
        try:
            start.wait(5)
            outcomes = Counter(deliver(pk) for pk in due_notification_ids())
            sent_by_scan.append(outcomes["sent"])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan_inline) for _ in range(2)]
    for thread in threads:
        thread.start()
    # A third scan at the same moment, through Redis and the worker.
    start.wait(5)
    dispatch_due_notifications.delay()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert wait_for(
        lambda: not Notification.objects.filter(status=NotificationStatus.PENDING).exists(),
        timeout=30,
    )
    time.sleep(0.5)
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 30
    counts = Counter(smtp_server.message_ids())
    assert len(counts) == 30
    assert set(counts.values()) == {1}
    expected = {f"<notification-{n.pk}@" for n in notifications}
    assert {message_id.split("@")[0] + "@" for message_id in counts} == expected
    # The two inline scans did share the work with the worker, not all of it each.
    assert sum(sent_by_scan) <= 30

"""Chunks of outbox rows: one SMTP connection for many messages, one transaction per row."""

from notifications import tasks
from notifications.enums import NotificationStatus
from notifications.models import Notification
from notifications.services import Outcome, deliver_many


def rows(make_notification, n: int) -> list[Notification]:
    return [make_notification(to_address=f"personne{i}@example.org") for i in range(n)]


def test_a_chunk_goes_through_one_smtp_connection(make_notification, smtp_server):
    smtp_server.start()
    notifications = rows(make_notification, 5)

    outcomes = deliver_many([n.pk for n in notifications])

    assert outcomes == {Outcome.SENT: 5}
    assert len(smtp_server.received) == 5
    assert len(smtp_server.handler.sessions) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_refused_message_does_not_hold_back_the_rest_of_the_chunk(make_notification, smtp_server):
    smtp_server.start()
    smtp_server.handler.refuse = {"personne1@example.org"}
    notifications = rows(make_notification, 4)

    outcomes = deliver_many([n.pk for n in notifications])

    assert outcomes == {Outcome.SENT: 3, Outcome.RETRYING: 1}
    refused = Notification.objects.get(to_address="personne1@example.org")
    assert refused.status == NotificationStatus.PENDING
    assert refused.next_attempt_at is not None
    assert "451" in refused.last_error
    recipients = sorted(e.rcpt_tos[0] for e in smtp_server.received)
    assert recipients == [f"personne{i}@example.org" for i in (0, 2, 3)]
    # After a failure the next message starts from a fresh connection.
    assert len(smtp_server.handler.sessions) == 2


def test_smtp_down_fails_each_row_of_the_chunk_and_loses_none(make_notification, smtp_server):
    notifications = rows(make_notification, 3)  # Nothing listens on the port.

    outcomes = deliver_many([n.pk for n in notifications])

    assert outcomes == {Outcome.RETRYING: 3}
    for notification in notifications:
        notification.refresh_from_db()
        assert notification.status == NotificationStatus.PENDING
        assert notification.attempts == 1


def test_the_scan_enqueues_chunks_of_the_configured_size(make_notification, settings, monkeypatch):
    settings.NOTIFICATIONS_CHUNK_SIZE = 2
    notifications = rows(make_notification, 5)
    chunks = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", chunks.append)

    assert tasks.dispatch_due_notifications() == 5

    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    assert sorted(pk for chunk in chunks for pk in chunk) == sorted(n.pk for n in notifications)


def test_the_scan_takes_at_most_its_limit(make_notification, settings, monkeypatch):
    settings.NOTIFICATIONS_SCAN_LIMIT = 3
    rows(make_notification, 5)
    chunks = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", chunks.append)

    assert tasks.dispatch_due_notifications() == 3
    assert sum(len(chunk) for chunk in chunks) == 3


def test_a_chunk_task_reports_its_outcomes(make_notification):
    sent = rows(make_notification, 2)

    assert tasks.deliver_notifications([n.pk for n in sent]) == {"sent": 2}
    assert tasks.deliver_notifications([n.pk for n in sent]) == {"nothing": 2}

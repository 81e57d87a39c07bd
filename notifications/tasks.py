from celery import shared_task
from django.conf import settings

from notifications import services


@shared_task(acks_late=True)
def deliver_notification(notification_id: int) -> str:
    """Send one outbox row if it is still pending and due (see services.deliver).

    No Celery retry here: a failure sets the row's next_attempt_at and the scan picks it up,
    so a retry never depends on a long countdown in Redis."""
    return services.deliver(notification_id).value


@shared_task(acks_late=True)
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """Send a chunk of outbox rows through one SMTP connection (see services.deliver_many).

    Acknowledged once the chunk is done: a worker killed halfway leaves its rows pending in
    the outbox (the one being sent rolls back), and the next scan enqueues them again."""
    return {outcome.value: n for outcome, n in services.deliver_many(notification_ids).items()}


@shared_task(acks_late=True)
def dispatch_due_notifications(batch: int | None = None) -> int:
    """The beat scan: enqueue the due rows in chunks. A row enqueued twice is sent once."""
    ids = services.due_notification_ids(batch=batch or settings.NOTIFICATIONS_SCAN_LIMIT)
    enqueue_in_chunks(ids)
    return len(ids)


def enqueue_in_chunks(notification_ids: list[int]) -> int:
    """One deliver_notifications task per NOTIFICATIONS_CHUNK_SIZE rows; the number of tasks."""
    size = settings.NOTIFICATIONS_CHUNK_SIZE
    chunks = [notification_ids[i : i + size] for i in range(0, len(notification_ids), size)]
    for chunk in chunks:
        deliver_notifications.delay(chunk)
    return len(chunks)

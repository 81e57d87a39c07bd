from celery import shared_task

from notifications import services


@shared_task(acks_late=True)
def deliver_notification(notification_id: int) -> str:
    """Send one outbox row if it is still pending and due (see services.deliver).

    No Celery retry here: a failure sets the row's next_attempt_at and the scan picks it up,
    so a retry never depends on a long countdown in Redis."""
    return services.deliver(notification_id).value


@shared_task(acks_late=True)
def dispatch_due_notifications(batch: int = 500) -> int:
    """The beat scan: enqueue one delivery per due row. A row enqueued twice is sent once."""
    ids = services.due_notification_ids(batch=batch)
    for notification_id in ids:
        deliver_notification.delay(notification_id)
    return len(ids)

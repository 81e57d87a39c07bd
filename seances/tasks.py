"""Celery tasks of the séances app: they take primary keys and run after the commit."""

import logging

from celery import shared_task
from django.db import transaction

from seances import notification_scans
from seances.emails import write_closing_report
from seances.models import ClosingRecord

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def email_closing_report(record_id: int) -> bool:
    """Write the validated record's report (PDF attached) to the outbox for the beneficiary,
    when they have an email address. Returns whether a row exists for it.

    record_validate writes the same row itself, in its transaction; this task only serves to
    send a report again by hand. The row is keyed on the validation time: no duplicate. The
    PDF is rendered by the outbox at send time, and an SMTP failure is retried there."""
    with transaction.atomic():
        record = (
            ClosingRecord.objects.validated()
            .select_related("beneficiary__user", "seance__offer__programme")
            .filter(pk=record_id)
            .first()
        )
        if record is None:
            logger.info("closing report not sent: no validated record", extra={"record": record_id})
            return False
        return write_closing_report(record) is not None


@shared_task(acks_late=True)
def scan_closing_record_reminders() -> int:
    """Hourly: remind mentors of closing records still to validate 24 h after the séance.
    Idempotent: each reminder is keyed on its séance and due time."""
    return notification_scans.scan_closing_record_reminders()


@shared_task(acks_late=True)
def scan_overdue_tasks_digest() -> int:
    """Weekly (Monday 08:00, Paris): this week's digest of overdue action-plan tasks.
    Idempotent: one row per person and week."""
    return notification_scans.scan_overdue_tasks_digest()

"""Celery tasks of the partner network."""

from celery import shared_task

from partners.notification_scans import scan_unanswered_referrals


@shared_task(acks_late=True)
def scan_unanswered_referrals_task() -> int:
    """Hourly: write the reminders about referrals unanswered after 7 days (idempotent)."""
    return scan_unanswered_referrals()

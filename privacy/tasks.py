from celery import shared_task

from privacy.services import retention_scan


@shared_task
def apply_retention() -> dict[str, int]:
    """Daily: notices, cancellations and anonymisations of the retention period."""
    return retention_scan()

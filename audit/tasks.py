from celery import shared_task

from audit.services import purge_expired


@shared_task
def purge_audit_journal() -> int:
    """Daily: delete the journal entries past the retention period; how many."""
    return purge_expired()

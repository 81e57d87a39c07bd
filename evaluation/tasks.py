from celery import shared_task

from evaluation import notification_scans


@shared_task(acks_late=True)
def scan_evaluation_invitations() -> int:
    """Beat, every hour: invite people to the questionnaires due at their moments."""
    return notification_scans.scan_evaluation_invitations()

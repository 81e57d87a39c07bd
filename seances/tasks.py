"""Celery tasks of the séances app: they take primary keys and run after the commit."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.tasks import send_email
from seances import notification_scans
from seances.documents import closing_report_filename, render_closing_report_pdf
from seances.emails import beneficiary_email
from seances.models import ClosingRecord

logger = logging.getLogger(__name__)

EMAIL_LANGUAGE = "fr"


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def email_closing_report(record_id: int) -> bool:
    """Email the validated record's report (PDF attached) to the beneficiary, when they have
    an email address. Returns whether an email was sent.

    The PDF is rendered here, in the worker, and handed to `send_email` in the same task
    rather than queued: the bytes never travel through the broker (JSON), and an SMTP failure
    retries this whole task."""
    record = (
        ClosingRecord.objects.validated()
        .select_related("beneficiary__user")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        logger.info("closing report not sent: no validated record", extra={"record": record_id})
        return False
    address = beneficiary_email(record.beneficiary)
    if not address:
        return False
    report = record.snapshot
    pdf = render_closing_report_pdf(record)
    path = reverse("seances:record_detail", args=[record.public_id])
    with translation.override(EMAIL_LANGUAGE):
        context = {
            "LANGUAGE_CODE": EMAIL_LANGUAGE,
            "programme_name": report["programme"]["title"],
            "greeting_name": record.beneficiary.contact_name or report["beneficiary"],
            "mentor_name": report["mentor"],
            "seance_date": report["seance"]["date"],
            "version": record.version,
            "correction_reason": report.get("correction_reason", ""),
            "has_account": record.beneficiary.user_id is not None,
            "detail_url": f"{settings.SITE_URL.rstrip('/')}{path}",
        }
        template = "seances/emails/closing_report"
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
        html_body = render_to_string(f"{template}_body.html", context)
    send_email(
        subject=subject,
        body=body,
        to=[address],
        html_body=html_body,
        attachments=[
            {
                "filename": closing_report_filename(record),
                "content": pdf,
                "mimetype": "application/pdf",
            }
        ],
    )
    return True


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

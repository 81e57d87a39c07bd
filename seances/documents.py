"""The séances app's printed documents: the session-closing report.

One renderer, from the record's frozen `snapshot` only (pretix invoices): a report rendered
again months later prints what was validated, whatever happened to the tasks, the names or
the appointments since. Static resources never go through HTTP: the logo is read from the
storage and embedded as a data URI.
"""

import base64
import logging
import mimetypes
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from seances.models import ClosingRecord

if TYPE_CHECKING:
    import weasyprint

logger = logging.getLogger(__name__)

REPORT_LANGUAGE = "fr"
REPORT_TEMPLATE = "seances/pdf/closing_report.html"
LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}
# A logo heavier than this is not embedded (the programme's name is printed instead).
MAX_LOGO_BYTES = 2 * 1024 * 1024


def logo_data_uri(name: str | None) -> str | None:
    """The stored logo as a data: URI, or None when there is none or it cannot be read."""
    if not name:
        return None
    mimetype = mimetypes.guess_type(name)[0]
    if mimetype not in LOGO_TYPES:
        return None
    try:
        if default_storage.size(name) > MAX_LOGO_BYTES:
            return None
        with default_storage.open(name, "rb") as logo:
            content = logo.read()
    except (OSError, ValueError):
        logger.warning("programme logo unreadable", extra={"logo": name})
        return None
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"


def closing_report_html(record: ClosingRecord) -> str:
    if not record.is_validated or not record.snapshot:
        raise ValueError("Only a validated closing record has a report.")
    report = record.snapshot
    with translation.override(REPORT_LANGUAGE):
        return render_to_string(
            REPORT_TEMPLATE,
            {"report": report, "logo": logo_data_uri(report["programme"].get("logo"))},
        )


def closing_report_document(record: ClosingRecord) -> "weasyprint.Document":
    """The laid-out report (its pages can be counted before writing the PDF)."""
    # Imported here: loading WeasyPrint (Pango, fonts) costs every process that never prints.
    import weasyprint

    html = weasyprint.HTML(string=closing_report_html(record), base_url=str(settings.BASE_DIR))
    return html.render()


def render_closing_report_pdf(record: ClosingRecord) -> bytes:
    """The session-closing report of a validated record, as PDF bytes (A4, French)."""
    return closing_report_document(record).write_pdf()


def closing_report_filename(record: ClosingRecord) -> str:
    """ "compte-rendu-2026-10-06-camille-durand-v1.pdf": the séance's day, the person, the
    version."""
    snapshot = record.snapshot or {}
    day = snapshot.get("seance", {}).get("date_iso", "")
    name = slugify(snapshot.get("beneficiary", ""))[:40] or "beneficiaire"
    return (
        "-".join(part for part in ("compte-rendu", day, name, f"v{record.version}") if part)
        + ".pdf"
    )


def closing_report_attachment(object_id: int | str) -> bytes:
    """The PDF of a validated record, rendered from its frozen snapshot when the outbox sends
    the report (named by dotted path in the notification's attachments)."""
    record = ClosingRecord.objects.validated().get(pk=object_id)
    return render_closing_report_pdf(record)

"""CSV exports of the outreach list, as Excel France opens them: UTF-8 with BOM, ";"."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from beneficiaires.imports import COLUMNS
from beneficiaires.models import Beneficiary

# The import template's columns first, so an export can be edited and imported elsewhere.
HEADERS = [
    *COLUMNS,
    "etape",
    "etape_depuis",
    "programme",
    "source",
    "detail_source",
    "dernier_contact",
    "cree_le",
    "identifiant",
]
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text, with a leading quote when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def row(record: Beneficiary) -> list[str]:
    cells = [
        record.name,
        record.get_kind_display(),
        record.contact_name,
        record.email,
        record.phone,
        record.postal_code,
        record.territory,
        record.get_situation_display() if record.situation else "",
        record.get_priority_display(),
        record.notes,
        record.get_stage_display(),
        _datetime(record.stage_changed_at),
        record.programme.title if record.programme_id else "",
        record.get_source_display(),
        record.source_detail,
        _datetime(getattr(record, "last_contact_at", None)),
        _datetime(record.created_at),
        record.public_id,
    ]
    return [safe_cell(cell) for cell in cells]


class _Echo:
    """A file-like object whose write() hands back the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(records: Iterable[Beneficiary]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(HEADERS)
    for record in records:
        yield writer.writerow(row(record))


def csv_response(records: Iterable[Beneficiary], filename: str) -> StreamingHttpResponse:
    """Stream the rows: a long list never sits whole in memory."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(records)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_filename(prefix: str = "beneficiaires") -> str:
    return f"{prefix}-{timezone.localdate():%Y-%m-%d}.csv"

"""CSV exports of the outreach list, as Excel France opens them: UTF-8 with BOM, ";"."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from beneficiaires.imports import COLUMNS
from beneficiaires.models import Beneficiary
from core import spreadsheets
from core.spreadsheets import safe_cell

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


def csv_lines(records: Iterable[Beneficiary]) -> Iterator[str]:
    return spreadsheets.csv_lines(HEADERS, (row(record) for record in records))


def csv_response(records: Iterable[Beneficiary], filename: str) -> StreamingHttpResponse:
    return spreadsheets.csv_response(csv_lines(records), filename)


def export_filename(prefix: str = "beneficiaires") -> str:
    return f"{prefix}-{timezone.localdate():%Y-%m-%d}.csv"

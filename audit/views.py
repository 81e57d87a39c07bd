"""The access journal page of the organisations' administrators, and its CSV download."""

import uuid
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.filters import AuditEntryFilter, kind_label
from audit.models import AuditEntry
from audit.permissions import can_view_audit_journal
from core import spreadsheets
from core.http import paginate

PAGE_SIZE = 50
# Kinds of record whose page the journal links to: label → URL name taking the public_id.
LINKED_PAGES = {
    "beneficiaires.beneficiary": "beneficiaires:detail",
    "seances.closingrecord": "seances:record_detail",
}


def _filtered(request: HttpRequest) -> AuditEntryFilter:
    if not can_view_audit_journal(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.visible_to(request.user)
    return AuditEntryFilter(
        request.GET, queryset=entries.select_related("actor", "organization"), request=request
    )


def _parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _decorate(entries: list[AuditEntry], user) -> None:
    """Per row: the human kind of record and, when `user` may open the record, its URL
    (one query per linked kind present on the page, whatever the number of rows)."""
    wanted = defaultdict(set)
    for entry in entries:
        entry.kind_label = kind_label(entry.object_type)
        entry.url = ""
        public_id = _parse_uuid(entry.object_id)
        if entry.object_type in LINKED_PAGES and public_id is not None:
            wanted[entry.object_type].add(public_id)
    openable = {}
    for object_type, ids in wanted.items():
        model = apps.get_model(object_type)
        visible = model.objects.visible_to(user).filter(public_id__in=ids)
        openable[object_type] = {str(pk) for pk in visible.values_list("public_id", flat=True)}
    for entry in entries:
        if entry.object_id in openable.get(entry.object_type, ()):
            entry.url = reverse(LINKED_PAGES[entry.object_type], args=[entry.object_id])


@login_required
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    """Who read or changed a sensitive record, newest first, filtered in the URL."""
    filterset = _filtered(request)
    pagination = paginate(request, filterset.qs, PAGE_SIZE)
    _decorate(pagination["page"].object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/journal.html",
        {
            "filter": filterset,
            **pagination,
            "export_querystring": query.urlencode(),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        },
    )


CSV_HEADER = ["date", "qui", "email", "action", "type", "identifiant", "detail", "structure"]


def _csv_rows(entries):
    for entry in entries:
        actor = entry.actor
        yield [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(actor) if actor else "",
            actor.email if actor else "",
            entry.get_action_display(),
            kind_label(entry.object_type),
            entry.object_id,
            entry.summary,
            entry.organization.name if entry.organization else "",
        ]


@login_required
@require_GET
def journal_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered journal as CSV (Excel France: UTF-8 with BOM, ";"), streamed."""
    filterset = _filtered(request)
    rows = _csv_rows(filterset.qs.iterator(chunk_size=500))
    return spreadsheets.csv_response(
        spreadsheets.csv_lines(CSV_HEADER, rows),
        f"journal-acces-{timezone.localdate():%Y-%m-%d}.csv",
    )

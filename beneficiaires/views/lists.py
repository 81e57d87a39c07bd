"""The outreach list: table, board, bulk actions, inline updates and CSV export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from audit.services import audit_export
from beneficiaires import exports, permissions, services
from beneficiaires.enums import OutreachStage, Priority
from beneficiaires.forms import BulkActionForm, PriorityForm, StageForm
from beneficiaires.models import Beneficiary
from beneficiaires.selectors import (
    BOARD_COLUMN_SIZE,
    organization_mentors,
    outreach_board,
    with_outreach,
)
from beneficiaires.views.common import (
    filtered,
    redirect_back,
    status_html,
    visible_record,
)
from core.http import paginate, querystring_without

PAGE_SIZE = 25
SORTABLE = {"name": "name", "priority": "priority", "stage_changed": "-stage_changed"}


def _sort_headers(request: HttpRequest, current: str) -> dict:
    """Per sortable column: the link that sorts by it (or reverses it) and its aria-sort."""
    base = querystring_without(request, "sort", "page")
    headers = {}
    for column, first in SORTABLE.items():
        active = current.lstrip("-") == column
        target = ("" if current.startswith("-") else "-") + column if active else first
        headers[column] = {
            "url": "?" + "&".join(part for part in (base, f"sort={target}") if part),
            "aria": ("descending" if current.startswith("-") else "ascending") if active else "",
        }
    return headers


MORE_FILTERS = ("situation", "priority", "kind", "source", "territory")


def _more_filters_active(request: HttpRequest) -> bool:
    return any(request.GET.get(name) for name in MORE_FILTERS)


def _decorate(rows, user) -> None:
    """Per-row permissions, computed once for the template (no query: see `with_outreach`)."""
    for row in rows:
        row.can_move = permissions.can_change_beneficiary_stage(user, row)
        row.can_prioritise = permissions.can_set_beneficiary_priority(user, row)


@login_required
@require_GET
def beneficiary_list(request: HttpRequest) -> HttpResponse:
    """The outreach table: filters in the URL, sortable, paginated, with bulk actions."""
    if not permissions.can_list_beneficiaries(request.user):
        raise PermissionDenied
    filterset = filtered(request)
    queryset = with_outreach(filterset.qs, request.user)
    pagination = paginate(request, queryset, PAGE_SIZE)
    page = pagination["page"]
    _decorate(page.object_list, request.user)
    can_bulk = permissions.can_bulk_edit_beneficiaries(request.user)
    return render(
        request,
        "beneficiaires/beneficiary_list.html",
        {
            "filter": filterset,
            **pagination,
            "filter_querystring": querystring_without(request, "page", "sort"),
            "more_filters_active": _more_filters_active(request),
            "sort_headers": _sort_headers(request, filterset.current_sort),
            "can_bulk": can_bulk,
            "can_export": permissions.can_export_beneficiaries(request.user),
            "can_create": permissions.can_create_beneficiary(request.user),
            "can_import": permissions.can_import_beneficiaries(request.user),
            "mentors": organization_mentors(request.user) if can_bulk else [],
            "bulk_form": BulkActionForm(user=request.user) if can_bulk else None,
            "stages": OutreachStage.choices,
            "priorities": Priority.choices,
            "next": request.get_full_path(),
        },
    )


@login_required
@require_GET
def beneficiary_board(request: HttpRequest) -> HttpResponse:
    """The same list as columns by stage, each capped so the page stays fast."""
    if not permissions.can_list_beneficiaries(request.user):
        raise PermissionDenied
    filterset = filtered(request)
    columns = outreach_board(filterset.qs, request.user)
    for column in columns:
        _decorate(column.cards, request.user)
    return render(
        request,
        "beneficiaires/beneficiary_board.html",
        {
            "filter": filterset,
            "columns": columns,
            "column_size": BOARD_COLUMN_SIZE,
            "more_filters_active": _more_filters_active(request),
            "filter_querystring": querystring_without(request, "page", "sort"),
            "can_export": permissions.can_export_beneficiaries(request.user),
            "can_create": permissions.can_create_beneficiary(request.user),
            "can_import": permissions.can_import_beneficiaries(request.user),
            "stages": OutreachStage.choices,
            "next": request.get_full_path(),
        },
    )


@login_required
@require_GET
def beneficiary_export(request: HttpRequest):
    """The filtered list as CSV, streamed."""
    if not permissions.can_export_beneficiaries(request.user):
        raise PermissionDenied
    records = filtered(request).qs
    _audit_export(request, records)
    queryset = with_outreach(records, request.user)
    return exports.csv_response(queryset.iterator(chunk_size=500), exports.export_filename())


def _audit_export(request: HttpRequest, records) -> None:
    """One journal entry per export (per structure holding rows of it), with the row count."""
    rows = records.order_by().values_list("organization_id").annotate(rows=Count("pk"))
    audit_export(
        actor=request.user,
        model=Beneficiary,
        rows_by_organization=dict(rows),
        summary=_("CSV export of beneficiaries ({rows} rows)"),
    )


@login_required
@require_POST
def beneficiary_bulk(request: HttpRequest):
    """One action on the checked rows: all of them, or none when one is out of reach."""
    if not permissions.can_bulk_edit_beneficiaries(request.user):
        raise PermissionDenied
    form = BulkActionForm(request.POST, user=request.user)
    fallback = reverse("beneficiaires:list")
    if not form.is_valid():
        if form.refers_to_unknown_records:
            return HttpResponseBadRequest(_("Some selected records cannot be changed by you."))
        for name, errors in form.errors.items():
            for error in errors if name != "ids" else [_("Select at least one row.")]:
                messages.error(request, error)
        return redirect_back(request, fallback)
    records = list(form.cleaned_data["ids"].select_related("organization"))
    action = form.cleaned_data["action"]
    if action == BulkActionForm.EXPORT:
        _audit_export(request, form.cleaned_data["ids"])
        queryset = with_outreach(form.cleaned_data["ids"], request.user).order_by("name", "pk")
        return exports.csv_response(queryset, exports.export_filename("selection"))
    try:
        if action == BulkActionForm.CHANGE_STAGE:
            count = services.beneficiaries_bulk_change_stage(
                beneficiaries=records, stage=form.cleaned_data["stage"], acting_user=request.user
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s record moved to “%(stage)s”.",
                    "%(count)s records moved to “%(stage)s”.",
                    count,
                )
                % {"count": count, "stage": OutreachStage(form.cleaned_data["stage"]).label},
            )
        else:
            mentor = form.cleaned_data["mentor"]
            count = services.beneficiaries_bulk_assign_mentor(
                beneficiaries=records, mentor=mentor, acting_user=request.user
            )
            messages.success(
                request,
                ngettext(
                    "%(mentor)s is now the referent of %(count)s active enrollment.",
                    "%(mentor)s is now the referent of %(count)s active enrollments.",
                    count,
                )
                % {"count": count, "mentor": mentor},
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect_back(request, fallback)


def _inline_response(request, beneficiary, message: str) -> HttpResponse:
    """htmx: the updated control and the status line; otherwise back where the user was."""
    if not request.htmx:
        messages.success(request, message)
        return redirect_back(request, reverse("beneficiaires:detail", args=[beneficiary.public_id]))
    beneficiary.can_move = permissions.can_change_beneficiary_stage(request.user, beneficiary)
    beneficiary.can_prioritise = permissions.can_set_beneficiary_priority(request.user, beneficiary)
    template = {
        "card": "beneficiaires/partials/board_card.html",
        "priority": "beneficiaires/partials/priority_form.html",
    }.get(request.POST.get("view", ""), "beneficiaires/partials/stage_form.html")
    context = {
        "beneficiary": beneficiary,
        "stages": OutreachStage.choices,
        "priorities": Priority.choices,
        "next": request.POST.get("next", ""),
        "just_moved": True,
    }
    html = render(request, template, context).content.decode() + status_html(message, request)
    return HttpResponse(html)


@login_required
@require_POST
def beneficiary_set_stage(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = visible_record(request, public_id)
    form = StageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown stage."))
    services.beneficiary_change_stage(
        beneficiary=beneficiary, stage=form.cleaned_data["stage"], acting_user=request.user
    )
    message = _("%(name)s: stage “%(stage)s”.") % {
        "name": beneficiary.name,
        "stage": beneficiary.get_stage_display(),
    }
    return _inline_response(request, beneficiary, message)


@login_required
@require_POST
def beneficiary_set_priority(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = visible_record(request, public_id)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown priority."))
    services.beneficiary_set_priority(
        beneficiary=beneficiary, priority=form.cleaned_data["priority"], acting_user=request.user
    )
    message = _("%(name)s: priority “%(priority)s”.") % {
        "name": beneficiary.name,
        "priority": beneficiary.get_priority_display(),
    }
    return _inline_response(request, beneficiary, message)

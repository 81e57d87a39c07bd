"""Merging two records of the same actor."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from beneficiaires import permissions, services
from beneficiaires.forms import MergeForm
from beneficiaires.models import Beneficiary
from beneficiaires.selectors import find_likely_duplicates, manageable_beneficiaries
from beneficiaires.views.common import visible_record

CANDIDATES = 20
COMPARED_FIELDS = [
    "kind",
    "name",
    "contact_name",
    "email",
    "phone",
    "postal_code",
    "territory",
    "situation",
    "programme",
    "stage",
    "priority",
    "source",
    "notes",
    "created_at",
]


def _with_counts(queryset):
    return queryset.select_related("programme", "user").annotate(
        enrollment_count=Count("enrollments", distinct=True),
        contact_count=Count("contact_logs", distinct=True),
        consent_count=Count("consents", distinct=True),
        diagnostic_count=Count("diagnostics", distinct=True),
        referral_count=Count("referrals", distinct=True),
    )


def _display(record: Beneficiary, name: str):
    field = Beneficiary._meta.get_field(name)
    if field.choices:
        return getattr(record, f"get_{name}_display")() if getattr(record, name) else ""
    value = getattr(record, name)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return value if value is not None else ""


@login_required
def beneficiary_merge(request: HttpRequest, public_id) -> HttpResponse:
    """Choose the other record, compare both side by side, choose which to keep, merge."""
    record = visible_record(request, public_id)
    if not permissions.can_merge_beneficiaries(request.user, record):
        raise PermissionDenied
    manageable = manageable_beneficiaries(request.user).filter(
        organization_id=record.organization_id
    )
    other_id = request.POST.get("other") or request.GET.get("avec")
    if not other_id:
        query = request.GET.get("q", "").strip()
        if query:
            candidates = list(
                manageable.exclude(pk=record.pk)
                .filter(Q(name__icontains=query) | Q(email__icontains=query))
                .order_by("name", "pk")[:CANDIDATES]
            )
        else:
            candidates = find_likely_duplicates(
                organization=record.organization,
                name=record.name,
                email=record.email,
                postal_code=record.postal_code,
                exclude=record,
            )
        return render(
            request,
            "beneficiaires/beneficiary_merge.html",
            {"beneficiary": record, "candidates": candidates, "query": query, "pair": None},
        )
    try:
        other_uuid = uuid.UUID(str(other_id))
    except ValueError:
        other_uuid = None
    first = get_object_or_404(_with_counts(manageable), pk=record.pk)
    second = get_object_or_404(_with_counts(manageable.exclude(pk=record.pk)), public_id=other_uuid)
    form = MergeForm(request.POST or None, first=first, second=second)
    if request.method == "POST" and form.is_valid():
        keep, remove = form.pair()
        try:
            services.beneficiary_merge(keep=keep, remove=remove, acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("“%(removed)s” was merged into “%(kept)s”.")
                % {"removed": remove.name, "kept": keep.name},
            )
            return redirect("beneficiaires:detail", keep.public_id)
    rows = [
        (
            Beneficiary._meta.get_field(name).verbose_name,
            _display(first, name),
            _display(second, name),
        )
        for name in COMPARED_FIELDS
    ]
    return render(
        request,
        "beneficiaires/beneficiary_merge.html",
        {
            "beneficiary": record,
            "pair": (first, second),
            "rows": rows,
            "form": form,
            "candidates": [],
            "query": "",
        },
    )

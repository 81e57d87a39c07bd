"""RGPD pages: my data (access, rectification, downloads), erasure, retention, public texts."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_record
from beneficiaires.models import Beneficiary
from privacy import permissions
from privacy.documents import render_personal_data_pdf
from privacy.forms import ContactDetailsForm, EraseForm
from privacy.models import Anonymisation, AnonymisationReason, RetentionNotice
from privacy.selectors import personal_data
from privacy.services import beneficiary_anonymise, contact_details_update, retention_keep


def _own_record(request: HttpRequest) -> Beneficiary:
    beneficiary = permissions.own_record(request.user)
    if beneficiary is None:
        raise PermissionDenied
    return beneficiary


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    beneficiary = _own_record(request)
    form = ContactDetailsForm(request.POST or None, instance=beneficiary)
    if request.method == "POST" and form.is_valid():
        contact_details_update(
            beneficiary=beneficiary,
            acting_user=request.user,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("Your contact details are corrected."))
        return redirect("privacy:my_data")
    if request.method == "POST":
        # The form changed the instance while validating: show the record as stored.
        beneficiary.refresh_from_db()
    return render(
        request,
        "privacy/my_data.html",
        {"beneficiary": beneficiary, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _export(request: HttpRequest, kind: str) -> tuple[Beneficiary, dict]:
    beneficiary = _own_record(request)
    with transaction.atomic():
        data = personal_data(beneficiary)
        audit_record(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            obj=beneficiary,
            summary=_("personal data export (%(format)s)") % {"format": kind},
            organization_id=beneficiary.organization_id,
        )
    return beneficiary, data


def _filename(extension: str) -> str:
    return f"mes-donnees-{timezone.localdate().isoformat()}.{extension}"


@never_cache
@login_required
def my_data_json(request: HttpRequest) -> HttpResponse:
    _beneficiary, data = _export(request, "json")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


@never_cache
@login_required
def my_data_pdf(request: HttpRequest) -> HttpResponse:
    _beneficiary, data = _export(request, "pdf")
    response = HttpResponse(render_personal_data_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    return response


@never_cache
@login_required
def erase(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).select_related("organization"),
        public_id=public_id,
    )
    if not permissions.can_erase_beneficiary(request.user, beneficiary):
        raise PermissionDenied
    done = Anonymisation.objects.filter(beneficiary=beneficiary).first()
    form = EraseForm(request.POST or None)
    if request.method == "POST" and done is None and form.is_valid():
        try:
            beneficiary_anonymise(
                beneficiary=beneficiary,
                acting_user=request.user,
                reason=AnonymisationReason.REQUEST,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The personal data of this record are erased."))
            return redirect("beneficiaires:detail", beneficiary.public_id)
    return render(
        request,
        "privacy/erase.html",
        {"beneficiary": beneficiary, "form": form, "done": done},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def retention(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_retention(request.user):
        raise PermissionDenied
    notices = (
        RetentionNotice.objects.visible_to(request.user)
        .pending()
        .select_related("beneficiary__organization")
    )
    return render(request, "privacy/retention.html", {"notices": notices})


@login_required
@require_POST
def retention_keep_view(request: HttpRequest, public_id) -> HttpResponse:
    notice = get_object_or_404(
        RetentionNotice.objects.visible_to(request.user).pending().select_related("beneficiary"),
        beneficiary__public_id=public_id,
    )
    retention_keep(notice=notice, acting_user=request.user)
    messages.success(
        request, _("%(name)s is kept: the notice is cancelled.") % {"name": notice.beneficiary}
    )
    return redirect("privacy:retention")


def privacy_policy(request: HttpRequest) -> HttpResponse:
    months = getattr(settings, "RETENTION_INACTIVE_MONTHS", 24)
    return render(request, "privacy/privacy.html", {"retention_months": months})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/accessibility.html")

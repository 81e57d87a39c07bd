"""One record: its page, create and edit, contact log and consents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_change, audit_read, audit_record
from beneficiaires import permissions, services
from beneficiaires.enums import ConsentPurpose, OutreachStage, Priority
from beneficiaires.forms import BeneficiaryForm, ConsentForm, ContactLogForm
from beneficiaires.models import Enrollment
from beneficiaires.selectors import find_likely_duplicates
from beneficiaires.views.common import visible_record
from core.http import add_service_errors


def _detail(request, beneficiary, *, contact_form=None, consent_form=None, status=200):
    user = request.user
    enrollments = (
        Enrollment.objects.visible_to(user)
        .filter(beneficiary=beneficiary)
        .select_related("offer__programme", "referent_mentor")
        .order_by("-started_on", "pk")
    )
    consents = beneficiary.consents.select_related("recorded_by").order_by("-given_at", "-pk")
    can_view_outreach = permissions.can_view_outreach(user, beneficiary)
    can_log = permissions.can_log_contact(user, beneficiary)
    can_consent = permissions.can_record_consent(user, beneficiary)
    beneficiary.can_move = permissions.can_change_beneficiary_stage(user, beneficiary)
    beneficiary.can_prioritise = permissions.can_set_beneficiary_priority(user, beneficiary)
    can_merge = permissions.can_merge_beneficiaries(user, beneficiary)
    context = {
        "beneficiary": beneficiary,
        "enrollments": enrollments,
        "consents": consents,
        "can_manage": permissions.can_manage_beneficiary(user, beneficiary),
        "can_edit": permissions.can_edit_beneficiary(user, beneficiary),
        "can_merge": can_merge,
        "duplicates": (
            find_likely_duplicates(
                organization=beneficiary.organization,
                name=beneficiary.name,
                email=beneficiary.email,
                postal_code=beneficiary.postal_code,
                exclude=beneficiary,
            )
            if can_merge
            else []
        ),
        "can_view_outreach": can_view_outreach,
        # The mentor who follows the person enters questionnaires answered by phone.
        "can_enter_evaluation": permissions.is_active_referent(user, beneficiary),
        "can_log": can_log,
        "can_consent": can_consent,
        "contact_logs": (
            beneficiary.contact_logs.select_related("author").order_by("-contacted_at", "-pk")
            if can_view_outreach
            else []
        ),
        "merges": (
            beneficiary.merges.select_related("merged_by").order_by("-merged_at")
            if can_view_outreach
            else []
        ),
        "contact_form": (contact_form or ContactLogForm()) if can_log else None,
        "consent_form": (consent_form or ConsentForm()) if can_consent else None,
        "stages": OutreachStage.choices,
        "priorities": Priority.choices,
        "next": request.path,
    }
    return render(request, "beneficiaires/beneficiary_detail.html", context, status=status)


@login_required
def beneficiary_detail(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = visible_record(request, public_id)
    # Journaled when someone other than the person reads their record.
    if beneficiary.user_id != request.user.pk:
        audit_read(
            actor=request.user,
            obj=beneficiary,
            summary=_("beneficiary record read"),
            organization_id=beneficiary.organization_id,
        )
    return _detail(request, beneficiary)


@login_required
def beneficiary_create(request: HttpRequest) -> HttpResponse:
    """New record; likely duplicates are shown before anything is saved."""
    if not permissions.can_create_beneficiary(request.user):
        raise PermissionDenied
    form = BeneficiaryForm(request.POST or None, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        organization = form.target_organization()
        if not form.cleaned_data.get("create_anyway"):
            duplicates = find_likely_duplicates(
                organization=organization,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                postal_code=form.cleaned_data["postal_code"],
            )
        if not duplicates:
            try:
                with transaction.atomic():
                    beneficiary = services.beneficiary_create(
                        organization=organization,
                        acting_user=request.user,
                        **form.record_fields(),
                    )
                    audit_record(
                        actor=request.user,
                        action=AuditAction.CREATE,
                        obj=beneficiary,
                        summary=_("beneficiary record created"),
                        organization_id=beneficiary.organization_id,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The record was created."))
                return redirect("beneficiaires:detail", beneficiary.public_id)
    return render(
        request,
        "beneficiaires/beneficiary_form.html",
        {"form": form, "duplicates": duplicates, "creating": True},
    )


@login_required
def beneficiary_edit(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = visible_record(request, public_id)
    if not permissions.can_edit_beneficiary(request.user, beneficiary):
        raise PermissionDenied
    form = BeneficiaryForm(request.POST or None, instance=beneficiary, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.beneficiary_update(
                    beneficiary=beneficiary, acting_user=request.user, **form.record_fields()
                )
                audit_change(
                    actor=request.user,
                    obj=beneficiary,
                    fields=[name for name in form.changed_data if name in form.Meta.fields],
                    organization_id=beneficiary.organization_id,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("beneficiaires:detail", beneficiary.public_id)
    return render(
        request,
        "beneficiaires/beneficiary_form.html",
        {"form": form, "beneficiary": beneficiary, "duplicates": [], "creating": False},
    )


@login_required
@require_POST
def contact_log_add(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = visible_record(request, public_id)
    if not permissions.can_log_contact(request.user, beneficiary):
        raise PermissionDenied
    form = ContactLogForm(request.POST)
    if form.is_valid():
        was = beneficiary.stage
        try:
            services.contact_log_add(
                beneficiary=beneficiary, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact was added to the log."))
            if beneficiary.stage != was:
                messages.info(
                    request,
                    _("First contact: the stage is now “%(stage)s”.")
                    % {"stage": beneficiary.get_stage_display()},
                )
            return redirect("beneficiaires:detail", beneficiary.public_id)
    return _detail(request, beneficiary, contact_form=form)


@login_required
@require_POST
def consent_add(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = visible_record(request, public_id)
    if not permissions.can_record_consent(request.user, beneficiary):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(
                beneficiary=beneficiary,
                purpose=form.cleaned_data["purpose"],
                given_at=form.given_at(),
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("beneficiaires:detail", beneficiary.public_id)
    return _detail(request, beneficiary, consent_form=form)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, public_id, purpose: str) -> HttpResponse:
    beneficiary = visible_record(request, public_id)
    if not permissions.can_record_consent(request.user, beneficiary):
        raise PermissionDenied
    if purpose not in ConsentPurpose.values:
        return redirect("beneficiaires:detail", beneficiary.public_id)
    try:
        services.consent_withdraw(
            beneficiary=beneficiary, purpose=purpose, acting_user=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The consent was withdrawn."))
    return redirect("beneficiaires:detail", beneficiary.public_id)

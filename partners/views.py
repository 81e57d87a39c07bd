from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Organization
from beneficiaires.models import Beneficiary
from core.http import add_service_errors, paginate, safe_next_url
from partners import selectors, services
from partners.enums import UNANSWERED_AFTER_DAYS
from partners.filters import PartnerFilter, ReferralFilter
from partners.forms import PartnerForm, ReferralAnswerForm, ReferralForm
from partners.models import Referral
from partners.permissions import (
    can_answer_referral,
    can_create_partner,
    can_create_referral,
    can_edit_partner,
    can_list_partners,
    can_list_referrals,
)
from programmes.models import Offer, Programme, Theme

PAGE_SIZE = 20
# The partner page shows the latest referrals; the referrals list holds them all.
DETAIL_REFERRALS = 10


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    """The network's partner directory, shared by every coordinator and mentor."""
    if not can_list_partners(request.user):
        raise PermissionDenied
    filterset = PartnerFilter(
        request.GET, queryset=selectors.partner_directory(), user=request.user
    )
    pagination = paginate(request, filterset.qs, PAGE_SIZE)
    page = pagination["page"]
    for partner in page.object_list:
        partner.theme_names = selectors.theme_names(partner.partner_themes.all())
    return render(
        request,
        "partners/partner_list.html",
        {
            "filter": filterset,
            **pagination,
            "can_create": can_create_partner(request.user),
        },
    )


@login_required
def partner_detail(request: HttpRequest, public_id) -> HttpResponse:
    if not can_list_partners(request.user):
        raise PermissionDenied
    partner = get_object_or_404(
        Organization.objects.partners()
        .select_related("steward")
        .prefetch_related(
            Prefetch(
                "partner_themes",
                queryset=Theme.objects.select_related("organization").order_by("name", "pk"),
            )
        ),
        public_id=public_id,
    )
    user = request.user
    programmes = (
        Programme.objects.visible_to(user)
        .filter(partner_organizations=partner)
        .select_related("organization")
        .order_by("-start_date", "title", "pk")
    )
    offers = (
        Offer.objects.visible_to(user)
        .filter(partner_organization=partner)
        .select_related("programme")
        .order_by("programme__title", "title", "pk")
    )
    referrals = Referral.objects.visible_to(user).filter(partner=partner)
    latest_referrals = list(
        referrals.select_related("beneficiary", "partner", "programme").order_by("-sent_on", "-pk")[
            :DETAIL_REFERRALS
        ]
    )
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "theme_names": selectors.theme_names(partner.partner_themes.all()),
            "programmes": programmes,
            "offers": offers,
            "referrals": latest_referrals,
            "referral_count": referrals.count() if latest_referrals else 0,
            "can_edit": can_edit_partner(user, partner),
        },
    )


@login_required
def partner_create(request: HttpRequest) -> HttpResponse:
    if not can_create_partner(request.user):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(**form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partner was added to the directory."))
            return redirect("partners:detail", public_id=partner.public_id)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


@login_required
def partner_edit(request: HttpRequest, public_id) -> HttpResponse:
    if not can_list_partners(request.user):
        raise PermissionDenied
    partner = get_object_or_404(Organization.objects.partners(), public_id=public_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, instance=partner, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(partner=partner, **form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partner's entry was updated."))
            return redirect("partners:detail", public_id=partner.public_id)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals the person may see; those waiting for an answer stand out."""
    if not can_list_referrals(request.user):
        raise PermissionDenied
    visible = Referral.objects.visible_to(request.user)
    queryset = visible.select_related("beneficiary", "partner", "programme").order_by(
        "-sent_on", "-pk"
    )
    filterset = ReferralFilter(request.GET, queryset=queryset)
    pagination = paginate(request, filterset.qs, PAGE_SIZE)
    return render(
        request,
        "partners/referral_list.html",
        {
            "filter": filterset,
            **pagination,
            "unanswered_count": visible.unanswered().count(),
            "unanswered_after_days": UNANSWERED_AFTER_DAYS,
        },
    )


@login_required
def referral_create(request: HttpRequest, public_id) -> HttpResponse:
    if not can_list_referrals(request.user):
        raise PermissionDenied
    beneficiary = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).select_related("organization"),
        public_id=public_id,
    )
    if not can_create_referral(request.user, beneficiary):
        raise PermissionDenied
    form = ReferralForm(request.POST or None, user=request.user, beneficiary=beneficiary)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                beneficiary=beneficiary, **form.cleaned_data, acting_user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral was recorded."))
            return redirect("beneficiaires:detail", public_id=beneficiary.public_id)
    return render(
        request,
        "partners/referral_form.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "unanswered_after_days": UNANSWERED_AFTER_DAYS,
        },
    )


@login_required
def referral_update(request: HttpRequest, public_id) -> HttpResponse:
    """Record the partner's answer to a referral."""
    if not can_list_referrals(request.user):
        raise PermissionDenied
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "beneficiary", "partner", "programme", "referring_organization", "created_by"
        ),
        public_id=public_id,
    )
    if not can_answer_referral(request.user, referral):
        raise PermissionDenied
    next_url = safe_next_url(request, reverse("partners:referrals"))
    form = ReferralAnswerForm(request.POST or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_record_answer(
                referral=referral, **form.cleaned_data, acting_user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partner's answer was recorded."))
            return redirect(next_url)
    return render(
        request,
        "partners/referral_answer_form.html",
        {"form": form, "referral": referral, "next_url": next_url},
    )

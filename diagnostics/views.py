from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beneficiaires.models import Beneficiary
from diagnostics.enums import DiagnosticStatus
from diagnostics.forms import (
    DiagnosticForm,
    EnrollForm,
    ExpectationsForm,
    InvitationForm,
    NeedsByThemeForm,
)
from diagnostics.models import NeedsDiagnostic
from diagnostics.permissions import (
    can_create_diagnostic,
    can_edit_diagnostic,
    can_enroll_from_diagnostic,
    can_view_diagnostic,
)
from diagnostics.selectors import (
    PRIORITY_WEIGHTS,
    recommend_offers,
    suggest_mentors,
    suggest_mentors_for_offers,
)
from diagnostics.services import (
    InvitationUnavailable,
    diagnostic_complete,
    diagnostic_create,
    diagnostic_enroll,
    diagnostic_invite,
    diagnostic_update,
    invitation_for_token,
    questionnaire_answer,
    questionnaire_host_name,
    questionnaire_url,
)
from programmes.models import Offer, Theme

# Mentors offered as radio buttons per recommended offer.
SUGGESTIONS_SHOWN = 5


def _visible_diagnostic(request: HttpRequest, public_id) -> NeedsDiagnostic:
    diagnostic = get_object_or_404(
        NeedsDiagnostic.objects.visible_to(request.user).select_related(
            "beneficiary__organization", "beneficiary__programme", "conducted_by"
        ),
        public_id=public_id,
    )
    if not can_view_diagnostic(request.user, diagnostic):
        raise PermissionDenied
    return diagnostic


def _themes_for(beneficiary: Beneficiary, needs=()) -> list[Theme]:
    """The structure's active themes, plus retired ones a need still uses."""
    return list(
        Theme.objects.filter(organization_id=beneficiary.organization_id)
        .filter(Q(is_active=True) | Q(id__in=[need.theme_id for need in needs]))
        .order_by("name")
    )


def _diagnostic_fields(form: DiagnosticForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@login_required
def diagnostic_create_view(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).select_related("organization"),
        public_id=public_id,
    )
    if not can_create_diagnostic(request.user, beneficiary):
        raise PermissionDenied
    themes = _themes_for(beneficiary)
    data = request.POST if request.method == "POST" else None
    form = DiagnosticForm(data, beneficiary=beneficiary, acting_user=request.user)
    needs_form = NeedsByThemeForm(data, themes=themes)
    if data is not None and form.is_valid() and needs_form.is_valid():
        try:
            diagnostic = diagnostic_create(
                beneficiary=beneficiary,
                needs=needs_form.needs(),
                acting_user=request.user,
                **_diagnostic_fields(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The diagnostic is recorded."))
            return redirect("diagnostics:detail", diagnostic.public_id)
    return render(
        request,
        "diagnostics/diagnostic_form.html",
        {"beneficiary": beneficiary, "diagnostic": None, "form": form, "needs_form": needs_form},
    )


@login_required
def diagnostic_edit_view(request: HttpRequest, public_id) -> HttpResponse:
    diagnostic = _visible_diagnostic(request, public_id)
    if not can_edit_diagnostic(request.user, diagnostic):
        raise PermissionDenied
    beneficiary = diagnostic.beneficiary
    needs = list(diagnostic.needs.all())
    themes = _themes_for(beneficiary, needs)
    data = request.POST if request.method == "POST" else None
    form = DiagnosticForm(
        data, instance=diagnostic, beneficiary=beneficiary, acting_user=request.user
    )
    needs_form = NeedsByThemeForm(data, themes=themes, needs=needs)
    if data is not None and form.is_valid() and needs_form.is_valid():
        try:
            diagnostic_update(
                diagnostic=diagnostic,
                needs=needs_form.needs(),
                acting_user=request.user,
                **_diagnostic_fields(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The diagnostic is saved."))
            return redirect("diagnostics:detail", diagnostic.public_id)
    return render(
        request,
        "diagnostics/diagnostic_form.html",
        {
            "beneficiary": beneficiary,
            "diagnostic": diagnostic,
            "form": form,
            "needs_form": needs_form,
        },
    )


@login_required
def diagnostic_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    diagnostic = _visible_diagnostic(request, public_id)
    beneficiary = diagnostic.beneficiary
    needs = list(diagnostic.needs.select_related("theme").order_by("priority", "theme__name"))
    can_enroll = can_enroll_from_diagnostic(request.user, diagnostic)
    weights = {need.theme_id: PRIORITY_WEIGHTS.get(need.priority, 1) for need in needs}
    recommendations = recommend_offers(diagnostic, weights=weights)
    if can_enroll and recommendations:
        suggestions = suggest_mentors_for_offers(
            beneficiary=beneficiary,
            offers=[r.offer for r in recommendations],
            weights=weights,
        )
        for recommendation in recommendations:
            recommendation.suggestions = suggestions[recommendation.offer.pk][:SUGGESTIONS_SHOWN]
    return render(
        request,
        "diagnostics/diagnostic_detail.html",
        {
            "diagnostic": diagnostic,
            "beneficiary": beneficiary,
            "needs": needs,
            "invitations": diagnostic.invitations.select_related("created_by").order_by(
                "-created_at"
            ),
            "recommendations": recommendations,
            "can_edit": can_edit_diagnostic(request.user, diagnostic),
            "can_enroll": can_enroll,
            "invitation_form": InvitationForm(initial={"email": beneficiary.email}),
            "is_draft": diagnostic.status == DiagnosticStatus.DRAFT,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def diagnostic_complete_view(request: HttpRequest, public_id) -> HttpResponse:
    diagnostic = _visible_diagnostic(request, public_id)
    if not can_edit_diagnostic(request.user, diagnostic):
        raise PermissionDenied
    try:
        diagnostic_complete(diagnostic=diagnostic, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The diagnostic is completed."))
    return redirect("diagnostics:detail", diagnostic.public_id)


@login_required
@require_POST
def diagnostic_invite_view(request: HttpRequest, public_id) -> HttpResponse:
    diagnostic = _visible_diagnostic(request, public_id)
    if not can_edit_diagnostic(request.user, diagnostic):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["email"]))
        return redirect("diagnostics:detail", diagnostic.public_id)
    invitation, raw_token = diagnostic_invite(
        diagnostic=diagnostic, email=form.cleaned_data["email"], acting_user=request.user
    )
    # Rendered, not redirected: the raw link exists only in this response.
    return render(
        request,
        "diagnostics/invitation_created.html",
        {
            "diagnostic": diagnostic,
            "beneficiary": diagnostic.beneficiary,
            "invitation": invitation,
            "link": questionnaire_url(raw_token),
        },
    )


@login_required
@require_POST
def diagnostic_enroll_view(request: HttpRequest, public_id) -> HttpResponse:
    diagnostic = _visible_diagnostic(request, public_id)
    if not can_enroll_from_diagnostic(request.user, diagnostic):
        raise PermissionDenied
    beneficiary = diagnostic.beneficiary
    back = redirect("diagnostics:detail", diagnostic.public_id)
    form = EnrollForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an offer and a mentor."))
        return back
    offer = get_object_or_404(
        Offer.objects.visible_to(request.user).select_related("programme"),
        public_id=form.cleaned_data["offer"],
    )
    mentor = None
    if form.cleaned_data["mentor"]:
        candidates = {
            s.mentor.public_id: s.mentor
            for s in suggest_mentors(beneficiary=beneficiary, offer=offer, diagnostic=diagnostic)
        }
        mentor = candidates.get(form.cleaned_data["mentor"])
        if mentor is None:
            messages.error(request, _("Choose one of the suggested mentors."))
            return back
    try:
        diagnostic_enroll(
            diagnostic=diagnostic, offer=offer, referent_mentor=mentor, acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    if mentor is None:
        text = _("%(name)s is enrolled in “%(offer)s”.") % {
            "name": beneficiary.name,
            "offer": offer.title,
        }
    else:
        text = _("%(name)s is enrolled in “%(offer)s”, followed by %(mentor)s.") % {
            "name": beneficiary.name,
            "offer": offer.title,
            "mentor": mentor,
        }
    messages.success(request, text)
    return redirect("beneficiaires:detail", beneficiary.public_id)


def _private(response: HttpResponse) -> HttpResponse:
    """The questionnaire link is a credential: keep its pages out of caches and search engines."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    # No "Referrer-Policy: no-referrer" here: browsers would then send "Origin: null" with the
    # form and Django's CSRF check would refuse it. The site-wide same-origin policy already
    # keeps the link from leaking to other sites.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


UNAVAILABLE_STATUS = {"unknown": 404, "answered": 410, "expired": 410}


def questionnaire_view(request: HttpRequest, token: str) -> HttpResponse:
    """The beneficiary's own questionnaire, opened from the secure link, without an account."""
    try:
        invitation = invitation_for_token(token)
    except InvitationUnavailable as unavailable:
        return _unavailable(request, unavailable.reason)
    diagnostic = invitation.diagnostic
    beneficiary = diagnostic.beneficiary
    themes = list(
        Theme.objects.filter(organization_id=beneficiary.organization_id, is_active=True).order_by(
            "name"
        )
    )
    data = request.POST if request.method == "POST" else None
    needs_form = NeedsByThemeForm(data, themes=themes, for_beneficiary=True)
    expectations_form = ExpectationsForm(data)
    context = {
        "host_name": questionnaire_host_name(beneficiary),
        "beneficiary": beneficiary,
        "invitation": invitation,
        "needs_form": needs_form,
        "expectations_form": expectations_form,
    }
    if data is not None and needs_form.is_valid() and expectations_form.is_valid():
        try:
            questionnaire_answer(
                raw_token=token,
                needs=needs_form.needs(),
                expectations=expectations_form.cleaned_data["expectations"],
            )
        except InvitationUnavailable as unavailable:
            return _unavailable(request, unavailable.reason)
        return _private(render(request, "diagnostics/questionnaire_done.html", context))
    return _private(render(request, "diagnostics/questionnaire.html", context))


def _unavailable(request: HttpRequest, reason: str) -> HttpResponse:
    response = render(
        request,
        "diagnostics/questionnaire_unavailable.html",
        {"reason": reason},
        status=UNAVAILABLE_STATUS[reason],
    )
    return _private(response)

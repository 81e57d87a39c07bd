"""What several screens share: the filtered outreach list, the status line, safe redirects."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string

from beneficiaires.filters import BeneficiaryFilter
from beneficiaires.models import Beneficiary
from core.http import safe_next_url


def filtered(request: HttpRequest) -> BeneficiaryFilter:
    """The FilterSet bound to the query string, on the records the user sees."""
    return BeneficiaryFilter(
        request.GET, queryset=Beneficiary.objects.visible_to(request.user), request=request
    )


def visible_record(request: HttpRequest, public_id) -> Beneficiary:
    return get_object_or_404(
        Beneficiary.objects.visible_to(request.user).select_related("organization", "programme"),
        public_id=public_id,
    )


def status_html(message: str, request: HttpRequest, *, error: bool = False) -> str:
    """The aria-live status line, swapped out of band by htmx."""
    return render_to_string(
        "beneficiaires/partials/status.html",
        {"message": message, "error": error, "oob": True},
        request=request,
    )


def redirect_back(request: HttpRequest, fallback: str):
    return redirect(safe_next_url(request, fallback))

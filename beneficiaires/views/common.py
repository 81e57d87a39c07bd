"""What several screens share: the filtered outreach list, the status line, safe redirects."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from beneficiaires.filters import BeneficiaryFilter
from beneficiaires.models import Beneficiary


def filtered(request: HttpRequest) -> BeneficiaryFilter:
    """The FilterSet bound to the query string, on the records the user sees."""
    return BeneficiaryFilter(
        request.GET, queryset=Beneficiary.objects.visible_to(request.user), request=request
    )


def querystring_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


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
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def add_service_error(form, exc) -> None:
    """Show a service's ValidationError on the form: on the field it names, if the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)

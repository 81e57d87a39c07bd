"""What many views share: query strings without some keys, safe `next` targets, pagination,
and a service's refusal shown on a form."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def querystring_without(request: HttpRequest, *names: str) -> str:
    """The current query string less `names` (so links keep the filters, not the page)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def paginate(request: HttpRequest, queryset, per_page: int) -> dict:
    """The requested page and the query string its links keep: the template context of
    templates/layout/partials/pagination.html."""
    page: Page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    return {"page": page, "querystring": querystring_without(request, "page")}


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it points to this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, if the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)

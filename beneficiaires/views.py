from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from beneficiaires.filters import BeneficiaryFilter
from beneficiaires.models import Beneficiary, Enrollment
from beneficiaires.permissions import can_list_beneficiaries, can_manage_beneficiary

PAGE_SIZE = 25


@login_required
def beneficiary_list(request: HttpRequest) -> HttpResponse:
    if not can_list_beneficiaries(request.user):
        raise PermissionDenied
    queryset = (
        Beneficiary.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("name", "pk")
    )
    filterset = BeneficiaryFilter(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "beneficiaires/beneficiary_list.html",
        {"filter": filterset, "page": page, "querystring": querystring.urlencode()},
    )


@login_required
def beneficiary_detail(request: HttpRequest, public_id) -> HttpResponse:
    beneficiary = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).select_related("organization", "user"),
        public_id=public_id,
    )
    enrollments = (
        Enrollment.objects.visible_to(request.user)
        .filter(beneficiary=beneficiary)
        .select_related("offer__programme", "referent_mentor")
    )
    consents = beneficiary.consents.select_related("recorded_by")
    return render(
        request,
        "beneficiaires/beneficiary_detail.html",
        {
            "beneficiary": beneficiary,
            "enrollments": enrollments,
            "consents": consents,
            "can_manage": can_manage_beneficiary(request.user, beneficiary),
        },
    )

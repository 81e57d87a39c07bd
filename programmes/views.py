from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from beneficiaires.enums import EnrollmentStatus
from beneficiaires.models import Enrollment
from programmes.filters import ProgrammeFilter
from programmes.models import Offer, Programme
from programmes.permissions import can_list_programmes, can_manage_programme

PAGE_SIZE = 20


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    if not can_list_programmes(request.user):
        raise PermissionDenied
    queryset = (
        Programme.objects.visible_to(request.user)
        .select_related("organization")
        .annotate(offer_count=Count("offers", distinct=True))
        .order_by("-start_date", "title", "pk")
    )
    filterset = ProgrammeFilter(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "programmes/programme_list.html",
        {"filter": filterset, "page": page, "querystring": querystring.urlencode()},
    )


@login_required
def programme_detail(request: HttpRequest, public_id) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user)
        .select_related("organization")
        .prefetch_related(
            "coordinators",
            "partner_organizations",
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("partner_organization")
                .prefetch_related("mentors")
                .order_by("kind", "title"),
            ),
        ),
        public_id=public_id,
    )
    can_manage = can_manage_programme(request.user, programme)
    status_counts = []
    if can_manage:
        counts = dict(
            Enrollment.objects.filter(offer__programme=programme)
            .values_list("status")
            .annotate(n=Count("id"))
        )
        status_counts = [(label, counts.get(value, 0)) for value, label in EnrollmentStatus.choices]
    mentors = sorted({m for offer in programme.offers.all() for m in offer.mentors.all()}, key=str)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "can_manage": can_manage,
            "status_counts": status_counts,
            "mentors": mentors,
        },
    )

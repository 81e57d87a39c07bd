import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.enums import Role
from beneficiaires.enums import EnrollmentStatus
from beneficiaires.models import Enrollment
from core.http import add_service_errors, paginate
from programmes import services
from programmes.enums import ProgrammeStatus
from programmes.filters import ProgrammeFilter, ThemeFilter
from programmes.forms import OfferForm, ProgrammeDuplicateForm, ProgrammeForm, ThemeForm
from programmes.models import Offer, Programme, Theme
from programmes.permissions import (
    can_create_programme,
    can_list_programmes,
    can_list_themes,
    can_manage_programme,
)

PAGE_SIZE = 20
THEME_PAGE_SIZE = 50


def _managed_programme(request: HttpRequest, public_id) -> Programme:
    """A programme the user may see (else 404) and run (else 403)."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("organization"),
        public_id=public_id,
    )
    if not can_manage_programme(request.user, programme):
        raise PermissionDenied
    return programme


# Programmes


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
    pagination = paginate(request, filterset.qs, PAGE_SIZE)
    return render(
        request,
        "programmes/programme_list.html",
        {
            "filter": filterset,
            **pagination,
            "can_create": can_create_programme(request.user),
        },
    )


@login_required
def programme_detail(request: HttpRequest, public_id) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user)
        .select_related("organization", "duplicated_from")
        .prefetch_related(
            "coordinators",
            "partner_organizations",
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("partner_organization")
                .prefetch_related("mentors", "themes")
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
            "can_open": can_manage and programme.status != ProgrammeStatus.OPEN,
            "can_close": can_manage and programme.status == ProgrammeStatus.OPEN,
            "can_add_offer": can_manage and programme.status != ProgrammeStatus.CLOSED,
            "status_counts": status_counts,
            "mentors": mentors,
        },
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    if not can_create_programme(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(**form.service_kwargs(), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Programme created as a draft: add its offers, then open it.")
            )
            return redirect("programmes:detail", public_id=programme.public_id)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": None})


@login_required
def programme_edit(request: HttpRequest, public_id) -> HttpResponse:
    programme = _managed_programme(request, public_id)
    # The form works on a copy: a refused edit must not show as saved in the page's title.
    form = ProgrammeForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(programme),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                programme=programme, **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("programmes:detail", public_id=programme.public_id)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


def _change_status(request: HttpRequest, public_id, service, success: str) -> HttpResponse:
    programme = _managed_programme(request, public_id)
    try:
        service(programme=programme, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("programmes:detail", public_id=programme.public_id)


@login_required
@require_POST
def programme_open(request: HttpRequest, public_id) -> HttpResponse:
    return _change_status(
        request,
        public_id,
        services.programme_open,
        _("The programme is open: beneficiaries can be enrolled in its offers."),
    )


@login_required
@require_POST
def programme_close(request: HttpRequest, public_id) -> HttpResponse:
    return _change_status(
        request,
        public_id,
        services.programme_close,
        _("The programme is closed: current enrollments go on, no new one is possible."),
    )


@login_required
def programme_duplicate(request: HttpRequest, public_id) -> HttpResponse:
    programme = _managed_programme(request, public_id)
    form = ProgrammeDuplicateForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            duplicate = services.programme_duplicate(
                programme=programme, **form.cleaned_data, acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft copy created with its offers. Check them, then open the programme."),
            )
            return redirect("programmes:detail", public_id=duplicate.public_id)
    offers = programme.offers.order_by("kind", "title")
    return render(
        request,
        "programmes/programme_duplicate.html",
        {"form": form, "programme": programme, "offers": offers},
    )


# Offers


@login_required
def offer_create(request: HttpRequest, public_id) -> HttpResponse:
    programme = _managed_programme(request, public_id)
    if programme.status == ProgrammeStatus.CLOSED:
        messages.error(request, _("This programme is closed: reopen it to add an offer."))
        return redirect("programmes:detail", public_id=programme.public_id)
    form = OfferForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create(
                programme=programme, **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Offer added."))
            return redirect("programmes:detail", public_id=programme.public_id)
    return render(
        request,
        "programmes/offer_form.html",
        {"form": form, "programme": programme, "offer": None},
    )


@login_required
def offer_edit(request: HttpRequest, public_id, offer_id) -> HttpResponse:
    programme = _managed_programme(request, public_id)
    offer = get_object_or_404(programme.offers.all(), public_id=offer_id)
    offer.programme = programme
    form = OfferForm(request.POST or None, instance=copy.copy(offer), programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(offer=offer, **form.service_kwargs(), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Offer saved."))
            return redirect("programmes:detail", public_id=programme.public_id)
    return render(
        request,
        "programmes/offer_form.html",
        {"form": form, "programme": programme, "offer": offer},
    )


# Themes


def _managed_themes(user):
    """Themes of the structures the user coordinates (all of them for an administrator)."""
    if user.is_superuser:
        return Theme.objects.all()
    return Theme.objects.filter(
        organization_id__in=user.organization_ids_with_role(Role.COORDINATOR)
    )


@login_required
def theme_list(request: HttpRequest) -> HttpResponse:
    if not can_list_themes(request.user):
        raise PermissionDenied
    queryset = (
        _managed_themes(request.user)
        .select_related("organization")
        .prefetch_related("mentors", "partners")
        .annotate(offer_count=Count("offers", distinct=True))
        .order_by("organization__name", "name", "pk")
    )
    filterset = ThemeFilter(request.GET, queryset=queryset)
    pagination = paginate(request, filterset.qs, THEME_PAGE_SIZE)
    several_organizations = request.user.is_superuser or (
        len(request.user.organization_ids_with_role(Role.COORDINATOR)) > 1
    )
    return render(
        request,
        "programmes/theme_list.html",
        {
            "filter": filterset,
            **pagination,
            "several_organizations": several_organizations,
        },
    )


@login_required
def theme_create(request: HttpRequest) -> HttpResponse:
    if not can_list_themes(request.user):
        raise PermissionDenied
    form = ThemeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_create(**form.service_kwargs(), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Theme added."))
            return redirect("programmes:themes")
    return render(request, "programmes/theme_form.html", {"form": form, "theme": None})


@login_required
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_list_themes(request.user):
        raise PermissionDenied
    theme = get_object_or_404(_managed_themes(request.user).select_related("organization"), pk=pk)
    form = ThemeForm(request.POST or None, instance=copy.copy(theme), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, **form.service_kwargs(), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Theme saved."))
            return redirect("programmes:themes")
    return render(request, "programmes/theme_form.html", {"form": form, "theme": theme})

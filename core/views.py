from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Organization
from core import selectors
from programmes.models import Programme
from programmes.permissions import can_manage_programme


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One address, one home per role: coordinator, then mentor, then beneficiary."""
    user = request.user
    if user.is_coordinator or user.is_superuser:
        return render(request, "core/home_coordinator.html", selectors.coordinator_home(user))
    if user.is_mentor:
        return render(request, "core/home_mentor.html", selectors.mentor_home(user))
    if user.is_beneficiary:
        return render(request, "core/home_beneficiary.html", selectors.beneficiary_home(user))
    partner_structures = Organization.objects.partners().filter(
        memberships__user=user, memberships__is_active=True
    )
    return render(
        request, "core/home_no_role.html", {"partner_structures": list(partner_structures)}
    )


@login_required
def programme_dashboard(request: HttpRequest, public_id) -> HttpResponse:
    """A programme's pilotage page, for the coordinators who run it."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("organization"),
        public_id=public_id,
    )
    if not can_manage_programme(request.user, programme):
        raise PermissionDenied
    context = selectors.programme_dashboard(programme, request.user)
    return render(request, "core/programme_dashboard.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

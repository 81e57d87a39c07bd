from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import selectors


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
    return render(request, "core/home_no_role.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

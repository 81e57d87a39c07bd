"""Private calendar feeds: the ICS a calendar app subscribes to, and the page to manage it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.rules import can
from seances.ics import feed_ics
from seances.links import calendar_feed_for, calendar_feed_rotate
from seances.models import CalendarFeed


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no login (calendar apps have none), the secret token is the key."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    response = HttpResponse(feed_ics(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="accompagnement.ics"'
    # The URL is a secret: no shared cache keeps the answer, no search engine lists it.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Show the person's feed URL with instructions; POST revokes it and makes a new one."""
    user = request.user
    if not can(user, "calendar.subscribe"):
        raise PermissionDenied
    if request.method == "POST":
        calendar_feed_rotate(user=user)
        messages.success(
            request,
            _("Your old calendar link no longer works. Add the new one to your calendar apps."),
        )
        return redirect("seances:calendar_settings")
    feed = calendar_feed_for(user)
    feed_url = settings.SITE_URL.rstrip("/") + reverse("seances:calendar_feed", args=[feed.token])
    webcal_url = "webcal://" + feed_url.split("://", 1)[-1]
    response = render(
        request,
        "seances/calendar_settings.html",
        {"feed": feed, "feed_url": feed_url, "webcal_url": webcal_url},
    )
    response["Cache-Control"] = "private, no-store"
    return response

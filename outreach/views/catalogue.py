"""The public catalogue (issue 8, items 1 and 5): no login. Published open programmes, their
public page, open events and the registration of people without an account."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import add_service_errors, paginate
from outreach.antispam import rate_limited
from outreach.filters import CatalogueFilter
from outreach.forms_catalogue import EventRegistrationForm
from outreach.selectors_catalogue import (
    catalogue_programme,
    open_events,
    programme_sessions,
    published_programmes,
    seats_left,
)
from outreach.services.catalogue import event_is_open, open_event_register
from programmes.enums import Audience
from seances.enums import RegistrationStatus
from seances.models import Registration
from seances.services.groups import waitlist_position

PAGE_SIZE = 12
# A programme's page lists the next group sessions, not a whole year of them (phones).
SESSIONS_SHOWN = 6
# Registrations from one address: enough for a family or a shared computer, not for a bot.
REGISTER_LIMIT = 20
REGISTER_WINDOW_SECONDS = 3600
AUDIENCE_LABELS = dict(Audience.choices)


def _audience_labels(programme) -> list[str]:
    return [str(AUDIENCE_LABELS[a]) for a in programme.audiences or [] if a in AUDIENCE_LABELS]


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    queryset = published_programmes().select_related("organization").order_by("title", "pk")
    filterset = CatalogueFilter(request.GET, queryset=queryset)
    pagination = paginate(request, filterset.qs, PAGE_SIZE)
    for programme in pagination["page"]:
        programme.audience_labels = _audience_labels(programme)
    return render(
        request,
        "outreach/catalogue/list.html",
        {
            "filter": filterset,
            **pagination,
            "count": pagination["page"].paginator.count,
            "filtered": any(request.GET.get(name) for name in filterset.filters),
        },
    )


@require_GET
def catalogue_programme_page(request: HttpRequest, slug: str) -> HttpResponse:
    programme = catalogue_programme(slug)
    if programme is None:
        raise Http404
    sessions = programme_sessions(programme)
    group_sessions = [s for s in sessions if not s.is_open_event]
    return render(
        request,
        "outreach/catalogue/programme.html",
        {
            "programme": programme,
            "audience_labels": _audience_labels(programme),
            "sessions": group_sessions[:SESSIONS_SHOWN],
            "more_sessions": max(len(group_sessions) - SESSIONS_SHOWN, 0),
            "events": [s for s in sessions if s.is_open_event],
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


def _open_event(public_id):
    """An open event of a published open programme (cancelled or past: 404)."""
    session = get_object_or_404(open_events(), public_id=public_id)
    session.seats_left = seats_left(session)
    session.is_full = session.seats_left == 0
    return session


@require_http_methods(["GET", "HEAD"])
def catalogue_event(request: HttpRequest, public_id) -> HttpResponse:
    session = _open_event(public_id)
    return _event_page(request, session, EventRegistrationForm())


def _event_page(request, session, form, status=200) -> HttpResponse:
    form.helper.form_action = reverse(
        "outreach:catalogue_event_register", kwargs={"public_id": session.public_id}
    )
    return render(
        request,
        "outreach/catalogue/event.html",
        {
            "session": session,
            "programme": session.offer.programme,
            "form": form,
            "canonical_url": request.build_absolute_uri(request.path),
        },
        status=status,
    )


@require_http_methods(["POST"])
def catalogue_event_register(request: HttpRequest, public_id) -> HttpResponse:
    session = _open_event(public_id)
    form = EventRegistrationForm(request.POST)
    if rate_limited(request, "event-register", REGISTER_LIMIT, REGISTER_WINDOW_SECONDS):
        form.is_valid()
        form.add_error(None, _("Too many registrations from your connection: try again later."))
        return _event_page(request, session, form, status=429)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = open_event_register(
                session=session,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                territory=data["territory"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(
                "outreach:catalogue_event_registered",
                public_id=session.public_id,
                registration_id=registration.public_id,
            )
    return _event_page(request, session, form)


@require_GET
def catalogue_event_registered(request: HttpRequest, public_id, registration_id) -> HttpResponse:
    """The thank-you page: the seat or the waitlist, the event; never the person's details."""
    registration = get_object_or_404(
        Registration.objects.select_related("session__offer__programme"),
        public_id=registration_id,
        session__public_id=public_id,
        session__is_open_event=True,
    )
    session = registration.session
    return render(
        request,
        "outreach/catalogue/registered.html",
        {
            "session": session,
            "programme": session.offer.programme,
            "waitlisted": registration.status == RegistrationStatus.WAITLISTED,
            "registered": registration.status == RegistrationStatus.REGISTERED,
            "position": waitlist_position(registration),
            "still_open": event_is_open(session),
        },
    )

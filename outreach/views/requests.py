"""Support requests from the public catalogue: the form, the thank-you page and the first
appointment, without an account.

The thank-you and booking pages belong to the browser that sent the request (its public_id is
kept in the session) or to the holder of the signed link of the acknowledgement; anyone else
gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import add_service_errors
from outreach.antispam import rate_limited
from outreach.enums import RequestOrigin
from outreach.forms_requests import SupportRequestForm
from outreach.models import Campaign, SupportRequest
from outreach.services.requests import (
    CONTACT_WITHIN_DAYS,
    booking_token_matches,
    first_appointment_offer,
    requestable_programmes,
    support_request_create,
)
from outreach.services.requests import support_request_book as book_first_appointment
from seances.links import appointment_token
from seances.slots import PARIS, free_slots
from seances.views.booking import (
    FIRST_AVAILABLE,
    offer_mentors,
    parse_slot_key,
    parse_week,
    slot_view,
    week_view,
    with_query,
)

SESSION_KEY = "outreach_support_requests"
CAMPAIGN_SESSION_KEY = "outreach_campaign_id"  # set by the campaign links (outreach campaigns)
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600


def programme_url(programme) -> str:
    """The programme's public page (the catalogue part of outreach)."""
    try:
        return reverse("outreach:catalogue_programme", args=[programme.slug])
    except NoReverseMatch:  # the catalogue routes are not there (yet)
        return f"/catalogue/{programme.slug}/"


def _remember(request: HttpRequest, support_request: SupportRequest) -> None:
    sent = [value for value in request.session.get(SESSION_KEY, []) if isinstance(value, str)]
    public_id = str(support_request.public_id)
    if public_id not in sent:
        # The last few are enough: a person sends one request, rarely two.
        request.session[SESSION_KEY] = [*sent, public_id][-10:]


def _campaign_of(request: HttpRequest, programme) -> Campaign | None:
    campaign_id = str(request.session.get(CAMPAIGN_SESSION_KEY) or "")
    if not campaign_id.isdigit():
        return None
    return Campaign.objects.filter(pk=campaign_id, programme=programme).first()


def _own_request(request: HttpRequest, slug: str, public_id) -> SupportRequest:
    """The request, if this browser sent it or holds the signed link (`cle`)."""
    support_request = get_object_or_404(
        SupportRequest.objects.select_related(
            "programme__organization", "offer", "beneficiary", "appointment__mentor"
        ),
        programme__slug=slug,
        public_id=public_id,
    )
    if str(support_request.public_id) in request.session.get(SESSION_KEY, []):
        return support_request
    token = request.GET.get("cle", "")
    if token and booking_token_matches(token, support_request):
        _remember(request, support_request)
        return support_request
    raise Http404


@require_http_methods(["GET", "POST"])
def support_request(request: HttpRequest, slug: str) -> HttpResponse:
    """The public form: a published, open programme only."""
    programme = get_object_or_404(requestable_programmes(), slug=slug)
    form = SupportRequestForm(request.POST or None, programme=programme)
    status = 200
    if request.method == "POST":
        if rate_limited(request, "support_request", RATE_LIMIT, RATE_WINDOW_SECONDS):
            form.is_valid()
            form.add_error(
                None,
                _("Too many requests were sent from your connection. Please try again later."),
            )
            status = 429
        elif form.is_valid():
            campaign = _campaign_of(request, programme)
            try:
                created = support_request_create(
                    programme=programme,
                    origin=RequestOrigin.CAMPAIGN if campaign else RequestOrigin.CATALOGUE,
                    campaign=campaign,
                    **form.request_data(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _remember(request, created)
                return redirect("outreach:support_request_done", programme.slug, created.public_id)
    return render(
        request,
        "outreach/requests/form.html",
        {"programme": programme, "programme_url": programme_url(programme), "form": form},
        status=status,
    )


def _appointment_context(support_request: SupportRequest) -> dict:
    appointment = support_request.appointment
    if appointment is None:
        return {"appointment": None, "manage_url": ""}
    return {
        "appointment": appointment,
        "manage_url": reverse("seances:appointment_manage", args=[appointment_token(appointment)]),
    }


def support_request_done(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    """Thank you, what happens next, and the first appointment to book when the offer allows."""
    support_request = _own_request(request, slug, public_id)
    offer = None if support_request.appointment_id else first_appointment_offer(support_request)
    return render(
        request,
        "outreach/requests/done.html",
        {
            "programme": support_request.programme,
            "programme_url": programme_url(support_request.programme),
            "support_request": support_request,
            "booking_offer": offer,
            "contact_within_days": CONTACT_WITHIN_DAYS,
            **_appointment_context(support_request),
        },
    )


def _chosen_slot(data, offer, mentors, now):
    """The free slot named by `creneau`, recomputed now; None when it is not (or no longer)."""
    parsed = parse_slot_key(data.get("creneau", ""))
    if parsed is None:
        return None
    starts_at, mentor_id = parsed
    mentor = next((m for m in mentors if m.public_id == mentor_id), None)
    if mentor is None:
        return None
    day = starts_at.astimezone(PARIS).date()
    slots = free_slots(offer=offer, mentor=mentor, start=day, end=day, now=now)
    return next((s for s in slots if s.starts_at == starts_at), None)


@require_http_methods(["GET", "POST"])
def support_request_book(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    """The first appointment: a week of free slots (first available mentor), then confirm."""
    support_request = _own_request(request, slug, public_id)
    done_url = reverse("outreach:support_request_done", args=[slug, support_request.public_id])
    if support_request.appointment_id:
        return redirect(done_url)
    offer = first_appointment_offer(support_request)
    if offer is None:
        raise Http404
    here = reverse("outreach:support_request_book", args=[slug, support_request.public_id])
    now = timezone.now()
    mentors = offer_mentors(offer)
    data = request.POST if request.method == "POST" else request.GET
    if data.get("creneau"):
        slot = _chosen_slot(data, offer, mentors, now)
        if slot is None:
            messages.error(
                request, _("This slot is no longer available: please choose another one.")
            )
            return redirect(here)
        if request.method == "POST":
            try:
                book_first_appointment(
                    support_request=support_request,
                    mentor=slot.mentor,
                    starts_at=slot.starts_at,
                    now=now,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(here)
            messages.success(request, _("Your first appointment is booked."))
            return redirect(done_url)
        return render(
            request,
            "outreach/requests/book_confirm.html",
            {
                "programme": support_request.programme,
                "programme_url": programme_url(support_request.programme),
                "support_request": support_request,
                "offer": offer,
                "slot": slot_view(slot),
                "creneau": data["creneau"],
                "week_url": here,
                "done_url": done_url,
            },
        )
    week = week_view(offer=offer, mentor=None, week=parse_week(request.GET.get("semaine")), now=now)
    context = {
        "programme": support_request.programme,
        "programme_url": programme_url(support_request.programme),
        "support_request": support_request,
        "offer": offer,
        "slot_action": here,
        "hidden": {"accompagnant": FIRST_AVAILABLE},
        "done_url": done_url,
        "previous_url": week["previous_week"]
        and with_query(here, semaine=week["previous_week"].isoformat()),
        "next_url": week["next_week"] and with_query(here, semaine=week["next_week"].isoformat()),
        **week,
    }
    return render(request, "outreach/requests/book.html", context)

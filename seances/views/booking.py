"""Self-service booking: offer → mentor → a free slot in a week view → confirm; the
appointment's page (cancel, reschedule, calendar file, outcome), and the same actions from the
signed link of the email, without logging in.

Every rule lives in seances.services.appointments; these views only gather the choice and
show the service's answer."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Enrollment
from programmes.enums import BookingAudience, OfferMode, ProgrammeStatus
from programmes.models import Offer
from seances.enums import ActorRole, AppointmentStatus, Channel
from seances.ics import appointment_ics
from seances.links import appointment_from_token
from seances.models import Appointment
from seances.services import appointments as services
from seances.slots import PARIS, Slot, bookable_bounds, first_available, free_slots

FIRST_AVAILABLE = "premier"
# Without a chosen week, the page opens on the week of the first free slot within this reach.
DEFAULT_SEARCH_DAYS = 120
SLOT_KEY_FORMAT = "%Y%m%dT%H%MZ"


# --- Forms ---------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What would you like to talk about?"),
        help_text=gettext_lazy("A few words help your mentor prepare the appointment."),
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the cancellation"),
        max_length=services.REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in services.OUTCOME_STATUSES],
    )


# --- Slots in URLs -------------------------------------------------------------------------


def slot_key(slot: Slot) -> str:
    """A slot in a URL: its UTC start and its mentor, e.g. 20261006T0700Z_<uuid>."""
    return f"{slot.starts_at.astimezone(datetime.UTC):{SLOT_KEY_FORMAT}}_{slot.mentor.public_id}"


def parse_slot_key(value: str) -> tuple[datetime.datetime, uuid.UUID] | None:
    try:
        when, mentor = value.split("_", 1)
        starts_at = datetime.datetime.strptime(when, SLOT_KEY_FORMAT).replace(tzinfo=datetime.UTC)
        return starts_at, uuid.UUID(mentor)
    except ValueError:
        return None


def is_current(slot: Slot, appointment: Appointment | None) -> bool:
    """Whether the slot is the very time of the appointment being moved."""
    return (
        appointment is not None
        and slot.starts_at == appointment.starts_at
        and slot.mentor.pk == appointment.mentor_id
    )


def slot_view(slot: Slot, current: Appointment | None = None) -> dict:
    """A slot for a template; `current`: the appointment being moved, whose own time is
    shown but not offered."""
    return {
        "key": slot_key(slot),
        "current": is_current(slot, current),
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "mentor": slot.mentor,
        "channel": slot.channel,
        "channel_label": Channel(slot.channel).label,
        "location": slot.location,
    }


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_week(value: str | None) -> datetime.date | None:
    try:
        return monday_of(datetime.date.fromisoformat(value)) if value else None
    except ValueError:
        return None


def week_view(
    *,
    offer: Offer,
    mentor,
    week: datetime.date | None,
    now: datetime.datetime,
    exclude: Appointment | None = None,
) -> dict:
    """The days Monday–Sunday of the week and their free slots, with the neighbouring weeks
    that are still within the offer's notice and horizon. `mentor` None: first available."""
    earliest, latest = bookable_bounds(offer, now)
    first_day = earliest.astimezone(PARIS).date()
    last_day = latest.astimezone(PARIS).date()

    def slots_between(start, end):
        if mentor is None:
            return first_available(offer=offer, start=start, end=end, now=now, exclude=exclude)
        return free_slots(
            offer=offer, mentor=mentor, start=start, end=end, now=now, exclude=exclude
        )

    if week is None:
        # Open on the first week that has a free slot.
        reach = min(last_day, first_day + datetime.timedelta(days=DEFAULT_SEARCH_DAYS))
        upcoming = slots_between(first_day, reach)
        offered = [s for s in upcoming if not is_current(s, exclude)]
        week = monday_of(offered[0].local_start.date() if offered else first_day)
        slots = [s for s in upcoming if monday_of(s.local_start.date()) == week]
    else:
        week = min(max(week, monday_of(first_day)), monday_of(last_day))
        slots = slots_between(week, week + datetime.timedelta(days=6))
    days = []
    for offset in range(7):
        day = week + datetime.timedelta(days=offset)
        days.append(
            {
                "date": day,
                "slots": [slot_view(s, exclude) for s in slots if s.local_start.date() == day],
                "too_soon": day < first_day,
                "too_far": day > last_day,
            }
        )
    places = {(s.channel, s.location) for s in slots}
    common_channel = None
    if len(places) == 1:
        channel, location = places.pop()
        common_channel = {"label": Channel(channel).label, "location": location}
    previous_week = week - datetime.timedelta(days=7)
    next_week = week + datetime.timedelta(days=7)
    return {
        "week": week,
        "week_end": week + datetime.timedelta(days=6),
        "days": days,
        "slot_count": sum(1 for s in slots if not is_current(s, exclude)),
        "common_channel": common_channel,
        "previous_week": previous_week if previous_week >= monday_of(first_day) else None,
        "next_week": next_week if next_week <= last_day else None,
        "first_available": mentor is None,
    }


def refusal_text(refusal: ValidationError | None) -> str:
    return " ".join(refusal.messages) if refusal is not None else ""


def with_query(url: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


# --- Self-service booking ------------------------------------------------------------------


def own_beneficiary(request: HttpRequest):
    """The beneficiary record of the logged-in person; the booking pages are theirs."""
    beneficiary = getattr(request.user, "beneficiary_profile", None)
    if beneficiary is None:
        raise PermissionDenied
    return beneficiary


def bookable_offers(beneficiary, now: datetime.datetime):
    """Individual offers of the person's active enrollments, in open programmes, with how many
    upcoming appointments they already hold there."""
    return (
        Offer.objects.filter(
            mode=OfferMode.INDIVIDUAL,
            programme__status=ProgrammeStatus.OPEN,
            pk__in=Enrollment.objects.filter(
                beneficiary=beneficiary, status__in=ACTIVE_ENROLLMENT_STATUSES
            ).values("offer_id"),
        )
        .select_related("programme")
        .annotate(
            upcoming_count=Count(
                "appointments",
                filter=Q(
                    appointments__beneficiary=beneficiary,
                    appointments__status=AppointmentStatus.BOOKED,
                    appointments__starts_at__gte=now,
                ),
                distinct=True,
            ),
            mentor_count=Count("mentors", filter=Q(mentors__is_active=True), distinct=True),
        )
        .order_by("programme__title", "title", "pk")
    )


def offer_for_booking(beneficiary, public_id) -> Offer:
    """An offer the person may book: theirs, or any open one booked "with the link"."""
    offer = get_object_or_404(
        Offer.objects.select_related("programme").filter(
            mode=OfferMode.INDIVIDUAL, programme__status=ProgrammeStatus.OPEN
        ),
        public_id=public_id,
    )
    # Whether the person is enrolled, when read here: the later checks need not ask again.
    offer.enrolled = None
    if offer.booking_audience != BookingAudience.LINK:
        offer.enrolled = services.is_enrolled(beneficiary, offer)
        if not offer.enrolled:
            raise Http404
    return offer


def referent_for(beneficiary, offer):
    enrollment = (
        Enrollment.objects.filter(beneficiary=beneficiary, offer=offer)
        .active()
        .select_related("referent_mentor")
        .order_by("-started_on", "pk")
        .first()
    )
    return enrollment.referent_mentor if enrollment else None


def offer_mentors(offer: Offer) -> list:
    return list(offer.mentors.filter(is_active=True).order_by("last_name", "first_name", "pk"))


def chosen_mentor(request: HttpRequest, mentors: list, referent):
    """The mentor picked in the URL (`accompagnant`), else the referent, else the first
    available (None)."""
    value = request.GET.get("accompagnant", "")
    if value == FIRST_AVAILABLE:
        return None
    by_id = {str(m.public_id): m for m in mentors}
    if value in by_id:
        return by_id[value]
    if referent is not None and referent.pk in {m.pk for m in mentors}:
        return referent
    return mentors[0] if len(mentors) == 1 else None


@login_required
@require_GET
def book(request: HttpRequest) -> HttpResponse:
    """Step 1: the offers the person may book."""
    beneficiary = own_beneficiary(request)
    offers = list(bookable_offers(beneficiary, timezone.now()))
    for offer in offers:
        offer.at_limit = offer.upcoming_count >= offer.max_active_bookings
    return render(
        request, "seances/booking_offers.html", {"beneficiary": beneficiary, "offers": offers}
    )


@login_required
@require_GET
def book_mentor(request: HttpRequest, public_id) -> HttpResponse:
    """Step 2: with whom: the referent by default, another mentor of the offer, or whoever
    is available first."""
    beneficiary = own_beneficiary(request)
    offer = offer_for_booking(beneficiary, public_id)
    mentors = offer_mentors(offer)
    slots_url = reverse("seances:book_slots", args=[offer.public_id])
    if len(mentors) == 1:
        return redirect(with_query(slots_url, accompagnant=mentors[0].public_id))
    referent = referent_for(beneficiary, offer)
    if referent is not None and referent.pk not in {m.pk for m in mentors}:
        referent = None
    return render(
        request,
        "seances/booking_mentor.html",
        {
            "offer": offer,
            "referent": referent,
            "other_mentors": [m for m in mentors if referent is None or m.pk != referent.pk],
            "first_available_value": FIRST_AVAILABLE,
            "slots_url": slots_url,
        },
    )


@login_required
@require_GET
def book_slots(request: HttpRequest, public_id) -> HttpResponse:
    """Step 3: the week's free slots, as buttons, one list per day."""
    beneficiary = own_beneficiary(request)
    offer = offer_for_booking(beneficiary, public_id)
    refusal = services.booking_refusal(offer, beneficiary, enrolled=offer.enrolled)
    if refusal is not None:
        messages.error(request, refusal_text(refusal))
        return redirect("seances:book")
    mentors = offer_mentors(offer)
    mentor = chosen_mentor(request, mentors, referent_for(beneficiary, offer))
    choice = str(mentor.public_id) if mentor else FIRST_AVAILABLE
    week = week_view(
        offer=offer, mentor=mentor, week=parse_week(request.GET.get("semaine")), now=timezone.now()
    )
    here = reverse("seances:book_slots", args=[offer.public_id])
    context = {
        "offer": offer,
        "mentor": mentor,
        "mode": "book",
        "slot_action": reverse("seances:book_confirm", args=[offer.public_id]),
        "hidden": {"accompagnant": choice},
        "back_url": (
            reverse("seances:book_mentor", args=[offer.public_id])
            if len(mentors) > 1
            else reverse("seances:book")
        ),
        "previous_url": week["previous_week"]
        and with_query(here, accompagnant=choice, semaine=week["previous_week"].isoformat()),
        "next_url": week["next_week"]
        and with_query(here, accompagnant=choice, semaine=week["next_week"].isoformat()),
        **week,
    }
    return render(request, "seances/booking_week.html", context)


def _slot_from_request(data, offer: Offer, mentors: list, now, exclude=None) -> Slot | None:
    """The free slot named by `creneau`, recomputed now; None when it is not (or no longer)
    free."""
    parsed = parse_slot_key(data.get("creneau", ""))
    if parsed is None:
        return None
    starts_at, mentor_id = parsed
    mentor = next((m for m in mentors if m.public_id == mentor_id), None)
    if mentor is None:
        return None
    day = starts_at.astimezone(PARIS).date()
    return next(
        (
            s
            for s in free_slots(
                offer=offer, mentor=mentor, start=day, end=day, now=now, exclude=exclude
            )
            if s.starts_at == starts_at
        ),
        None,
    )


def _week_of(data) -> str:
    parsed = parse_slot_key(data.get("creneau", ""))
    return monday_of(parsed[0].astimezone(PARIS).date()).isoformat() if parsed else ""


@login_required
@require_http_methods(["GET", "POST"])
def book_confirm(request: HttpRequest, public_id) -> HttpResponse:
    """Step 4: the chosen slot, the reason; POST books it."""
    beneficiary = own_beneficiary(request)
    offer = offer_for_booking(beneficiary, public_id)
    data = request.POST if request.method == "POST" else request.GET
    choice = data.get("accompagnant", "")
    week_url = with_query(
        reverse("seances:book_slots", args=[offer.public_id]),
        accompagnant=choice,
        semaine=_week_of(data),
    )
    mentors = offer_mentors(offer)
    slot = _slot_from_request(data, offer, mentors, timezone.now())
    if slot is None:
        messages.error(request, _("This slot is no longer available: please choose another one."))
        return redirect(week_url)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                offer=offer,
                mentor=slot.mentor,
                beneficiary=beneficiary,
                starts_at=slot.starts_at,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(week_url)
        messages.success(request, _("Your appointment is booked."))
        return redirect("seances:appointment_detail", appointment.public_id)
    return render(
        request,
        "seances/booking_confirm.html",
        {
            "offer": offer,
            "slot": slot_view(slot),
            "form": form,
            "creneau": slot_key(slot),
            "accompagnant": choice,
            "week_url": week_url,
        },
    )


# --- One appointment: logged in, or from the email's signed link ---------------------------


@dataclass
class Managing:
    """Who acts on an appointment and through which door: the logged-in page, or the signed
    link (whose holder is the beneficiary)."""

    appointment: Appointment
    acting_user: object
    signed: bool = False
    token: str = ""

    def url(self, action: str = "detail") -> str:
        if self.signed:
            name = "appointment_manage" if action == "detail" else f"appointment_manage_{action}"
            return reverse(f"seances:{name}", args=[self.token])
        return reverse(f"seances:appointment_{action}", args=[self.appointment.public_id])

    @property
    def role(self) -> str | None:
        return services.actor_role(self.acting_user, self.appointment, signed_link=self.signed)


def visible_appointment(request: HttpRequest, public_id) -> Managing:
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related(
            "offer__programme__organization", "mentor", "beneficiary", "booked_by", "cancelled_by"
        ),
        public_id=public_id,
    )
    return Managing(appointment=appointment, acting_user=request.user)


def signed_appointment(token: str) -> Managing:
    try:
        appointment = appointment_from_token(token)
    except (signing.BadSignature, Appointment.DoesNotExist) as exc:
        raise Http404 from exc
    return Managing(
        appointment=appointment,
        acting_user=appointment.beneficiary.user,
        signed=True,
        token=token,
    )


def _detail(request: HttpRequest, managing: Managing) -> HttpResponse:
    appointment = managing.appointment
    now = timezone.now()
    role = managing.role
    is_booked = appointment.status == AppointmentStatus.BOOKED
    cancel_refusal = services.cancel_refusal(appointment, role, now)
    reschedule_refusal = services.reschedule_refusal(appointment, role, now)
    can_record_outcome = (
        not managing.signed
        and appointment.status != AppointmentStatus.CANCELLED
        and appointment.starts_at <= now
        and (
            role == ActorRole.COORDINATOR
            or (role == ActorRole.MENTOR and appointment.mentor_id == request.user.pk)
        )
    )
    context = {
        "appointment": appointment,
        "managing": managing,
        "role": role,
        "is_beneficiary": role == ActorRole.BENEFICIARY,
        "can_cancel": cancel_refusal is None,
        "can_reschedule": reschedule_refusal is None,
        "cancel_refusal": refusal_text(cancel_refusal) if is_booked else "",
        "reschedule_refusal": refusal_text(reschedule_refusal) if is_booked else "",
        "reason_required": role in (ActorRole.MENTOR, ActorRole.COORDINATOR),
        "cancel_url": managing.url("cancel"),
        "reschedule_url": managing.url("reschedule"),
        "can_record_outcome": can_record_outcome,
        "outcome_choices": [(s.value, s.label) for s in services.OUTCOME_STATUSES],
        "is_past": appointment.ends_at < now,
    }
    return render(request, "seances/appointment_detail.html", context)


def _cancel(request: HttpRequest, managing: Managing) -> HttpResponse:
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return redirect(managing.url())
    try:
        services.appointment_cancel(
            appointment=managing.appointment,
            acting_user=managing.acting_user,
            reason=reason,
            signed_link=managing.signed,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The appointment is cancelled."))
    return redirect(managing.url())


def _reschedule_week(request: HttpRequest, managing: Managing) -> HttpResponse:
    appointment = managing.appointment
    refusal = services.reschedule_refusal(appointment, managing.role, timezone.now())
    if refusal is not None:
        messages.error(request, refusal_text(refusal))
        return redirect(managing.url())
    week = week_view(
        offer=appointment.offer,
        mentor=appointment.mentor,
        week=parse_week(request.GET.get("semaine")),
        now=timezone.now(),
        exclude=appointment,
    )
    here = managing.url("reschedule")
    context = {
        "offer": appointment.offer,
        "mentor": appointment.mentor,
        "appointment": appointment,
        "mode": "reschedule",
        "slot_action": managing.url("reschedule_confirm"),
        "hidden": {},
        "back_url": managing.url(),
        "previous_url": week["previous_week"]
        and with_query(here, semaine=week["previous_week"].isoformat()),
        "next_url": week["next_week"] and with_query(here, semaine=week["next_week"].isoformat()),
        **week,
    }
    return render(request, "seances/booking_week.html", context)


def _reschedule_confirm(request: HttpRequest, managing: Managing) -> HttpResponse:
    appointment = managing.appointment
    data = request.POST if request.method == "POST" else request.GET
    week_url = with_query(managing.url("reschedule"), semaine=_week_of(data))
    refusal = services.reschedule_refusal(appointment, managing.role, timezone.now())
    if refusal is not None:
        messages.error(request, refusal_text(refusal))
        return redirect(managing.url())
    slot = _slot_from_request(
        data, appointment.offer, [appointment.mentor], timezone.now(), exclude=appointment
    )
    if slot is None:
        messages.error(request, _("This slot is no longer available: please choose another one."))
        return redirect(week_url)
    if request.method == "POST":
        try:
            services.appointment_reschedule(
                appointment=appointment,
                starts_at=slot.starts_at,
                acting_user=managing.acting_user,
                signed_link=managing.signed,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(week_url)
        messages.success(request, _("The appointment has been moved."))
        return redirect(managing.url())
    return render(
        request,
        "seances/appointment_reschedule_confirm.html",
        {
            "appointment": appointment,
            "slot": slot_view(slot),
            "creneau": slot_key(slot),
            "action": managing.url("reschedule_confirm"),
            "week_url": week_url,
            "back_url": managing.url(),
        },
    )


@login_required
@require_GET
def appointment_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The appointment: when, where, with whom; cancel and reschedule within the rules."""
    return _detail(request, visible_appointment(request, public_id))


@login_required
@require_POST
def appointment_cancel(request: HttpRequest, public_id) -> HttpResponse:
    managing = visible_appointment(request, public_id)
    if managing.role is None:
        raise PermissionDenied
    return _cancel(request, managing)


@login_required
@require_GET
def appointment_reschedule(request: HttpRequest, public_id) -> HttpResponse:
    managing = visible_appointment(request, public_id)
    if managing.role is None:
        raise PermissionDenied
    return _reschedule_week(request, managing)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_reschedule_confirm(request: HttpRequest, public_id) -> HttpResponse:
    managing = visible_appointment(request, public_id)
    if managing.role is None:
        raise PermissionDenied
    return _reschedule_confirm(request, managing)


@login_required
@require_POST
def appointment_status(request: HttpRequest, public_id) -> HttpResponse:
    """Record the outcome: attended, excused or no-show (the mentor, or a coordinator)."""
    managing = visible_appointment(request, public_id)
    if managing.role not in (ActorRole.MENTOR, ActorRole.COORDINATOR):
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose attended, excused or no-show."))
        return redirect(managing.url())
    try:
        services.appointment_set_status(
            appointment=managing.appointment,
            status=form.cleaned_data["status"],
            acting_user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The outcome is recorded."))
    return redirect(managing.url())


@login_required
@require_GET
def appointment_ics_download(request: HttpRequest, public_id) -> HttpResponse:
    """The appointment as a calendar file ("add to my calendar")."""
    appointment = visible_appointment(request, public_id).appointment
    response = HttpResponse(appointment_ics(appointment), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response


@require_GET
def appointment_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The appointment from the email's signed link: no login needed."""
    return _detail(request, signed_appointment(token))


@require_POST
def appointment_manage_cancel(request: HttpRequest, token: str) -> HttpResponse:
    return _cancel(request, signed_appointment(token))


@require_GET
def appointment_manage_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    return _reschedule_week(request, signed_appointment(token))


@require_http_methods(["GET", "POST"])
def appointment_manage_reschedule_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _reschedule_confirm(request, signed_appointment(token))

"""The mentor's side of the agenda: weekly availability and unavailabilities, the week view
with attendance marking, the coordinators' list of mentors, booking on a beneficiary's
behalf with its printable confirmation, and no-show rates.

The forms of these screens live here too: they serve no other screen."""

import datetime
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.models import Membership, User
from accounts.rules import can
from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Beneficiary, Enrollment
from core.http import add_service_errors, safe_next_url
from programmes.enums import OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme
from seances.enums import AppointmentStatus, Channel, RegistrationStatus, Weekday
from seances.models import Appointment, Availability, AvailabilityException, GroupSession
from seances.selectors import (
    PARIS,
    SubqueryCount,
    holding_appointments_in,
    mentors_with_load,
    no_show_rate_by_beneficiary,
    no_show_rate_by_offer,
    week_bounds,
    week_start,
)
from seances.services import availability as services
from seances.services.availability import (
    can_manage_agenda,
    mentors_managed_by,
    offer_channels,
    offers_for_availability,
)

TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
OUTCOME_STATUSES = (
    AppointmentStatus.ATTENDED,
    AppointmentStatus.EXCUSED,
    AppointmentStatus.NO_SHOW,
)
TOP_NO_SHOWS = 20


# Who reaches these screens


def _require_staff(user: User) -> None:
    """Mentors, coordinators and administrators: beneficiaries have their own pages."""
    if not can(user, "agenda.view"):
        raise PermissionDenied


def _require_coordinator(user: User) -> None:
    if not can(user, "agenda.coordinate"):
        raise PermissionDenied


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc


def _target_mentor(request: HttpRequest) -> User | None:
    """The mentor whose agenda is shown: ?mentor=<public_id> among those the user manages
    (else 404), or the user themselves when they mentor; None for a coordinator who named no
    one."""
    _require_staff(request.user)
    public_id = request.GET.get("mentor") or request.POST.get("mentor")
    if public_id:
        return get_object_or_404(
            mentors_managed_by(request.user), public_id=_uuid_or_404(public_id)
        )
    return request.user if request.user.is_mentor else None


def _mentor_query(request: HttpRequest, mentor: User) -> str:
    """'?mentor=…' when the agenda shown is someone else's, so links stay on it."""
    return "" if mentor.pk == request.user.pk else "?" + urlencode({"mentor": mentor.public_id})


def _managed_availabilities(user: User) -> QuerySet[Availability]:
    """Weekly rows `user` may change: their own, and for a coordinator those of the mentors
    of their structures for the offers of those structures."""
    rows = Availability.objects.select_related("offer__programme", "mentor")
    if user.is_superuser:
        return rows
    coordinated = user.organization_ids_with_role(Role.COORDINATOR)
    return rows.filter(
        Q(mentor=user)
        | Q(
            mentor__in=mentors_managed_by(user),
            offer__programme__organization_id__in=coordinated,
        )
    )


def _managed_exceptions(user: User) -> QuerySet[AvailabilityException]:
    return AvailabilityException.objects.select_related("mentor").filter(
        mentor__in=mentors_managed_by(user)
    )


def _is_hotline(offer: Offer | None) -> bool:
    return offer is not None and offer.kind == OfferKind.HOTLINE


# Forms


class OfferSelect(forms.Select):
    """Each offer option carries its channels and kind, for static/js/agenda-availability.js
    to narrow the channel choices and name hotline windows."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        offer = getattr(value, "instance", None)
        if offer is not None:
            option["attrs"]["data-channels"] = " ".join(offer_channels(offer))
            option["attrs"]["data-hotline"] = "true" if _is_hotline(offer) else "false"
        return option


class AvailabilityForm(forms.Form):
    """A plain form (not a ModelForm): the service gives the checks their French messages,
    rather than the model's constraint names."""

    offer = forms.ModelChoiceField(
        label=gettext_lazy("Offer"), queryset=Offer.objects.none(), widget=OfferSelect
    )
    weekday = forms.TypedChoiceField(label=gettext_lazy("Day"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=gettext_lazy("From"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=gettext_lazy("To"), widget=TIME_WIDGET)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Channel.choices)
    location = forms.CharField(
        label=gettext_lazy("Place or link"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The address in person, the video link; leave empty for a phone call."
        ),
    )
    buffer_minutes = forms.IntegerField(
        label=gettext_lazy("Buffer between appointments (minutes)"),
        min_value=0,
        max_value=services.MAX_BUFFER_MINUTES,
        initial=0,
        help_text=gettext_lazy("Free time kept after each appointment."),
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"), required=False, widget=DATE_WIDGET
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy("Leave empty for no end."),
    )

    def __init__(self, *args, offers: QuerySet[Offer], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers
        self.fields["offer"].empty_label = None
        self.fields["buffer_minutes"].widget.attrs["step"] = 5
        self.helper = FormHelper()
        self.helper.attrs = {"data-availability-form": ""}
        self.helper.layout = Layout(
            "offer",
            Div(
                Div("weekday", css_class="col-sm-4"),
                Div("start_time", css_class="col-6 col-sm-4"),
                Div("end_time", css_class="col-6 col-sm-4"),
                css_class="row",
            ),
            Div(
                Div("channel", css_class="col-sm-4"),
                Div("location", css_class="col-sm-8"),
                css_class="row",
            ),
            "buffer_minutes",
            Div(
                Div("valid_from", css_class="col-sm-6"),
                Div("valid_until", css_class="col-sm-6"),
                css_class="row",
            ),
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["location"] = data["location"].strip()
        return data


class ExceptionForm(forms.Form):
    starts_at = forms.DateTimeField(label=gettext_lazy("From"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=gettext_lazy("To"), widget=DATETIME_WIDGET)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Holidays, training, a one-off block…"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("starts_at", css_class="col-sm-6"),
                Div("ends_at", css_class="col-sm-6"),
                css_class="row",
            ),
            "reason",
        )
        self.helper.add_input(Submit("submit", _("Add the unavailability")))


# Availability


@login_required
def availability(request: HttpRequest) -> HttpResponse:
    """A mentor's weekly availability per offer, and their unavailabilities ahead."""
    mentor = _target_mentor(request)
    if mentor is None:
        return redirect("seances:mentors")
    user = request.user
    now = timezone.now()
    offers = list(
        offers_for_availability(mentor=mentor, acting_user=user)
        .select_related("programme")
        .order_by("programme__title", "title")
    )
    rows = list(
        _managed_availabilities(user)
        .filter(mentor=mentor)
        .order_by("offer__programme__title", "offer__title", "weekday", "start_time")
    )
    # Offers the mentor runs, with their rows; then rows left on offers no longer scheduled
    # (a closed programme, an offer the mentor left), so they can be removed.
    groups = {offer.pk: {"offer": offer, "rows": [], "schedulable": True} for offer in offers}
    for row in rows:
        group = groups.setdefault(
            row.offer_id, {"offer": row.offer, "rows": [], "schedulable": False}
        )
        group["rows"].append(row)
    for group in groups.values():
        group["hotline"] = _is_hotline(group["offer"])
    booked_inside = holding_appointments_in(
        mentor=mentor, starts_at=OuterRef("starts_at"), ends_at=OuterRef("ends_at")
    ).filter(status=AppointmentStatus.BOOKED)
    exceptions = (
        AvailabilityException.objects.filter(mentor=mentor, ends_at__gt=now)
        .annotate(booked_count=SubqueryCount(booked_inside))
        .order_by("starts_at")
    )
    return render(
        request,
        "seances/availability_list.html",
        {
            "mentor": mentor,
            "is_self": mentor.pk == user.pk,
            "mentor_query": _mentor_query(request, mentor),
            "groups": list(groups.values()),
            "exceptions": exceptions,
        },
    )


def _availability_form_page(request, *, form, mentor, availability_row=None):
    """The form page; a hotline's rows are called time windows (static/js relabels the page
    when another offer is chosen)."""
    offer = getattr(form, "cleaned_data", {}).get("offer") or form.initial.get("offer")
    return render(
        request,
        "seances/availability_form.html",
        {
            "form": form,
            "mentor": mentor,
            "is_self": mentor.pk == request.user.pk,
            "availability": availability_row,
            "hotline": _is_hotline(offer),
            "back_url": reverse("seances:availability") + _mentor_query(request, mentor),
        },
    )


@login_required
def availability_create(request: HttpRequest) -> HttpResponse:
    mentor = _target_mentor(request)
    if mentor is None:
        return redirect("seances:mentors")
    offers = (
        offers_for_availability(mentor=mentor, acting_user=request.user)
        .select_related("programme")
        .order_by("programme__title", "title")
    )
    initial: dict = {}
    chosen = request.GET.get("offer")
    if chosen:
        offer = offers.filter(public_id=_uuid_or_404(chosen)).first()
        if offer is not None:
            channels = offer_channels(offer)
            initial = {"offer": offer, "channel": channels[0] if channels else None}
    form = AvailabilityForm(request.POST or None, offers=offers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.availability_create(
                mentor=mentor, acting_user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Availability added."))
            return redirect(reverse("seances:availability") + _mentor_query(request, mentor))
    return _availability_form_page(request, form=form, mentor=mentor)


@login_required
def availability_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    row = get_object_or_404(_managed_availabilities(request.user), pk=pk)
    mentor = row.mentor
    offers = (
        offers_for_availability(mentor=mentor, acting_user=request.user)
        .select_related("programme")
        .order_by("programme__title", "title")
    )
    if not offers.filter(pk=row.offer_id).exists():
        # An offer no longer scheduled (closed programme, mentor left it): keep it choosable
        # so the form shows the row as it is, the service says why it cannot be saved.
        offers = Offer.objects.filter(Q(pk__in=offers.values("pk")) | Q(pk=row.offer_id))
        offers = offers.select_related("programme").order_by("programme__title", "title")
    initial = {
        name: getattr(row, name)
        for name in (
            "offer",
            "weekday",
            "start_time",
            "end_time",
            "channel",
            "location",
            "buffer_minutes",
            "valid_from",
            "valid_until",
        )
    }
    form = AvailabilityForm(request.POST or None, offers=offers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.availability_update(
                availability=row, acting_user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Availability saved."))
            return redirect(reverse("seances:availability") + _mentor_query(request, mentor))
    return _availability_form_page(request, form=form, mentor=mentor, availability_row=row)


@login_required
@require_POST
def availability_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    row = get_object_or_404(_managed_availabilities(request.user), pk=pk)
    services.availability_delete(availability=row, acting_user=request.user)
    messages.success(request, _("Availability removed."))
    return redirect(reverse("seances:availability") + _mentor_query(request, row.mentor))


@login_required
def exception_create(request: HttpRequest) -> HttpResponse:
    mentor = _target_mentor(request)
    if mentor is None:
        return redirect("seances:mentors")
    if not can_manage_agenda(request.user, mentor):
        raise PermissionDenied
    form = ExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exception = services.exception_create(
                mentor=mentor, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Unavailability added: no slot is offered in it."))
            booked = (
                holding_appointments_in(
                    mentor=mentor, starts_at=exception.starts_at, ends_at=exception.ends_at
                )
                .filter(status=AppointmentStatus.BOOKED)
                .count()
            )
            if booked:
                messages.warning(
                    request,
                    _(
                        "%(count)d appointment(s) already booked in this period stay booked: "
                        "move or cancel them from the agenda."
                    )
                    % {"count": booked},
                )
            return redirect(reverse("seances:availability") + _mentor_query(request, mentor))
    return render(
        request,
        "seances/availability_exception_form.html",
        {
            "form": form,
            "mentor": mentor,
            "is_self": mentor.pk == request.user.pk,
            "back_url": reverse("seances:availability") + _mentor_query(request, mentor),
        },
    )


@login_required
@require_POST
def exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    exception = get_object_or_404(_managed_exceptions(request.user), pk=pk)
    services.exception_delete(exception=exception, acting_user=request.user)
    messages.success(request, _("Unavailability removed."))
    return redirect(reverse("seances:availability") + _mentor_query(request, exception.mentor))


# Mentors of a coordinator's structures


@login_required
def mentors(request: HttpRequest) -> HttpResponse:
    """The mentors of the coordinator's structures and their load: upcoming appointments,
    weekly availability, no-show rate; each opens their agenda and availability."""
    _require_coordinator(request.user)
    user = request.user
    memberships = Membership.objects.filter(role=Role.MENTOR, is_active=True)
    if not user.is_superuser:
        memberships = memberships.filter(
            organization_id__in=user.organization_ids_with_role(Role.COORDINATOR)
        )
    people = User.objects.filter(pk__in=memberships.values("user_id"))
    rows = mentors_with_load(
        people, appointments=Appointment.objects.visible_to(user), now=timezone.now()
    )
    return render(request, "seances/agenda_mentors.html", {"mentors": rows})


# The week view


def _requested_week(request: HttpRequest) -> datetime.date:
    day = parse_date(request.GET.get("week") or "") if request.GET.get("week") else None
    return week_start(day or timezone.localdate())


def _windows_of_day(rows: list[Availability], day: datetime.date) -> list[Availability]:
    return [
        row
        for row in rows
        if row.weekday == day.weekday()
        and (row.valid_from is None or row.valid_from <= day)
        and (row.valid_until is None or day <= row.valid_until)
    ]


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """A mentor's week, Monday to Sunday: appointments, group sessions they organise, their
    availability windows and unavailabilities; outcomes to record for the past ones."""
    mentor = _target_mentor(request)
    if mentor is None:
        return redirect("seances:mentors")
    user = request.user
    try:
        monday = _requested_week(request)
    except ValueError:
        monday = week_start(timezone.localdate())
    start, end = week_bounds(monday)
    now = timezone.now()
    appointments = list(
        Appointment.objects.visible_to(user)
        .filter(mentor=mentor, starts_at__gte=start, starts_at__lt=end)
        .select_related("beneficiary", "offer")
        .order_by("starts_at", "pk")
    )
    sessions = list(
        GroupSession.objects.visible_to(user)
        .filter(organiser=mentor, starts_at__gte=start, starts_at__lt=end)
        .select_related("offer")
        .annotate(
            seats_taken=Count(
                "registrations",
                filter=Q(
                    registrations__status__in=(
                        RegistrationStatus.REGISTERED,
                        RegistrationStatus.ATTENDED,
                        RegistrationStatus.EXCUSED,
                        RegistrationStatus.NO_SHOW,
                    )
                ),
            )
        )
        .order_by("starts_at", "pk")
    )
    windows = list(
        _managed_availabilities(user)
        .filter(mentor=mentor, is_active=True)
        .order_by("start_time", "pk")
    )
    blocks = list(
        AvailabilityException.objects.filter(
            mentor=mentor, starts_at__lt=end, ends_at__gt=start
        ).order_by("starts_at")
    )
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        day_start, day_end = (
            datetime.datetime.combine(day, datetime.time(0), tzinfo=PARIS),
            datetime.datetime.combine(
                day + datetime.timedelta(days=1), datetime.time(0), tzinfo=PARIS
            ),
        )
        items = [
            {"kind": "appointment", "starts_at": a.starts_at, "object": a}
            for a in appointments
            if a.starts_at.astimezone(PARIS).date() == day
        ] + [
            {"kind": "session", "starts_at": s.starts_at, "object": s}
            for s in sessions
            if s.starts_at.astimezone(PARIS).date() == day
        ]
        items.sort(key=lambda item: item["starts_at"])
        days.append(
            {
                "date": day,
                "is_today": day == timezone.localdate(),
                "items": items,
                "windows": _windows_of_day(windows, day),
                "blocks": [b for b in blocks if b.starts_at < day_end and b.ends_at > day_start],
            }
        )
    to_record = [
        a for a in appointments if a.starts_at <= now and a.status != AppointmentStatus.CANCELLED
    ]
    mentor_query = _mentor_query(request, mentor)
    query = {} if mentor.pk == user.pk else {"mentor": mentor.public_id}

    def week_url(day: datetime.date) -> str:
        return reverse("seances:agenda") + "?" + urlencode(query | {"week": day.isoformat()})

    return render(
        request,
        "seances/agenda_week.html",
        {
            "mentor": mentor,
            "is_self": mentor.pk == user.pk,
            "mentor_query": mentor_query,
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "days": days,
            "to_record": to_record,
            "outcomes": [(s.value, s.label) for s in OUTCOME_STATUSES],
            "previous_url": week_url(monday - datetime.timedelta(days=7)),
            "next_url": week_url(monday + datetime.timedelta(days=7)),
            "this_week_url": reverse("seances:agenda") + mentor_query,
            "is_this_week": monday == week_start(timezone.localdate()),
            "next": request.get_full_path(),
        },
    )


@login_required
@require_POST
def appointment_mark(request: HttpRequest, public_id) -> HttpResponse:
    """Record the outcome of an appointment that has started: attended, excused, no-show."""
    from seances.services.appointments import appointment_set_status

    _require_staff(request.user)
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related("beneficiary", "offer"),
        public_id=public_id,
    )
    status = request.POST.get("status", "")
    if status not in OUTCOME_STATUSES:
        messages.error(request, _("Choose attended, excused or no-show."))
    else:
        try:
            appointment = appointment_set_status(
                appointment=appointment, status=status, acting_user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": appointment.beneficiary, "status": appointment.get_status_display()},
            )
    if request.htmx:
        appointment.refresh_from_db()
        return render(
            request,
            "seances/agenda_outcome_row.html",
            {
                "appointment": appointment,
                "outcomes": [(s.value, s.label) for s in OUTCOME_STATUSES],
                "next": safe_next_url(request, reverse("seances:agenda")),
                # Shown in the row (and so consumed), not on the next page.
                "row_messages": list(messages.get_messages(request)),
            },
        )
    return redirect(safe_next_url(request, reverse("seances:agenda")))


# Booking on a beneficiary's behalf


def behalf_beneficiaries(user: User) -> QuerySet[Beneficiary]:
    """People `user` can see who follow an individual offer of a programme still running."""
    enrolled = Enrollment.objects.filter(
        status__in=ACTIVE_ENROLLMENT_STATUSES,
        offer__mode=OfferMode.INDIVIDUAL,
        offer__programme__status=ProgrammeStatus.OPEN,
    )
    return (
        Beneficiary.objects.visible_to(user)
        .filter(pk__in=enrolled.values("beneficiary_id"))
        .order_by("name", "pk")
    )


def _pick(options: list, value: str | None, key=lambda o: str(o.public_id)):
    if not value:
        return None
    return next((option for option in options if key(option) == value), None)


class BehalfReasonForm(forms.Form):
    starts_at = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the appointment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("In the beneficiary's words, as they said it on the phone."),
    )


@login_required
def book_on_behalf(request: HttpRequest) -> HttpResponse:
    """For someone without an account or an email: choose the person, the offer, the mentor,
    then a free slot of a week; the confirmation page can be printed or read on the phone."""
    from seances.services.appointments import appointment_book
    from seances.slots import free_slots

    user = request.user
    _require_staff(user)
    params = request.POST if request.method == "POST" else request.GET
    beneficiaries = behalf_beneficiaries(user)
    beneficiary = None
    if params.get("beneficiary"):
        beneficiary = get_object_or_404(
            beneficiaries, public_id=_uuid_or_404(params["beneficiary"])
        )
    enrollments, offers, offer, mentor_options, mentor = [], [], None, [], None
    if beneficiary is not None:
        enrollments = list(
            Enrollment.objects.visible_to(user)
            .filter(
                beneficiary=beneficiary,
                status__in=ACTIVE_ENROLLMENT_STATUSES,
                offer__mode=OfferMode.INDIVIDUAL,
                offer__programme__status=ProgrammeStatus.OPEN,
            )
            .select_related("offer__programme", "referent_mentor")
            .order_by("offer__title", "pk")
        )
        offers = list({e.offer_id: e.offer for e in enrollments}.values())
        offer = _pick(offers, params.get("offer")) or (offers[0] if len(offers) == 1 else None)
    if offer is not None:
        mentor_options = list(
            offer.mentors.filter(
                memberships__organization_id=offer.programme.organization_id,
                memberships__role=Role.MENTOR,
                memberships__is_active=True,
            )
            .distinct()
            .order_by("last_name", "first_name", "email")
        )
        referents = {e.referent_mentor_id for e in enrollments if e.offer_id == offer.pk}
        default = next((m for m in mentor_options if m.pk in referents), None) or next(
            (m for m in mentor_options if m.pk == user.pk), None
        )
        mentor = _pick(mentor_options, params.get("mentor")) or default
    week = None
    slots_by_day: list[dict] = []
    form = BehalfReasonForm(request.POST or None)
    if offer is not None and mentor is not None:
        try:
            requested = parse_date(params.get("week") or "")
        except ValueError:
            requested = None
        earliest = (timezone.now() + datetime.timedelta(hours=offer.min_notice_hours)).astimezone(
            PARIS
        )
        week = week_start(requested or earliest.date())
        if request.method == "POST" and form.is_valid():
            starts_at = parse_datetime(form.cleaned_data["starts_at"] or "")
            if starts_at is None:
                form.add_error(None, _("Choose a slot."))
            else:
                try:
                    appointment = appointment_book(
                        offer=offer,
                        mentor=mentor,
                        beneficiary=beneficiary,
                        starts_at=starts_at,
                        reason=form.cleaned_data["reason"].strip(),
                        acting_user=user,
                        on_behalf=True,
                    )
                except PermissionDenied:
                    form.add_error(
                        None, _("You may not book an appointment for this person with this mentor.")
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("The appointment is booked."))
                    return redirect("seances:behalf_confirmation", public_id=appointment.public_id)
        slots = free_slots(
            offer=offer, mentor=mentor, start=week, end=week + datetime.timedelta(days=6)
        )
        for offset in range(7):
            day = week + datetime.timedelta(days=offset)
            slots_by_day.append(
                {
                    "date": day,
                    "slots": [
                        {
                            "value": slot.starts_at.isoformat(),
                            "starts_at": slot.starts_at,
                            "channel": Channel(slot.channel).label,
                        }
                        for slot in slots
                        if slot.starts_at.astimezone(PARIS).date() == day
                    ],
                }
            )
    base = {}
    if beneficiary is not None:
        base["beneficiary"] = beneficiary.public_id
    if offer is not None:
        base["offer"] = offer.public_id
    if mentor is not None:
        base["mentor"] = mentor.public_id
    week_urls = {}
    if week is not None:
        this_url = reverse("seances:book_on_behalf")
        week_urls = {
            "previous": this_url
            + "?"
            + urlencode(base | {"week": week - datetime.timedelta(days=7)}),
            "next": this_url + "?" + urlencode(base | {"week": week + datetime.timedelta(days=7)}),
        }
    return render(
        request,
        "seances/behalf_book.html",
        {
            "beneficiaries": beneficiaries if beneficiary is None else [],
            "beneficiary": beneficiary,
            "offers": offers,
            "offer": offer,
            "mentor_options": mentor_options,
            "mentor": mentor,
            "week": week,
            "week_end": week + datetime.timedelta(days=6) if week else None,
            "week_urls": week_urls,
            "slots_by_day": slots_by_day,
            "has_slots": any(day["slots"] for day in slots_by_day),
            "chosen_slot": request.POST.get("starts_at", ""),
            "form": form,
            "is_phone_only": beneficiary is not None and beneficiary.is_phone_only,
        },
    )


@login_required
def behalf_confirmation(request: HttpRequest, public_id) -> HttpResponse:
    """The printable confirmation of an appointment: when, where, with whom, what to bring,
    how to cancel."""
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related(
            "offer__programme__organization", "mentor", "beneficiary"
        ),
        public_id=public_id,
    )
    organization = appointment.offer.programme.organization
    return render(
        request,
        "seances/behalf_confirmation.html",
        {
            "appointment": appointment,
            "organization": organization,
            "offer": appointment.offer,
            "is_cancelled": appointment.status == AppointmentStatus.CANCELLED,
            "is_staff_view": appointment.beneficiary.user_id != request.user.pk,
        },
    )


# No-show rates


@login_required
def attendance(request: HttpRequest) -> HttpResponse:
    """Per offer of the coordinator's programmes: attended, excused, no-show and the no-show
    rate; and the people who missed the most appointments."""
    _require_coordinator(request.user)
    user = request.user
    now = timezone.now()
    programmes = list(
        Programme.objects.managed_by(user)
        .filter(offers__mode=OfferMode.INDIVIDUAL)
        .distinct()
        .order_by("-start_date", "title")
    )
    programme = _pick(programmes, request.GET.get("programme"))
    scope = Offer.objects.filter(
        programme__in=[programme] if programme else Programme.objects.managed_by(user),
        mode=OfferMode.INDIVIDUAL,
    )
    offers = list(
        no_show_rate_by_offer(scope, now=now)
        .select_related("programme")
        .order_by("programme__title", "title")
    )
    for offer in offers:
        offer.rate_percent = round(offer.no_show_rate * 100) if offer.outcome_count else None
    people = list(
        no_show_rate_by_beneficiary(
            Beneficiary.objects.visible_to(user).values("pk"), offers=scope, now=now
        )
        .filter(no_show_count__gt=0)
        .order_by("-no_show_count", "-no_show_rate", "name", "pk")[:TOP_NO_SHOWS]
    )
    most = people[0].no_show_count if people else 0
    rows = [
        {
            "label": person.name,
            "count": person.no_show_count,
            "percent": round(person.no_show_count * 100 / most) if most else 0,
            "url": reverse("beneficiaires:detail", args=[person.public_id]),
            "rate": round(person.no_show_rate * 100),
            "outcomes": person.outcome_count,
        }
        for person in people
    ]
    totals = Appointment.objects.filter(
        offer__in=scope, starts_at__lt=now, status__in=OUTCOME_STATUSES
    ).aggregate(
        attended=Count("pk", filter=Q(status=AppointmentStatus.ATTENDED)),
        excused=Count("pk", filter=Q(status=AppointmentStatus.EXCUSED)),
        no_show=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
        outcomes=Count("pk"),
    )
    totals["rate_percent"] = (
        round(totals["no_show"] * 100 / totals["outcomes"]) if totals["outcomes"] else None
    )
    return render(
        request,
        "seances/agenda_attendance.html",
        {
            "programmes": programmes,
            "programme": programme,
            "offers": offers,
            "people_rows": rows,
            "totals": totals,
            "top": TOP_NO_SHOWS,
        },
    )


__all__ = [
    "agenda",
    "appointment_mark",
    "attendance",
    "availability",
    "availability_create",
    "availability_delete",
    "availability_edit",
    "behalf_confirmation",
    "book_on_behalf",
    "exception_create",
    "exception_delete",
    "mentors",
]

"""Group sessions: the list, a session's page (register, waitlist, registrants, attendance),
scheduling (one occurrence or a weekly series), editing and cancelling.

The forms and the FilterSet of these screens live here too: they serve no other screen."""

import datetime
import uuid

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.rules import can
from core.filters import StyledFilterSet
from core.http import add_service_errors, paginate
from programmes.enums import OfferMode
from programmes.models import Offer, Programme
from seances import ics
from seances.enums import (
    ACTIVE_REGISTRATION_STATUSES,
    Channel,
    GroupSessionStatus,
    RegistrationStatus,
)
from seances.models import GroupSession, Registration
from seances.services import groups as services
from seances.services.groups import (
    MAX_SERIES_WEEKS,
    OUTCOME_STATUSES,
    PARIS,
    SEAT_STATUSES,
    can_manage_group_session,
    group_offers_managed_by,
    may_cancel_registration,
    may_self_register,
    organisers_for,
    registrable_beneficiaries,
)

PAGE_SIZE = 20
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def _require_staff(user: User) -> None:
    """Scheduling is for mentors, coordinators and administrators."""
    if not can(user, "agenda.view"):
        raise PermissionDenied


def _visible_session(request: HttpRequest, public_id) -> GroupSession:
    return get_object_or_404(
        GroupSession.objects.visible_to(request.user)
        .select_related("offer__programme__organization", "organiser")
        .prefetch_related("offer__mentors"),
        public_id=public_id,
    )


def _managed_session(request: HttpRequest, public_id) -> GroupSession:
    session = _visible_session(request, public_id)
    if not can_manage_group_session(request.user, session):
        raise PermissionDenied
    return session


def _seat_counts() -> dict:
    return {
        "seats_taken": Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)),
        "waitlist_count": Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    }


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# The list


class GroupSessionFilter(StyledFilterSet):
    UPCOMING, PAST, CANCELLED = "upcoming", "past", "cancelled"

    period = django_filters.ChoiceFilter(
        label=gettext_lazy("When"),
        choices=[
            (UPCOMING, gettext_lazy("Upcoming")),
            (PAST, gettext_lazy("Past")),
            (CANCELLED, gettext_lazy("Cancelled")),
        ],
        empty_label=None,
        method="filter_period",
    )
    programme = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Programme"),
        field_name="offer__programme",
        to_field_name="public_id",
        queryset=Programme.objects.none(),
        empty_label=gettext_lazy("All programmes"),
    )
    offer = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Offer"),
        field_name="offer",
        to_field_name="public_id",
        queryset=Offer.objects.none(),
        empty_label=gettext_lazy("All group offers"),
    )

    class Meta:
        model = GroupSession
        fields = ["period", "programme", "offer"]

    def __init__(self, data=None, *args, user, **kwargs):
        data = data.copy() if data is not None else {}
        # The default view is what is coming: a bare URL lists upcoming sessions.
        if not data.get("period"):
            data["period"] = self.UPCOMING
        super().__init__(data, *args, **kwargs)
        self.now = timezone.now()
        offers = Offer.objects.visible_to(user).filter(mode=OfferMode.GROUP)
        choices = {
            "offer": offers.select_related("programme").order_by("programme__title", "title", "pk"),
            "programme": Programme.objects.filter(pk__in=offers.values("programme_id")).order_by(
                "title", "pk"
            ),
        }
        # StyledFilterSet built the form already: limit both the filters and the form fields.
        for name, queryset in choices.items():
            self.filters[name].queryset = queryset
            self.form.fields[name].queryset = queryset
        self.form.fields["offer"].label_from_instance = lambda offer: (
            f"{offer.title} ({offer.programme.title})"
        )

    def filter_period(self, queryset, name, value):
        if value == self.CANCELLED:
            return queryset.filter(status=GroupSessionStatus.CANCELLED).order_by("-starts_at", "pk")
        scheduled = queryset.filter(status=GroupSessionStatus.SCHEDULED)
        if value == self.PAST:
            return scheduled.filter(starts_at__lt=self.now).order_by("-starts_at", "pk")
        return scheduled.filter(starts_at__gte=self.now).order_by("starts_at", "pk")


@login_required
def group_session_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    own_status = Registration.objects.filter(
        session=OuterRef("pk"), beneficiary__user=user
    ).exclude(status=RegistrationStatus.CANCELLED)
    queryset = (
        GroupSession.objects.visible_to(user)
        .select_related("offer__programme", "organiser")
        .annotate(
            **_seat_counts(),
            own_status=Subquery(own_status.order_by("-registered_at", "-pk").values("status")[:1]),
        )
    )
    filterset = GroupSessionFilter(request.GET, queryset=queryset, user=user)
    sessions = filterset.qs if filterset.is_valid() else queryset.none()
    pagination = paginate(request, sessions, PAGE_SIZE)
    page = pagination["page"]
    page.object_list = list(page.object_list)
    labels = dict(RegistrationStatus.choices)
    for session in page.object_list:
        session.own_status_label = labels.get(session.own_status, "")
    return render(
        request,
        "seances/group_session_list.html",
        {
            "filter": filterset,
            **pagination,
            "can_create": can(user, "agenda.view"),
            "period": filterset.form.cleaned_data.get("period")
            if filterset.is_valid()
            else GroupSessionFilter.UPCOMING,
        },
    )


# A session's page


@login_required
def group_session_detail(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    session = get_object_or_404(
        GroupSession.objects.visible_to(user)
        .select_related("offer__programme__organization", "organiser")
        .prefetch_related("offer__mentors")
        .annotate(**_seat_counts()),
        public_id=public_id,
    )
    now = timezone.now()
    can_manage = can_manage_group_session(user, session)
    scheduled = session.status == GroupSessionStatus.SCHEDULED
    upcoming = scheduled and session.starts_at > now
    seats, waitlist = [], []
    if can_manage:
        registrations = session.registrations.exclude(
            status=RegistrationStatus.CANCELLED
        ).select_related("beneficiary")
        for registration in registrations.order_by("registered_at", "pk"):
            registration.session = session
            if registration.status == RegistrationStatus.WAITLISTED:
                registration.position = len(waitlist) + 1
                waitlist.append(registration)
            else:
                seats.append(registration)
    own = None
    profile = getattr(user, "beneficiary_profile", None)
    if profile is not None:
        own = (
            session.registrations.filter(beneficiary=profile)
            .exclude(status=RegistrationStatus.CANCELLED)
            .order_by("-registered_at", "-pk")
            .first()
        )
        if own is not None:
            own.session = session
            own.beneficiary = profile
            own.position = services.waitlist_position(own)
            own.may_cancel = may_cancel_registration(user, own, now)
    candidates = []
    if can_manage and upcoming:
        active = Registration.objects.filter(
            session=session, status__in=ACTIVE_REGISTRATION_STATUSES
        ).values("beneficiary_id")
        candidates = list(registrable_beneficiaries(session, user).exclude(pk__in=active))
    may_register = (
        upcoming
        and profile is not None
        and (own is None or own.status not in ACTIVE_REGISTRATION_STATUSES)
        and may_self_register(user, session)
    )
    return render(
        request,
        "seances/group_session_detail.html",
        {
            "session": session,
            "can_manage": can_manage,
            "upcoming": upcoming,
            "started": scheduled and session.starts_at <= now,
            "full": session.seats_taken >= session.capacity,
            "seats_left": max(session.capacity - session.seats_taken, 0),
            "seats": seats,
            "waitlist": waitlist,
            "own": own,
            "profile": profile,
            "may_register": may_register,
            "candidates": candidates,
            "outcome_choices": [
                (value, label)
                for value, label in RegistrationStatus.choices
                if value in (RegistrationStatus.REGISTERED, *OUTCOME_STATUSES)
            ],
            "cancel_deadline": services.cancel_deadline(session),
        },
    )


@login_required
def group_session_ics(request: HttpRequest, public_id) -> HttpResponse:
    session = _visible_session(request, public_id)
    response = HttpResponse(ics.group_session_ics(session), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="session-{session.public_id}.ics"'
    return response


class BehalfForm(forms.Form):
    beneficiary = forms.ModelChoiceField(
        label=gettext_lazy("Beneficiary"), queryset=None, to_field_name="public_id"
    )

    def __init__(self, *args, queryset: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = queryset


@login_required
@require_POST
def group_session_register(request: HttpRequest, public_id) -> HttpResponse:
    """Register oneself, or (for whoever runs the session) someone on their behalf."""
    session = _visible_session(request, public_id)
    user = request.user
    if "beneficiary" in request.POST:
        if not can_manage_group_session(user, session):
            raise PermissionDenied
        form = BehalfForm(request.POST, queryset=registrable_beneficiaries(session, user))
        if not form.is_valid():
            messages.error(request, _("Choose a person from the list."))
            return redirect("seances:group_session_detail", public_id=session.public_id)
        beneficiary = form.cleaned_data["beneficiary"]
    else:
        beneficiary = getattr(user, "beneficiary_profile", None)
        if beneficiary is None:
            raise PermissionDenied
    try:
        registration = services.registration_create(
            session=session, beneficiary=beneficiary, acting_user=user
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        own = beneficiary.user_id == user.pk
        if registration.status == RegistrationStatus.REGISTERED:
            message = (
                _("You are registered.")
                if own
                else _("%(name)s is registered.") % {"name": beneficiary.name}
            )
        else:
            message = (
                _("The session is full: you are on the waitlist.")
                if own
                else _("The session is full: %(name)s is on the waitlist.")
                % {"name": beneficiary.name}
            )
        messages.success(request, message)
    return redirect("seances:group_session_detail", public_id=session.public_id)


@login_required
@require_POST
def group_registration_cancel(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    registration = get_object_or_404(
        Registration.objects.filter(session__in=GroupSession.objects.visible_to(user))
        .select_related("session__offer__programme", "beneficiary")
        .prefetch_related("session__offer__mentors"),
        public_id=public_id,
    )
    session = registration.session
    own = registration.beneficiary.user_id is not None and registration.beneficiary.user_id == (
        user.pk
    )
    # Another person's registration is not shown to a fellow participant: 404.
    if not (own or can_manage_group_session(user, session)):
        raise Http404
    try:
        services.registration_cancel(registration=registration, acting_user=user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        if own:
            messages.success(request, _("Your registration is cancelled."))
        else:
            messages.success(
                request,
                _("The registration of %(name)s is cancelled.")
                % {"name": registration.beneficiary.name},
            )
    return redirect("seances:group_session_detail", public_id=session.public_id)


@login_required
@require_POST
def group_session_attendance(request: HttpRequest, public_id) -> HttpResponse:
    """Record who attended, was excused or did not come, for every seat at once."""
    session = _managed_session(request, public_id)
    registrations = session.registrations.filter(status__in=SEAT_STATUSES).select_related(
        "beneficiary"
    )
    changed, failed = 0, False
    for registration in registrations:
        registration.session = session
        status = request.POST.get(f"status-{registration.public_id}")
        if not status or status == registration.status:
            continue
        try:
            services.registration_set_status(
                registration=registration, status=status, acting_user=request.user
            )
        except ValidationError as error:
            _show_errors(request, error)
            failed = True
            break
        changed += 1
    if changed:
        messages.success(request, _("Attendance saved."))
    elif not failed:
        messages.info(request, _("No change to save."))
    return redirect("seances:group_session_detail", public_id=session.public_id)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the cancellation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Sent to every registered or waitlisted person."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The template holds the form tag and its two buttons (cancel / keep).
        self.helper.form_tag = False


@login_required
def group_session_cancel(request: HttpRequest, public_id) -> HttpResponse:
    session = _managed_session(request, public_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_session_cancel(
                session=session, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The session is cancelled: every registrant has been informed.")
            )
            return redirect("seances:group_session_detail", public_id=session.public_id)
    affected = session.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES).count()
    return render(
        request,
        "seances/group_session_cancel.html",
        {
            "session": session,
            "form": form,
            "affected": affected,
            "cancellable": session.status == GroupSessionStatus.SCHEDULED
            and session.starts_at > timezone.now(),
        },
    )


# Scheduling


class GroupSessionForm(forms.Form):
    offer = forms.ModelChoiceField(
        label=gettext_lazy("Group offer"), queryset=None, to_field_name="public_id"
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty to use the offer's title."),
    )
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=gettext_lazy("From"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=gettext_lazy("To"), widget=TIME_WIDGET)
    weeks = forms.IntegerField(
        label=gettext_lazy("Number of weekly occurrences"),
        min_value=1,
        max_value=MAX_SERIES_WEEKS,
        initial=1,
        help_text=gettext_lazy(
            "1 for a single session; more repeats it every week, same day, same time."
        ),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=gettext_lazy("Leave empty for the offer's capacity."),
    )
    organiser = forms.ModelChoiceField(label=gettext_lazy("Organiser"), queryset=None)
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"), choices=Channel.choices, initial=Channel.IN_PERSON
    )
    location = forms.CharField(label=gettext_lazy("Place or link"), max_length=200, required=False)
    # The public catalogue (issue 8): an open event anyone can register for without an account.
    is_open_event = forms.BooleanField(
        label=gettext_lazy("Open event, published on the public catalogue"),
        required=False,
        help_text=gettext_lazy(
            "Information meeting, experience sharing: people without an account register "
            "from the programme's public page (the programme must be published and open)."
        ),
    )
    public_description = forms.CharField(
        label=gettext_lazy("Public description"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the event is about, in plain words, for the public."),
    )

    def __init__(self, *args, user, session: GroupSession | None = None, offer=None, **kwargs):
        self.session = session
        if session is not None:
            starts = session.starts_at.astimezone(PARIS)
            kwargs.setdefault(
                "initial",
                {
                    "title": session.title,
                    "date": starts.date(),
                    "start_time": starts.time(),
                    "end_time": session.ends_at.astimezone(PARIS).time(),
                    "capacity": session.capacity,
                    "organiser": session.organiser_id,
                    "channel": session.channel,
                    "location": session.location,
                    "is_open_event": session.is_open_event,
                    "public_description": session.public_description,
                },
            )
        super().__init__(*args, **kwargs)
        if session is None:
            offers = group_offers_managed_by(user).select_related("programme")
            self.fields["offer"].queryset = offers.order_by("programme__title", "title", "pk")
            self.fields["offer"].empty_label = _("Choose a group offer")
            self.fields["offer"].label_from_instance = lambda o: f"{o.title} ({o.programme.title})"
            if offer is not None:
                self.fields["offer"].initial = offer.public_id
            organisers = organisers_for(offers)
        else:
            del self.fields["offer"]
            del self.fields["weeks"]
            self.fields["capacity"].required = True
            self.fields["capacity"].help_text = _(
                "It cannot be lower than the number of people registered; raising it "
                "gives seats to the waitlist."
            )
            organisers = organisers_for([session.offer])
        self.fields["organiser"].queryset = organisers
        if session is None and organisers.filter(pk=user.pk).exists():
            self.fields["organiser"].initial = user.pk
        self.helper = FormHelper()
        self.helper.attrs = {"data-group-session-form": ""}
        self.helper.layout = Layout(
            *(["offer"] if session is None else []),
            "title",
            Div(
                Div("date", css_class="col-sm-4"),
                Div("start_time", css_class="col-6 col-sm-4"),
                Div("end_time", css_class="col-6 col-sm-4"),
                css_class="row",
            ),
            Div(
                *([Div("weeks", css_class="col-sm-6")] if session is None else []),
                Div("capacity", css_class="col-sm-6"),
                css_class="row",
            ),
            Div(
                Div("organiser", css_class="col-sm-6"),
                Div("channel", css_class="col-sm-6"),
                css_class="row",
            ),
            "location",
            "is_open_event",
            "public_description",
        )
        label = _("Save") if session else _("Schedule the session")
        self.helper.add_input(Submit("submit", label))

    def clean(self):
        cleaned_data = super().clean()
        day = cleaned_data.get("date")
        start, end = cleaned_data.get("start_time"), cleaned_data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The session must end after it starts."))
            else:
                cleaned_data["starts_at"] = datetime.datetime.combine(day, start, tzinfo=PARIS)
                cleaned_data["ends_at"] = datetime.datetime.combine(day, end, tzinfo=PARIS)
        return cleaned_data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "organiser": data["organiser"],
            "title": data["title"],
            "channel": data["channel"],
            "location": data["location"],
            "capacity": data["capacity"],
            "is_open_event": data["is_open_event"],
            "public_description": data["public_description"],
        }


def _offer_hints(form: GroupSessionForm) -> dict:
    """What the form's script needs to suggest an end time and a capacity per offer."""
    if "offer" not in form.fields:
        return {}
    return {
        str(offer.public_id): {
            "duration": offer.duration_minutes,
            "capacity": offer.capacity,
        }
        for offer in form.fields["offer"].queryset
    }


def _offer_from_query(request: HttpRequest):
    value = request.GET.get("offer")
    if not value:
        return None
    try:
        return Offer.objects.filter(public_id=uuid.UUID(value)).first()
    except ValueError:
        return None


@login_required
def group_session_create(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    form = GroupSessionForm(
        request.POST or None, user=request.user, offer=_offer_from_query(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sessions = services.group_session_create_series(
                offer=data["offer"],
                first_starts_at=data["starts_at"],
                first_ends_at=data["ends_at"],
                weeks=data["weeks"],
                **form.service_kwargs(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, _rename_errors(error))
        else:
            if len(sessions) == 1:
                messages.success(request, _("Session scheduled."))
            else:
                messages.success(
                    request, _("%(count)s weekly sessions scheduled.") % {"count": len(sessions)}
                )
            return redirect("seances:group_session_detail", public_id=sessions[0].public_id)
    return render(
        request,
        "seances/group_session_form.html",
        {"form": form, "session": None, "offer_hints": _offer_hints(form)},
    )


def _rename_errors(error: ValidationError) -> ValidationError:
    """The service speaks of starts_at/ends_at; the form has a date and two times."""
    if not hasattr(error, "error_dict"):
        return error
    names = {"starts_at": "start_time", "ends_at": "end_time"}
    return ValidationError(
        {names.get(name, name): errors for name, errors in error.error_dict.items()}
    )


@login_required
def group_session_edit(request: HttpRequest, public_id) -> HttpResponse:
    session = _managed_session(request, public_id)
    editable = session.status == GroupSessionStatus.SCHEDULED and session.starts_at > (
        timezone.now()
    )
    form = GroupSessionForm(request.POST or None, user=request.user, session=session)
    if request.method == "POST" and editable and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_session_update(
                session=session,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                **form.service_kwargs(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, _rename_errors(error))
        else:
            messages.success(request, _("Session saved."))
            return redirect("seances:group_session_detail", public_id=session.public_id)
    return render(
        request,
        "seances/group_session_form.html",
        {"form": form, "session": session, "editable": editable, "offer_hints": {}},
    )

"""Séances: the list, recording one (from an appointment, a group session, or without
appointment), a séance's page (attendance, open tasks, closing records, confidential notes,
the hotline call, the observation, the tutoring goals) and tutoring pairs.

Every change is a POST to a service; what a person may not see is a 404, what they see but
may not do a 403 (the services raise PermissionDenied)."""

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.rules import can
from beneficiaires.models import Beneficiary
from core.filters import StyledFilterSet
from core.http import add_service_errors, paginate
from programmes.models import Offer
from seances import selectors_work as selectors
from seances.enums import AttendanceStatus, GoalStatus, ParticipantRole, SeanceKind, TaskStatus
from seances.forms.seances import (
    ConfidentialNoteForm,
    GoalReviewForm,
    HotlineForm,
    LearningGoalForm,
    ObserverForm,
    ParticipantAddForm,
    SeanceCreateForm,
    SelfAssessmentForm,
    TutoringEndForm,
    TutoringPairForm,
)
from seances.models import Appointment, GroupSession, LearningGoal, Seance, TutoringPair
from seances.permissions import is_seance_mentor
from seances.services import seances as services

PAGE_SIZE = 25


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _visible_seance(request: HttpRequest, public_id) -> Seance:
    seance = selectors.seance_for_page(request.user, public_id).first()
    if seance is None:
        raise Http404
    return seance


def _detail_url(seance: Seance, anchor: str = "") -> str:
    url = reverse("seances:seance_detail", args=[seance.public_id])
    return f"{url}#{anchor}" if anchor else url


# The list


class SeanceFilter(StyledFilterSet):
    LAST_30, LAST_90, LAST_365 = "30", "90", "365"

    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"),
        choices=SeanceKind.choices,
        empty_label=gettext_lazy("All kinds"),
    )
    offer = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Offer"),
        field_name="offer",
        to_field_name="public_id",
        queryset=Offer.objects.none(),
        empty_label=gettext_lazy("All offers"),
    )
    period = django_filters.ChoiceFilter(
        label=gettext_lazy("When"),
        choices=[
            (LAST_30, gettext_lazy("Last 30 days")),
            (LAST_90, gettext_lazy("Last 3 months")),
            (LAST_365, gettext_lazy("Last 12 months")),
        ],
        empty_label=gettext_lazy("Any time"),
        method="filter_period",
    )
    to_complete = django_filters.BooleanFilter(
        label=gettext_lazy("Record to complete"),
        method="filter_to_complete",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Seance
        fields = ["kind", "offer", "period", "to_complete"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        offers = (
            Offer.objects.filter(pk__in=Seance.objects.visible_to(user).values("offer_id"))
            .select_related("programme")
            .order_by("programme__title", "title", "pk")
        )
        self.filters["offer"].queryset = offers
        self.form.fields["offer"].queryset = offers
        self.form.fields["offer"].label_from_instance = lambda offer: (
            f"{offer.title} ({offer.programme.title})"
        )

    def filter_period(self, queryset, name, value):
        since = timezone.now() - datetime.timedelta(days=int(value))
        return queryset.filter(starts_at__gte=since)

    def filter_to_complete(self, queryset, name, value):
        return queryset.filter(selectors.record_to_complete()) if value else queryset


@login_required
def seance_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, "seance.list"):
        raise PermissionDenied
    queryset = selectors.seances_for_list(user)
    filterset = SeanceFilter(request.GET or None, queryset=queryset, user=user)
    seances = filterset.qs if filterset.is_valid() else queryset
    pagination = paginate(request, seances, PAGE_SIZE)
    page = pagination["page"]
    page.object_list = selectors.add_record_status(list(page.object_list), user)
    return render(
        request,
        "seances/seance_list.html",
        {
            "filter": filterset,
            **pagination,
            "can_create": can(user, "seance.create"),
            # Staff see who took part; a participant sees the séances, not the others' names.
            "show_names": can(user, "seance.show_names"),
        },
    )


# Recording a séance


@login_required
def seance_new(request: HttpRequest) -> HttpResponse:
    """A mentor records a hotline call, an observation, a tutoring meeting or an individual
    séance held without appointment."""
    user = request.user
    if not can(user, "seance.create"):
        raise PermissionDenied
    initial = {"kind": SeanceKind.INDIVIDUAL}
    if request.method == "GET":
        kind = request.GET.get("kind")
        if kind in services.STANDALONE_KINDS:
            initial["kind"] = kind
        pair = request.GET.get("pair")
        if pair:
            initial["tutoring_pair"] = pair
            initial["kind"] = SeanceKind.TUTORING
    form = SeanceCreateForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            seance = services.seance_create(**form.service_kwargs(), acting_user=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The séance is recorded."))
            return redirect(_detail_url(seance))
    return render(request, "seances/seance_new.html", {"form": form})


@login_required
@require_POST
def seance_from_appointment(request: HttpRequest, public_id) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related("offer__programme"),
        public_id=public_id,
    )
    try:
        seance = services.seance_from_appointment(appointment=appointment, acting_user=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("seances:appointment_detail", public_id=appointment.public_id)
    return redirect(_detail_url(seance))


@login_required
@require_POST
def seance_from_group_session(request: HttpRequest, public_id) -> HttpResponse:
    session = get_object_or_404(
        GroupSession.objects.visible_to(request.user).select_related("offer__programme"),
        public_id=public_id,
    )
    try:
        seance = services.seance_from_group_session(session=session, acting_user=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("seances:group_session_detail", public_id=session.public_id)
    return redirect(_detail_url(seance))


# A séance's page


@login_required
def seance_detail(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    seance = _visible_seance(request, public_id)
    page = selectors.seance_page(seance, user)
    context = {
        "seance": seance,
        "page": page,
        "attendance_choices": AttendanceStatus.choices,
        "codev_roles": [
            (ParticipantRole.CONSULTANT, ParticipantRole.CONSULTANT.label),
            (ParticipantRole.CLIENT, ParticipantRole.CLIENT.label),
        ],
        "task_statuses": TaskStatus.choices,
        "goal_statuses": GoalStatus.choices,
        "current_url": request.get_full_path(),
    }
    if seance.kind == SeanceKind.HOTLINE and page.is_mentor:
        call = getattr(seance, "hotline_call", None)
        context["hotline_form"] = HotlineForm(
            initial={
                "topic": seance.topic,
                "duration_minutes": seance.duration_minutes,
                "caller_name": call.caller_name if call else "",
                "advice_given": call.advice_given if call else "",
                "follow_up_needed": call.follow_up_needed if call else False,
                "follow_up_note": call.follow_up_note if call else "",
            }
        )
    if page.observation is not None:
        observation = page.observation
        if page.is_mentor:
            context["observer_form"] = ObserverForm(
                initial={
                    "situation": observation.situation,
                    "observation_notes": observation.observation_notes,
                    "observer_feedback": observation.observer_feedback,
                }
            )
        if page.is_observed:
            context["self_assessment_form"] = SelfAssessmentForm(
                initial={"self_assessment": observation.self_assessment}
            )
    return render(request, "seances/seance_detail.html", context)


def _participants_by_public_id(seance: Seance) -> dict:
    return {
        str(attendance.beneficiary.public_id): attendance
        for attendance in seance.attendances.select_related("beneficiary")
    }


@login_required
@require_POST
def seance_attendance(request: HttpRequest, public_id) -> HttpResponse:
    """Attendance of every participant at once; in co-development, their roles too."""
    seance = _visible_seance(request, public_id)
    if not is_seance_mentor(request.user, seance):
        raise PermissionDenied
    participants = _participants_by_public_id(seance)
    statuses, roles = {}, {}
    for key, attendance in participants.items():
        status = request.POST.get(f"status-{key}")
        if status:
            statuses[attendance.beneficiary_id] = status
        role = request.POST.get(f"role-{key}")
        if role and seance.kind == SeanceKind.CODEVELOPMENT:
            roles[attendance.beneficiary_id] = role
    try:
        services.attendance_record(seance=seance, statuses=statuses, acting_user=request.user)
        if roles:
            services.participant_roles_set(seance=seance, roles=roles, acting_user=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Attendance saved."))
    return redirect(_detail_url(seance, "attendance-heading"))


@login_required
@require_POST
def seance_participant_add(request: HttpRequest, public_id) -> HttpResponse:
    seance = _visible_seance(request, public_id)
    if not is_seance_mentor(request.user, seance):
        raise PermissionDenied
    form = ParticipantAddForm(
        request.POST, candidates=services.participant_candidates(seance, request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Choose a person from the list."))
        return redirect(_detail_url(seance, "attendance-heading"))
    beneficiary = form.cleaned_data["beneficiary"]
    try:
        services.participant_add(
            seance=seance,
            beneficiary=beneficiary,
            role=form.cleaned_data["role"],
            acting_user=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("%(name)s is added.") % {"name": beneficiary.name})
    return redirect(_detail_url(seance, "attendance-heading"))


@login_required
@require_POST
def confidential_note_add(request: HttpRequest, public_id) -> HttpResponse:
    seance = _visible_seance(request, public_id)
    if not is_seance_mentor(request.user, seance):
        raise PermissionDenied
    participants = seance.attendances.values("beneficiary_id")
    form = ConfidentialNoteForm(
        request.POST,
        participants=Beneficiary.objects.filter(pk__in=participants),
    )
    if not form.is_valid():
        messages.error(request, _("Choose the person concerned and write the note."))
        return redirect(_detail_url(seance, "confidential-heading"))
    try:
        services.confidential_note_add(
            seance=seance,
            beneficiary=form.cleaned_data["beneficiary"],
            body=form.cleaned_data["body"],
            acting_user=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The confidential note is saved."))
    return redirect(_detail_url(seance, "confidential-heading"))


@login_required
@require_POST
def hotline_update(request: HttpRequest, public_id) -> HttpResponse:
    seance = _visible_seance(request, public_id)
    if not is_seance_mentor(request.user, seance):
        raise PermissionDenied
    form = HotlineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_detail_url(seance, "hotline-heading"))
    try:
        services.hotline_update(seance=seance, **form.cleaned_data, acting_user=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The call is saved."))
    return redirect(_detail_url(seance, "hotline-heading"))


@login_required
@require_POST
def observation_update(request: HttpRequest, public_id) -> HttpResponse:
    """The observer's part or the observed person's self-assessment, by who posts it."""
    seance = _visible_seance(request, public_id)
    user = request.user
    if is_seance_mentor(user, seance) and request.POST.get("part") != "self":
        form = ObserverForm(request.POST)
    elif services.is_observed_person(user, seance):
        form = SelfAssessmentForm(request.POST)
    else:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.observation_update(seance=seance, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("The observation is saved."))
    return redirect(_detail_url(seance, "observation-heading"))


@login_required
@require_POST
def goal_review(request: HttpRequest, public_id) -> HttpResponse:
    seance = _visible_seance(request, public_id)
    if not is_seance_mentor(request.user, seance):
        raise PermissionDenied
    form = GoalReviewForm(request.POST)
    goal = None
    if form.is_valid() and seance.tutoring_pair_id:
        goal = LearningGoal.objects.filter(
            pair_id=seance.tutoring_pair_id, pk=form.cleaned_data["goal"]
        ).first()
    if goal is None:
        messages.error(request, _("Choose a goal and its status."))
        return redirect(_detail_url(seance, "goals-heading"))
    try:
        services.goal_review_record(
            seance=seance,
            goal=goal,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
            acting_user=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The goal's review is saved."))
    return redirect(_detail_url(seance, "goals-heading"))


# Tutoring


def _visible_pair(request: HttpRequest, public_id) -> TutoringPair:
    return get_object_or_404(
        TutoringPair.objects.visible_to(request.user).select_related(
            "offer__programme", "tutor", "tutee"
        ),
        public_id=public_id,
    )


def _may_create_pairs(user) -> bool:
    return can(user, "agenda.view")


@login_required
def tutoring_pairs(request: HttpRequest) -> HttpResponse:
    user = request.user
    pagination = paginate(request, selectors.tutoring_pairs_for(user), PAGE_SIZE)
    return render(
        request,
        "seances/tutoring_pairs.html",
        {**pagination, "can_create": _may_create_pairs(user)},
    )


@login_required
def tutoring_pair_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_create_pairs(user):
        raise PermissionDenied
    form = TutoringPairForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.tutoring_pair_create(**form.cleaned_data, acting_user=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The tutoring pair is created."))
            return redirect("seances:tutoring_pair_detail", public_id=pair.public_id)
    return render(request, "seances/tutoring_pair_form.html", {"form": form})


@login_required
def tutoring_pair_detail(request: HttpRequest, public_id) -> HttpResponse:
    pair = _visible_pair(request, public_id)
    user = request.user
    return render(
        request,
        "seances/tutoring_pair_detail.html",
        {
            "pair": pair,
            **selectors.tutoring_pair_page(pair),
            "can_manage": services.can_manage_tutoring_pair(user, pair),
            "is_tutor": pair.tutor_id == user.pk,
            "goal_form": LearningGoalForm(),
            "end_form": TutoringEndForm(initial={"ended_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def learning_goal_add(request: HttpRequest, public_id) -> HttpResponse:
    pair = _visible_pair(request, public_id)
    form = LearningGoalForm(request.POST)
    if not services.can_manage_tutoring_pair(request.user, pair):
        raise PermissionDenied
    try:
        services.learning_goal_add(
            pair=pair,
            title=form.cleaned_data["title"] if form.is_valid() else "",
            acting_user=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The learning goal is added."))
    return redirect("seances:tutoring_pair_detail", public_id=pair.public_id)


@login_required
@require_POST
def tutoring_pair_end(request: HttpRequest, public_id) -> HttpResponse:
    pair = _visible_pair(request, public_id)
    if not services.can_manage_tutoring_pair(request.user, pair):
        raise PermissionDenied
    form = TutoringEndForm(request.POST)
    ended_on = form.cleaned_data["ended_on"] if form.is_valid() else None
    try:
        services.tutoring_pair_end(pair=pair, ended_on=ended_on, acting_user=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The tutoring pair has ended."))
    return redirect("seances:tutoring_pair_detail", public_id=pair.public_id)

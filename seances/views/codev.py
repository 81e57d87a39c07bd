"""Co-development (seed 004): the facilitator mode that walks the group through the six steps
with a timer and notes, and the séance's read-only summary.

Who sees what: the facilitator mode is for the séance's mentor(s) only; coordinators get a
403 there and read the summary instead, which shows them that the steps took place and how
long they took, never the notes (they may hold personal difficulties) nor the action plan's
wording (only how many actions came out of it).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from beneficiaires.models import Beneficiary
from core.http import add_service_errors
from seances.enums import (
    CODEV_STEP_MINUTES,
    AttendanceStatus,
    CodevStepNumber,
    ParticipantRole,
    SeanceKind,
)
from seances.forms.codev import CodevActionForm, CodevNotesForm, CodevPrepareForm
from seances.models import CodevStep, LogbookEntry, Seance
from seances.permissions import coordinates_seance, is_seance_mentor
from seances.services import codev as services
from seances.services.codev import ACTION_PLAN_STEP, FINISHED, LAST_STEP, NOT_STARTED

# What happens in each step, in plain words for the group (seed 004): who speaks, and what
# the consultants do meanwhile.
STEP_GUIDE = {
    CodevStepNumber.PRESENTATION: (
        gettext_lazy("The client speaks."),
        gettext_lazy(
            "The client presents the situation-problem objectively: the facts, the context, "
            "the people involved, and what they are looking for."
        ),
        gettext_lazy("The consultants listen without interrupting and note what strikes them."),
    ),
    CodevStepNumber.CLARIFICATION: (
        gettext_lazy("The consultants ask, the client answers."),
        gettext_lazy(
            "Questions of understanding and precision, so that everyone grasps the situation."
        ),
        gettext_lazy("The consultants ask questions only: no advice and no solutions yet."),
    ),
    CodevStepNumber.CONTRACT: (
        gettext_lazy("The client speaks."),
        gettext_lazy(
            "The client says what they need from the group and agrees with the consultants on "
            "what is expected of them: this is the contract."
        ),
        gettext_lazy("The consultants check they understood the request and rephrase it."),
    ),
    CodevStepNumber.CONSULTATION: (
        gettext_lazy("The consultants speak, the client listens."),
        gettext_lazy(
            "Ideas, experiences, points of view and questions to help solutions emerge: every "
            "proposal has value and counts in the client's path."
        ),
        gettext_lazy(
            "The consultants share their expertise and experience and ask questions; the "
            "client takes notes without justifying themselves."
        ),
    ),
    CodevStepNumber.SYNTHESIS: (
        gettext_lazy("The client speaks."),
        gettext_lazy(
            "The client sums up the suggestions and advice they keep and draws up an action "
            "plan they can carry out by the next séance."
        ),
        gettext_lazy("The consultants listen: the action plan is the client's."),
    ),
    CodevStepNumber.LEARNINGS: (
        gettext_lazy("Everyone speaks in turn."),
        gettext_lazy("Each person shares their main learnings and gives feedback on the séance."),
        gettext_lazy(
            "Client and consultants alike are invited to write their learnings, feelings and "
            "progress in their logbook."
        ),
    ),
}


def _codev_seance(request: HttpRequest, public_id) -> Seance:
    return get_object_or_404(
        Seance.objects.visible_to(request.user)
        .filter(kind=SeanceKind.CODEVELOPMENT)
        .select_related("offer__programme", "mentor"),
        public_id=public_id,
    )


def _facilitated_seance(request: HttpRequest, public_id) -> Seance:
    seance = _codev_seance(request, public_id)
    if not is_seance_mentor(request.user, seance):
        raise PermissionDenied
    return seance


def _steps(seance: Seance) -> list[CodevStep]:
    """The six steps with their state; unsaved placeholders before the séance is prepared."""
    steps = list(seance.codev_steps.all())
    if not steps:
        steps = [
            CodevStep(seance=seance, number=number, planned_minutes=CODEV_STEP_MINUTES[number])
            for number in CodevStepNumber.values
        ]
    for step in steps:
        step.actual_minutes = services.actual_minutes(step)
        step.is_done = step.number < seance.codev_step
        step.is_current = step.number == seance.codev_step
        step.over_time = (
            step.actual_minutes is not None and step.actual_minutes > step.planned_minutes
        )
        step.who, step.what, step.consultants = STEP_GUIDE[step.number]
    return steps


def _people(seance: Seance) -> dict:
    attendances = list(
        seance.attendances.select_related("beneficiary").order_by("beneficiary__name", "pk")
    )
    present = [a for a in attendances if a.status == AttendanceStatus.PRESENT]
    client = next((a for a in present if a.role == ParticipantRole.CLIENT), None)
    return {
        "present": present,
        "absent": [a for a in attendances if a.status != AttendanceStatus.PRESENT],
        "client": client,
        "consultants": [a for a in present if a is not client],
    }


def _viewing_step(request: HttpRequest, seance: Seance, posted: int | None = None) -> int:
    """The step whose notes the page shows: the running one, or an earlier one to edit."""
    current = min(seance.codev_step, LAST_STEP)
    value = posted if posted is not None else request.GET.get("step")
    try:
        number = int(value)
    except (TypeError, ValueError):
        return current
    return number if 1 <= number <= current else current


def _timer(step: CodevStep) -> dict:
    """What the countdown script needs: epoch milliseconds, so that no date parsing differs
    between browsers, and the server's clock to correct a phone's clock that is off."""
    ends_at = step.started_at + datetime.timedelta(minutes=step.planned_minutes)
    return {
        "started_at": step.started_at,
        "ends_at": ends_at,
        "started_ms": int(step.started_at.timestamp() * 1000),
        "planned_seconds": step.planned_minutes * 60,
        "server_ms": int(timezone.now().timestamp() * 1000),
        "over_at_render": timezone.now() > ends_at,
    }


def _facilitate_context(request: HttpRequest, seance: Seance, *, viewing=None, **forms) -> dict:
    people = _people(seance)
    steps = _steps(seance)
    step = seance.codev_step
    state = "prepare" if step == NOT_STARTED else "finished" if step >= FINISHED else "running"
    # Once finished, the notes form shows only when the facilitator picks a step to edit.
    if viewing is None and (state == "running" or "step" in request.GET):
        viewing = _viewing_step(request, seance)
    viewed = next((s for s in steps if s.number == viewing), None)
    current = next((s for s in steps if s.is_current), None)
    present_people = Beneficiary.objects.filter(
        attendances__seance=seance, attendances__status=AttendanceStatus.PRESENT
    ).order_by("name", "pk")
    prepare_form = forms.get("prepare_form") or CodevPrepareForm(
        present=present_people,
        initial={
            "client": people["client"].beneficiary.public_id if people["client"] else None,
            "topic": seance.topic,
        },
    )
    notes_form = forms.get("notes_form") or CodevNotesForm(
        initial={"step": viewing, "notes": viewed.notes if viewed else ""},
        auto_id="id_notes_%s",
    )
    actions = list(services.codev_actions(seance, people["client"]))
    return {
        "seance": seance,
        "co_mentors": list(seance.co_mentors.all()),
        **people,
        "role": "mentor",
        "steps": steps,
        "state": state,
        "current": current,
        "timer": _timer(current) if current and current.started_at else None,
        "viewed": viewed,
        "editing_earlier": viewed is not None and viewing != step,
        "is_last_step": step == LAST_STEP,
        "action_plan_open": step >= ACTION_PLAN_STEP,
        "actions": actions,
        "prepare_form": prepare_form,
        "notes_form": notes_form,
        "action_form": forms.get("action_form") or CodevActionForm(auto_id="id_action_%s"),
        "planned_total": sum(s.planned_minutes for s in steps),
        "actual_total": sum(s.actual_minutes or 0 for s in steps),
    }


def _render_facilitate(request: HttpRequest, seance: Seance, **kwargs) -> HttpResponse:
    return render(
        request, "seances/codev_facilitate.html", _facilitate_context(request, seance, **kwargs)
    )


def _facilitate_url(seance: Seance, step: int | None = None, anchor: str = "") -> str:
    url = reverse("seances:codev_facilitate", args=[seance.public_id])
    if step is not None:
        url += f"?step={step}"
    return url + (f"#{anchor}" if anchor else "")


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def codev_facilitate(request: HttpRequest, public_id) -> HttpResponse:
    seance = _facilitated_seance(request, public_id)
    return _render_facilitate(request, seance)


@login_required
@require_POST
def codev_prepare(request: HttpRequest, public_id) -> HttpResponse:
    """Save the client and the topic; with the "start" button, start step 1 at once."""
    seance = _facilitated_seance(request, public_id)
    present = Beneficiary.objects.filter(
        attendances__seance=seance, attendances__status=AttendanceStatus.PRESENT
    ).order_by("name", "pk")
    form = CodevPrepareForm(request.POST, present=present)
    if form.is_valid():
        try:
            services.codev_prepare(
                seance=seance,
                client=form.cleaned_data["client"],
                topic=form.cleaned_data["topic"],
                acting_user=request.user,
            )
            if "start" in request.POST:
                services.codev_next_step(
                    seance=seance, notes="", current=NOT_STARTED, acting_user=request.user
                )
        except ValidationError as error:
            if seance.codev_step != NOT_STARTED:
                # Started meanwhile: the preparation form is no longer on the page.
                _show_errors(request, error)
                return redirect(_facilitate_url(seance, anchor="current-step"))
            add_service_errors(form, error)
        else:
            if seance.codev_step == NOT_STARTED:
                messages.success(request, _("The client and the topic are saved."))
            return redirect(_facilitate_url(seance, anchor="current-step"))
    return _render_facilitate(request, seance, prepare_form=form)


@login_required
@require_POST
def codev_step_next(request: HttpRequest, public_id) -> HttpResponse:
    """Save the running step's notes and move to the next step (or finish)."""
    seance = _facilitated_seance(request, public_id)
    form = CodevNotesForm(request.POST, auto_id="id_notes_%s")
    if not form.is_valid():
        return _render_facilitate(request, seance, notes_form=form)
    current = form.cleaned_data["step"]
    before = seance.codev_step
    try:
        services.codev_next_step(
            seance=seance,
            notes=form.cleaned_data["notes"],
            current=current,
            acting_user=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        if before != current or seance.codev_step != current + 1:
            messages.warning(
                request,
                _(
                    "Another window had already moved the séance on: no step was skipped. "
                    "Here is where the group is now."
                ),
            )
        elif seance.codev_step >= FINISHED:
            messages.success(request, _("The six steps are done. Thank you!"))
    return redirect(_facilitate_url(seance, anchor="current-step"))


@login_required
@require_POST
def codev_step_notes(request: HttpRequest, public_id) -> HttpResponse:
    """Save a step's notes without moving on: the running step or an earlier one."""
    seance = _facilitated_seance(request, public_id)
    form = CodevNotesForm(request.POST, auto_id="id_notes_%s")
    if not form.is_valid():
        return _render_facilitate(
            request,
            seance,
            notes_form=form,
            viewing=_viewing_step(request, seance, request.POST.get("step")),
        )
    number = form.cleaned_data["step"]
    try:
        services.codev_save_notes(
            seance=seance,
            number=number,
            notes=form.cleaned_data["notes"],
            acting_user=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
        return redirect(_facilitate_url(seance))
    messages.success(request, _("Notes saved."))
    if number == seance.codev_step:
        return redirect(_facilitate_url(seance, anchor="notes"))
    return redirect(_facilitate_url(seance, step=number, anchor="notes"))


@login_required
@require_POST
def codev_action_add(request: HttpRequest, public_id) -> HttpResponse:
    """Step 5: add an item to the client's action plan."""
    seance = _facilitated_seance(request, public_id)
    form = CodevActionForm(request.POST, auto_id="id_action_%s")
    if form.is_valid():
        try:
            services.codev_add_action(
                seance=seance,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added to the client's action plan."))
            return redirect(_facilitate_url(seance, anchor="action-plan"))
    return _render_facilitate(request, seance, action_form=form)


# The summary


def _summary_role(user, seance: Seance, people: dict) -> str:
    if is_seance_mentor(user, seance):
        return "mentor"
    if any(a.beneficiary.user_id == user.pk for a in people["present"]):
        return "participant"
    if coordinates_seance(user, seance):
        return "coordinator"
    raise PermissionDenied


def _has_entry(user, seance: Seance) -> bool:
    return LogbookEntry.objects.filter(author=user, seance=seance).exists()


@login_required
def codev_summary(request: HttpRequest, public_id) -> HttpResponse:
    """Read-only: participants and mentors read the notes of steps 1–5 and the action plan;
    coordinators see the steps, their durations and how many actions came out of it."""
    seance = _codev_seance(request, public_id)
    user = request.user
    people = _people(seance)
    role = _summary_role(user, seance, people)
    steps = _steps(seance)
    for step in steps:
        # Never in the page for a coordinator; step 6 is each person's own (their logbook).
        if role == "coordinator" or step.number == LAST_STEP:
            step.notes = ""
    actions = list(services.codev_actions(seance, people["client"]))
    client = people["client"]
    is_client = client is not None and client.beneficiary.user_id == user.pk
    invite = (
        role == "participant" and seance.codev_step >= LAST_STEP and not _has_entry(user, seance)
    )
    return render(
        request,
        "seances/codev_summary.html",
        {
            "seance": seance,
            "co_mentors": list(seance.co_mentors.all()),
            **people,
            "steps": steps,
            "role": role,
            "show_notes": role != "coordinator",
            "actions": actions,
            "is_client": is_client,
            "started": seance.codev_step > NOT_STARTED,
            "finished": seance.codev_step >= FINISHED,
            "invite": invite,
            "planned_total": sum(s.planned_minutes for s in steps),
            "actual_total": sum(s.actual_minutes or 0 for s in steps),
        },
    )

"""Co-development séances (seed 004): the facilitator prepares the séance (the client and the
situation-problem), walks the group through the six steps with a timer and notes per step,
and the client's action plan comes out of step 5.

`Seance.codev_step` says where the séance stands: 0 before the start, 1…6 the step running,
7 once the six steps are done. Every write that reads it locks the séance row first
(`select_for_update`), so two facilitator tabs (or two co-facilitators) pressing "next step"
together move the séance one step, not two. On SQLite the lock is a no-op (single writer).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaires.models import Beneficiary
from seances.enums import (
    CODEV_STEP_MINUTES,
    AttendanceStatus,
    CodevStepNumber,
    ParticipantRole,
    TaskOwner,
)
from seances.models import ActionItem, Attendance, CodevStep, Seance
from seances.permissions import is_seance_mentor
from seances.services.tasks import task_create

NOT_STARTED = 0
LAST_STEP = 6
FINISHED = 7
ACTION_PLAN_STEP = CodevStepNumber.SYNTHESIS
NOTES_MAX_LENGTH = 20000


# Who may do what


def can_facilitate(user, seance: Seance) -> bool:
    """The séance's mentor or co-mentors facilitate a co-development séance."""
    return seance.is_codevelopment and is_seance_mentor(user, seance)


def _require_facilitator(seance: Seance, acting_user) -> None:
    if not is_seance_mentor(acting_user, seance):
        raise PermissionDenied
    if not seance.is_codevelopment:
        raise ValidationError(_("This séance is not a co-development séance."))


def _locked(seance: Seance) -> Seance:
    return Seance.objects.select_for_update().get(pk=seance.pk)


def _refresh(seance: Seance, locked: Seance) -> None:
    """Let the caller's instance see what the service wrote."""
    seance.topic = locked.topic
    seance.codev_step = locked.codev_step


# Reads shared by the pages


def codev_client(seance: Seance) -> Attendance | None:
    return (
        seance.attendances.filter(role=ParticipantRole.CLIENT).select_related("beneficiary").first()
    )


def actual_minutes(step: CodevStep) -> int | None:
    """How long the step took, rounded to the minute (None while it has not ended)."""
    if step.started_at is None or step.ended_at is None:
        return None
    return round((step.ended_at - step.started_at).total_seconds() / 60)


# Preparing


def _set_client_role(seance: Seance, client: Beneficiary) -> None:
    """The client takes the role; the partial unique constraint holds one client per séance,
    and a breach (a writer that bypassed the lock) is a form error, not a server error."""
    try:
        with transaction.atomic():
            Attendance.objects.filter(seance=seance, beneficiary=client).update(
                role=ParticipantRole.CLIENT
            )
    except IntegrityError as error:
        raise ValidationError(
            {"client": _("This séance already has a client: there is one client per séance.")}
        ) from error


def codev_prepare(*, seance: Seance, client: Beneficiary, topic: str, acting_user) -> Seance:
    """Choose the client among the people present and the situation-problem; lay out the six
    steps. Can be done again until the first step starts."""
    _require_facilitator(seance, acting_user)
    topic = (topic or "").strip()
    with transaction.atomic():
        locked = _locked(seance)
        if locked.codev_step != NOT_STARTED:
            raise ValidationError(
                _("The séance has started: the client and the topic can no longer change.")
            )
        errors = {}
        if not topic:
            errors["topic"] = _("Say in a few words the situation-problem the client brings.")
        present = Attendance.objects.filter(seance=locked, status=AttendanceStatus.PRESENT)
        if client is None or not present.filter(beneficiary=client).exists():
            errors["client"] = _("Choose the client among the people present.")
        if errors:
            raise ValidationError(errors)
        # The others present are the consultants; whoever is not present takes no role.
        Attendance.objects.filter(seance=locked).exclude(status=AttendanceStatus.PRESENT).update(
            role=ParticipantRole.PARTICIPANT
        )
        present.exclude(beneficiary=client).update(role=ParticipantRole.CONSULTANT)
        _set_client_role(locked, client)
        locked.topic = topic[:200]
        locked.save(update_fields=["topic", "updated_at"])
        existing = set(CodevStep.objects.filter(seance=locked).values_list("number", flat=True))
        CodevStep.objects.bulk_create(
            CodevStep(seance=locked, number=number, planned_minutes=CODEV_STEP_MINUTES[number])
            for number in CodevStepNumber.values
            if number not in existing
        )
    _refresh(seance, locked)
    return locked


# Walking through the steps


def _require_prepared(seance: Seance) -> None:
    has_client = Attendance.objects.filter(seance=seance, role=ParticipantRole.CLIENT).exists()
    steps = CodevStep.objects.filter(seance=seance).count()
    if not has_client or steps != LAST_STEP or not seance.topic:
        raise ValidationError(_("Choose the client and the topic before starting."))


def _start(locked: Seance, number: int, now: datetime.datetime) -> None:
    """Close the running step and start `number`, the next one (the séance row is locked)."""
    if number != locked.codev_step + 1:
        raise ValidationError(
            _("The steps run in order: the next step is step %(number)s.")
            % {"number": locked.codev_step + 1}
        )
    if locked.codev_step == NOT_STARTED:
        _require_prepared(locked)
    else:
        CodevStep.objects.filter(
            seance=locked, number=locked.codev_step, ended_at__isnull=True
        ).update(ended_at=now)
    CodevStep.objects.filter(seance=locked, number=number).update(started_at=now, ended_at=None)
    locked.codev_step = number
    locked.save(update_fields=["codev_step", "updated_at"])


def codev_start_step(*, seance: Seance, number: int, acting_user) -> Seance:
    """Start step `number`: the next one in order; starting the step already running does
    nothing (a double click, a second tab)."""
    _require_facilitator(seance, acting_user)
    if number not in CodevStepNumber.values:
        raise ValidationError(_("Choose a step between 1 and 6."))
    with transaction.atomic():
        locked = _locked(seance)
        if locked.codev_step != number:
            _start(locked, number, timezone.now())
    _refresh(seance, locked)
    return locked


def _write_notes(seance: Seance, number: int, notes: str) -> None:
    CodevStep.objects.filter(seance=seance, number=number).update(
        notes=(notes or "").strip()[:NOTES_MAX_LENGTH]
    )


def codev_save_notes(*, seance: Seance, number: int, notes: str, acting_user) -> Seance:
    """Save the notes of a step that has started (the running one or an earlier one)."""
    _require_facilitator(seance, acting_user)
    with transaction.atomic():
        locked = _locked(seance)
        if number not in CodevStepNumber.values or number > locked.codev_step:
            raise ValidationError(_("This step has not started yet."))
        _write_notes(locked, number, notes)
    _refresh(seance, locked)
    return locked


def codev_next_step(
    *, seance: Seance, notes: str, acting_user, current: int | None = None
) -> Seance:
    """Save the running step's notes and move on: 0 → 1 starts the séance, 6 → 7 ends it.

    `current` is the step the facilitator's page showed. When another tab moved on in the
    meantime, nothing advances (no step is skipped) and the notes go to the step they were
    written for, unless they are empty (a stale empty box never wipes saved notes)."""
    _require_facilitator(seance, acting_user)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(seance)
        step = locked.codev_step
        if current is not None and current != step:
            if NOT_STARTED < current < step and (notes or "").strip():
                _write_notes(locked, current, notes)
        elif step >= FINISHED:
            raise ValidationError(_("The six steps are done."))
        elif step == LAST_STEP:
            _write_notes(locked, step, notes)
            CodevStep.objects.filter(seance=locked, number=step, ended_at__isnull=True).update(
                ended_at=now
            )
            locked.codev_step = FINISHED
            locked.save(update_fields=["codev_step", "updated_at"])
        else:
            if step != NOT_STARTED:
                _write_notes(locked, step, notes)
            _start(locked, step + 1, now)
    _refresh(seance, locked)
    return locked


# Step 5: the client's action plan


def codev_add_action(
    *, seance: Seance, title: str, due_on: datetime.date | None, acting_user
) -> ActionItem:
    """An item of the client's action plan, drawn up at step 5: a task of the client's own
    action plan, like any other."""
    _require_facilitator(seance, acting_user)
    with transaction.atomic():
        locked = _locked(seance)
        if locked.codev_step < ACTION_PLAN_STEP:
            raise ValidationError(_("The client's action plan is drawn up at step 5."))
        client = codev_client(locked)
        if client is None:
            raise ValidationError(_("This séance has no client."))
        return task_create(
            beneficiary=client.beneficiary,
            seance=locked,
            title=title,
            owner=TaskOwner.BENEFICIARY,
            due_on=due_on,
            acting_user=acting_user,
        )


def codev_actions(seance: Seance, client: Attendance | None):
    """The tasks that came out of this séance's step 5 for its client."""
    if client is None:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(seance=seance, beneficiary_id=client.beneficiary_id)

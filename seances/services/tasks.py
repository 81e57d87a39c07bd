"""The action plan: tasks that live across séances until done or dropped."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seances.enums import TaskOwner, TaskStatus
from seances.models import ActionItem


def can_update_task(user, task: ActionItem) -> bool:
    """The beneficiary themselves, or a mentor who follows them (the task is visible to them
    as a mentor). Coordinators read the plan; they do not tick tasks for people."""
    if not user.is_authenticated:
        return False
    if task.beneficiary.user_id == user.pk:
        return True
    return _follows(user, task)


def _follows(user, task: ActionItem) -> bool:
    """The mentor is the beneficiary's referent or led a séance they attended."""
    from beneficiaires.models import Enrollment
    from seances.models import Attendance, Seance

    return (
        Enrollment.objects.filter(beneficiary_id=task.beneficiary_id, referent_mentor=user).exists()
        or Attendance.objects.filter(
            beneficiary_id=task.beneficiary_id, seance__in=Seance.objects.led_by(user)
        ).exists()
    )


def task_create(
    *,
    beneficiary,
    title: str,
    acting_user,
    seance=None,
    owner: str = TaskOwner.BENEFICIARY,
    owner_detail: str = "",
    due_on: datetime.date | None = None,
) -> ActionItem:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say what is to be done.")})
    if owner not in TaskOwner.values:
        raise ValidationError({"owner": _("Choose who does it.")})
    return ActionItem.objects.create(
        beneficiary=beneficiary,
        seance=seance,
        title=title[:300],
        owner=owner,
        owner_detail=owner_detail[:120] if owner == TaskOwner.OTHER else "",
        due_on=due_on,
        created_by=acting_user,
    )


def task_set_status(*, task: ActionItem, status: str, acting_user) -> ActionItem:
    """The beneficiary or a mentor who follows them moves a task along."""
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if not can_update_task(acting_user, task):
        raise PermissionDenied
    with transaction.atomic():
        task = ActionItem.objects.select_for_update().get(pk=task.pk)
        if task.status != status:
            task.status = status
            task.status_changed_at = timezone.now()
            task.status_changed_by = acting_user
            task.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    return task

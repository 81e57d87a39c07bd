"""Closing records (draft, validation, corrections, the beneficiary's synthesis and comments,
the PDF report) and the action plan (tasks across séances, their status)."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.rules import can
from audit.models import AuditAction
from audit.services import audit_record
from beneficiaires.models import Beneficiary, Enrollment
from core.filters import StyledFilterSet
from core.http import add_service_errors, paginate, safe_next_url
from programmes.enums import OfferMode
from seances.documents import closing_report_filename, render_closing_report_pdf
from seances.emails import beneficiary_email
from seances.enums import OPEN_TASK_STATUSES, CommentKind, RecordStatus, TaskStatus
from seances.forms.records import (
    ClosingRecordForm,
    CommentForm,
    CorrectionForm,
    TaskFormSet,
    TaskStatusForm,
)
from seances.models import ActionItem, Attendance, ClosingRecord, Seance
from seances.services import closing
from seances.services.tasks import task_set_status

ACTION_PLAN_PAGE_SIZE = 50


# Shared helpers


def _records(user) -> QuerySet[ClosingRecord]:
    return ClosingRecord.objects.visible_to(user).select_related(
        "seance__offer__programme__organization",
        "seance__mentor",
        "beneficiary",
        "validated_by",
        "previous",
    )


def _visible_record(request: HttpRequest, public_id) -> ClosingRecord:
    return get_object_or_404(_records(request.user), public_id=public_id)


def _editable_record(request: HttpRequest, public_id) -> ClosingRecord:
    record = _visible_record(request, public_id)
    if not closing.can_edit_record(request.user, record):
        raise PermissionDenied
    return record


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def followed_beneficiary_ids(user) -> set[int]:
    """The beneficiaries whose tasks `user` may tick as a mentor: their referent, or the
    mentor of a séance they attended (the rule of seances.services.tasks.can_update_task)."""
    if not user.is_authenticated:
        return set()
    referent = Enrollment.objects.filter(referent_mentor=user).values_list(
        "beneficiary_id", flat=True
    )
    attended = Attendance.objects.filter(seance__in=Seance.objects.led_by(user)).values_list(
        "beneficiary_id", flat=True
    )
    return set(referent) | set(attended)


def prepare_task_rows(tasks, user, *, followed: set[int] | None = None) -> list[ActionItem]:
    """Set what templates/seances/task_row.html reads on each task: `can_update`, `overdue`
    and `status_choices`. The tasks need `beneficiary` and `seance` loaded (select_related)."""
    tasks = list(tasks)
    if followed is None:
        followed = followed_beneficiary_ids(user) if tasks else set()
    today = timezone.localdate()
    for task in tasks:
        task.can_update = (
            task.beneficiary.user_id is not None and task.beneficiary.user_id == user.pk
        ) or task.beneficiary_id in followed
        task.overdue = bool(task.is_open and task.due_on and task.due_on < today)
        task.status_choices = TaskStatus.choices
    return tasks


# Starting, writing and validating a draft


@login_required
@require_POST
def record_start(request: HttpRequest, seance_id, beneficiary_id) -> HttpResponse:
    """Open (or reopen) the draft closing record of a participant of the séance."""
    seance = get_object_or_404(Seance.objects.visible_to(request.user), public_id=seance_id)
    attendance = get_object_or_404(
        Attendance.objects.select_related("beneficiary"),
        seance=seance,
        beneficiary__public_id=beneficiary_id,
    )
    try:
        record = closing.record_start(
            seance=seance, beneficiary=attendance.beneficiary, acting_user=request.user
        )
    except ValidationError as error:
        _show_errors(request, error)
        latest = (
            ClosingRecord.objects.filter(seance=seance, beneficiary=attendance.beneficiary)
            .order_by("-version")
            .first()
        )
        if latest is None:
            return redirect("seances:seance_detail", public_id=seance.public_id)
        return redirect("seances:record_detail", public_id=latest.public_id)
    return redirect("seances:record_edit", public_id=record.public_id)


class _TaskErrors(Exception):
    """A task row was refused: the whole save is rolled back and the form shown again."""


def _save_tasks(record: ClosingRecord, formset, existing: dict, user) -> None:
    failed = False
    for task_form in formset.forms:
        if not task_form.has_changed():
            continue
        data = task_form.cleaned_data
        task_id = data.get("task")
        fields = {
            "title": data.get("title", ""),
            "owner": data["owner"],
            "owner_detail": data.get("owner_detail", ""),
            "due_on": data.get("due_on"),
        }
        try:
            if task_id:
                task = existing.get(task_id)
                if task is None:
                    raise ValidationError(_("This task is no longer in the record."))
                if data.get("DELETE"):
                    closing.record_task_remove(record=record, task=task, acting_user=user)
                else:
                    closing.record_task_update(record=record, task=task, acting_user=user, **fields)
            elif fields["title"].strip() and not data.get("DELETE"):
                closing.record_task_add(record=record, acting_user=user, **fields)
        except ValidationError as error:
            add_service_errors(task_form, error)
            failed = True
    if failed:
        raise _TaskErrors


@login_required
def record_edit(request: HttpRequest, public_id) -> HttpResponse:
    """The draft, in the sections of the seed-002 checklist, with its tasks."""
    user = request.user
    record = _editable_record(request, public_id)
    if not record.is_draft:
        messages.info(request, _("This record is validated and frozen: correct it to change it."))
        return redirect("seances:record_detail", public_id=record.public_id)
    tasks = list(closing.record_tasks(record).select_related("beneficiary"))
    existing = {task.public_id: task for task in tasks}
    initial = [
        {
            "task": task.public_id,
            "title": task.title,
            "owner": task.owner,
            "owner_detail": task.owner_detail,
            "due_on": task.due_on,
        }
        for task in tasks
    ]
    post = request.POST if request.method == "POST" else None
    form = ClosingRecordForm(post, instance=record)
    formset = TaskFormSet(post, initial=initial, prefix="tasks")
    if post is not None and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                closing.record_update(record=record, acting_user=user, **form.service_fields())
                _save_tasks(record, formset, existing, user)
        except ValidationError as error:
            add_service_errors(form, error)
        except _TaskErrors:
            form.add_error(None, _("A task could not be saved: see the action plan below."))
        else:
            if post.get("action") == "validate":
                return redirect("seances:record_validate", public_id=record.public_id)
            messages.success(request, _("Draft saved."))
            return redirect("seances:record_edit", public_id=record.public_id)
    earlier = prepare_task_rows(
        closing.earlier_open_tasks(record).select_related("beneficiary", "seance"), user
    )
    return render(
        request,
        "seances/record_edit.html",
        {
            "record": record,
            "seance": record.seance,
            "form": form,
            "formset": formset,
            "earlier_tasks": earlier,
            "versions": _versions(record, user),
        },
    )


@login_required
def record_validate(request: HttpRequest, public_id) -> HttpResponse:
    """GET: what validating does (freeze, share, email); POST: do it."""
    record = _editable_record(request, public_id)
    if not record.is_draft:
        messages.info(request, _("This record is already validated."))
        return redirect("seances:record_detail", public_id=record.public_id)
    if request.method == "POST":
        try:
            record = closing.record_validate(record=record, acting_user=request.user)
        except ValidationError as error:
            _show_errors(request, error)
            return redirect("seances:record_edit", public_id=record.public_id)
        messages.success(request, _("The record is validated and shared with the beneficiary."))
        return redirect("seances:record_detail", public_id=record.public_id)
    tasks = prepare_task_rows(
        closing.record_tasks(record).select_related("beneficiary", "seance"), request.user
    )
    return render(
        request,
        "seances/record_validate.html",
        {
            "record": record,
            "seance": record.seance,
            "tasks": tasks,
            "email": beneficiary_email(record.beneficiary),
            "has_account": record.beneficiary.user_id is not None,
        },
    )


@login_required
def record_correct(request: HttpRequest, public_id) -> HttpResponse:
    """Open a new version of a validated record, saying why."""
    record = _editable_record(request, public_id)
    if not record.is_validated:
        return redirect("seances:record_edit", public_id=record.public_id)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = closing.record_correct(
                record=record, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s opened as a draft: the validated version stays as it was.")
                % {"version": draft.version},
            )
            return redirect("seances:record_edit", public_id=draft.public_id)
    return render(
        request,
        "seances/record_correct.html",
        {"record": record, "seance": record.seance, "form": form},
    )


# Reading a record


def _versions(record: ClosingRecord, user) -> list[ClosingRecord]:
    """Every version of this person's record for this séance that `user` may see, newest
    first; the current one is the latest validated version."""
    versions = list(
        ClosingRecord.objects.visible_to(user)
        .filter(seance_id=record.seance_id, beneficiary_id=record.beneficiary_id)
        .only("public_id", "version", "status", "validated_at", "correction_reason")
        .order_by("-version")
    )
    current = next((v for v in versions if v.status == RecordStatus.VALIDATED), None)
    for version in versions:
        version.is_current = current is not None and version.pk == current.pk
    return versions


def _booking_link(record: ClosingRecord, user, *, is_beneficiary: bool, can_edit: bool) -> str:
    """The one-click booking of the next appointment: the booking week of the séance's offer
    with its mentor, on the week of the next date agreed (the mentor books on behalf)."""
    seance = record.seance
    if seance.offer.mode != OfferMode.INDIVIDUAL:
        return ""
    week = record.next_date.isoformat() if record.next_date else None
    if is_beneficiary:
        url = reverse("seances:book_slots", args=[seance.offer.public_id])
        params = {"accompagnant": seance.mentor.public_id, "semaine": week}
    elif can_edit:
        url = reverse("seances:book_on_behalf")
        params = {
            "beneficiary": record.beneficiary.public_id,
            "offer": seance.offer.public_id,
            "mentor": seance.mentor.public_id,
            "week": week,
        }
    else:
        return ""
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{url}?{query}"


@login_required
def record_detail(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    record = _visible_record(request, public_id)
    seance = record.seance
    can_edit = closing.can_edit_record(user, record)
    is_beneficiary = closing.is_record_beneficiary(user, record)
    if is_beneficiary:
        closing.record_mark_read(record=record, acting_user=user)
    else:
        audit_record(
            actor=user,
            action=AuditAction.READ,
            obj=record,
            summary=_("closing record read (version %(version)s)") % {"version": record.version},
            organization_id=seance.offer.programme.organization_id,
        )
    comments = list(record.comments.select_related("author").order_by("created_at", "pk"))
    synthesis = next(
        (c for c in comments if c.kind == CommentKind.SYNTHESIS and c.author_id == user.pk), None
    )
    tasks = prepare_task_rows(
        [
            *closing.record_tasks(record).select_related("beneficiary", "seance"),
            *closing.earlier_open_tasks(record).select_related("beneficiary", "seance"),
        ],
        user,
    )
    next_appointment = closing.next_appointment(record)
    versions = _versions(record, user)
    draft = next((v for v in versions if v.status == RecordStatus.DRAFT), None)
    return render(
        request,
        "seances/record_detail.html",
        {
            "record": record,
            "seance": seance,
            "versions": versions,
            "current": next((v for v in versions if v.is_current), None),
            "draft": draft,
            "correctable": record.is_validated and draft is None and versions[0].pk == record.pk,
            "can_edit": can_edit,
            "is_beneficiary": is_beneficiary,
            "syntheses": [c for c in comments if c.kind == CommentKind.SYNTHESIS],
            "comments": [c for c in comments if c.kind == CommentKind.COMMENT],
            "synthesis_form": CommentForm(
                initial={"kind": CommentKind.SYNTHESIS, "body": synthesis.body if synthesis else ""}
            ),
            "comment_form": CommentForm(initial={"kind": CommentKind.COMMENT}),
            "can_comment": closing.can_comment_record(user, record),
            "can_write_synthesis": closing.can_comment_record(user, record, CommentKind.SYNTHESIS),
            "tasks": tasks,
            "next_appointment": next_appointment,
            "booking_url": ""
            if next_appointment
            else _booking_link(record, user, is_beneficiary=is_beneficiary, can_edit=can_edit),
            "here": reverse("seances:record_detail", args=[record.public_id]),
        },
    )


@login_required
def record_pdf(request: HttpRequest, public_id) -> HttpResponse:
    """The report of a validated record, as an attachment; each download is journaled."""
    record = _visible_record(request, public_id)
    if not record.is_validated:
        raise Http404
    pdf = render_closing_report_pdf(record)
    audit_record(
        actor=request.user,
        action=AuditAction.DOWNLOAD,
        obj=record,
        summary=_("closing report downloaded (version %(version)s)") % {"version": record.version},
        organization_id=record.seance.offer.programme.organization_id,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{closing_report_filename(record)}"'
    return response


@login_required
@require_POST
def record_comment(request: HttpRequest, public_id) -> HttpResponse:
    """The beneficiary's synthesis, or a comment of the beneficiary or the mentor."""
    record = _visible_record(request, public_id)
    form = CommentForm(request.POST)
    detail = reverse("seances:record_detail", args=[record.public_id])
    if not form.is_valid():
        messages.error(request, _("Write something first."))
        return redirect(detail)
    kind = form.cleaned_data["kind"]
    try:
        closing.record_comment_add(
            record=record, author=request.user, kind=kind, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        _show_errors(request, error)
        return redirect(detail)
    if kind == CommentKind.SYNTHESIS:
        messages.success(request, _("Your synthesis is saved."))
    else:
        messages.success(request, _("Your comment is added."))
    return redirect(f"{detail}#comments")


# The action plan


class ActionPlanFilter(StyledFilterSet):
    OPEN = "open"

    beneficiary = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Beneficiary"),
        field_name="beneficiary",
        to_field_name="public_id",
        queryset=Beneficiary.objects.none(),
        empty_label=gettext_lazy("Everyone"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[(OPEN, gettext_lazy("Open (to do or in progress)")), *TaskStatus.choices],
        empty_label=gettext_lazy("All statuses"),
        method="filter_status",
    )
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Overdue only"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = ActionItem
        fields = ["beneficiary", "status", "overdue"]

    def __init__(self, data=None, *args, beneficiaries: QuerySet, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["beneficiary"].queryset = beneficiaries
        self.form.fields["beneficiary"].queryset = beneficiaries

    def filter_status(self, queryset, name, value):
        if value == self.OPEN:
            return queryset.filter(status__in=OPEN_TASK_STATUSES)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.overdue(timezone.localdate())
        return queryset


@login_required
def action_plan(request: HttpRequest) -> HttpResponse:
    """A beneficiary's own tasks (open, then done or dropped); for mentors the tasks of the
    people they follow, filterable; for coordinators, their structures' tasks, read only."""
    user = request.user
    tasks = (
        ActionItem.objects.visible_to(user)
        .select_related("beneficiary", "seance")
        .order_by(F("due_on").asc(nulls_last=True), "created_at", "pk")
    )
    profile = getattr(user, "beneficiary_profile", None)
    if profile is not None and not can(user, "beneficiary.list"):
        own = prepare_task_rows(tasks.filter(beneficiary=profile), user, followed=set())
        return render(
            request,
            "seances/action_plan.html",
            {
                "mode": "beneficiary",
                "open_tasks": [t for t in own if t.is_open],
                "closed_tasks": [t for t in own if not t.is_open],
                "overdue_count": sum(1 for t in own if t.overdue),
                "here": request.get_full_path(),
            },
        )
    if not can(user, "beneficiary.list"):
        raise PermissionDenied
    beneficiaries = Beneficiary.objects.filter(
        pk__in=ActionItem.objects.visible_to(user).values("beneficiary_id")
    ).order_by("name", "pk")
    filterset = ActionPlanFilter(request.GET, queryset=tasks, beneficiaries=beneficiaries)
    rows = filterset.qs if filterset.is_valid() else tasks.none()
    pagination = paginate(request, rows, ACTION_PLAN_PAGE_SIZE)
    page = pagination["page"]
    page.object_list = prepare_task_rows(page.object_list, user)
    return render(
        request,
        "seances/action_plan.html",
        {
            "mode": "staff",
            "filter": filterset,
            **pagination,
            "can_update_any": any(task.can_update for task in page.object_list),
            "overdue_count": tasks.overdue(timezone.localdate()).count(),
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def task_status(request: HttpRequest, public_id) -> HttpResponse:
    """Move a task along (to do, in progress, done, dropped); htmx swaps the row in place."""
    task = get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("beneficiary", "seance"),
        public_id=public_id,
    )
    form = TaskStatusForm(request.POST)
    htmx = request.headers.get("HX-Request") == "true"
    error = ""
    if not form.is_valid():
        error = _("Choose a valid status.")
    else:
        try:
            task = task_set_status(
                task=task, status=form.cleaned_data["status"], acting_user=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if htmx:
        task = ActionItem.objects.select_related("beneficiary", "seance").get(pk=task.pk)
        prepare_task_rows([task], request.user)
        return render(
            request,
            "seances/task_row.html",
            {
                "task": task,
                "next": safe_next_url(request, ""),
                "show_beneficiary": request.POST.get("show_beneficiary") == "1",
                "row_message": error or _("Status saved."),
                "row_error": bool(error),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("“%(title)s”: %(status)s.")
            % {"title": task.title, "status": task.get_status_display()},
        )
    return redirect(safe_next_url(request, reverse("seances:action_plan")))

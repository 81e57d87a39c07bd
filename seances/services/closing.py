"""Closing a working time ("clore un temps de travail", seed 002): the closing record of one
beneficiary of a séance, its tasks, its validation (frozen, shared, emailed as a PDF), its
corrections (new versions, the history kept) and the beneficiary's synthesis and comments.

A validated record is frozen: `snapshot` holds everything the report prints, as display
strings, so the same PDF can be produced later even if tasks, names or appointments change.
Confidential notes are another model: nothing here reads them.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from seances.enums import (
    OPEN_TASK_STATUSES,
    AppointmentStatus,
    CommentKind,
    ExchangeChannel,
    ExchangeFrequency,
    ExpectationsMet,
    RecordStatus,
    TaskOwner,
)
from seances.models import (
    ActionItem,
    Appointment,
    Attendance,
    ClosingRecord,
    ClosingRecordComment,
    Seance,
)
from seances.permissions import is_seance_mentor
from seances.services.tasks import task_create

PARIS = ZoneInfo("Europe/Paris")
REPORT_LANGUAGE = "fr"
SNAPSHOT_FORMAT = 1

TEXT_FIELDS = (
    "expectations",
    "content",
    "next_step",
    "means_and_resources",
    "future_needs",
    "mentor_can_help_with",
    "beneficiary_commitments",
    "mentor_commitments",
    "misunderstandings",
)
# Every field the mentor writes in a draft (and a correction copies).
RECORD_FIELDS = (
    *TEXT_FIELDS,
    "expectations_met",
    "relay_consent",
    "next_frequency",
    "next_date",
    "next_channels",
)


# Who may do what


def can_edit_record(user, record: ClosingRecord) -> bool:
    """Drafts, validation and corrections: the séance's mentor(s)."""
    return is_seance_mentor(user, record.seance)


def is_record_beneficiary(user, record: ClosingRecord) -> bool:
    return (
        user.is_authenticated
        and record.beneficiary.user_id is not None
        and record.beneficiary.user_id == user.pk
    )


def can_comment_record(user, record: ClosingRecord, kind: str = CommentKind.COMMENT) -> bool:
    """The synthesis is the beneficiary's own; comments come from the beneficiary or the
    séance's mentor(s). Only on a validated record."""
    if not record.is_validated:
        return False
    if kind == CommentKind.SYNTHESIS:
        return is_record_beneficiary(user, record)
    return is_record_beneficiary(user, record) or is_seance_mentor(user, record.seance)


def _require_editor(user, record: ClosingRecord) -> None:
    if not can_edit_record(user, record):
        raise PermissionDenied


def _require_draft(record: ClosingRecord) -> None:
    if not record.is_draft:
        raise ValidationError(
            _("This record is validated and frozen: correct it to write a new version.")
        )


# The draft


def record_start(*, seance: Seance, beneficiary, acting_user) -> ClosingRecord:
    """Open the draft closing record of `beneficiary` for `seance` (or return the open one)."""
    if not is_seance_mentor(acting_user, seance):
        raise PermissionDenied
    if not Attendance.objects.filter(seance=seance, beneficiary=beneficiary).exists():
        raise ValidationError(_("This person did not take part in the séance."))
    records = ClosingRecord.objects.filter(seance=seance, beneficiary=beneficiary)
    draft = records.filter(status=RecordStatus.DRAFT).first()
    if draft is not None:
        return draft
    if records.filter(status=RecordStatus.VALIDATED).exists():
        raise ValidationError(
            _("This record is already validated: correct it to write a new version.")
        )
    try:
        with transaction.atomic():
            return ClosingRecord.objects.create(
                seance=seance, beneficiary=beneficiary, version=1, created_by=acting_user
            )
    except IntegrityError:
        # Someone opened it at the same moment: theirs is the draft.
        draft = records.filter(status=RecordStatus.DRAFT).first()
        if draft is None:
            raise ValidationError(
                _("This record is already validated: correct it to write a new version.")
            ) from None
        return draft


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    cleaned = dict(fields)
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if cleaned.get("expectations_met") not in (None, "", *ExpectationsMet.values):
        errors["expectations_met"] = _("Choose a valid answer.")
    if cleaned.get("next_frequency") not in (None, "", *ExchangeFrequency.values):
        errors["next_frequency"] = _("Choose a valid frequency.")
    for name in ("expectations_met", "next_frequency"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    if "next_channels" in cleaned:
        channels = cleaned["next_channels"] or []
        valid = not isinstance(channels, str) and all(isinstance(c, str) for c in channels)
        if not valid or set(channels) - set(ExchangeChannel.values):
            errors["next_channels"] = _("Choose channels from the list.")
        else:
            # Stored in the list's order, once each.
            cleaned["next_channels"] = [c for c in ExchangeChannel.values if c in channels]
    next_date = cleaned.get("next_date")
    if next_date is not None and not isinstance(next_date, datetime.date):
        errors["next_date"] = _("Enter a valid date.")
    if "relay_consent" in cleaned:
        cleaned["relay_consent"] = bool(cleaned["relay_consent"])
    if errors:
        raise ValidationError(errors)
    return cleaned


def record_update(*, record: ClosingRecord, acting_user, **fields) -> ClosingRecord:
    """Change a draft's fields; a validated record is frozen."""
    _require_editor(acting_user, record)
    cleaned = _clean_fields(fields)
    with transaction.atomic():
        locked = ClosingRecord.objects.select_for_update().get(pk=record.pk)
        _require_draft(locked)
        for name, value in cleaned.items():
            setattr(record, name, value)
        record.save(update_fields=[*cleaned, "updated_at"])
    return record


def record_tasks(record: ClosingRecord):
    """The tasks written in this record: this séance's, for this beneficiary."""
    return ActionItem.objects.filter(
        seance_id=record.seance_id, beneficiary_id=record.beneficiary_id
    )


def earlier_open_tasks(record: ClosingRecord):
    """The beneficiary's tasks still open from before this séance (or from no séance)."""
    seance = record.seance
    return (
        ActionItem.objects.filter(
            beneficiary_id=record.beneficiary_id, status__in=OPEN_TASK_STATUSES
        )
        .filter(Q(seance__isnull=True) | Q(seance__starts_at__lt=seance.starts_at))
        .exclude(seance_id=seance.pk)
    )


def _draft_for_tasks(record: ClosingRecord, acting_user) -> None:
    _require_editor(acting_user, record)
    _require_draft(ClosingRecord.objects.only("status").get(pk=record.pk))


def record_task_add(
    *,
    record: ClosingRecord,
    acting_user,
    title: str,
    owner: str = TaskOwner.BENEFICIARY,
    owner_detail: str = "",
    due_on: datetime.date | None = None,
) -> ActionItem:
    """A task decided at this séance, in the draft's action plan."""
    _draft_for_tasks(record, acting_user)
    return task_create(
        beneficiary=record.beneficiary,
        seance=record.seance,
        title=title,
        owner=owner,
        owner_detail=owner_detail,
        due_on=due_on,
        acting_user=acting_user,
    )


def _own_task(record: ClosingRecord, task: ActionItem) -> None:
    if task.seance_id != record.seance_id or task.beneficiary_id != record.beneficiary_id:
        raise PermissionDenied


def record_task_update(
    *,
    record: ClosingRecord,
    task: ActionItem,
    acting_user,
    title: str,
    owner: str,
    owner_detail: str = "",
    due_on: datetime.date | None = None,
) -> ActionItem:
    """Reword a task of this séance while the record is a draft."""
    _draft_for_tasks(record, acting_user)
    _own_task(record, task)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say what is to be done.")})
    if owner not in TaskOwner.values:
        raise ValidationError({"owner": _("Choose who does it.")})
    task.title = title[:300]
    task.owner = owner
    task.owner_detail = owner_detail[:120] if owner == TaskOwner.OTHER else ""
    task.due_on = due_on
    task.save(update_fields=["title", "owner", "owner_detail", "due_on"])
    return task


def record_task_remove(*, record: ClosingRecord, task: ActionItem, acting_user) -> None:
    """Take a task of this séance out of the draft's action plan."""
    _draft_for_tasks(record, acting_user)
    _own_task(record, task)
    task.delete()


# Validation: the record is frozen, shared and emailed


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _when(value: datetime.datetime) -> tuple[str, str]:
    local = timezone.localtime(value, PARIS)
    return formats.date_format(local, "l j F Y"), formats.time_format(local, "H:i")


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def next_appointment(record: ClosingRecord) -> Appointment | None:
    """The beneficiary's next booked appointment after the séance."""
    seance = record.seance
    appointments = Appointment.objects.filter(
        beneficiary_id=record.beneficiary_id,
        status=AppointmentStatus.BOOKED,
        starts_at__gt=seance.starts_at,
    ).select_related("mentor", "offer")
    if seance.appointment_id:
        appointments = appointments.exclude(pk=seance.appointment_id)
    return appointments.order_by("starts_at", "pk").first()


def _task_row(task: ActionItem, seance: Seance, today: datetime.date) -> dict:
    earlier = task.seance_id != seance.pk
    origin = ""
    if earlier and task.seance_id:
        origin = _("from the séance of %(date)s") % {
            "date": _date(timezone.localtime(task.seance.starts_at, PARIS).date())
        }
    elif earlier:
        origin = _("from an earlier exchange")
    return {
        "title": task.title,
        "owner": task.owner_label(),
        "due_on": _date(task.due_on),
        "due_on_iso": task.due_on.isoformat() if task.due_on else None,
        "status": str(task.get_status_display()),
        "status_value": task.status,
        "overdue": bool(task.is_open and task.due_on and task.due_on < today),
        "earlier": earlier,
        "origin": origin,
    }


def build_snapshot(record: ClosingRecord, *, validated_by, validated_at) -> dict:
    """Everything the report prints, as display strings in French (never confidential notes,
    which live in another table and are not read here)."""
    seance = (
        Seance.objects.select_related("offer__programme__organization", "mentor")
        .prefetch_related("co_mentors")
        .get(pk=record.seance_id)
    )
    programme = seance.offer.programme
    beneficiary = record.beneficiary
    today = timezone.localdate()
    with translation.override(REPORT_LANGUAGE):
        seance_date, seance_time = _when(seance.starts_at)
        tasks = [
            *record_tasks(record).select_related("seance"),
            *earlier_open_tasks(record).select_related("seance"),
        ]
        appointment = next_appointment(record)
        next_appointment_data = None
        if appointment is not None:
            day, time = _when(appointment.starts_at)
            next_appointment_data = {
                "date": day,
                "time": time,
                "mentor": _person(appointment.mentor),
                "channel": str(appointment.get_channel_display()),
                "location": appointment.location,
                "offer": appointment.offer.title,
            }
        validated_local = timezone.localtime(validated_at, PARIS)
        return {
            "format": SNAPSHOT_FORMAT,
            "programme": {
                "title": programme.title,
                "organization": programme.organization.name,
                "logo": programme.logo.name or None,
            },
            "offer": seance.offer.title,
            "mentor": _person(seance.mentor),
            "co_mentors": [_person(user) for user in seance.co_mentors.all()],
            "beneficiary": beneficiary.name,
            "beneficiary_contact": beneficiary.contact_name,
            "seance": {
                "date": seance_date,
                "date_iso": timezone.localtime(seance.starts_at, PARIS).date().isoformat(),
                "time": seance_time,
                "duration_minutes": seance.duration_minutes,
                "kind": str(seance.get_kind_display()),
                "offer": seance.offer.title,
                "channel": str(seance.get_channel_display()) if seance.channel else "",
                "topic": seance.topic,
            },
            "fields": {
                **{name: getattr(record, name) for name in TEXT_FIELDS},
                "expectations_met": str(record.get_expectations_met_display())
                if record.expectations_met
                else "",
                "relay_consent": _("Yes") if record.relay_consent else _("No"),
                "next_frequency": str(record.get_next_frequency_display())
                if record.next_frequency
                else "",
                "next_date": _date(record.next_date),
                "next_channels": ", ".join(record.next_channel_labels()),
            },
            "tasks": [_task_row(task, seance, today) for task in tasks],
            "next_appointment": next_appointment_data,
            "version": record.version,
            "correction_reason": record.correction_reason,
            "validated_at": _("%(date)s at %(time)s")
            % {
                "date": formats.date_format(validated_local, "j F Y"),
                "time": formats.time_format(validated_local, "H:i"),
            },
            "validated_at_iso": validated_at.isoformat(),
            "validated_by": _person(validated_by),
        }


def record_validate(*, record: ClosingRecord, acting_user) -> ClosingRecord:
    """Freeze the draft, share it with the beneficiary and email them the report (an outbox
    row written in this transaction, delivered after the commit with the PDF)."""
    from seances.emails import write_closing_report

    _require_editor(acting_user, record)
    with transaction.atomic():
        locked = (
            ClosingRecord.objects.select_for_update(of=("self",))
            .select_related("beneficiary", "seance__offer__programme")
            .get(pk=record.pk)
        )
        _require_draft(locked)
        if not any(getattr(locked, name) for name in TEXT_FIELDS):
            raise ValidationError(
                _("The record is empty: write at least the content worked on or the next step.")
            )
        now = timezone.now()
        locked.snapshot = build_snapshot(locked, validated_by=acting_user, validated_at=now)
        locked.status = RecordStatus.VALIDATED
        locked.validated_at = now
        locked.validated_by = acting_user
        locked.save(
            update_fields=["snapshot", "status", "validated_at", "validated_by", "updated_at"]
        )
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=_("closing record validated (version %(version)s)")
            % {"version": locked.version},
            organization_id=locked.seance.offer.programme.organization_id,
        )
        write_closing_report(locked)
        if locked.relay_consent:
            _record_network_consent(locked, acting_user=acting_user, given_at=now)
    return locked


def _record_network_consent(record: ClosingRecord, *, acting_user, given_at) -> None:
    """The record's "relay in the networks" consent becomes the person's current consent of
    that purpose (the one the network showcase reads), unless one is already current. It is
    withdrawn like any consent, on the person's page; a later record without it withdraws
    nothing: only the person, or the team on their behalf, withdraws a consent."""
    from beneficiaires.enums import ConsentPurpose
    from beneficiaires.models import Consent

    if record.beneficiary.consents.filter(
        purpose=ConsentPurpose.NETWORK_SHARING, withdrawn_at__isnull=True
    ).exists():
        return
    try:
        with transaction.atomic():
            Consent.objects.create(
                beneficiary=record.beneficiary,
                purpose=ConsentPurpose.NETWORK_SHARING,
                given_at=given_at,
                recorded_by=acting_user,
            )
    except IntegrityError:  # recorded at the same moment by someone else
        pass


# Corrections: a new version, the validated one unchanged


def record_correct(*, record: ClosingRecord, acting_user, reason: str) -> ClosingRecord:
    """Open the next version of a validated record as a draft, copying its fields."""
    _require_editor(acting_user, record)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is corrected.")})
    try:
        with transaction.atomic():
            # The lock serialises two corrections of the same version on PostgreSQL.
            locked = ClosingRecord.objects.select_for_update().get(pk=record.pk)
            if not locked.is_validated:
                raise ValidationError(_("Only a validated record can be corrected."))
            versions = ClosingRecord.objects.filter(
                seance_id=locked.seance_id, beneficiary_id=locked.beneficiary_id
            )
            if versions.filter(status=RecordStatus.DRAFT).exists():
                raise ValidationError(
                    _("A correction of this record is already in progress: finish it first.")
                )
            latest = versions.order_by("-version").values_list("version", flat=True).first()
            if latest != locked.version:
                raise ValidationError(_("Correct the latest version of this record."))
            with transaction.atomic():
                return ClosingRecord.objects.create(
                    seance_id=locked.seance_id,
                    beneficiary_id=locked.beneficiary_id,
                    version=locked.version + 1,
                    previous=locked,
                    correction_reason=reason[:300],
                    created_by=acting_user,
                    **{name: getattr(locked, name) for name in RECORD_FIELDS},
                )
    except IntegrityError:
        # Another correction won the race (unique version, one draft per person and séance).
        raise ValidationError(
            _("A correction of this record is already in progress: finish it first.")
        ) from None


# What the beneficiary adds


def record_comment_add(
    *, record: ClosingRecord, author, kind: str, body: str
) -> ClosingRecordComment:
    """The beneficiary's synthesis (one per version, rewritten when sent again) or a comment
    from the beneficiary or the séance's mentor(s). The frozen record does not change."""
    if kind not in CommentKind.values:
        raise ValidationError({"kind": _("Choose a valid kind of comment.")})
    if not record.is_validated:
        raise ValidationError(_("Comments are added once the record is validated."))
    if not can_comment_record(author, record, kind):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    with transaction.atomic():
        if kind == CommentKind.SYNTHESIS:
            existing = (
                ClosingRecordComment.objects.select_for_update()
                .filter(record=record, kind=CommentKind.SYNTHESIS, author=author)
                .first()
            )
            if existing is not None:
                existing.body = body
                existing.save(update_fields=["body"])
                return existing
        return ClosingRecordComment.objects.create(
            record=record, author=author, kind=kind, body=body
        )


def record_mark_read(*, record: ClosingRecord, acting_user) -> bool:
    """Note when the beneficiary first opened their validated record; True the first time."""
    if not record.is_validated or not is_record_beneficiary(acting_user, record):
        return False
    now = timezone.now()
    changed = ClosingRecord.objects.filter(
        pk=record.pk, read_by_beneficiary_at__isnull=True
    ).update(read_by_beneficiary_at=now)
    if changed:
        record.read_by_beneficiary_at = now
    return bool(changed)

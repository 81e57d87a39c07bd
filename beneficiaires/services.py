"""Writes on beneficiaries, their outreach, consents and enrollments."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import Organization
from audit.services import audit_change, audit_changes
from beneficiaires import imports, permissions
from beneficiaires.enums import (
    ACTIVE_ENROLLMENT_STATUSES,
    ConsentPurpose,
    ContactChannel,
    EnrollmentStatus,
    OutreachStage,
    Priority,
    Source,
)
from beneficiaires.models import Beneficiary, BeneficiaryMerge, Consent, ContactLog, Enrollment
from beneficiaires.selectors import existing_duplicate_keys
from programmes.enums import ProgrammeStatus
from programmes.models import Offer, Programme
from programmes.permissions import can_manage_programme

# What a person may type on the create and edit forms; the rest is set by the services.
EDITABLE_FIELDS = (
    "kind",
    "name",
    "contact_name",
    "email",
    "phone",
    "postal_code",
    "territory",
    "situation",
    "programme",
    "priority",
    "source",
    "source_detail",
    "notes",
)
# Blank fields of a kept record are filled from the merged one.
MERGE_FILLED_FIELDS = (
    "contact_name",
    "email",
    "phone",
    "postal_code",
    "territory",
    "situation",
    "programme",
    "source_detail",
)


def enrollment_create(
    *,
    beneficiary: Beneficiary,
    offer: Offer,
    referent_mentor=None,
    started_on: datetime.date | None = None,
    acting_user,
) -> Enrollment:
    """Enroll a beneficiary in an offer; one active enrollment per offer, held by the database."""
    programme = offer.programme
    if not can_manage_programme(acting_user, programme):
        raise PermissionDenied
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("This programme is closed: no new enrollment is possible."))
    if beneficiary.organization_id != programme.organization_id:
        raise ValidationError(_("This beneficiary is followed by another structure."))
    if referent_mentor is not None and not _is_mentor_of(
        referent_mentor, programme.organization_id
    ):
        raise ValidationError(_("The referent mentor must be a mentor of the structure."))
    try:
        with transaction.atomic():
            return Enrollment.objects.create(
                beneficiary=beneficiary,
                offer=offer,
                referent_mentor=referent_mentor,
                started_on=started_on or timezone.localdate(),
                created_by=acting_user,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This beneficiary is already enrolled in this offer."), code="duplicate"
        ) from exc


def _is_mentor_of(user, organization_id: int) -> bool:
    return user.memberships.filter(
        organization_id=organization_id, role=Role.MENTOR, is_active=True
    ).exists()


def _check_programme(programme: Programme | None, organization_id: int) -> None:
    if programme is not None and programme.organization_id != organization_id:
        raise ValidationError(
            {
                "programme": ValidationError(
                    _("This programme belongs to another structure."), code="programme"
                )
            }
        )


# --- Records ---------------------------------------------------------------------------------


def beneficiary_create(*, organization: Organization, acting_user, **fields) -> Beneficiary:
    """Create a beneficiary record in a structure the acting user coordinates."""
    if not (
        acting_user.is_superuser
        or organization.pk in acting_user.organization_ids_with_role(Role.COORDINATOR)
    ):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    _check_programme(fields.get("programme"), organization.pk)
    beneficiary = Beneficiary(organization=organization, created_by=acting_user, **fields)
    beneficiary.stage_changed_at = timezone.now()
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


def beneficiary_update(*, beneficiary: Beneficiary, acting_user, **fields) -> Beneficiary:
    """Change the editable fields of a record."""
    if not permissions.can_edit_beneficiary(acting_user, beneficiary):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    _check_programme(fields.get("programme"), beneficiary.organization_id)
    for name, value in fields.items():
        setattr(beneficiary, name, value)
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


def beneficiary_change_stage(*, beneficiary: Beneficiary, stage: str, acting_user) -> Beneficiary:
    """Move a record in the outreach pipeline; the date of the move is kept."""
    if not permissions.can_change_beneficiary_stage(acting_user, beneficiary):
        raise PermissionDenied
    if stage not in OutreachStage.values:
        raise ValidationError(_("Unknown stage."), code="stage")
    if beneficiary.stage != stage:
        beneficiary.stage = stage
        beneficiary.stage_changed_at = timezone.now()
        with transaction.atomic():
            beneficiary.save(update_fields=["stage", "stage_changed_at", "updated_at"])
            audit_change(
                actor=acting_user,
                obj=beneficiary,
                fields=["stage"],
                organization_id=beneficiary.organization_id,
            )
    return beneficiary


def beneficiary_set_priority(
    *, beneficiary: Beneficiary, priority: int, acting_user
) -> Beneficiary:
    """Set how urgently an actor should be approached."""
    if not permissions.can_set_beneficiary_priority(acting_user, beneficiary):
        raise PermissionDenied
    if priority not in Priority.values:
        raise ValidationError(_("Unknown priority."), code="priority")
    if beneficiary.priority != priority:
        beneficiary.priority = priority
        with transaction.atomic():
            beneficiary.save(update_fields=["priority", "updated_at"])
            audit_change(
                actor=acting_user,
                obj=beneficiary,
                fields=["priority"],
                organization_id=beneficiary.organization_id,
            )
    return beneficiary


# --- Bulk actions ----------------------------------------------------------------------------


def _check_bulk(beneficiaries: Iterable[Beneficiary], acting_user) -> list[Beneficiary]:
    """All or nothing: one record the user may not manage refuses the whole action."""
    records = list(beneficiaries)
    if not permissions.can_bulk_edit_beneficiaries(acting_user) or not all(
        permissions.can_manage_beneficiary(acting_user, record) for record in records
    ):
        raise PermissionDenied
    return records


def beneficiaries_bulk_change_stage(
    *, beneficiaries: Iterable[Beneficiary], stage: str, acting_user
) -> int:
    """Move several records to one stage; returns how many actually moved."""
    records = _check_bulk(beneficiaries, acting_user)
    if stage not in OutreachStage.values:
        raise ValidationError(_("Unknown stage."), code="stage")
    with transaction.atomic():
        moving = list(
            Beneficiary.objects.filter(pk__in=[r.pk for r in records])
            .exclude(stage=stage)
            .select_for_update()
            .only("pk", "public_id", "organization_id")
        )
        moved = Beneficiary.objects.filter(pk__in=[r.pk for r in moving]).update(
            stage=stage, stage_changed_at=timezone.now(), updated_at=timezone.now()
        )
        audit_changes(
            actor=acting_user,
            objs=moving,
            fields=["stage"],
            organization_id=lambda record: record.organization_id,
        )
        return moved


def beneficiaries_bulk_assign_mentor(
    *, beneficiaries: Iterable[Beneficiary], mentor, acting_user
) -> int:
    """Make `mentor` the referent of the records' active enrollments; returns how many changed."""
    records = _check_bulk(beneficiaries, acting_user)
    organization_ids = {r.organization_id for r in records}
    mentor_of = set(
        mentor.memberships.filter(role=Role.MENTOR, is_active=True).values_list(
            "organization_id", flat=True
        )
    )
    if not organization_ids <= mentor_of:
        raise ValidationError(
            _("The referent mentor must be a mentor of the structure."), code="mentor"
        )
    with transaction.atomic():
        return Enrollment.objects.filter(
            beneficiary__in=[r.pk for r in records], status__in=ACTIVE_ENROLLMENT_STATUSES
        ).update(referent_mentor=mentor)


# --- Contact log and consents ----------------------------------------------------------------


def contact_log_add(
    *,
    beneficiary: Beneficiary,
    contacted_at: datetime.datetime,
    channel: str,
    outcome: str,
    acting_user,
) -> ContactLog:
    """Record a contact; the first one moves an actor "to contact" to "contacted"."""
    if not permissions.can_log_contact(acting_user, beneficiary):
        raise PermissionDenied
    if channel not in ContactChannel.values:
        raise ValidationError(_("Unknown channel."), code="channel")
    if contacted_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(
            {
                "contacted_at": ValidationError(
                    _("A contact cannot be recorded in the future."), code="future"
                )
            }
        )
    with transaction.atomic():
        entry = ContactLog.objects.create(
            beneficiary=beneficiary,
            contacted_at=contacted_at,
            channel=channel,
            outcome=outcome,
            author=acting_user,
        )
        if beneficiary.stage == OutreachStage.TO_CONTACT:
            beneficiary.stage = OutreachStage.CONTACTED
            beneficiary.stage_changed_at = timezone.now()
            beneficiary.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    return entry


def consent_record(
    *, beneficiary: Beneficiary, purpose: str, given_at: datetime.datetime, acting_user
) -> Consent:
    """Record a consent; one current consent per purpose, held by the database."""
    if not permissions.can_record_consent(acting_user, beneficiary):
        raise PermissionDenied
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Unknown purpose."), code="purpose")
    if given_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(
            {
                "given_at": ValidationError(
                    _("A consent cannot be dated in the future."), code="future"
                )
            }
        )
    already = _(
        "A consent for this purpose is already recorded: withdraw it first to record a new one."
    )
    if beneficiary.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
        raise ValidationError({"purpose": ValidationError(already, code="duplicate")})
    try:
        with transaction.atomic():
            return Consent.objects.create(
                beneficiary=beneficiary, purpose=purpose, given_at=given_at, recorded_by=acting_user
            )
    except IntegrityError as exc:  # recorded by someone else in the meantime
        raise ValidationError({"purpose": ValidationError(already, code="duplicate")}) from exc


def consent_withdraw(
    *,
    beneficiary: Beneficiary,
    purpose: str,
    acting_user,
    withdrawn_at: datetime.datetime | None = None,
) -> Consent:
    """Close the current consent for a purpose."""
    if not permissions.can_record_consent(acting_user, beneficiary):
        raise PermissionDenied
    with transaction.atomic():
        consent = (
            beneficiary.consents.select_for_update()
            .filter(purpose=purpose, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            raise ValidationError(_("No current consent for this purpose."), code="missing")
        consent.withdrawn_at = withdrawn_at or timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    return consent


# --- Merge -----------------------------------------------------------------------------------


def _snapshot(record: Beneficiary) -> dict:
    """The removed record as it was, JSON-ready."""
    data = {}
    for model_field in Beneficiary._meta.concrete_fields:
        value = getattr(record, model_field.attname)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        data[model_field.attname] = value
    return data


def beneficiary_merge(*, keep: Beneficiary, remove: Beneficiary, acting_user) -> BeneficiaryMerge:
    """Fold `remove` into `keep`: every piece of history moves, then `remove` is deleted.

    Enrollments, consents, contact logs, diagnostics, referrals and any other row pointing to
    the removed record are moved. Where a database rule forbids two rows, the kept record's
    row wins and the other is closed, not dropped: an active enrollment in the same offer is
    marked withdrawn, a current consent for the same purpose is marked withdrawn."""
    if not permissions.can_merge_beneficiaries(acting_user, keep, remove):
        raise PermissionDenied
    if keep.pk == remove.pk:
        raise ValidationError(_("Choose two different records."), code="same")
    if keep.organization_id != remove.organization_id:
        raise ValidationError(
            _("Only records of the same structure can be merged."), code="organization"
        )
    try:
        return _merge(keep, remove, acting_user)
    except IntegrityError as exc:
        raise ValidationError(
            _("These records hold data that cannot be combined: nothing was merged."),
            code="conflict",
        ) from exc


def _merge(keep: Beneficiary, remove: Beneficiary, acting_user) -> BeneficiaryMerge:
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        # Lock both rows in a fixed order so two merges of the same pair cannot interleave.
        locked = {
            b.pk: b
            for b in Beneficiary.objects.select_for_update()
            .filter(pk__in=[keep.pk, remove.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError(_("One of the records no longer exists."), code="gone")
        keep, remove = locked[keep.pk], locked[remove.pk]
        snapshot = {"record": _snapshot(remove), "closed_enrollments": [], "closed_consents": []}

        kept_offers = set(
            keep.enrollments.filter(status__in=ACTIVE_ENROLLMENT_STATUSES).values_list(
                "offer_id", flat=True
            )
        )
        for enrollment in remove.enrollments.filter(
            status__in=ACTIVE_ENROLLMENT_STATUSES, offer_id__in=kept_offers
        ):
            enrollment.status = EnrollmentStatus.WITHDRAWN
            enrollment.ended_on = max(today, enrollment.started_on)
            enrollment.save(update_fields=["status", "ended_on"])
            snapshot["closed_enrollments"].append(str(enrollment.public_id))

        kept_purposes = set(
            keep.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
        )
        for consent in remove.consents.filter(withdrawn_at__isnull=True, purpose__in=kept_purposes):
            consent.withdrawn_at = now
            consent.save(update_fields=["withdrawn_at"])
            snapshot["closed_consents"].append(consent.pk)

        snapshot["moved"] = _move_related_rows(remove, keep)

        if remove.user_id and not keep.user_id:
            account_id = remove.user_id
            Beneficiary.objects.filter(pk=remove.pk).update(user=None)
            keep.user_id = account_id
        for name in MERGE_FILLED_FIELDS:
            if not getattr(keep, name) and getattr(remove, name):
                setattr(keep, name, getattr(remove, name))
        if remove.notes and remove.notes not in keep.notes:
            keep.notes = "\n\n".join(part for part in (keep.notes, remove.notes) if part)
        if keep.stage == OutreachStage.TO_CONTACT and remove.stage != OutreachStage.TO_CONTACT:
            keep.stage, keep.stage_changed_at = remove.stage, now
        keep.priority = min(keep.priority, remove.priority)
        keep.save()

        merge = BeneficiaryMerge.objects.create(
            kept=keep,
            merged_public_id=remove.public_id,
            merged_name=remove.name,
            snapshot=snapshot,
            merged_by=acting_user,
        )
        remove.delete()
    return merge


def _move_related_rows(remove: Beneficiary, keep: Beneficiary) -> dict[str, int]:
    """Point every row of every app that refers to `remove` to `keep`.

    Generic on purpose: a model added later (appointments, logbooks…) keeps its history
    through a merge without this function knowing it."""
    moved: dict[str, int] = {}
    for relation in Beneficiary._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        if relation.many_to_many:
            through = relation.through
            for through_field in through._meta.concrete_fields:
                if getattr(through_field, "related_model", None) is Beneficiary:
                    count = through._base_manager.filter(**{through_field.name: remove}).update(
                        **{through_field.name: keep}
                    )
                    moved[through._meta.label] = moved.get(through._meta.label, 0) + count
            continue
        if relation.one_to_one and model._base_manager.filter(**{name: keep}).exists():
            if model._base_manager.filter(**{name: remove}).exists():
                raise ValidationError(
                    _("Both records have a %(what)s: it cannot be merged.")
                    % {"what": model._meta.verbose_name},
                    code="conflict",
                )
            continue
        count = model._base_manager.filter(**{name: remove}).update(**{name: keep})
        if count:
            moved[model._meta.label] = count
    return moved


# --- Import ----------------------------------------------------------------------------------


def beneficiaries_import(
    *, programme: Programme, data: bytes | str, file_name: str, acting_user
) -> list[Beneficiary]:
    """Import a contact list into a programme's outreach: every row, or none.

    The file is read and checked again here, against the records as they are now: whatever
    the preview said, one error rejects the file and nothing is written."""
    if not (
        permissions.can_import_beneficiaries(acting_user)
        and can_manage_programme(acting_user, programme)
    ):
        raise PermissionDenied
    try:
        result = imports.preview(data, existing_duplicate_keys(programme.organization))
    except imports.ImportFileError as exc:
        raise ValidationError(str(exc), code="file") from exc
    if not result.is_valid:
        raise ValidationError(
            _("The file has %(count)s error(s): nothing was imported.")
            % {"count": result.error_count},
            code="rows",
        )
    now = timezone.now()
    records = [
        Beneficiary(
            organization_id=programme.organization_id,
            programme=programme,
            stage=OutreachStage.TO_CONTACT,
            stage_changed_at=now,
            source=Source.IMPORT,
            source_detail=file_name[:200],
            created_by=acting_user,
            **row.values,
        )
        for row in result.rows
    ]
    with transaction.atomic():
        return Beneficiary.objects.bulk_create(records, batch_size=500)

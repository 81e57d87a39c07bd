"""RGPD writes: rectification by the person, erasure, the retention notices and their end."""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import Membership, User
from audit.models import AuditAction
from audit.services import audit_record
from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Beneficiary, BeneficiaryMerge, ContactLog, Enrollment
from diagnostics.models import DiagnosticInvitation, Need, NeedsDiagnostic
from evaluation.models import Answer
from notifications.enums import NotificationKind
from notifications.models import Notification
from outreach.models import CampaignRecipient, ProjectCard, SupportRequest
from partners.models import Referral
from privacy.models import Anonymisation, AnonymisationReason, RetentionNotice
from privacy.permissions import can_erase_beneficiary
from seances.models import (
    ActionItem,
    Appointment,
    Attendance,
    ClosingRecord,
    ClosingRecordComment,
    ConfidentialNote,
    LogbookEntry,
    Registration,
)
from seances.notification_scans import absolute_url, write_notification

logger = logging.getLogger(__name__)

RECTIFIABLE_FIELDS = ("name", "email", "phone", "postal_code", "territory")


def contact_details_update(*, beneficiary: Beneficiary, acting_user, **fields) -> Beneficiary:
    """The person corrects their own contact details (right to rectification), journaled."""
    if getattr(acting_user, "beneficiary_profile", None) != beneficiary:
        raise PermissionDenied
    unknown = set(fields) - set(RECTIFIABLE_FIELDS)
    if unknown:
        raise TypeError(f"not rectifiable: {sorted(unknown)}")
    with transaction.atomic():
        # Compared with the stored row: a bound ModelForm has already changed the instance.
        stored = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        changed = sorted(name for name, value in fields.items() if getattr(stored, name) != value)
        if not changed:
            return stored
        for name in changed:
            setattr(stored, name, fields[name])
        stored.full_clean()
        stored.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=stored,
            # Field names only: the journal does not copy personal data.
            summary=_("rectification: %(fields)s") % {"fields": ", ".join(changed)},
            organization_id=stored.organization_id,
        )
    return stored


def anonymised_name(beneficiary: Beneficiary) -> str:
    """« Personne anonymisée 0042 »: stored, so in the site's language, whoever asks."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Anonymised person %(number)s") % {"number": f"{beneficiary.pk:04d}"}


def _clear_closing_records(beneficiary: Beneficiary, name: str) -> None:
    text_fields = [
        "expectations",
        "content",
        "next_step",
        "means_and_resources",
        "future_needs",
        "mentor_can_help_with",
        "beneficiary_commitments",
        "mentor_commitments",
        "misunderstandings",
        "correction_reason",
    ]
    records = ClosingRecord.objects.filter(beneficiary=beneficiary)
    for record in records.exclude(snapshot__isnull=True).only("pk", "snapshot"):
        snapshot = dict(record.snapshot or {})
        snapshot.update(beneficiary=name, beneficiary_contact="")
        snapshot["fields"] = dict.fromkeys(snapshot.get("fields", {}), "")
        snapshot["tasks"] = []
        ClosingRecord.objects.filter(pk=record.pk).update(snapshot=snapshot)
    records.update(**dict.fromkeys(text_fields, ""))


def beneficiary_anonymise(
    *, beneficiary: Beneficiary, acting_user, reason: str, comment: str = ""
) -> Anonymisation:
    """Erase the personal data of a record for good, keeping the figures (one transaction).

    Kept: the record's row, its enrollments, appointments and attendance (dates, statuses),
    the numbers and choices of evaluation answers. Cleared: names, contact details and
    every free text written by or about the person. `acting_user` None: the retention task."""
    if acting_user is not None and not can_erase_beneficiary(acting_user, beneficiary):
        raise PermissionDenied
    if reason not in AnonymisationReason.values:
        raise ValidationError(_("Unknown reason."), code="reason")
    with transaction.atomic():
        beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        if Anonymisation.objects.filter(beneficiary=beneficiary).exists():
            raise ValidationError(_("This record is already anonymised."), code="done")
        name = anonymised_name(beneficiary)
        user_id = beneficiary.user_id
        Beneficiary.objects.filter(pk=beneficiary.pk).update(
            name=name,
            contact_name="",
            email="",
            phone="",
            postal_code="",
            source_detail="",
            notes="",
            updated_at=timezone.now(),
        )
        if user_id is not None:
            user = User.objects.get(pk=user_id)
            # The email is the login and must stay unique: an address that cannot receive.
            user.email = f"anonyme-{user.public_id}@invalid.invalid"
            user.first_name = user.last_name = user.phone = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            Notification.objects.filter(recipient_id=user_id).update(
                to_address="", subject="", body_text="", body_html="", attachments=[]
            )
            for related in ("auth_token", "calendar_feed"):
                getattr(User, related).related.related_model.objects.filter(
                    user_id=user_id
                ).delete()
        ContactLog.objects.filter(beneficiary=beneficiary).update(outcome="")
        # An entry cannot be empty, and no figure reads the logbook: the entries go.
        LogbookEntry.objects.filter(beneficiary=beneficiary).delete()
        ConfidentialNote.objects.filter(beneficiary=beneficiary).update(body="")
        ActionItem.objects.filter(beneficiary=beneficiary).update(title="", owner_detail="")
        Appointment.objects.filter(beneficiary=beneficiary).update(reason="", cancel_reason="")
        NeedsDiagnostic.objects.filter(beneficiary=beneficiary).update(expectations="", notes="")
        Need.objects.filter(diagnostic__beneficiary=beneficiary).update(description="")
        DiagnosticInvitation.objects.filter(diagnostic__beneficiary=beneficiary).update(sent_to="")
        Referral.objects.filter(beneficiary=beneficiary).update(reason="", answer_notes="")
        SupportRequest.objects.filter(beneficiary=beneficiary).update(
            # A request must keep a way to reach someone: an address that cannot receive.
            name=name,
            contact_name="",
            email=f"anonyme-{beneficiary.public_id}@invalid.invalid",
            phone="",
            postal_code="",
            needs="",
        )
        CampaignRecipient.objects.filter(beneficiary=beneficiary).update(email="")
        BeneficiaryMerge.objects.filter(kept=beneficiary).update(merged_name=name, snapshot={})
        ProjectCard.objects.filter(beneficiary=beneficiary).delete()
        Answer.objects.filter(response__beneficiary=beneficiary).update(value_text="")
        _clear_closing_records(beneficiary, name)
        ClosingRecordComment.objects.filter(record__beneficiary=beneficiary).update(body="")
        anonymisation = Anonymisation.objects.create(
            beneficiary=beneficiary, done_by=acting_user, reason=reason, comment=comment[:300]
        )
        audit_record(
            actor=acting_user,
            action=AuditAction.DELETE,
            obj=beneficiary,
            summary=_("anonymisation (%(reason)s)") % {"reason": reason},
            organization_id=beneficiary.organization_id,
        )
    return anonymisation


# Retention ------------------------------------------------------------------------------


def inactivity_cutoff(today: datetime.date) -> datetime.datetime:
    months = getattr(settings, "RETENTION_INACTIVE_MONTHS", 24)
    day = today - relativedelta(months=months)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def inactive_beneficiaries(today: datetime.date) -> QuerySet[Beneficiary]:
    """Records without an active enrollment nor any appointment, group session, séance,
    contact, login, change or "keep" since the cutoff, not yet anonymised."""
    cutoff = inactivity_cutoff(today)
    ref = OuterRef("pk")
    recent = (
        Q(created_at__gte=cutoff)
        | Q(updated_at__gte=cutoff)
        | Q(user__last_login__gte=cutoff)
        | Q(
            Exists(
                Appointment.objects.filter(beneficiary=ref).filter(
                    Q(starts_at__gte=cutoff) | Q(created_at__gte=cutoff)
                )
            )
        )
        | Q(Exists(Attendance.objects.filter(beneficiary=ref, seance__starts_at__gte=cutoff)))
        | Q(
            Exists(
                Registration.objects.filter(beneficiary=ref).filter(
                    Q(registered_at__gte=cutoff) | Q(session__starts_at__gte=cutoff)
                )
            )
        )
        | Q(Exists(ContactLog.objects.filter(beneficiary=ref, contacted_at__gte=cutoff)))
        | Q(
            Exists(
                RetentionNotice.objects.filter(beneficiary=ref, cancelled_by__isnull=False).filter(
                    cancelled_at__gte=cutoff
                )
            )
        )
    )
    return (
        Beneficiary.objects.filter(anonymisation__isnull=True)
        .exclude(
            Exists(
                Enrollment.objects.filter(beneficiary=ref, status__in=ACTIVE_ENROLLMENT_STATUSES)
            )
        )
        .exclude(recent)
    )


def retention_keep(*, notice: RetentionNotice, acting_user) -> RetentionNotice:
    """A coordinator keeps the record: the notice ends and counts as activity."""
    if not can_erase_beneficiary(acting_user, notice.beneficiary):
        raise PermissionDenied
    with transaction.atomic():
        notice = RetentionNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.cancelled_at is None:
            notice.cancelled_at = timezone.now()
            notice.cancelled_by = acting_user
            notice.save(update_fields=["cancelled_at", "cancelled_by"])
            audit_record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=notice.beneficiary,
                summary=_("retention: kept"),
                organization_id=notice.beneficiary.organization_id,
            )
    return notice


def _notify_coordinators(notices: list[RetentionNotice], *, now: datetime.datetime) -> None:
    """One `retention_notice` notification per structure and active coordinator, listing who
    will be anonymised; the list stays on the "privacy:retention" page.

    Keyed on the structure and the scan's time: the scan writes each notice once, so a scan
    run again finds nothing new to announce."""
    by_organization: dict[int, list[RetentionNotice]] = {}
    for notice in notices:
        by_organization.setdefault(notice.beneficiary.organization_id, []).append(notice)
    coordinators = (
        Membership.objects.filter(
            organization_id__in=by_organization,
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user", "organization")
        .order_by("organization_id", "user_id")
    )
    retention_url = absolute_url(reverse("privacy:retention"))
    for membership in coordinators:
        rows = sorted(
            by_organization[membership.organization_id],
            key=lambda notice: (notice.due_on, notice.beneficiary.name),
        )
        write_notification(
            kind=NotificationKind.RETENTION_NOTICE,
            user=membership.user,
            context={
                "notices": [
                    {"name": notice.beneficiary.name, "due_on": notice.due_on} for notice in rows
                ],
                "retention_url": retention_url,
            },
            object_type="accounts.organization",
            object_id=str(membership.organization.public_id),
            scheduled_for=now,
            organization=membership.organization,
        )


def retention_scan(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily retention pass: cancel notices of records active again, notify the newly
    inactive ones, anonymise those whose notice is due. Idempotent."""
    today = today or timezone.localdate()
    notice_days = getattr(settings, "RETENTION_NOTICE_DAYS", 30)
    inactive = inactive_beneficiaries(today)
    now = timezone.now()
    cancelled = (
        RetentionNotice.objects.pending()
        .exclude(beneficiary__in=inactive.values("pk"))
        .update(cancelled_at=now)
    )
    with transaction.atomic():
        new = [
            RetentionNotice(
                beneficiary=beneficiary,
                notified_at=now,
                due_on=today + datetime.timedelta(days=notice_days),
            )
            for beneficiary in inactive.exclude(
                Exists(
                    RetentionNotice.objects.filter(
                        beneficiary=OuterRef("pk"), cancelled_at__isnull=True
                    )
                )
            ).select_related("organization")
        ]
        RetentionNotice.objects.bulk_create(new)
        _notify_coordinators(new, now=now)
    anonymised = 0
    due = RetentionNotice.objects.pending().filter(
        due_on__lte=today, beneficiary__in=inactive.values("pk")
    )
    for notice in due.select_related("beneficiary"):
        beneficiary_anonymise(
            beneficiary=notice.beneficiary,
            acting_user=None,
            reason=AnonymisationReason.RETENTION,
        )
        anonymised += 1
    result = {"cancelled": cancelled, "notified": len(new), "anonymised": anonymised}
    logger.info("retention scan", extra=result)
    return result

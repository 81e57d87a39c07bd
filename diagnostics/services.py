"""Writes on needs diagnostics: record, complete, invite to the questionnaire, answer it, enroll."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from beneficiaires.enums import OutreachStage
from beneficiaires.models import Beneficiary, Enrollment
from beneficiaires.services import enrollment_create
from core.tasks import send_email
from diagnostics.enums import DiagnosticStatus, NeedSource
from diagnostics.models import DiagnosticInvitation, Need, NeedsDiagnostic, hash_token
from diagnostics.permissions import (
    can_create_diagnostic,
    can_edit_diagnostic,
    can_enroll_from_diagnostic,
)
from programmes.models import Offer, Theme

INVITATION_VALIDITY = datetime.timedelta(days=14)
# Stages a completed diagnostic moves forward; later stages are left alone.
STAGES_BEFORE_DIAGNOSIS = (OutreachStage.TO_CONTACT, OutreachStage.CONTACTED)


@dataclass(frozen=True)
class NeedInput:
    """One need as typed in a form: the theme, its priority, the words describing it."""

    theme: Theme
    priority: int
    description: str = ""


def diagnostic_create(
    *,
    beneficiary: Beneficiary,
    method: str,
    held_on: datetime.date,
    conducted_by=None,
    expectations: str = "",
    notes: str = "",
    needs: list[NeedInput] = (),
    acting_user,
) -> NeedsDiagnostic:
    """Start a diagnostic for a beneficiary, with the needs already known."""
    if not can_create_diagnostic(acting_user, beneficiary):
        raise PermissionDenied
    with transaction.atomic():
        diagnostic = NeedsDiagnostic.objects.create(
            beneficiary=beneficiary,
            method=method,
            held_on=held_on,
            conducted_by=conducted_by,
            expectations=expectations,
            notes=notes,
        )
        _sync_needs(diagnostic, needs)
    return diagnostic


def diagnostic_update(
    *,
    diagnostic: NeedsDiagnostic,
    method: str,
    held_on: datetime.date,
    conducted_by=None,
    expectations: str = "",
    notes: str = "",
    needs: list[NeedInput] = (),
    acting_user,
) -> NeedsDiagnostic:
    """Change a diagnostic; `needs` is the complete list: needs of other themes are removed."""
    if not can_edit_diagnostic(acting_user, diagnostic):
        raise PermissionDenied
    with transaction.atomic():
        diagnostic.method = method
        diagnostic.held_on = held_on
        diagnostic.conducted_by = conducted_by
        diagnostic.expectations = expectations
        diagnostic.notes = notes
        diagnostic.save(
            update_fields=["method", "held_on", "conducted_by", "expectations", "notes"]
        )
        _sync_needs(diagnostic, needs)
    return diagnostic


def _check_themes(diagnostic: NeedsDiagnostic, needs) -> None:
    if any(need.theme.organization_id != diagnostic.beneficiary.organization_id for need in needs):
        raise ValidationError(_("A need must use a theme of the beneficiary's structure."))


def _sync_needs(diagnostic: NeedsDiagnostic, needs: list[NeedInput]) -> None:
    """Make the diagnostic's needs exactly `needs`, in a fixed number of queries."""
    _check_themes(diagnostic, needs)
    existing = {need.theme_id: need for need in diagnostic.needs.all()}
    wanted = {need.theme.pk: need for need in needs}
    to_update = []
    for theme_id, need in existing.items():
        if theme_id in wanted:
            need.priority = wanted[theme_id].priority
            need.description = wanted[theme_id].description
            to_update.append(need)
    Need.objects.filter(diagnostic=diagnostic).exclude(theme_id__in=list(wanted)).delete()
    Need.objects.bulk_update(to_update, ["priority", "description"])
    Need.objects.bulk_create(
        Need(
            diagnostic=diagnostic,
            theme=need.theme,
            priority=need.priority,
            description=need.description,
            source=NeedSource.MENTOR,
        )
        for theme_id, need in wanted.items()
        if theme_id not in existing
    )


def _move_stage(beneficiary: Beneficiary, stage: str, *, only_from=None) -> None:
    """Move the outreach stage directly (the beneficiaires app's stage service may not exist)."""
    if beneficiary.stage == stage or (only_from is not None and beneficiary.stage not in only_from):
        return
    beneficiary.stage = stage
    beneficiary.stage_changed_at = timezone.now()
    beneficiary.save(update_fields=["stage", "stage_changed_at", "updated_at"])


def diagnostic_complete(*, diagnostic: NeedsDiagnostic, acting_user) -> NeedsDiagnostic:
    """Mark a diagnostic completed; an actor still being contacted becomes "diagnosed"."""
    if not can_edit_diagnostic(acting_user, diagnostic):
        raise PermissionDenied
    with transaction.atomic():
        locked = NeedsDiagnostic.objects.select_for_update().get(pk=diagnostic.pk)
        if locked.status == DiagnosticStatus.COMPLETED:
            raise ValidationError(_("This diagnostic is already completed."), code="completed")
        locked.status = DiagnosticStatus.COMPLETED
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_at"])
        beneficiary = Beneficiary.objects.select_for_update().get(pk=locked.beneficiary_id)
        _move_stage(beneficiary, OutreachStage.DIAGNOSED, only_from=STAGES_BEFORE_DIAGNOSIS)
    diagnostic.status = locked.status
    diagnostic.completed_at = locked.completed_at
    diagnostic.beneficiary.stage = beneficiary.stage
    diagnostic.beneficiary.stage_changed_at = beneficiary.stage_changed_at
    return diagnostic


def questionnaire_url(raw_token: str) -> str:
    """The absolute link to the questionnaire, as sent by email and read out on the phone."""
    path = reverse("diagnostics:questionnaire", args=[raw_token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def diagnostic_invite(
    *, diagnostic: NeedsDiagnostic, email: str = "", acting_user
) -> tuple[DiagnosticInvitation, str]:
    """Create a one-time questionnaire link; only its hash is stored, the raw token is returned
    once (to show on screen) and emailed when an address is given."""
    if not can_edit_diagnostic(acting_user, diagnostic):
        raise PermissionDenied
    raw_token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = DiagnosticInvitation.objects.create(
            diagnostic=diagnostic,
            token_hash=hash_token(raw_token),
            sent_to=email,
            expires_at=timezone.now() + INVITATION_VALIDITY,
            created_by=acting_user,
        )
        if email:
            _send_invitation_email(invitation, raw_token)
    return invitation, raw_token


def _send_invitation_email(invitation: DiagnosticInvitation, raw_token: str) -> None:
    beneficiary = invitation.diagnostic.beneficiary
    context = {
        "beneficiary": beneficiary,
        "structure_name": questionnaire_host_name(beneficiary),
        "link": questionnaire_url(raw_token),
        "expires_at": invitation.expires_at,
        "sender": invitation.created_by,
        "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
    }
    subject = "".join(
        render_to_string("diagnostics/emails/invitation_subject.txt", context).splitlines()
    )
    send_email.delay_on_commit(
        subject=subject,
        body=render_to_string("diagnostics/emails/invitation_body.txt", context),
        to=[invitation.sent_to],
        html_body=render_to_string("diagnostics/emails/invitation_body.html", context),
    )


def questionnaire_host_name(beneficiary: Beneficiary) -> str:
    """What the beneficiary recognises: the programme they are approached for, or the structure."""
    if beneficiary.programme_id:
        return f"{beneficiary.programme.title} — {beneficiary.organization.name}"
    return beneficiary.organization.name


class InvitationUnavailable(Exception):
    """The questionnaire link cannot be used: `reason` is "unknown", "answered" or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(raw_token: str, *, lock: bool = False) -> DiagnosticInvitation:
    """The invitation behind a raw token, if it can still be answered."""
    queryset = DiagnosticInvitation.objects.select_related(
        "diagnostic__beneficiary__organization", "diagnostic__beneficiary__programme"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=hash_token(raw_token)).first()
    if invitation is None:
        raise InvitationUnavailable("unknown")
    if invitation.answered_at is not None:
        raise InvitationUnavailable("answered")
    if invitation.expires_at <= timezone.now():
        raise InvitationUnavailable("expired")
    return invitation


def questionnaire_answer(
    *, raw_token: str, needs: list[NeedInput], expectations: str = ""
) -> DiagnosticInvitation:
    """Record the beneficiary's own answers, once per link. No acting user: the link is the
    credential. Needs the team already recorded keep their priority; the beneficiary's words are
    added to their description."""
    with transaction.atomic():
        # The lock makes two simultaneous submissions wait for each other: the second one
        # then sees answered_at and is refused.
        invitation = invitation_for_token(raw_token, lock=True)
        diagnostic = invitation.diagnostic
        _check_themes(diagnostic, needs)
        _merge_beneficiary_needs(diagnostic, needs)
        expectations = expectations.strip()
        if expectations:
            diagnostic.expectations = _appended(
                diagnostic.expectations, expectations, _("In the questionnaire:")
            )
            diagnostic.save(update_fields=["expectations"])
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answered_at"])
    return invitation


def _appended(existing: str, words: str, label: str) -> str:
    existing = existing.strip()
    return f"{existing}\n\n{label} {words}" if existing else words


def _merge_beneficiary_needs(diagnostic: NeedsDiagnostic, needs: list[NeedInput]) -> None:
    existing = {need.theme_id: need for need in diagnostic.needs.all()}
    to_update = []
    to_create = []
    for answer in needs:
        words = answer.description.strip()
        need = existing.get(answer.theme.pk)
        if need is None:
            to_create.append(
                Need(
                    diagnostic=diagnostic,
                    theme=answer.theme,
                    priority=answer.priority,
                    description=words,
                    source=NeedSource.BENEFICIARY,
                )
            )
        elif words:
            need.description = _appended(need.description, words, _("In the beneficiary's words:"))
            to_update.append(need)
    Need.objects.bulk_update(to_update, ["description"])
    Need.objects.bulk_create(to_create)


def diagnostic_enroll(
    *, diagnostic: NeedsDiagnostic, offer: Offer, referent_mentor=None, acting_user
) -> Enrollment:
    """Enroll the diagnosed beneficiary in a recommended offer; the actor becomes "enrolled"."""
    if not can_enroll_from_diagnostic(acting_user, diagnostic):
        raise PermissionDenied
    with transaction.atomic():
        beneficiary = Beneficiary.objects.select_for_update().get(pk=diagnostic.beneficiary_id)
        enrollment = enrollment_create(
            beneficiary=beneficiary,
            offer=offer,
            referent_mentor=referent_mentor,
            acting_user=acting_user,
        )
        _move_stage(beneficiary, OutreachStage.ENROLLED)
    return enrollment

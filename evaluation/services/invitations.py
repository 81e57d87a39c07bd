"""Sending questionnaires: one-time links written with their outbox notifications."""

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaires.models import Beneficiary, Enrollment
from diagnostics.models import hash_token
from evaluation.enums import Phase, Purpose, SendMoment
from evaluation.models import Invitation, Questionnaire
from evaluation.permissions import can_manage_questionnaire
from notifications.enums import Channel, NotificationKind
from notifications.services import notify, render_notification
from seances.emails import beneficiary_channels
from seances.notification_scans import absolute_url, preferences_url

INVITATION_OBJECT = "evaluation.invitation"


def answer_url(raw_token: str) -> str:
    """The absolute one-time link to a questionnaire, as written in the message."""
    return absolute_url(reverse("evaluation:answer_link", args=[raw_token]))


def _existing(
    *, questionnaire: Questionnaire, beneficiary: Beneficiary, seance, phase: str, moment: str
) -> Invitation | None:
    rows = Invitation.objects.filter(questionnaire=questionnaire, beneficiary=beneficiary)
    if seance is not None:
        return rows.filter(seance=seance).first()
    return rows.filter(seance__isnull=True, phase=phase, moment=moment).first()


def invitation_create(
    *,
    questionnaire: Questionnaire,
    beneficiary: Beneficiary,
    moment: str,
    phase: str = "",
    seance=None,
    acting_user=None,
    expires_in_days: int = 30,
) -> tuple[Invitation, str]:
    """Write an invitation and its notifications; returns it with the raw token (shown once).

    The same questionnaire, person and séance (or phase and moment without a séance) give one
    invitation: a second call returns the existing one with an empty token and writes nothing.
    No permission check here: the callers (the scan, invitations_send) decide who is invited."""
    if questionnaire.programme_id is None or not questionnaire.is_active:
        raise ValidationError(_("Only the active questionnaires of a programme are sent."))
    existing = _existing(
        questionnaire=questionnaire,
        beneficiary=beneficiary,
        seance=seance,
        phase=phase,
        moment=moment,
    )
    if existing is not None:
        return existing, ""
    raw_token = secrets.token_urlsafe(32)
    try:
        # The savepoint keeps the caller's transaction usable when a concurrent scan wins.
        with transaction.atomic():
            invitation = Invitation.objects.create(
                questionnaire=questionnaire,
                beneficiary=beneficiary,
                seance=seance,
                phase=phase,
                moment=moment,
                token_hash=hash_token(raw_token),
                expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
                created_by=acting_user,
            )
            _write_notifications(invitation, raw_token)
    except IntegrityError:
        existing = _existing(
            questionnaire=questionnaire,
            beneficiary=beneficiary,
            seance=seance,
            phase=phase,
            moment=moment,
        )
        if existing is None:
            raise
        return existing, ""
    return invitation, raw_token


def _write_notifications(invitation: Invitation, raw_token: str) -> int:
    """One outbox row per channel the person is reached on (email, else text message)."""
    questionnaire = invitation.questionnaire
    programme = questionnaire.programme
    beneficiary = invitation.beneficiary
    kind = NotificationKind.EVALUATION_INVITATION
    targets = beneficiary_channels(beneficiary, kind=kind)
    if not targets:
        return 0
    rendered = render_notification(
        kind,
        {
            "recipient_name": beneficiary.contact_name or beneficiary.name,
            "programme_name": programme.title,
            "questionnaire_title": questionnaire.title,
            "seance_date": invitation.seance.starts_at if invitation.seance_id else None,
            "answer_url": answer_url(raw_token),
            "expires_at": invitation.expires_at,
            "preferences_url": preferences_url(),
        },
    )
    for channel, address, user in targets:
        is_sms = channel == Channel.SMS
        notify(
            kind=kind,
            channel=channel,
            to_address=address,
            subject=rendered.subject,
            body_text=rendered.sms_text if is_sms and rendered.sms_text else rendered.body_text,
            body_html="" if is_sms else rendered.body_html,
            object_type=INVITATION_OBJECT,
            object_id=invitation.pk,
            scheduled_for=invitation.created_at,
            recipient=user,
            programme=programme,
        )
    return len(targets)


def sendable_beneficiaries(questionnaire: Questionnaire, *, offer=None):
    """The people a coordinator may send a programme questionnaire to: those with an active
    enrollment in one of its offers (or in `offer`)."""
    enrollments = Enrollment.objects.active().filter(offer__programme_id=questionnaire.programme_id)
    if offer is not None:
        enrollments = enrollments.filter(offer=offer)
    return Beneficiary.objects.filter(id__in=enrollments.values("beneficiary_id")).order_by(
        "name", "pk"
    )


def invitations_send(
    *,
    questionnaire: Questionnaire,
    beneficiaries: Iterable[Beneficiary],
    phase: str = "",
    acting_user,
) -> int:
    """The coordinator sends a programme questionnaire by hand to a selection of its enrolled
    people; returns the number of new invitations (people already invited are left alone)."""
    if not can_manage_questionnaire(acting_user, questionnaire) or questionnaire.is_template:
        raise PermissionDenied
    if not questionnaire.is_active:
        raise ValidationError(_("This questionnaire is inactive: activate it before sending it."))
    if questionnaire.purpose == Purpose.MENTOR_ASSESSMENT:
        raise ValidationError(_("The mentor's assessment is filled in by the mentor, not sent."))
    if phase and phase not in Phase.values:
        raise ValidationError({"phase": _("Choose a phase from the list.")})
    allowed = set(sendable_beneficiaries(questionnaire).values_list("pk", flat=True))
    chosen = list(beneficiaries)
    if any(beneficiary.pk not in allowed for beneficiary in chosen):
        raise ValidationError(_("Some of the people chosen are not enrolled in this programme."))
    sent = 0
    with transaction.atomic():
        for beneficiary in chosen:
            _invitation, raw_token = invitation_create(
                questionnaire=questionnaire,
                beneficiary=beneficiary,
                moment=SendMoment.MANUAL,
                phase=phase,
                acting_user=acting_user,
            )
            sent += bool(raw_token)
    return sent

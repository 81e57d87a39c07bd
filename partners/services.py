"""Writes on the partner network: partner entries and referrals."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import OrganizationKind, Role
from accounts.models import Organization
from beneficiaires.models import Beneficiary
from partners.enums import ReferralStatus
from partners.models import Referral
from partners.permissions import (
    can_answer_referral,
    can_create_partner,
    can_create_referral,
    can_edit_partner,
)
from programmes.models import Programme, Theme

ANSWER_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.NO_ANSWER)


def _managed_organization_ids(user) -> set[int] | None:
    """Support structures whose themes the person manages; None means all (administrator)."""
    if user.is_superuser:
        return None
    return set(user.organization_ids_with_role(Role.COORDINATOR))


def _check_themes(themes: list[Theme], managed: set[int] | None) -> None:
    if managed is not None and any(theme.organization_id not in managed for theme in themes):
        raise ValidationError(
            {"themes": _("Choose themes of your own structure.")}, code="foreign_theme"
        )


def _check_name_is_free(name: str, *, exclude_pk: int | None = None) -> None:
    # Organization.name is unique; compare without case so "centre social" and
    # "Centre social" do not become two entries of the directory.
    others = Organization.objects.filter(name__iexact=name.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            {"name": _("A structure with this name already exists in the network.")},
            code="duplicate_name",
        )


def _save_partner(partner: Organization) -> None:
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as exc:  # two people saving the same name at the same moment
        raise ValidationError(
            {"name": _("A structure with this name already exists in the network.")},
            code="duplicate_name",
        ) from exc


@transaction.atomic
def partner_create(
    *,
    name: str,
    partner_kind: str,
    steward: Organization,
    territory: str = "",
    description: str = "",
    contact_name: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
    themes: Iterable[Theme] = (),
    acting_user,
) -> Organization:
    """Add a partner structure to the directory, kept up to date by the coordinator's structure."""
    if not can_create_partner(acting_user):
        raise PermissionDenied
    managed = _managed_organization_ids(acting_user)
    if managed is not None and steward.pk not in managed:
        raise PermissionDenied
    if steward.kind != OrganizationKind.SUPPORT:
        raise ValidationError(_("A partner entry is kept up to date by a support structure."))
    themes = list(themes)
    _check_themes(themes, managed)
    _check_name_is_free(name)
    partner = Organization(
        kind=OrganizationKind.PARTNER,
        name=name.strip(),
        partner_kind=partner_kind,
        steward=steward,
        territory=territory,
        description=description,
        contact_name=contact_name,
        email=email,
        phone=phone,
        website=website,
    )
    _save_partner(partner)
    partner.partner_themes.set(themes)
    return partner


@transaction.atomic
def partner_update(
    *,
    partner: Organization,
    name: str,
    partner_kind: str,
    territory: str = "",
    description: str = "",
    contact_name: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
    themes: Iterable[Theme] = (),
    acting_user,
) -> Organization:
    """Update a partner entry. Themes of other structures stay: each structure tags partners
    with its own themes."""
    if not can_edit_partner(acting_user, partner):
        raise PermissionDenied
    managed = _managed_organization_ids(acting_user)
    themes = list(themes)
    _check_themes(themes, managed)
    _check_name_is_free(name, exclude_pk=partner.pk)
    partner.name = name.strip()
    partner.partner_kind = partner_kind
    partner.territory = territory
    partner.description = description
    partner.contact_name = contact_name
    partner.email = email
    partner.phone = phone
    partner.website = website
    _save_partner(partner)
    # Themes this person could not choose in the form stay: other structures' themes, and
    # themes no longer active.
    choosable = Q(is_active=True)
    if managed is not None:
        choosable &= Q(organization_id__in=managed)
    kept = list(partner.partner_themes.exclude(choosable))
    partner.partner_themes.set([*kept, *themes])
    return partner


def referral_create(
    *,
    beneficiary: Beneficiary,
    partner: Organization,
    reason: str,
    programme: Programme | None = None,
    sent_on: datetime.date | None = None,
    acting_user,
) -> Referral:
    """Refer a beneficiary to a partner structure, on behalf of the beneficiary's structure."""
    if not can_create_referral(acting_user, beneficiary):
        raise PermissionDenied
    today = timezone.localdate()
    sent_on = sent_on or today
    if partner.kind != OrganizationKind.PARTNER:
        raise ValidationError({"partner": _("Choose a partner structure of the network.")})
    if programme is not None and not (
        Programme.objects.visible_to(acting_user)
        .filter(pk=programme.pk, organization_id=beneficiary.organization_id)
        .exists()
    ):
        raise ValidationError(
            {"programme": _("Choose a programme of the beneficiary's structure.")}
        )
    if sent_on > today:
        raise ValidationError({"sent_on": _("The date sent cannot be in the future.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the beneficiary is referred.")})
    with transaction.atomic():
        # Lock the beneficiary so that two clicks cannot send the same referral twice.
        Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
        if Referral.objects.filter(
            beneficiary=beneficiary, partner=partner, status=ReferralStatus.SENT
        ).exists():
            raise ValidationError(
                {
                    "partner": _(
                        "A referral of this beneficiary to this partner is already waiting "
                        "for an answer."
                    )
                },
                code="pending",
            )
        return Referral.objects.create(
            beneficiary=beneficiary,
            partner=partner,
            referring_organization_id=beneficiary.organization_id,
            programme=programme,
            reason=reason.strip(),
            sent_on=sent_on,
            created_by=acting_user,
        )


def referral_record_answer(
    *,
    referral: Referral,
    status: str,
    answered_on: datetime.date | None = None,
    answer_notes: str = "",
    acting_user,
) -> Referral:
    """Record the partner's answer (accepted, declined) or that none came."""
    if not can_answer_referral(acting_user, referral):
        raise PermissionDenied
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("Choose accepted, declined or no answer.")})
    today = timezone.localdate()
    answered_on = answered_on or today
    if answered_on < referral.sent_on:
        raise ValidationError(
            {"answered_on": _("The answer cannot come before the referral was sent.")},
            code="answer_before_sending",
        )
    if answered_on > today:
        raise ValidationError({"answered_on": _("The date of the answer cannot be in the future.")})
    referral.status = status
    referral.answered_on = answered_on
    referral.answer_notes = answer_notes.strip()
    try:
        with transaction.atomic():
            referral.save(update_fields=["status", "answered_on", "answer_notes"])
    except IntegrityError as exc:  # referral_answer_after_sending, if sent_on changed meanwhile
        raise ValidationError(
            {"answered_on": _("The answer cannot come before the referral was sent.")},
            code="answer_before_sending",
        ) from exc
    return referral

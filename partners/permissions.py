"""Who may do what in the partner network: names for the rules of `accounts.rules.TABLE`."""

from accounts.enums import OrganizationKind, Role
from accounts.rules import can, register_relations
from beneficiaires.models import Enrollment
from partners.models import Referral


def is_referent_mentor(user, beneficiary_id: int) -> bool:
    """A mentor (active membership) who is referent on one of the beneficiary's enrollments."""
    return (
        user.is_mentor
        and Enrollment.objects.filter(beneficiary_id=beneficiary_id, referent_mentor=user).exists()
    )


register_relations(
    Referral,
    coordinator_of=lambda user, referral: (
        referral.referring_organization_id in user.organization_ids_with_role(Role.COORDINATOR)
    ),
    mentor_of=lambda user, referral: is_referent_mentor(user, referral.beneficiary_id),
)


def can_list_partners(user) -> bool:
    """Partner information is shared across the network: every coordinator and mentor reads it."""
    return can(user, "partner.list")


def can_create_partner(user) -> bool:
    return can(user, "partner.create")


def can_edit_partner(user, partner) -> bool:
    """Coordinators of the support structure that keeps the entry up to date."""
    return partner.kind == OrganizationKind.PARTNER and can(user, "partner.edit", partner)


def can_list_referrals(user) -> bool:
    """Referrals are internal: coordinators and mentors only, never beneficiaries."""
    return can(user, "referral.list")


def can_create_referral(user, beneficiary) -> bool:
    """Coordinators of the beneficiary's structure and the beneficiary's referent mentors."""
    return can(user, "referral.write", beneficiary)


def can_answer_referral(user, referral) -> bool:
    """Those who see the referral record the partner's answer: the referring structure's
    coordinators and the beneficiary's referent mentors (the rule of Referral.visible_to)."""
    return can(user, "referral.write", referral)

"""Who may do what in the partner network: pure functions, no side effect."""

from accounts.enums import OrganizationKind, Role
from beneficiaires.models import Enrollment


def can_list_partners(user) -> bool:
    """Partner information is shared across the network: every coordinator and mentor reads it."""
    return user.is_authenticated and (user.is_superuser or user.is_coordinator or user.is_mentor)


def can_create_partner(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_coordinator)


def can_edit_partner(user, partner) -> bool:
    """Coordinators of the support structure that keeps the entry up to date."""
    if not user.is_authenticated or partner.kind != OrganizationKind.PARTNER:
        return False
    return user.is_superuser or partner.steward_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )


def can_list_referrals(user) -> bool:
    """Referrals are internal: coordinators and mentors only, never beneficiaries."""
    return can_list_partners(user)


def is_referent_mentor(user, beneficiary_id: int) -> bool:
    """A mentor (active membership) who is referent on one of the beneficiary's enrollments."""
    return (
        user.is_mentor
        and Enrollment.objects.filter(beneficiary_id=beneficiary_id, referent_mentor=user).exists()
    )


def can_create_referral(user, beneficiary) -> bool:
    """Coordinators of the beneficiary's structure and the beneficiary's referent mentors."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if beneficiary.organization_id in user.organization_ids_with_role(Role.COORDINATOR):
        return True
    return is_referent_mentor(user, beneficiary.pk)


def can_answer_referral(user, referral) -> bool:
    """Those who see the referral record the partner's answer: the referring structure's
    coordinators and the beneficiary's referent mentors (the rule of Referral.visible_to)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if referral.referring_organization_id in user.organization_ids_with_role(Role.COORDINATOR):
        return True
    return is_referent_mentor(user, referral.beneficiary_id)

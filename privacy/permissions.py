"""Who may exercise or handle the RGPD rights. Pure functions."""

from accounts.enums import Role
from beneficiaires.models import Beneficiary


def own_record(user) -> Beneficiary | None:
    """The beneficiary record of a logged-in person, if they are one."""
    if not user.is_authenticated:
        return None
    return getattr(user, "beneficiary_profile", None)


def can_erase_beneficiary(user, beneficiary: Beneficiary) -> bool:
    """The coordinators of the structure that holds the record (and superusers)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or beneficiary.organization_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )


def can_manage_retention(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_coordinator)

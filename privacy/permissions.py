"""Who may exercise or handle the RGPD rights. Pure functions."""

from accounts.rules import can
from beneficiaires.models import Beneficiary


def own_record(user) -> Beneficiary | None:
    """The beneficiary record of a logged-in person, if they are one (and the rights of
    access and rectification are theirs: `beneficiary.own_data`)."""
    if not user.is_authenticated:
        return None
    record = getattr(user, "beneficiary_profile", None)
    if record is None or not can(user, "beneficiary.own_data", record):
        return None
    return record


def can_erase_beneficiary(user, beneficiary: Beneficiary) -> bool:
    """The coordinators of the structure that holds the record (and superusers)."""
    return can(user, "beneficiary.erase", beneficiary)


def can_manage_retention(user) -> bool:
    return can(user, "retention.manage")

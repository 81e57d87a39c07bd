from accounts.enums import Role


def can_list_beneficiaries(user) -> bool:
    return user.is_superuser or user.is_coordinator or user.is_mentor


def can_manage_beneficiary(user, beneficiary) -> bool:
    """Coordinators of the structure holding the record may edit it."""
    return user.is_superuser or beneficiary.organization_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )

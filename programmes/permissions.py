from accounts.enums import Role


def can_list_programmes(user) -> bool:
    return user.is_superuser or user.is_coordinator or user.is_mentor


def can_manage_programme(user, programme) -> bool:
    """Coordinators of the programme's organisation run it."""
    return user.is_superuser or programme.organization_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )

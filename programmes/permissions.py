from accounts.enums import Role


def can_list_programmes(user) -> bool:
    return user.is_superuser or user.is_coordinator or user.is_mentor


def can_manage_programme(user, programme) -> bool:
    """Coordinators of the programme's organisation run it."""
    return user.is_superuser or programme.organization_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )


def can_create_programme(user, organization=None) -> bool:
    """Any coordinator creates programmes, in an organisation they coordinate."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if organization is None:
        return user.is_coordinator
    return organization.pk in user.organization_ids_with_role(Role.COORDINATOR)


def can_list_themes(user) -> bool:
    """The theme list is the coordinators' tool; mentors see themes through offers."""
    return user.is_authenticated and (user.is_superuser or user.is_coordinator)


def can_manage_theme(user, theme) -> bool:
    return user.is_superuser or theme.organization_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )

"""Who may do what with evaluation objects. Pages, API and templates ask these."""

from accounts.enums import Role


def coordinates(user, organization_id: int | None) -> bool:
    return user.is_authenticated and (
        user.is_superuser or organization_id in user.organization_ids_with_role(Role.COORDINATOR)
    )


def can_list_questionnaires(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_coordinator)


def can_manage_questionnaire(user, questionnaire) -> bool:
    """Coordinators of the structure edit its templates and its programmes' questionnaires;
    the shipped defaults are read-only (they are copied)."""
    if questionnaire.is_default:
        return False
    organization_id = (
        questionnaire.programme.organization_id
        if questionnaire.programme_id
        else questionnaire.organization_id
    )
    return coordinates(user, organization_id)


def can_view_programme_evaluation(user, programme) -> bool:
    """The dashboard, the exports and the report: the programme's coordinators."""
    return coordinates(user, programme.organization_id)

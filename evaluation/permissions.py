"""Who may do what with evaluation objects: names for the rules of `accounts.rules.TABLE`.
Pages, API and templates ask these."""

from accounts.enums import Role
from accounts.rules import can, register_relations
from evaluation.models import Questionnaire


def _organization_of(questionnaire) -> int | None:
    if questionnaire.programme_id:
        return questionnaire.programme.organization_id
    return questionnaire.organization_id


register_relations(
    Questionnaire,
    coordinator_of=lambda user, q: (
        _organization_of(q) in user.organization_ids_with_role(Role.COORDINATOR)
    ),
)


def coordinates(user, organization) -> bool:
    """Acting for a structure (a programme's questionnaire, a structure's template)."""
    return can(user, "organization.act_for", organization)


def can_list_questionnaires(user) -> bool:
    return can(user, "questionnaire.list")


def can_manage_questionnaire(user, questionnaire) -> bool:
    """Coordinators of the structure edit its templates and its programmes' questionnaires;
    the shipped defaults are read-only (they are copied)."""
    return not questionnaire.is_default and can(user, "questionnaire.manage", questionnaire)


def can_view_programme_evaluation(user, programme) -> bool:
    """The dashboard, the exports and the report: the programme's coordinators."""
    return can(user, "programme.view_evaluation", programme)

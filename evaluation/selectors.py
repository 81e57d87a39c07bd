"""Reads of the evaluation app that cross models: which questionnaires a person may see."""

from django.db.models import Count, Q, QuerySet

from accounts.enums import Role
from evaluation.models import Questionnaire
from programmes.models import Programme

DEFAULTS = Q(organization__isnull=True, programme__isnull=True)


def questionnaires_visible_to(user) -> QuerySet[Questionnaire]:
    """Superusers see everything; coordinators the shipped defaults, their structures' templates
    and their structures' programmes' questionnaires; nobody else sees any."""
    if not user.is_authenticated:
        return Questionnaire.objects.none()
    if user.is_superuser:
        return Questionnaire.objects.all()
    organization_ids = user.organization_ids_with_role(Role.COORDINATOR)
    if not organization_ids:
        return Questionnaire.objects.none()
    return Questionnaire.objects.filter(
        DEFAULTS
        | Q(programme__isnull=True, organization_id__in=organization_ids)
        | Q(programme__organization_id__in=organization_ids)
    )


def questionnaire_list_for(user) -> QuerySet[Questionnaire]:
    """The list page's rows: with their programme, structure and number of questions."""
    return (
        questionnaires_visible_to(user)
        .select_related("programme", "organization")
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("programme__title", "programme_id", "title", "pk")
    )


def programmes_run_by(user) -> QuerySet[Programme]:
    """Programmes whose questionnaires `user` may create: those of the structures they
    coordinate (every programme for a superuser)."""
    return Programme.objects.managed_by(user).select_related("organization").order_by("title")


def questionnaire_has_responses(questionnaire: Questionnaire) -> bool:
    return questionnaire.responses.exists()

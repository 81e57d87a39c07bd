"""/api/v1/questionnaires/: what each person lists, and writes through the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from evaluation.defaults import ensure_default_questionnaires
from evaluation.enums import Purpose, QuestionKind, SendMoment
from evaluation.models import Question, Questionnaire
from tests.evaluation.factories import QuestionFactory, QuestionnaireFactory, ResponseFactory
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_login(coordinator)
    return client


@pytest.fixture
def questionnaire(programme):
    questionnaire = QuestionnaireFactory(programme=programme)
    QuestionFactory(questionnaire=questionnaire, position=1, code="b", kind=QuestionKind.TEXT)
    QuestionFactory(questionnaire=questionnaire, position=0, code="a")
    return questionnaire


def detail(questionnaire) -> str:
    return reverse("questionnaire-detail", args=[questionnaire.public_id])


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def test_coordinator_lists_defaults_own_templates_and_programmes(
    api, questionnaire, organization, other_organization
):
    ensure_default_questionnaires(Questionnaire, Question)
    template = QuestionnaireFactory(programme=None, organization=organization)
    foreign_template = QuestionnaireFactory(programme=None, organization=other_organization)
    foreign = QuestionnaireFactory(programme=ProgrammeFactory(organization=other_organization))

    listed = ids(api.get(reverse("questionnaire-list")))

    defaults = {str(q.public_id) for q in Questionnaire.objects.exclude(default_key="")}
    assert defaults <= listed
    assert {str(questionnaire.public_id), str(template.public_id)} <= listed
    assert str(foreign_template.public_id) not in listed
    assert str(foreign.public_id) not in listed


def test_retrieve_nests_questions_in_order(api, questionnaire, programme):
    data = api.get(detail(questionnaire)).json()

    assert data["programme"] == str(programme.public_id)
    assert [q["code"] for q in data["questions"]] == ["a", "b"]
    assert data["is_default"] is False


def test_create_a_programme_questionnaire(api, programme, coordinator):
    response = api.post(
        reverse("questionnaire-list"),
        {
            "title": "Après l'atelier",
            "programme": str(programme.public_id),
            "purpose": Purpose.SATISFACTION,
            "send_moment": SendMoment.AFTER_SEANCE,
        },
    )

    assert response.status_code == 201, response.json()
    created = Questionnaire.objects.get(public_id=response.json()["id"])
    assert created.programme == programme
    assert created.created_by == coordinator
    assert response.json()["questions"] == []


def test_create_a_template(api, organization):
    response = api.post(
        reverse("questionnaire-list"),
        {"title": "Modèle", "organization": str(organization.public_id)},
    )

    assert response.status_code == 201, response.json()
    assert Questionnaire.objects.get(public_id=response.json()["id"]).is_template


def test_a_template_without_structure_is_a_400(api):
    response = api.post(reverse("questionnaire-list"), {"title": "Modèle"})

    assert response.status_code == 400
    assert "organization" in response.json()


def test_another_structure_programme_is_a_400(api, other_organization):
    foreign = ProgrammeFactory(organization=other_organization)

    response = api.post(
        reverse("questionnaire-list"), {"title": "X", "programme": str(foreign.public_id)}
    )

    assert response.status_code == 400
    assert "programme" in response.json()


def test_partial_update(api, questionnaire):
    response = api.patch(detail(questionnaire), {"is_active": False, "title": "Renommé"})

    assert response.status_code == 200, response.json()
    questionnaire.refresh_from_db()
    assert not questionnaire.is_active
    assert questionnaire.title == "Renommé"
    assert questionnaire.programme_id is not None


def test_a_default_cannot_be_changed_or_deleted(api):
    ensure_default_questionnaires(Questionnaire, Question)
    default = Questionnaire.objects.get(default_key="satisfaction")

    assert api.patch(detail(default), {"title": "X"}).status_code == 403
    assert api.delete(detail(default)).status_code == 403


def test_delete_an_unsent_questionnaire(api, questionnaire):
    response = api.delete(detail(questionnaire))

    assert response.status_code == 204
    assert not Questionnaire.objects.filter(pk=questionnaire.pk).exists()


def test_delete_of_a_sent_questionnaire_is_a_400_with_the_reason(api, questionnaire):
    ResponseFactory(questionnaire=questionnaire)

    response = api.delete(detail(questionnaire))

    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_other_structure_coordinator_gets_404(questionnaire, other_organization_coordinator):
    client = APIClient()
    client.force_login(other_organization_coordinator)

    assert client.patch(detail(questionnaire), {"title": "X"}).status_code == 404


def test_mentor_cannot_create(mentor, programme):
    client = APIClient()
    client.force_login(mentor)

    response = client.post(
        reverse("questionnaire-list"), {"title": "X", "programme": str(programme.public_id)}
    )

    assert response.status_code == 403


def test_list_query_count_is_constant(api, programme):
    def grow(n):
        for _ in range(n):
            QuestionFactory.create_batch(2, questionnaire=QuestionnaireFactory(programme=programme))

    def count():
        with CaptureQueriesContext(connection) as context:
            assert api.get(reverse("questionnaire-list")).status_code == 200
        return len(context.captured_queries)

    grow(1)
    few = count()
    grow(29)

    assert count() == few

"""Who reaches the questionnaire builder's pages and API: every URL name, every persona.

Coordinators build questionnaires (other roles: 403); a questionnaire of another structure
is a 404; the shipped defaults are read by every coordinator and edited by nobody."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from evaluation.defaults import ensure_default_questionnaires
from evaluation.models import Question, Questionnaire
from tests.evaluation.factories import QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "beneficiary",
    "mentor",
    "coordinator",
    "other_organization_coordinator",
    "admin",
]

# URL name → (HTTP method, expected status per persona in PERSONAS order).
MATRIX = {
    "evaluation:questionnaire_list": ("get", [302, 403, 403, 200, 200, 200]),
    "evaluation:questionnaire_new": ("get", [302, 403, 403, 200, 200, 200]),
    "evaluation:questionnaire_detail": ("get", [302, 403, 403, 200, 404, 200]),
    "evaluation:questionnaire_edit": ("get", [302, 403, 403, 200, 404, 200]),
    "evaluation:questionnaire_copy": ("get", [302, 403, 403, 200, 404, 200]),
    "evaluation:question_new": ("get", [302, 403, 403, 200, 404, 200]),
    "evaluation:question_edit": ("get", [302, 403, 403, 200, 404, 200]),
    # GET asks for confirmation; the POST is in test_questionnaire_pages.py.
    "evaluation:question_delete": ("get", [302, 403, 403, 200, 404, 200]),
    # A POST form: allowed people are sent back to the questionnaire.
    "evaluation:question_move": ("post", [302, 403, 403, 302, 404, 302]),
}

API_MATRIX = {
    "questionnaire-list": [403, 403, 403, 200, 200, 200],
    "questionnaire-detail": [403, 403, 403, 200, 404, 200],
}


def user_of(request, persona):
    if persona == "anonymous":
        return None
    value = request.getfixturevalue(persona)
    return getattr(value, "user", None) or value


@pytest.fixture
def question(programme):
    return QuestionFactory(questionnaire=QuestionnaireFactory(programme=programme))


def page_url(name: str, question) -> str:
    questionnaire = question.questionnaire
    if name in {"evaluation:questionnaire_list", "evaluation:questionnaire_new"}:
        return reverse(name)
    if name.startswith("evaluation:question_") and name != "evaluation:question_new":
        return reverse(name, args=[questionnaire.public_id, question.pk])
    return reverse(name, args=[questionnaire.public_id])


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_access_matrix(client, request, question, name, persona):
    user = user_of(request, persona)
    if user is not None:
        client.force_login(user)
    method, statuses = MATRIX[name]
    url = page_url(name, question)

    data = {"direction": "up"} if method == "post" else None
    response = getattr(client, method)(url, data)

    expected = statuses[PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    elif expected == 302:
        assert response.url.startswith(page_url("evaluation:questionnaire_detail", question))


@pytest.mark.parametrize("name", API_MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_access_matrix(request, question, name, persona):
    client = APIClient()
    user = user_of(request, persona)
    if user is not None:
        client.force_login(user)
    args = [question.questionnaire.public_id] if name.endswith("-detail") else []

    response = client.get(reverse(name, args=args))

    assert response.status_code == API_MATRIX[name][PERSONAS.index(persona)], persona


@pytest.fixture
def default():
    ensure_default_questionnaires(Questionnaire, Question)
    return Questionnaire.objects.get(default_key="satisfaction")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("evaluation:questionnaire_detail", 200),
        ("evaluation:questionnaire_copy", 200),
        ("evaluation:questionnaire_edit", 403),
        ("evaluation:question_new", 403),
    ],
)
@pytest.mark.parametrize("persona", ["coordinator", "other_organization_coordinator", "admin"])
def test_defaults_are_read_and_copied_by_every_coordinator_and_edited_by_nobody(
    client, request, default, name, expected, persona
):
    client.force_login(user_of(request, persona))

    response = client.get(reverse(name, args=[default.public_id]))

    assert response.status_code == expected


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_default_questions_cannot_be_edited_deleted_or_moved(client, request, default, persona):
    client.force_login(user_of(request, persona))
    question = default.questions.first()
    args = [default.public_id, question.pk]

    assert client.get(reverse("evaluation:question_edit", args=args)).status_code == 403
    assert client.post(reverse("evaluation:question_delete", args=args)).status_code == 403
    moved = client.post(reverse("evaluation:question_move", args=args), {"direction": "down"})
    assert moved.status_code == 403


def test_a_question_of_another_questionnaire_is_a_404(client, coordinator, question, programme):
    client.force_login(coordinator)
    other = QuestionnaireFactory(programme=programme)

    response = client.get(reverse("evaluation:question_edit", args=[other.public_id, question.pk]))

    assert response.status_code == 404


def test_other_structure_template_is_a_404(client, coordinator, other_organization):
    client.force_login(coordinator)
    template = QuestionnaireFactory(programme=None, organization=other_organization)

    response = client.get(reverse("evaluation:questionnaire_detail", args=[template.public_id]))

    assert response.status_code == 404

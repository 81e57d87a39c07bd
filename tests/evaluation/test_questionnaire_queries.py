"""The questionnaire list and a questionnaire's page run as many queries with 1 row as with 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.defaults import ensure_default_questionnaires
from evaluation.enums import QuestionKind
from evaluation.models import Question, Questionnaire
from tests.evaluation.factories import QuestionFactory, QuestionnaireFactory
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_questionnaire_list_query_count_is_constant(client, request, persona, organization):
    ensure_default_questionnaires(Questionnaire, Question)
    client.force_login(request.getfixturevalue(persona))
    made = 0

    def grow(n):
        nonlocal made
        for _ in range(n):
            if made % 3 == 0:
                questionnaire = QuestionnaireFactory(programme=None, organization=organization)
            else:
                questionnaire = QuestionnaireFactory(
                    programme=ProgrammeFactory(organization=organization)
                )
            QuestionFactory.create_batch(2, questionnaire=questionnaire)
            made += 1

    url = reverse("evaluation:questionnaire_list")
    grow(1)
    few = count_queries(client, url)
    grow(29)
    many = count_queries(client, url)

    assert many == few


def test_questionnaire_detail_query_count_is_constant(client, coordinator, programme):
    client.force_login(coordinator)
    questionnaire = QuestionnaireFactory(programme=programme)
    url = reverse("evaluation:questionnaire_detail", args=[questionnaire.public_id])
    kinds = [QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.TEXT, QuestionKind.NPS]

    def grow(n):
        for i in range(n):
            kind = kinds[i % len(kinds)]
            QuestionFactory(
                questionnaire=questionnaire,
                kind=kind,
                choices=["A", "B"] if kind == QuestionKind.SINGLE else [],
            )

    grow(1)
    few = count_queries(client, url)
    grow(29)
    many = count_queries(client, url)

    assert many == few

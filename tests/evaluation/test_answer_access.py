"""Role matrix of every page of answering and sending questionnaires."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from evaluation.enums import EntryMode, Purpose
from evaluation.services.responses import response_submit
from tests.evaluation.factories import QuestionnaireFactory
from tests.evaluation.factories_answers import invite, satisfaction_questionnaire
from tests.seances.conftest import AttendanceFactory, SeanceFactory

PERSONAS = [
    "anonymous",
    "beneficiary",
    "other_beneficiary",
    "mentor",
    "other_mentor",
    "coordinator",
    "other_organization_coordinator",
    "admin",
]


@pytest.fixture
def objects(programme, beneficiary, mentor):
    questionnaire, scale = satisfaction_questionnaire(programme)
    assessment = QuestionnaireFactory(programme=programme, purpose=Purpose.MENTOR_ASSESSMENT)
    invitation, token = invite(questionnaire, beneficiary)
    answered, used_token = invite(questionnaire, beneficiary, phase="end")
    response = response_submit(
        questionnaire=questionnaire,
        beneficiary=beneficiary,
        answers={f"q{scale.pk}": 4},
        entry_mode=EntryMode.LINK,
        invitation=answered,
    )
    _expired, expired_token = invite(questionnaire, beneficiary, phase="start", expired=True)
    return {
        "questionnaire": questionnaire,
        "assessment": assessment,
        "invitation": invitation,
        "token": token,
        "used_token": used_token,
        "expired_token": expired_token,
        "response": response,
        "beneficiary": beneficiary,
    }


def url_of(name, o):
    person = o["beneficiary"].public_id
    return {
        "answer_link": lambda: reverse("evaluation:answer_link", args=[o["token"]]),
        "answer_link_used": lambda: reverse("evaluation:answer_link", args=[o["used_token"]]),
        "answer_link_expired": lambda: reverse("evaluation:answer_link", args=[o["expired_token"]]),
        "answer_link_unknown": lambda: reverse("evaluation:answer_link", args=["x" * 43]),
        "my_questionnaires": lambda: reverse("evaluation:my_questionnaires"),
        "my_answer": lambda: reverse("evaluation:my_answer", args=[o["invitation"].public_id]),
        "entry_choose": lambda: reverse("evaluation:entry_choose", args=[person]),
        "entry_on_behalf": lambda: reverse(
            "evaluation:entry_on_behalf", args=[person, o["questionnaire"].public_id]
        ),
        "entry_assessment": lambda: reverse(
            "evaluation:entry_assessment", args=[person, o["assessment"].public_id]
        ),
        "invitation_send": lambda: reverse(
            "evaluation:invitation_send", args=[o["questionnaire"].public_id]
        ),
        "invitation_list": lambda: reverse(
            "evaluation:invitation_list", args=[o["questionnaire"].public_id]
        ),
        "response_detail": lambda: reverse(
            "evaluation:response_detail", args=[o["response"].public_id]
        ),
    }[name]()


# Expected status per persona, in the order of PERSONAS.
MATRIX = {
    "answer_link": [200, 200, 200, 200, 200, 200, 200, 200],
    "answer_link_used": [410] * 8,
    "answer_link_expired": [410] * 8,
    "answer_link_unknown": [404] * 8,
    "my_questionnaires": [302, 200, 200, 403, 403, 403, 403, 403],
    "my_answer": [302, 200, 404, 403, 403, 403, 403, 403],
    "entry_choose": [302, 403, 404, 200, 404, 403, 404, 403],
    "entry_on_behalf": [302, 403, 404, 200, 404, 403, 404, 403],
    "entry_assessment": [302, 403, 404, 200, 404, 403, 404, 403],
    "invitation_send": [302, 404, 404, 403, 403, 200, 404, 200],
    "invitation_list": [302, 404, 404, 403, 403, 200, 404, 200],
    "response_detail": [302, 200, 404, 200, 404, 200, 404, 200],
}
CASES = [
    (name, persona, expected)
    for name, statuses in MATRIX.items()
    for persona, expected in zip(PERSONAS, statuses, strict=True)
]


@pytest.mark.parametrize(("name", "persona", "expected"), CASES)
def test_role_matrix(client, request, objects, name, persona, expected):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    response = client.get(url_of(name, objects))
    assert response.status_code == expected
    if expected == 302:
        assert reverse("accounts:login") in response["Location"]


def test_beneficiary_b_cannot_answer_a_pending_invitation_of_a(client, objects, other_beneficiary):
    client.force_login(other_beneficiary.user)
    url = reverse("evaluation:my_answer", args=[objects["invitation"].public_id])
    assert client.post(url, {}).status_code == 404
    objects["invitation"].refresh_from_db()
    assert objects["invitation"].answered_at is None


def test_other_mentor_cannot_enter_answers_for_a(client, objects, other_mentor):
    client.force_login(other_mentor)
    url = url_of("entry_on_behalf", objects)
    assert client.post(url, {}).status_code == 404


def test_coordinator_of_another_structure_cannot_send(
    client, objects, other_organization_coordinator, beneficiary
):
    client.force_login(other_organization_coordinator)
    url = url_of("invitation_send", objects)
    response = client.post(url, {"beneficiaires": [str(beneficiary.public_id)]})
    assert response.status_code == 404


def test_unavailable_link_pages_leak_nothing(client, objects):
    for name in ("answer_link_used", "answer_link_expired", "answer_link_unknown"):
        response = client.get(url_of(name, objects))
        content = response.content.decode()
        assert escape(objects["beneficiary"].name) not in content
        assert escape(objects["questionnaire"].title) not in content
        assert "no-store" in response["Cache-Control"]


def test_referent_sees_a_response_about_a_seance_led_by_someone_else(
    client, programme, offer, beneficiary, mentor
):
    questionnaire, scale = satisfaction_questionnaire(programme)
    seance = SeanceFactory(offer=offer)
    AttendanceFactory(seance=seance, beneficiary=beneficiary)
    invitation, _token = invite(questionnaire, beneficiary, seance=seance)
    response = response_submit(
        questionnaire=questionnaire,
        beneficiary=beneficiary,
        answers={f"q{scale.pk}": 5},
        entry_mode=EntryMode.LINK,
        invitation=invitation,
    )
    assert response.mentor == seance.mentor != mentor
    client.force_login(mentor)
    url = reverse("evaluation:response_detail", args=[response.public_id])
    assert client.get(url).status_code == 200
    client.force_login(seance.mentor)
    assert client.get(url).status_code == 200


API_MATRIX = {
    "evaluation-response-list": [403, 200, 200, 200, 200, 200, 200, 200],
    "evaluation-response-detail": [403, 200, 404, 200, 404, 200, 404, 200],
}
API_CASES = [
    (name, persona, expected)
    for name, statuses in API_MATRIX.items()
    for persona, expected in zip(PERSONAS, statuses, strict=True)
]


# The API routes, as registered in accompagnement/api.py.
@pytest.mark.parametrize(("name", "persona", "expected"), API_CASES)
def test_api_role_matrix(client, request, objects, name, persona, expected):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    args = [objects["response"].public_id] if name.endswith("-detail") else []
    assert client.get(reverse(name, args=args)).status_code == expected

"""/api/v1/evaluation-responses/: read what you may see; answer through response_submit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from evaluation.enums import EntryMode, Phase, Purpose
from evaluation.models import Response
from evaluation.services.responses import response_submit
from tests.evaluation.factories import QuestionnaireFactory
from tests.evaluation.factories_answers import (
    diagnose,
    full_questionnaire,
    invite,
    per_need_questionnaire,
    valid_answers,
)

URL = "/api/v1/evaluation-responses/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def full(programme):
    return full_questionnaire(programme)


@pytest.fixture
def response_of_a(full, beneficiary):
    questionnaire, questions = full
    invitation, _token = invite(questionnaire, beneficiary)
    return response_submit(
        questionnaire=questionnaire,
        beneficiary=beneficiary,
        answers=valid_answers(questions),
        entry_mode=EntryMode.LINK,
        invitation=invitation,
    )


def ids(answer) -> set[str]:
    return {row["id"] for row in answer.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("beneficiary", True),
        ("other_beneficiary", False),
        ("mentor", True),
        ("other_mentor", False),
        ("coordinator", True),
        ("other_organization_coordinator", False),
        ("admin", True),
    ],
)
def test_list_and_retrieve_show_what_the_user_may_see(api, request, response_of_a, persona, sees):
    user = request.getfixturevalue(persona)
    api.force_authenticate(getattr(user, "user", user))
    listed = api.get(URL)
    assert listed.status_code == 200
    assert ids(listed) == ({str(response_of_a.public_id)} if sees else set())
    detail = api.get(f"{URL}{response_of_a.public_id}/")
    assert detail.status_code == (200 if sees else 404)
    if sees:
        body = detail.json()
        assert body["entry_mode"] == EntryMode.LINK
        assert len(body["answers"]) == 6
        assert {"key", "question_code", "value_number", "value_text"} <= set(body["answers"][0])


def test_list_filters_by_questionnaire(api, response_of_a, programme, coordinator):
    api.force_authenticate(coordinator)
    mine = api.get(URL, {"questionnaire": str(response_of_a.questionnaire.public_id)})
    assert ids(mine) == {str(response_of_a.public_id)}
    other = QuestionnaireFactory(programme=programme)
    assert ids(api.get(URL, {"questionnaire": str(other.public_id)})) == set()


def test_anonymous_gets_403(api, response_of_a):
    assert api.get(URL).status_code == 403
    assert api.post(URL, {}, format="json").status_code == 403


def test_beneficiary_answers_a_pending_invitation(api, full, beneficiary):
    questionnaire, questions = full
    invitation, _token = invite(questionnaire, beneficiary)
    api.force_authenticate(beneficiary.user)
    answer = api.post(
        URL,
        {"invitation": str(invitation.public_id), "answers": valid_answers(questions)},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    saved = Response.objects.get()
    assert answer.json()["id"] == str(saved.public_id)
    assert saved.entry_mode == EntryMode.ACCOUNT
    again = api.post(
        URL,
        {"invitation": str(invitation.public_id), "answers": valid_answers(questions)},
        format="json",
    )
    assert again.status_code == 400
    assert "invitation" in again.json()


def test_invalid_answers_are_a_400_per_field(api, full, beneficiary):
    questionnaire, questions = full
    invitation, _token = invite(questionnaire, beneficiary)
    api.force_authenticate(beneficiary.user)
    key = f"q{questions['scale'].pk}"
    answer = api.post(
        URL,
        {
            "invitation": str(invitation.public_id),
            "answers": valid_answers(questions) | {key: 9},
        },
        format="json",
    )
    assert answer.status_code == 400
    assert list(answer.json()["answers"]) == [key]
    assert not Response.objects.exists()


def test_beneficiary_b_cannot_use_the_invitation_of_a(api, full, beneficiary, other_beneficiary):
    questionnaire, questions = full
    invitation, _token = invite(questionnaire, beneficiary)
    api.force_authenticate(other_beneficiary.user)
    answer = api.post(
        URL,
        {"invitation": str(invitation.public_id), "answers": valid_answers(questions)},
        format="json",
    )
    assert answer.status_code == 400
    assert not Response.objects.exists()


def test_expired_invitation_is_refused(api, full, beneficiary):
    questionnaire, questions = full
    invitation, _token = invite(questionnaire, beneficiary, expired=True)
    api.force_authenticate(beneficiary.user)
    answer = api.post(
        URL,
        {"invitation": str(invitation.public_id), "answers": valid_answers(questions)},
        format="json",
    )
    assert answer.status_code == 400


def test_mentor_enters_on_behalf(api, full, beneficiary, mentor):
    questionnaire, questions = full
    api.force_authenticate(mentor)
    answer = api.post(
        URL,
        {
            "questionnaire": str(questionnaire.public_id),
            "beneficiary": str(beneficiary.public_id),
            "answers": valid_answers(questions),
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    saved = Response.objects.get()
    assert saved.entry_mode == EntryMode.ON_BEHALF
    assert saved.entered_by == mentor
    assert answer.json()["entered_by_name"]


def test_mentor_assessment_per_need(api, programme, beneficiary, mentor, themes):
    questionnaire, question = per_need_questionnaire(programme, purpose=Purpose.MENTOR_ASSESSMENT)
    diagnose(beneficiary, themes[:2])
    api.force_authenticate(mentor)
    answer = api.post(
        URL,
        {
            "questionnaire": str(questionnaire.public_id),
            "beneficiary": str(beneficiary.public_id),
            "phase": Phase.END,
            "answers": {f"q{question.pk}_t{themes[0].pk}": 3},
        },
        format="json",
    )
    assert answer.status_code == 400
    assert list(answer.json()["answers"]) == [f"q{question.pk}_t{themes[1].pk}"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("other_mentor", 400), ("coordinator", 403), ("other_beneficiary", 400)],
)
def test_only_the_referent_mentor_enters_for_a_person(
    api, request, full, beneficiary, persona, expected
):
    questionnaire, questions = full
    user = request.getfixturevalue(persona)
    api.force_authenticate(getattr(user, "user", user))
    answer = api.post(
        URL,
        {
            "questionnaire": str(questionnaire.public_id),
            "beneficiary": str(beneficiary.public_id),
            "answers": valid_answers(questions),
        },
        format="json",
    )
    assert answer.status_code == expected
    assert not Response.objects.exists()


def test_questionnaire_of_another_programme_is_refused(api, beneficiary, mentor):
    elsewhere = QuestionnaireFactory()
    api.force_authenticate(mentor)
    answer = api.post(
        URL,
        {
            "questionnaire": str(elsewhere.public_id),
            "beneficiary": str(beneficiary.public_id),
            "answers": {},
        },
        format="json",
    )
    assert answer.status_code == 400
    assert "questionnaire" in answer.json()


def test_list_query_count_does_not_grow(api, programme, beneficiary, coordinator):
    questionnaire, questions = full_questionnaire(programme)
    api.force_authenticate(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    submit = {
        "questionnaire": questionnaire,
        "beneficiary": beneficiary,
        "answers": valid_answers(questions),
        "entry_mode": EntryMode.LINK,
    }
    response_submit(**submit)
    count()  # the user's roles are cached on the instance from the first request on
    one = count()
    for _ in range(29):
        response_submit(**submit)
    assert count() == one

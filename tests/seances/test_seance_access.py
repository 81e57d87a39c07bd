"""Who reaches which séance and tutoring page, for every persona (role matrix).

`seance`: an individual séance led by `mentor`, beneficiary A present; B (`other_beneficiary`)
is followed by `other_mentor` in the same programme. The tutoring pair: `mentor` tutors A.
The appointment and the group session are in the past, `mentor` leads both."""

import uuid

import pytest
from django.urls import reverse

from seances.services import seances as services
from tests.seances.conftest import AttendanceFactory, SeanceFactory
from tests.seances.test_seance_fixtures import days_ago

pytest_plugins = ["tests.seances.test_seance_fixtures"]

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

SEANCE_ACTION = [302, 403, 404, 302, 404, 403, 404, 403]
PAIR_ACTION = [302, 403, 404, 302, 404, 302, 404, 302]

# URL name → (method, expected status per persona, in PERSONAS order)
MATRIX = {
    "seances:seance_list": ("get", [302, 200, 200, 200, 200, 200, 200, 200]),
    "seances:seance_new": ("get", [302, 403, 403, 200, 200, 403, 403, 403]),
    "seances:seance_from_appointment": ("post", [302, 403, 404, 302, 404, 302, 404, 302]),
    "seances:seance_from_group_session": ("post", [302, 403, 403, 302, 403, 302, 404, 302]),
    "seances:seance_detail": ("get", [302, 200, 404, 200, 404, 200, 404, 200]),
    "seances:seance_attendance": ("post", SEANCE_ACTION),
    "seances:seance_participant_add": ("post", SEANCE_ACTION),
    "seances:confidential_note_add": ("post", SEANCE_ACTION),
    "seances:hotline_update": ("post", SEANCE_ACTION),
    "seances:observation_update": ("post", SEANCE_ACTION),
    "seances:goal_review": ("post", SEANCE_ACTION),
    "seances:tutoring_pairs": ("get", [302, 200, 200, 200, 200, 200, 200, 200]),
    "seances:tutoring_pair_create": ("get", [302, 403, 403, 200, 200, 200, 200, 200]),
    "seances:tutoring_pair_detail": ("get", [302, 200, 404, 200, 404, 200, 404, 200]),
    "seances:learning_goal_add": ("post", PAIR_ACTION),
    "seances:tutoring_pair_end": ("post", PAIR_ACTION),
}
POST_ONLY = [name for name, (method, _) in MATRIX.items() if method == "post"]


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona in {"beneficiary", "other_beneficiary"} else value)


@pytest.fixture
def objects(seance, past_appointment, past_session, tutoring_offer, mentor, beneficiary):
    pair = services.tutoring_pair_create(
        offer=tutoring_offer,
        tutor=mentor,
        tutee=beneficiary,
        started_on=days_ago(20).date(),
        acting_user=mentor,
    )
    return {
        "seance": seance,
        "appointment": past_appointment,
        "session": past_session,
        "pair": pair,
    }


def url_for(name, objects):
    if name in {
        "seances:seance_list",
        "seances:seance_new",
        "seances:tutoring_pairs",
        "seances:tutoring_pair_create",
    }:
        return reverse(name)
    if name == "seances:seance_from_appointment":
        return reverse(name, args=[objects["appointment"].public_id])
    if name == "seances:seance_from_group_session":
        return reverse(name, args=[objects["session"].public_id])
    if name.startswith("seances:tutoring_pair") or name == "seances:learning_goal_add":
        return reverse(name, args=[objects["pair"].public_id])
    return reverse(name, args=[objects["seance"].public_id])


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_seance_access_matrix(client, request, persona, name, objects):
    login_as(client, request, persona)
    method, expected = MATRIX[name]
    url = url_for(name, objects)

    response = getattr(client, method)(url)

    assert response.status_code == expected[PERSONAS.index(persona)], f"{persona} on {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_actions_refuse_get(client, mentor, objects, name):
    client.force_login(mentor)

    response = client.get(url_for(name, objects))

    assert response.status_code == 405


@pytest.mark.django_db
def test_another_mentors_seance_is_out_of_reach(
    client, mentor, other_mentor, other_beneficiary, individual_offer
):
    """Changing the id in the URL never reaches another person's séance."""
    theirs = SeanceFactory(offer=individual_offer, mentor=other_mentor)
    AttendanceFactory(seance=theirs, beneficiary=other_beneficiary)
    client.force_login(mentor)

    for name, method in [
        ("seances:seance_detail", "get"),
        ("seances:seance_attendance", "post"),
        ("seances:confidential_note_add", "post"),
    ]:
        response = getattr(client, method)(reverse(name, args=[theirs.public_id]))
        assert response.status_code == 404, name
    response = client.get(reverse("seances:seance_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_beneficiary_cannot_reach_another_beneficiarys_seance(
    client, beneficiary, other_mentor, other_beneficiary, individual_offer
):
    theirs = SeanceFactory(offer=individual_offer, mentor=other_mentor)
    AttendanceFactory(seance=theirs, beneficiary=other_beneficiary)
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:seance_detail", args=[theirs.public_id]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_post_redirects_go_to_the_seance(client, mentor, objects):
    client.force_login(mentor)

    response = client.post(url_for("seances:seance_from_appointment", objects))

    seance = objects["appointment"].seance
    assert response.url == reverse("seances:seance_detail", args=[seance.public_id])

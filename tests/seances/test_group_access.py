"""Who reaches which group session page, for every persona (role matrix).

A session of a group offer of `programme`, organised by `mentor` (`other_mentor` also runs the
offer); beneficiaries A and B are enrolled in it; A holds a seat."""

import pytest
from django.urls import reverse

from seances.enums import RegistrationStatus
from tests.seances.test_group_fixtures import RegistrationFactory

pytest_plugins = ["tests.seances.test_group_fixtures"]

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

# URL name → (method, expected status per persona, in PERSONAS order)
MATRIX = {
    "seances:group_sessions": ("get", [302, 200, 200, 200, 200, 200, 200, 200]),
    "seances:group_session_detail": ("get", [302, 200, 200, 200, 200, 200, 404, 200]),
    "seances:group_session_ics": ("get", [302, 200, 200, 200, 200, 200, 404, 200]),
    "seances:group_session_create": ("get", [302, 403, 403, 200, 200, 200, 200, 200]),
    "seances:group_session_edit": ("get", [302, 403, 403, 200, 200, 200, 404, 200]),
    "seances:group_session_cancel": ("get", [302, 403, 403, 200, 200, 200, 404, 200]),
    # Registering oneself: staff have no beneficiary record to register.
    "seances:group_session_register": ("post", [302, 302, 302, 403, 403, 403, 404, 403]),
    "seances:group_session_attendance": ("post", [302, 403, 403, 302, 302, 302, 404, 302]),
    # A's registration: B (a fellow participant) does not learn it exists.
    "seances:group_registration_cancel": ("post", [302, 302, 404, 302, 302, 302, 404, 302]),
}


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona in {"beneficiary", "other_beneficiary"} else value)


def url_for(name, session, registration):
    if name in {"seances:group_sessions", "seances:group_session_create"}:
        return reverse(name)
    if name == "seances:group_registration_cancel":
        return reverse(name, args=[registration.public_id])
    return reverse(name, args=[session.public_id])


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_group_access_matrix(client, request, persona, name, future_session, beneficiary):
    registration = RegistrationFactory(
        session=future_session, beneficiary=beneficiary, status=RegistrationStatus.REGISTERED
    )
    login_as(client, request, persona)
    method, expected = MATRIX[name]
    url = url_for(name, future_session, registration)

    response = getattr(client, method)(url)

    assert response.status_code == expected[PERSONAS.index(persona)], f"{persona} on {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    elif response.status_code == 302:
        assert response.url == reverse(
            "seances:group_session_detail", args=[future_session.public_id]
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "seances:group_session_register",
        "seances:group_session_attendance",
        "seances:group_registration_cancel",
    ],
)
def test_actions_refuse_get(client, coordinator, future_session, beneficiary, name):
    registration = RegistrationFactory(session=future_session, beneficiary=beneficiary)
    client.force_login(coordinator)

    response = client.get(url_for(name, future_session, registration))

    assert response.status_code == 405

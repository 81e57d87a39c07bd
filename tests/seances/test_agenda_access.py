"""Who reaches the agenda pages: every URL name of seances/routes/agenda.py, every persona.

Anonymous → login; beneficiaries → 403 (these are the team's pages; the confirmation of their
own appointment excepted); a mentor or structure not concerned → 404; allowed → 200, or 302
after a successful POST."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from seances.models import AvailabilityException
from tests.seances.conftest import AppointmentFactory, AvailabilityFactory

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

# (url name, method) → expected status per persona, in PERSONAS order
MATRIX = {
    ("seances:agenda", "get"): [302, 403, 403, 200, 404, 200, 404, 200],
    ("seances:mentors", "get"): [302, 403, 403, 403, 403, 200, 200, 200],
    ("seances:attendance", "get"): [302, 403, 403, 403, 403, 200, 200, 200],
    ("seances:availability", "get"): [302, 403, 403, 200, 404, 200, 404, 200],
    ("seances:availability_create", "get"): [302, 403, 403, 200, 404, 200, 404, 200],
    ("seances:availability_edit", "get"): [302, 403, 403, 200, 404, 200, 404, 200],
    ("seances:availability_delete", "post"): [302, 403, 403, 302, 404, 302, 404, 302],
    ("seances:exception_create", "get"): [302, 403, 403, 200, 404, 200, 404, 200],
    ("seances:exception_delete", "post"): [302, 403, 403, 302, 404, 302, 404, 302],
    ("seances:appointment_mark", "post"): [302, 403, 403, 302, 404, 302, 404, 302],
    ("seances:book_on_behalf", "get"): [302, 403, 403, 200, 404, 200, 404, 200],
    ("seances:behalf_confirmation", "get"): [302, 200, 404, 200, 404, 200, 404, 200],
}


@pytest.fixture
def agenda_data(offer, mentor, beneficiary):
    """A weekly window, an unavailability and a past appointment of `mentor` with A."""
    return {
        "availability": AvailabilityFactory(mentor=mentor, offer=offer),
        "exception": AvailabilityException.objects.create(
            mentor=mentor,
            starts_at=timezone.now() + datetime.timedelta(days=30),
            ends_at=timezone.now() + datetime.timedelta(days=31),
        ),
        "appointment": AppointmentFactory(
            offer=offer,
            mentor=mentor,
            beneficiary=beneficiary,
            starts_at=timezone.now() - datetime.timedelta(days=2),
            booked_on_behalf=True,
        ),
    }


def url_for(name, data, mentor, beneficiary):
    of_mentor = f"?mentor={mentor.public_id}"
    by_row = {
        "seances:availability_edit": data["availability"].pk,
        "seances:availability_delete": data["availability"].pk,
        "seances:exception_delete": data["exception"].pk,
        "seances:appointment_mark": data["appointment"].public_id,
        "seances:behalf_confirmation": data["appointment"].public_id,
    }
    if name in by_row:
        return reverse(name, args=[by_row[name]])
    if name == "seances:book_on_behalf":
        return reverse(name) + f"?beneficiary={beneficiary.public_id}"
    if name in {"seances:mentors", "seances:attendance"}:
        return reverse(name)
    return reverse(name) + of_mentor


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    user = value if isinstance(value, User) else value.user
    client.force_login(user)


@pytest.mark.parametrize(("name", "method"), MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_agenda_access_matrix(
    client, request, persona, name, method, agenda_data, mentor, beneficiary, other_beneficiary
):
    login_as(client, request, persona)
    url = url_for(name, agenda_data, mentor, beneficiary)

    send = client.post if method == "post" else client.get
    response = send(url, {"status": "attended"} if method == "post" else None)

    expected = MATRIX[(name, method)][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    if expected == 200:
        assert b"INVALID_VARIABLE" not in response.content


@pytest.mark.parametrize(
    "name",
    [
        "seances:availability_delete",
        "seances:exception_delete",
        "seances:appointment_mark",
    ],
)
def test_actions_refuse_get(client, mentor, agenda_data, beneficiary, name):
    client.force_login(mentor)

    response = client.get(url_for(name, agenda_data, mentor, beneficiary))

    assert response.status_code == 405


@pytest.mark.parametrize(
    "name", ["seances:agenda", "seances:availability", "seances:availability_create"]
)
def test_coordinator_naming_no_mentor_goes_to_the_mentor_list(client, coordinator, name):
    client.force_login(coordinator)

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url == reverse("seances:mentors")


def test_a_malformed_mentor_id_is_a_404(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("seances:agenda") + "?mentor=nope").status_code == 404

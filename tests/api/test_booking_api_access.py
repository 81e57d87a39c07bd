"""Who reaches the agenda's API addresses: slots, appointments, group sessions, registrations,
every persona, reads and writes.

Same rules as the pages: anonymous → 403, what one may not see → 404, a role that may not do
the action → 403; the services' rules answer 400."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from seances.enums import RegistrationStatus
from seances.models import Appointment, GroupSession
from seances.slots import free_slots
from tests.api.conftest import PERSONAS
from tests.factories import EnrollmentFactory
from tests.seances import conftest as seances_fixtures
from tests.seances import test_group_fixtures as group_fixtures
from tests.seances.conftest import AppointmentFactory, AvailabilityFactory
from tests.seances.test_group_fixtures import RegistrationFactory

# Fixtures of the agenda tests, used here by name.
individual_offer = seances_fixtures.individual_offer
group_offer = group_fixtures.group_offer
enrolled = group_fixtures.enrolled
future_session = group_fixtures.future_session

# (URL name, method) → expected status per persona, in PERSONAS order:
# anonymous, beneficiary, other_beneficiary, mentor, other_mentor, coordinator,
# other_organization_coordinator, admin
MATRIX = {
    # The offer belongs to the programme of A and B; the other structure does not see it.
    ("slots-list", "get"): [403, 200, 200, 200, 200, 200, 404, 200],
    ("appointment-list", "get"): [403, 200, 200, 200, 200, 200, 200, 200],
    # A's appointment with `mentor`: A, the mentor, the programme's coordinators, admins.
    ("appointment-detail", "get"): [403, 200, 404, 200, 404, 200, 404, 200],
    ("appointment-cancel", "post"): [403, 200, 404, 200, 404, 200, 404, 200],
    ("appointment-reschedule", "post"): [403, 200, 404, 200, 404, 200, 404, 200],
    # The outcome is the team's (403 for A); before the start the service refuses (400).
    ("appointment-status", "post"): [403, 403, 404, 400, 404, 400, 404, 400],
    ("group-session-list", "get"): [403, 200, 200, 200, 200, 200, 200, 200],
    ("group-session-detail", "get"): [403, 200, 200, 200, 200, 200, 404, 200],
    # Registering oneself: A is already registered (400), B gets a seat; the team has no
    # beneficiary profile to register (403).
    ("group-session-register", "post"): [403, 400, 201, 403, 403, 403, 404, 403],
    ("registration-list", "get"): [403, 200, 200, 200, 200, 200, 200, 200],
    # A's registration: A, and whoever runs the session (organiser, the offer's mentors, the
    # structure's coordinators); not a fellow participant.
    ("registration-detail", "get"): [403, 200, 404, 200, 200, 200, 404, 200],
    ("registration-cancel", "post"): [403, 200, 404, 200, 200, 200, 404, 200],
}


@pytest.fixture
def agenda(individual_offer, mentor, beneficiary, future_session):
    """A enrolled in an individual offer run by `mentor`, available every day; A's appointment
    a week ahead, a free slot next to it; A registered to a group session run by `mentor`."""
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=mentor)
    for weekday in range(7):
        AvailabilityFactory(mentor=mentor, offer=individual_offer, weekday=weekday)
    today = timezone.localdate()
    start, end = today + datetime.timedelta(days=7), today + datetime.timedelta(days=8)
    slots = free_slots(offer=individual_offer, mentor=mentor, start=start, end=end)
    held, free = slots[0], slots[1]
    appointment = AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=held.starts_at,
        ends_at=held.ends_at,
    )
    registration = RegistrationFactory(session=future_session, beneficiary=beneficiary)
    return {
        "offer": individual_offer,
        "mentor": mentor,
        "start": start,
        "end": end,
        "appointment": appointment,
        "free": free,
        "session": future_session,
        "registration": registration,
    }


def request_for(name, agenda):
    """(url, POST body)."""
    target = {
        "appointment": agenda["appointment"],
        "group-session": agenda["session"],
        "registration": agenda["registration"],
    }
    if name == "slots-list":
        query = f"?offer={agenda['offer'].public_id}&start={agenda['start']}&end={agenda['end']}"
        return reverse(name) + query, None
    if name.endswith("-list"):
        return reverse(name), None
    resource = name.rsplit("-", 1)[0]
    url = reverse(name, args=[target[resource].public_id])
    body = {
        "appointment-cancel": {"reason": "Un empêchement"},
        "appointment-reschedule": {"starts_at": agenda["free"].starts_at.isoformat()},
        "appointment-status": {"status": "attended"},
        "group-session-register": {},
        "registration-cancel": {},
    }.get(name)
    return url, body


@pytest.mark.parametrize(("name", "method"), MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_booking_api_access_matrix(
    api_client,
    login,
    agenda,
    other_beneficiary,
    other_organization_coordinator,
    name,
    method,
    persona,
):
    login(persona)
    url, body = request_for(name, agenda)

    response = api_client.post(url, body) if method == "post" else api_client.get(url)

    expected = MATRIX[(name, method)][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {method} {url}: {response.content}"
    if expected in {400, 403, 404}:
        assert response.json()


def test_unknown_public_id_is_404(api_client, coordinator, db):
    api_client.force_login(coordinator)
    unknown = "00000000-0000-4000-8000-000000000000"
    for name in ("appointment", "group-session", "registration"):
        assert api_client.get(reverse(f"{name}-detail", args=[unknown])).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_appointment_and_session_lists_hold_exactly_the_visible_rows(
    api_client, login, agenda, other_beneficiary, other_organization_coordinator, persona
):
    user = login(persona)

    appointments = api_client.get(reverse("appointment-list")).json()["results"]
    sessions = api_client.get(reverse("group-session-list")).json()["results"]

    assert {row["id"] for row in appointments} == {
        str(pk) for pk in Appointment.objects.visible_to(user).values_list("public_id", flat=True)
    }
    assert {row["id"] for row in sessions} == {
        str(pk) for pk in GroupSession.objects.visible_to(user).values_list("public_id", flat=True)
    }


# Whose registrations each persona lists, when A and B are both registered.
REGISTRATIONS_SEEN = {
    "beneficiary": {"A"},
    "other_beneficiary": {"B"},
    "mentor": {"A", "B"},  # the organiser
    "other_mentor": {"A", "B"},  # a mentor of the offer
    "coordinator": {"A", "B"},
    "other_organization_coordinator": set(),
    "admin": {"A", "B"},
}


@pytest.mark.parametrize("persona", REGISTRATIONS_SEEN)
def test_registration_list_holds_own_or_run_sessions(
    api_client, login, agenda, other_beneficiary, other_organization_coordinator, persona
):
    of_b = RegistrationFactory(
        session=agenda["session"],
        beneficiary=other_beneficiary,
        status=RegistrationStatus.WAITLISTED,
    )
    login(persona)

    rows = api_client.get(reverse("registration-list")).json()["results"]

    ids = {"A": str(agenda["registration"].public_id), "B": str(of_b.public_id)}
    assert {row["id"] for row in rows} == {ids[who] for who in REGISTRATIONS_SEEN[persona]}

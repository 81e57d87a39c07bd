"""Who reaches the booking and appointment pages: every URL name of seances/routes/booking.py,
every persona.

Self-service booking is the beneficiary's: anonymous → login, staff → 403, an offer the person
may not book → 404. An appointment's pages: its beneficiary, its mentor, the programme's
coordinators and administrators; anyone else → 404. The signed link needs no login: the
token is the key. Successful POSTs redirect (302) to the appointment's page."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from seances.links import appointment_token
from seances.slots import free_slots
from seances.views.booking import slot_key
from tests.factories import EnrollmentFactory
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
    ("seances:book", "get"): [302, 200, 200, 403, 403, 403, 403, 403],
    ("seances:book_mentor", "get"): [302, 200, 404, 403, 403, 403, 403, 403],
    ("seances:book_slots", "get"): [302, 200, 404, 403, 403, 403, 403, 403],
    ("seances:book_confirm", "get"): [302, 200, 404, 403, 403, 403, 403, 403],
    ("seances:book_confirm", "post"): [302, 302, 404, 403, 403, 403, 403, 403],
    ("seances:appointment_detail", "get"): [302, 200, 404, 200, 404, 200, 404, 200],
    ("seances:appointment_ics", "get"): [302, 200, 404, 200, 404, 200, 404, 200],
    ("seances:appointment_cancel", "post"): [302, 302, 404, 302, 404, 302, 404, 302],
    ("seances:appointment_reschedule", "get"): [302, 200, 404, 200, 404, 200, 404, 200],
    ("seances:appointment_reschedule_confirm", "get"): [302, 200, 404, 200, 404, 200, 404, 200],
    ("seances:appointment_reschedule_confirm", "post"): [302, 302, 404, 302, 404, 302, 404, 302],
    ("seances:appointment_status", "post"): [302, 403, 404, 302, 404, 302, 404, 302],
    ("seances:appointment_manage", "get"): [200, 200, 200, 200, 200, 200, 200, 200],
    ("seances:appointment_manage_cancel", "post"): [302, 302, 302, 302, 302, 302, 302, 302],
    ("seances:appointment_manage_reschedule", "get"): [200, 200, 200, 200, 200, 200, 200, 200],
    ("seances:appointment_manage_reschedule_confirm", "get"): [200] * 8,
    ("seances:appointment_manage_reschedule_confirm", "post"): [302] * 8,
}


@pytest.fixture
def booking_data(individual_offer, mentor, other_mentor, beneficiary):
    """A's enrollment in an individual offer with two mentors, availability every day, a
    free slot, and A's appointment a week ahead with `mentor`."""
    individual_offer.mentors.add(other_mentor)
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=mentor)
    for weekday in range(7):
        AvailabilityFactory(mentor=mentor, offer=individual_offer, weekday=weekday)
    now = timezone.now()
    today = timezone.localdate()
    slots = free_slots(
        offer=individual_offer,
        mentor=mentor,
        start=today + datetime.timedelta(days=7),
        end=today + datetime.timedelta(days=8),
        now=now,
    )
    held, free, other_free = slots[0], slots[1], slots[2]
    appointment = AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=held.starts_at,
        ends_at=held.ends_at,
    )
    return {
        "offer": individual_offer,
        "appointment": appointment,
        "free": slot_key(free),
        "other_free": slot_key(other_free),
    }


def request_for(name, method, data, mentor):
    """(url, POST data or None)."""
    offer, appointment = data["offer"], data["appointment"]
    token = appointment_token(appointment)
    by_offer = {"seances:book_mentor", "seances:book_slots", "seances:book_confirm"}
    if name == "seances:book":
        url = reverse(name)
    elif name in by_offer:
        url = reverse(name, args=[offer.public_id])
    elif name.startswith("seances:appointment_manage"):
        url = reverse(name, args=[token])
    else:
        url = reverse(name, args=[appointment.public_id])
    choice = {"creneau": data["other_free"], "accompagnant": str(mentor.public_id)}
    if name == "seances:book_confirm":
        return url + ("?creneau={creneau}&accompagnant={accompagnant}".format(**choice)), (
            {**choice, "reason": "Préparer une demande de subvention"} if method == "post" else None
        )
    if name.endswith("reschedule_confirm"):
        return url + f"?creneau={data['free']}", {"creneau": data["free"]}
    if name == "seances:appointment_status":
        return url, {"status": "attended"}
    if name.endswith("cancel"):
        return url, {"reason": "Un empêchement"}
    return url, None


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    client.force_login(getattr(value, "user", None) or value)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_booking_access_matrix(
    client, request, persona, name, method, booking_data, mentor, other_beneficiary
):
    login_as(client, request, persona)
    url, payload = request_for(name, method, booking_data, mentor)

    response = client.post(url, payload or {}) if method == "post" else client.get(url)

    expected = MATRIX[(name, method)][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} {method} {url}"
    if expected == 302 and not name.startswith("seances:appointment_manage"):
        went_to_login = response.url.startswith(reverse("accounts:login"))
        assert went_to_login == (persona == "anonymous")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "seances:book_mentor",
        "seances:book_slots",
        "seances:book_confirm",
        "seances:appointment_detail",
    ],
)
def test_unknown_ids_are_404(client, beneficiary, name):
    client.force_login(beneficiary.user)

    assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "seances:appointment_manage",
        "seances:appointment_manage_reschedule",
        "seances:appointment_manage_reschedule_confirm",
    ],
)
def test_a_tampered_token_is_404(client, booking_data, name):
    token = appointment_token(booking_data["appointment"])

    assert client.get(reverse(name, args=[token + "x"])).status_code == 404
    assert client.get(reverse(name, args=["pas-un-jeton"])).status_code == 404


@pytest.mark.django_db
def test_a_tampered_token_cannot_cancel(client, booking_data):
    token = appointment_token(booking_data["appointment"])
    url = reverse("seances:appointment_manage_cancel", args=[token[:-2] + "zz"])

    assert client.post(url).status_code == 404
    booking_data["appointment"].refresh_from_db()
    assert booking_data["appointment"].status == "booked"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "by"),
    [
        ("seances:appointment_cancel", "public_id"),
        ("seances:appointment_status", "public_id"),
        ("seances:appointment_manage_cancel", "token"),
    ],
)
def test_writes_are_post_only(client, booking_data, beneficiary, name, by):
    client.force_login(beneficiary.user)
    appointment = booking_data["appointment"]
    arg = appointment.public_id if by == "public_id" else appointment_token(appointment)

    assert client.get(reverse(name, args=[arg])).status_code == 405

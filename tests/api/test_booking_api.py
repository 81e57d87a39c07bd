"""The agenda's API: free slots, booking, cancelling and moving appointments, recording their
outcome, registering to group sessions, with the pages' rules (same services); list query
counts that do not grow with the rows; the schema of the new operations."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.generators import SchemaGenerator

from notifications.models import Notification
from seances.enums import AppointmentStatus, RegistrationStatus
from seances.models import Appointment, Registration
from seances.services.appointments import SLOT_TAKEN
from seances.slots import free_slots
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory
from tests.seances import conftest as seances_fixtures
from tests.seances import test_group_fixtures as group_fixtures
from tests.seances.conftest import AppointmentFactory, AvailabilityFactory
from tests.seances.test_group_fixtures import GroupSessionFactory, RegistrationFactory

# Fixtures of the agenda tests, used here by name.
individual_offer = seances_fixtures.individual_offer
group_offer = group_fixtures.group_offer
enrolled = group_fixtures.enrolled
future_session = group_fixtures.future_session


def slot_taken_messages() -> set[str]:
    messages = set()
    for language in ("en", "fr"):
        with translation.override(language):
            messages.add(str(SLOT_TAKEN))
    return messages


@pytest.fixture
def bookable(individual_offer, mentor, beneficiary):
    """A enrolled in an individual offer of `mentor`, who is available every day 09:00–12:00;
    the free slots a week ahead."""
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=mentor)
    for weekday in range(7):
        AvailabilityFactory(mentor=mentor, offer=individual_offer, weekday=weekday)
    day = timezone.localdate() + datetime.timedelta(days=7)
    slots = free_slots(offer=individual_offer, mentor=mentor, start=day, end=day)
    assert len(slots) == 3
    return {"offer": individual_offer, "mentor": mentor, "day": day, "slots": slots}


def book_body(bookable, slot, **extra):
    return {
        "offer": str(bookable["offer"].public_id),
        "mentor": str(bookable["mentor"].public_id),
        "starts_at": slot.starts_at.isoformat(),
        "reason": "Préparer une demande de subvention",
        **extra,
    }


def appointment_of(beneficiary, bookable, starts_at):
    offer = bookable["offer"]
    return AppointmentFactory(
        offer=offer,
        mentor=bookable["mentor"],
        beneficiary=beneficiary,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=offer.duration_minutes),
    )


# Slots


def slots_url(offer, start, end, **extra):
    query = {"offer": offer.public_id, "start": start, "end": end, **extra}
    return reverse("slots-list") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_slots_are_the_services_free_slots(api_client, login, bookable, beneficiary):
    appointment_of(beneficiary, bookable, bookable["slots"][0].starts_at)
    login("beneficiary")
    day = bookable["day"]

    response = api_client.get(
        slots_url(bookable["offer"], day, day, mentor=bookable["mentor"].public_id)
    )

    assert response.status_code == 200
    rows = response.json()
    expected = [slot.starts_at for slot in bookable["slots"][1:]]
    assert [datetime.datetime.fromisoformat(row["starts_at"]) for row in rows] == expected
    assert {row["mentor"] for row in rows} == {str(bookable["mentor"].public_id)}
    # Without a mentor: every mentor of the offer (first available), here the same slots.
    everyone = api_client.get(slots_url(bookable["offer"], day, day)).json()
    assert [row["starts_at"] for row in everyone] == [row["starts_at"] for row in rows]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-13-01"}, "start"),
        ({"end": "demain"}, "end"),
        ({"offer": "pas-un-uuid"}, "offer"),
        ({"start": None}, "start"),
        ({"offer": None}, "offer"),
        ({"end_before_start": True}, "end"),
        ({"days": 11}, "end"),  # longer than the offer's 10-day horizon
        ({"days": 63, "horizon": 90}, "end"),  # longer than the API's 62 days
        ({"mentor": "other_mentor"}, "mentor"),  # not a mentor of the offer
    ],
)
def test_slot_queries_are_validated(api_client, login, bookable, other_mentor, query, field):
    offer = bookable["offer"]
    offer.horizon_days = query.get("horizon", 10)
    offer.save(update_fields=["horizon_days"])
    login("beneficiary")
    start = timezone.localdate()
    params = {
        "offer": offer.public_id,
        "start": start,
        "end": start + datetime.timedelta(days=query.get("days", 3) - 1),
    }
    if query.get("end_before_start"):
        params["end"] = start - datetime.timedelta(days=1)
    if query.get("mentor"):
        params["mentor"] = other_mentor.public_id
    for name in ("start", "end", "offer"):
        if name in query:
            params[name] = query[name]
    params = {k: v for k, v in params.items() if v is not None}

    response = api_client.get(
        reverse("slots-list") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    )

    assert response.status_code == 400
    assert field in response.json()


def test_slots_of_the_horizon_length_are_fine(api_client, login, bookable):
    offer = bookable["offer"]
    offer.horizon_days = 10
    offer.save(update_fields=["horizon_days"])
    login("beneficiary")
    start = timezone.localdate()

    response = api_client.get(slots_url(offer, start, start + datetime.timedelta(days=9)))

    assert response.status_code == 200


def test_slots_of_an_offer_one_cannot_see_are_404(
    api_client, login, bookable, other_organization_coordinator
):
    other = OfferFactory()
    login("beneficiary")
    day = timezone.localdate()

    assert api_client.get(slots_url(other, day, day)).status_code == 404


# Booking


def test_book_then_the_same_slot_again_is_taken(
    api_client, login, bookable, beneficiary, other_beneficiary, mentor
):
    EnrollmentFactory(beneficiary=other_beneficiary, offer=bookable["offer"])
    slot = bookable["slots"][1]
    login("beneficiary")

    response = api_client.post(reverse("appointment-list"), book_body(bookable, slot))

    assert response.status_code == 201, response.content
    data = response.json()
    appointment = Appointment.objects.get(public_id=data["id"])
    assert appointment.beneficiary == beneficiary
    assert appointment.booked_on_behalf is False
    assert appointment.starts_at == slot.starts_at
    assert data["status"] == AppointmentStatus.BOOKED
    assert data["beneficiary"] == str(beneficiary.public_id)

    api_client.force_login(other_beneficiary.user)
    again = api_client.post(reverse("appointment-list"), book_body(bookable, slot))

    assert again.status_code == 400
    assert again.json()["non_field_errors"][0] in slot_taken_messages()
    assert Appointment.objects.filter(starts_at=slot.starts_at).count() == 1


def test_a_slot_outside_the_rules_is_refused(api_client, login, bookable):
    login("beneficiary")
    too_far = bookable["slots"][0].starts_at + datetime.timedelta(days=60)

    response = api_client.post(
        reverse("appointment-list"), book_body(bookable, bookable["slots"][0], starts_at=too_far)
    )

    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert not Appointment.objects.exists()


def test_not_enrolled_beneficiary_may_not_book(api_client, login, bookable):
    login("other_beneficiary")

    response = api_client.post(
        reverse("appointment-list"), book_body(bookable, bookable["slots"][0])
    )

    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_staff_book_on_behalf(api_client, login, bookable, beneficiary):
    login("mentor")  # A's referent

    response = api_client.post(
        reverse("appointment-list"),
        book_body(bookable, bookable["slots"][0], beneficiary=str(beneficiary.public_id)),
    )

    assert response.status_code == 201, response.content
    appointment = Appointment.objects.get()
    assert appointment.booked_on_behalf is True
    assert appointment.beneficiary == beneficiary


def test_staff_without_a_beneficiary_named_get_400(api_client, login, bookable):
    login("coordinator")

    response = api_client.post(
        reverse("appointment-list"), book_body(bookable, bookable["slots"][0])
    )

    assert response.status_code == 400
    assert "beneficiary" in response.json()


def test_a_beneficiary_may_not_book_for_someone_else(
    api_client, login, bookable, beneficiary, other_beneficiary
):
    login("other_beneficiary")

    response = api_client.post(
        reverse("appointment-list"),
        book_body(bookable, bookable["slots"][0], beneficiary=str(beneficiary.public_id)),
    )

    # A is not visible to B: the same answer as a wrong id.
    assert response.status_code == 400
    assert "beneficiary" in response.json()
    assert not Appointment.objects.exists()


def test_staff_booking_follows_the_offers_rules_and_visibility(
    api_client, login, bookable, other_beneficiary
):
    login("coordinator")
    staff = api_client.post(
        reverse("appointment-list"),
        book_body(bookable, bookable["slots"][0], beneficiary=str(other_beneficiary.public_id)),
    )
    # The coordinator may book for B, but B is not enrolled: the offer's rule.
    assert staff.status_code == 400

    stranger = BeneficiaryFactory(organization=other_beneficiary.organization)
    login("mentor")
    response = api_client.post(
        reverse("appointment-list"),
        book_body(bookable, bookable["slots"][0], beneficiary=str(stranger.public_id)),
    )
    # The mentor does not see a person they do not follow.
    assert response.status_code == 400


# Cancel and reschedule


def test_beneficiary_cancels_within_the_rules(api_client, login, bookable, beneficiary):
    appointment = appointment_of(beneficiary, bookable, bookable["slots"][0].starts_at)
    login("beneficiary")

    response = api_client.post(reverse("appointment-cancel", args=[appointment.public_id]), {})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == AppointmentStatus.CANCELLED
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by_role == "beneficiary"


def test_beneficiary_may_not_cancel_too_late_but_the_mentor_may_with_a_reason(
    api_client, login, bookable, beneficiary
):
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)
    appointment = appointment_of(beneficiary, bookable, soon)  # window: until 4 hours before
    url = reverse("appointment-cancel", args=[appointment.public_id])
    login("beneficiary")

    late = api_client.post(url, {"reason": "Un empêchement"})

    assert late.status_code == 400
    assert late.json()["non_field_errors"]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED

    login("mentor")
    without_reason = api_client.post(url, {})
    assert without_reason.status_code == 400
    with_reason = api_client.post(url, {"reason": "Malade"})
    assert with_reason.status_code == 200
    assert with_reason.json()["cancel_reason"] == "Malade"


def test_beneficiary_reschedules_within_the_rules(api_client, login, bookable, beneficiary):
    appointment = appointment_of(beneficiary, bookable, bookable["slots"][0].starts_at)
    target = bookable["slots"][2].starts_at
    login("beneficiary")

    response = api_client.post(
        reverse("appointment-reschedule", args=[appointment.public_id]),
        {"starts_at": target.isoformat()},
    )

    assert response.status_code == 200, response.content
    appointment.refresh_from_db()
    assert appointment.starts_at == target
    assert appointment.sequence == 1


def test_reschedule_outside_the_rules_is_refused(
    api_client, login, bookable, beneficiary, other_beneficiary
):
    # The reschedule window closes 48 hours before: tomorrow is too late for A.
    tomorrow = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=30)
    appointment = appointment_of(beneficiary, bookable, tomorrow)
    url = reverse("appointment-reschedule", args=[appointment.public_id])
    login("beneficiary")

    late = api_client.post(url, {"starts_at": bookable["slots"][2].starts_at.isoformat()})

    assert late.status_code == 400
    appointment.refresh_from_db()
    assert appointment.starts_at == tomorrow

    # The mentor may move it, but not onto a slot someone else holds.
    appointment_of(other_beneficiary, bookable, bookable["slots"][1].starts_at)
    login("mentor")
    taken = api_client.post(url, {"starts_at": bookable["slots"][1].starts_at.isoformat()})
    assert taken.status_code == 400
    assert taken.json()["non_field_errors"][0] in slot_taken_messages()
    moved = api_client.post(url, {"starts_at": bookable["slots"][2].starts_at.isoformat()})
    assert moved.status_code == 200


def test_mentor_records_the_outcome_once_begun(api_client, login, bookable, beneficiary):
    begun = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=30)
    appointment = appointment_of(beneficiary, bookable, begun)
    url = reverse("appointment-status", args=[appointment.public_id])
    login("mentor")

    assert api_client.post(url, {"status": "cancelled"}).status_code == 400
    response = api_client.post(url, {"status": "attended"})

    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ATTENDED
    login("beneficiary")
    assert api_client.post(url, {"status": "no_show"}).status_code == 403


def test_appointment_filters(api_client, login, bookable, beneficiary, other_beneficiary):
    first = appointment_of(beneficiary, bookable, bookable["slots"][0].starts_at)
    second = appointment_of(other_beneficiary, bookable, bookable["slots"][1].starts_at)
    second.status = AppointmentStatus.CANCELLED
    second.save()
    login("coordinator")
    url = reverse("appointment-list")
    day = bookable["day"]

    def ids(query):
        return {row["id"] for row in api_client.get(url + query).json()["results"]}

    assert ids("?status=booked") == {str(first.public_id)}
    assert ids(f"?from={day}&to={day}") == {str(first.public_id), str(second.public_id)}
    assert ids(f"?from={day + datetime.timedelta(days=1)}") == set()
    assert ids(f"?mentor={bookable['mentor'].public_id}") == {
        str(first.public_id),
        str(second.public_id),
    }
    assert api_client.get(url + "?from=hier").status_code == 400


# Group sessions


def test_register_takes_a_seat_then_the_waitlist(
    api_client, login, future_session, beneficiary, other_beneficiary
):
    future_session.capacity = 1
    future_session.save(update_fields=["capacity"])
    url = reverse("group-session-register", args=[future_session.public_id])
    login("beneficiary")

    seat = api_client.post(url, {})
    assert seat.status_code == 201, seat.content
    assert seat.json()["status"] == RegistrationStatus.REGISTERED
    again = api_client.post(url, {})
    assert again.status_code == 400

    login("other_beneficiary")
    waiting = api_client.post(url, {})
    assert waiting.json()["status"] == RegistrationStatus.WAITLISTED

    detail = api_client.get(reverse("group-session-detail", args=[future_session.public_id]))
    assert detail.json()["seats_taken"] == 1
    assert detail.json()["waitlist_count"] == 1
    assert detail.json()["capacity"] == 1

    # A gives up the seat: B, first waiting, takes it.
    login("beneficiary")
    cancel = api_client.post(reverse("registration-cancel", args=[seat.json()["id"]]), {})
    assert cancel.status_code == 200
    assert cancel.json()["status"] == RegistrationStatus.CANCELLED
    promoted = Registration.objects.get(public_id=waiting.json()["id"])
    assert promoted.status == RegistrationStatus.REGISTERED


def test_the_team_registers_on_behalf(api_client, login, future_session, other_beneficiary):
    login("coordinator")
    url = reverse("group-session-register", args=[future_session.public_id])

    response = api_client.post(url, {"beneficiary": str(other_beneficiary.public_id)})

    assert response.status_code == 201, response.content
    assert response.json()["beneficiary"] == str(other_beneficiary.public_id)
    assert Registration.objects.get().booked_by.pk != other_beneficiary.user_id


def test_a_beneficiary_may_not_register_someone_else(
    api_client, login, future_session, beneficiary, other_beneficiary
):
    login("beneficiary")
    url = reverse("group-session-register", args=[future_session.public_id])

    response = api_client.post(url, {"beneficiary": str(other_beneficiary.public_id)})

    assert response.status_code == 400  # B is not visible to A
    assert not Registration.objects.exists()


def test_cancelling_a_registration_too_late_is_refused(
    api_client, login, enrolled, mentor, beneficiary
):
    starts_at = timezone.now() + datetime.timedelta(hours=2)  # cancel window: 4 hours before
    session = GroupSessionFactory(
        offer=enrolled,
        organiser=mentor,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )
    registration = RegistrationFactory(session=session, beneficiary=beneficiary)
    url = reverse("registration-cancel", args=[registration.public_id])
    login("beneficiary")

    assert api_client.post(url, {}).status_code == 400
    login("mentor")
    assert api_client.post(url, {}).status_code == 200


# Query counts


def grow(bookable, future_session, beneficiary, n):
    """n more appointments, group sessions and registrations visible to the coordinator,
    the mentor and beneficiary A."""
    mentor = bookable["mentor"]
    base = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
    start = Appointment.objects.count()
    for i in range(start, start + n):
        appointment_of(beneficiary, bookable, base + datetime.timedelta(hours=2 * i))
        session = GroupSessionFactory(offer=future_session.offer, organiser=mentor)
        RegistrationFactory(session=session, beneficiary=beneficiary)
        RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()["count"]


@pytest.mark.parametrize("persona", ["beneficiary", "mentor", "coordinator", "admin"])
@pytest.mark.parametrize("name", ["appointment-list", "group-session-list", "registration-list"])
def test_list_query_count_is_constant(
    api_client, login, bookable, future_session, beneficiary, name, persona
):
    login(persona)
    url = reverse(name)
    grow(bookable, future_session, beneficiary, 1)
    few, rows_before = count_queries(api_client, url)
    grow(bookable, future_session, beneficiary, 29)
    many, rows_after = count_queries(api_client, url)

    assert rows_after >= rows_before + 29
    assert few == many
    assert many <= 10


def test_slots_query_count_does_not_grow_with_bookings(
    api_client, login, bookable, beneficiary, other_beneficiary
):
    login("beneficiary")
    day = bookable["day"]
    url = slots_url(bookable["offer"], day, day + datetime.timedelta(days=6))
    few, _ = count_queries_raw(api_client, url)
    for offset in range(1, 7):
        for slot in free_slots(
            offer=bookable["offer"],
            mentor=bookable["mentor"],
            start=day + datetime.timedelta(days=offset),
            end=day + datetime.timedelta(days=offset),
        )[:2]:
            appointment_of(other_beneficiary, bookable, slot.starts_at)
    many, rows = count_queries_raw(api_client, url)

    assert few == many
    assert len(rows) == 3 + 6


# Booking and cancelling write their outbox rows in a constant number of queries: the
# notifications take three (the people's preferences, one INSERT, one SELECT of the ids back)
# however many channels and reminder delays. The rest is the request (session, user, roles),
# the serializer's lookups, the booking rules and the slot recomputed (two queries: the
# availabilities, then the exceptions and appointments together). Counted in a test, the
# service's transaction adds a SAVEPOINT and its RELEASE: 13 in production.
BOOK_MAX_QUERIES = 15
CANCEL_MAX_QUERIES = 12


def outbox_rows(appointment):
    return sorted(
        Notification.objects.filter(
            object_type="seances.appointment", object_id=str(appointment.pk)
        ).values_list("kind", "channel", "to_address", "scheduled_for", "status")
    )


def book_counting(api_client, bookable, slot):
    with CaptureQueriesContext(connection) as context:
        response = api_client.post(reverse("appointment-list"), book_body(bookable, slot))
    assert response.status_code == 201, response.content
    return len(context.captured_queries), Appointment.objects.get(public_id=response.json()["id"])


def test_booking_writes_its_notifications_in_a_constant_number_of_queries(
    api_client, login, bookable, beneficiary, mentor, django_capture_on_commit_callbacks
):
    beneficiary.phone = "06 12 34 56 78"
    beneficiary.save(update_fields=["phone"])
    mentor.phone = "06 98 76 54 32"
    mentor.save(update_fields=["phone"])
    login("beneficiary")
    first, second = bookable["slots"][:2]

    with django_capture_on_commit_callbacks() as delivered:
        few, appointment = book_counting(api_client, bookable, first)

    assert few <= BOOK_MAX_QUERIES
    now_rows = [row for row in outbox_rows(appointment) if row[0] == "appointment_confirmed"]
    start = appointment.starts_at
    addresses = [
        ("email", beneficiary.email),
        ("email", mentor.email),
        ("sms", "06 12 34 56 78"),
        ("sms", "06 98 76 54 32"),
    ]
    # The confirmation now to both people on both channels, delivered after the commit (once
    # each); a reminder 48 and 2 hours before the start for each of them, left for the scan.
    assert sorted(row[1:3] for row in now_rows) == sorted(addresses)
    assert {row[3] for row in now_rows} == {appointment.created_at}
    reminders = [row for row in outbox_rows(appointment) if row[0] == "appointment_reminder"]
    assert sorted(row[1:4] for row in reminders) == sorted(
        (channel, address, start - datetime.timedelta(hours=hours))
        for channel, address in addresses
        for hours in (48, 2)
    )
    assert {row[4] for row in outbox_rows(appointment)} == {"pending"}
    assert len(delivered) == len(now_rows) == 4

    # Twice as many reminders: the same count.
    offer = bookable["offer"]
    offer.reminder_hours = [96, 72, 48, 2]
    offer.save(update_fields=["reminder_hours"])
    api_client.post(reverse("appointment-cancel", args=[appointment.public_id]), {})
    many, again = book_counting(api_client, bookable, second)
    assert len([row for row in outbox_rows(again) if row[0] == "appointment_reminder"]) == 16
    assert many == few


def test_cancelling_writes_its_notifications_in_a_constant_number_of_queries(
    api_client, login, bookable, beneficiary, django_assert_max_num_queries
):
    beneficiary.phone = "06 12 34 56 78"
    beneficiary.save(update_fields=["phone"])
    login("beneficiary")
    appointment = book_counting(api_client, bookable, bookable["slots"][0])[1]

    with django_assert_max_num_queries(CANCEL_MAX_QUERIES):
        response = api_client.post(reverse("appointment-cancel", args=[appointment.public_id]), {})

    assert response.status_code == 200, response.content
    rows = outbox_rows(appointment)
    assert {row[4] for row in rows if row[0] == "appointment_reminder"} == {"cancelled"}
    cancelled = [row for row in rows if row[0] == "appointment_cancelled"]
    assert sorted(row[1] for row in cancelled) == ["email", "email", "sms"]
    assert {row[4] for row in cancelled} == {"pending"}


def count_queries_raw(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


# Schema


def test_the_new_operations_declare_their_errors(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    writes = [
        ("/api/v1/appointments/", "post"),
        ("/api/v1/appointments/{id}/cancel/", "post"),
        ("/api/v1/appointments/{id}/reschedule/", "post"),
        ("/api/v1/appointments/{id}/status/", "post"),
        ("/api/v1/group-sessions/{id}/register/", "post"),
        ("/api/v1/registrations/{id}/cancel/", "post"),
    ]
    for path, method in writes:
        codes = set(paths[path][method]["responses"])
        assert {"400", "403"} <= codes, path
        if "{id}" in path:
            assert "404" in codes, path
    assert {"200", "400", "403", "404"} <= set(paths["/api/v1/slots/"]["get"]["responses"])
    for resource in ("appointments", "group-sessions", "registrations"):
        assert f"/api/v1/{resource}/{{id}}/" in paths
    appointment = schema["components"]["schemas"]["Appointment"]["properties"]
    for name in ("id", "offer", "mentor", "beneficiary"):
        assert appointment[name]["format"] == "uuid", name

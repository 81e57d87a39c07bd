"""iCalendar documents: one event for an email, and a person's private feed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from seances.enums import AppointmentStatus, GroupSessionStatus, RegistrationStatus
from seances.ics import appointment_ics, feed_ics, group_session_ics
from tests.factories import BeneficiaryFactory, UserFactory
from tests.seances.conftest import AppointmentFactory, GroupSessionFactory, RegistrationFactory

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC

pytestmark = pytest.mark.django_db


def parse(text: str) -> Calendar:
    return Calendar.from_ical(text)


def only_event(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event


@pytest.fixture
def appointment(offer, mentor, beneficiary):
    return AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=datetime.datetime(2026, 12, 8, 9, 0, tzinfo=PARIS),
        ends_at=datetime.datetime(2026, 12, 8, 10, 0, tzinfo=PARIS),
        location="12 rue des Projets, Lyon",
        reason="Mes dettes et mon logement",
    )


def test_booked_appointment_is_a_request_with_the_calendar_headers(appointment):
    calendar = parse(appointment_ics(appointment))

    assert str(calendar["PRODID"]) == "-//Accompagnement//FR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "REQUEST"
    event = only_event(calendar)
    assert str(event["UID"]) == appointment.ics_uid
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert str(event["LOCATION"]) == "12 rue des Projets, Lyon"
    assert appointment.offer.title in str(event["SUMMARY"])


def test_winter_appointment_is_written_in_utc(appointment):
    event = only_event(parse(appointment_ics(appointment)))

    # 09:00 in Paris in December is UTC+1.
    assert event["DTSTART"].dt == datetime.datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert event["DTEND"].dt == datetime.datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    assert "DTSTART:20261208T080000Z" in appointment_ics(appointment)


def test_summer_appointment_is_written_in_utc(offer, mentor, beneficiary):
    appointment = AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=datetime.datetime(2027, 7, 6, 9, 0, tzinfo=PARIS),
        ends_at=datetime.datetime(2027, 7, 6, 10, 0, tzinfo=PARIS),
    )

    event = only_event(parse(appointment_ics(appointment)))

    # 09:00 in Paris in July is UTC+2.
    assert event["DTSTART"].dt == datetime.datetime(2027, 7, 6, 7, 0, tzinfo=UTC)
    assert "DTSTART:20270706T070000Z" in appointment_ics(appointment)


def test_uid_stays_and_sequence_grows_when_rescheduled(appointment):
    before = only_event(parse(appointment_ics(appointment)))
    # What the booking service does on a reschedule: new times, SEQUENCE + 1.
    appointment.starts_at += datetime.timedelta(days=2)
    appointment.ends_at += datetime.timedelta(days=2)
    appointment.sequence += 1
    appointment.save()

    after = only_event(parse(appointment_ics(appointment)))

    assert str(after["UID"]) == str(before["UID"]) == appointment.ics_uid
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["DTSTART"].dt == datetime.datetime(2026, 12, 10, 8, 0, tzinfo=UTC)


def test_cancelled_appointment_is_a_cancel_with_status_cancelled(appointment):
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.sequence += 1
    appointment.save()

    calendar = parse(appointment_ics(appointment))

    assert str(calendar["METHOD"]) == "CANCEL"
    event = only_event(calendar)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == appointment.ics_uid


def test_the_reason_for_the_appointment_never_leaves(appointment):
    text = appointment_ics(appointment)

    assert "dettes" not in text
    assert "dettes" not in feed_ics(appointment.mentor)


def test_mentor_and_beneficiary_attend_the_emailed_event(appointment):
    event = only_event(parse(appointment_ics(appointment)))

    attendees = event["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    addresses = {str(attendee).lower() for attendee in attendees}
    assert addresses == {
        f"mailto:{appointment.mentor.email}",
        f"mailto:{appointment.beneficiary.email}",
    }
    assert str(event["ORGANIZER"]).startswith("mailto:")


def test_phone_only_beneficiary_is_not_an_attendee(offer, mentor):
    phone_only = BeneficiaryFactory(organization=offer.programme.organization, email="")
    appointment = AppointmentFactory(offer=offer, mentor=mentor, beneficiary=phone_only)

    event = only_event(parse(appointment_ics(appointment)))

    assert str(event["ATTENDEE"]).lower() == f"mailto:{mentor.email}"


def test_channel_label_is_the_location_when_there_is_no_place(offer, mentor, beneficiary):
    appointment = AppointmentFactory(
        offer=offer, mentor=mentor, beneficiary=beneficiary, channel="phone", location=""
    )

    event = only_event(parse(appointment_ics(appointment)))

    assert str(event["LOCATION"]) == appointment.get_channel_display()
    assert str(event["LOCATION"]) != ""


def test_group_session_ics_lists_no_registrant(programme, mentor):
    session = GroupSessionFactory(offer__programme=programme, organiser=mentor)
    RegistrationFactory(session=session)

    calendar = parse(group_session_ics(session))

    assert str(calendar["METHOD"]) == "REQUEST"
    event = only_event(calendar)
    assert str(event["UID"]) == session.ics_uid
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "ATTENDEE" not in event


def test_cancelled_group_session_ics_is_a_cancel(programme, mentor):
    session = GroupSessionFactory(
        offer__programme=programme, organiser=mentor, status=GroupSessionStatus.CANCELLED
    )

    calendar = parse(group_session_ics(session))

    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(only_event(calendar)["STATUS"]) == "CANCELLED"


class TestFeed:
    def uids(self, user) -> set[str]:
        return {str(event["UID"]) for event in parse(feed_ics(user)).walk("VEVENT")}

    def soon(self, days: int) -> datetime.datetime:
        return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)

    def make(self, days: int, **kwargs):
        starts_at = self.soon(days)
        return AppointmentFactory(
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1), **kwargs
        )

    def test_feed_has_no_method_and_parses(self, mentor):
        calendar = parse(feed_ics(mentor))

        assert "METHOD" not in calendar
        assert str(calendar["PRODID"]) == "-//Accompagnement//FR"
        assert calendar.walk("VEVENT") == []

    def test_mentor_feed_lists_their_appointments_only(
        self, offer, mentor, other_mentor, beneficiary
    ):
        own = self.make(3, offer=offer, mentor=mentor, beneficiary=beneficiary)
        recent = self.make(-20, offer=offer, mentor=mentor, beneficiary=beneficiary)
        cancelled = self.make(
            5,
            offer=offer,
            mentor=mentor,
            beneficiary=beneficiary,
            status=AppointmentStatus.CANCELLED,
        )
        old = self.make(-40, offer=offer, mentor=mentor, beneficiary=beneficiary)
        someone_else = self.make(3, offer=offer, mentor=other_mentor, beneficiary=beneficiary)

        uids = self.uids(mentor)

        assert uids == {own.ics_uid, recent.ics_uid, cancelled.ics_uid}
        assert old.ics_uid not in uids
        assert someone_else.ics_uid not in uids

    def test_cancelled_appointment_shows_as_cancelled_in_the_feed(self, offer, mentor, beneficiary):
        self.make(
            5,
            offer=offer,
            mentor=mentor,
            beneficiary=beneficiary,
            status=AppointmentStatus.CANCELLED,
        )

        [event] = parse(feed_ics(mentor)).walk("VEVENT")

        assert str(event["STATUS"]) == "CANCELLED"

    def test_beneficiary_feed_lists_their_own_appointments_only(
        self, offer, mentor, beneficiary, other_beneficiary
    ):
        own = self.make(3, offer=offer, mentor=mentor, beneficiary=beneficiary)
        self.make(4, offer=offer, mentor=mentor, beneficiary=other_beneficiary)

        assert self.uids(beneficiary.user) == {own.ics_uid}
        assert own.ics_uid not in self.uids(other_beneficiary.user)

    def test_feed_lists_group_sessions_organised_or_attended(
        self, programme, mentor, other_mentor, beneficiary
    ):
        organised = GroupSessionFactory(
            offer__programme=programme,
            organiser=mentor,
            starts_at=self.soon(2),
            ends_at=self.soon(2) + datetime.timedelta(hours=2),
        )
        registered = GroupSessionFactory(
            offer__programme=programme,
            organiser=other_mentor,
            starts_at=self.soon(3),
            ends_at=self.soon(3) + datetime.timedelta(hours=2),
        )
        attended = GroupSessionFactory(
            offer__programme=programme,
            organiser=other_mentor,
            starts_at=self.soon(-3),
            ends_at=self.soon(-3) + datetime.timedelta(hours=2),
        )
        waitlisted = GroupSessionFactory(
            offer__programme=programme,
            organiser=other_mentor,
            starts_at=self.soon(4),
            ends_at=self.soon(4) + datetime.timedelta(hours=2),
        )
        left = GroupSessionFactory(
            offer__programme=programme,
            organiser=other_mentor,
            starts_at=self.soon(5),
            ends_at=self.soon(5) + datetime.timedelta(hours=2),
        )
        RegistrationFactory(session=registered, beneficiary=beneficiary)
        RegistrationFactory(
            session=attended, beneficiary=beneficiary, status=RegistrationStatus.ATTENDED
        )
        RegistrationFactory(
            session=waitlisted, beneficiary=beneficiary, status=RegistrationStatus.WAITLISTED
        )
        RegistrationFactory(
            session=left, beneficiary=beneficiary, status=RegistrationStatus.CANCELLED
        )

        assert self.uids(mentor) == {organised.ics_uid}
        assert self.uids(beneficiary.user) == {registered.ics_uid, attended.ics_uid}

    def test_a_person_with_nothing_gets_an_empty_feed(self, offer, mentor, beneficiary):
        self.make(3, offer=offer, mentor=mentor, beneficiary=beneficiary)

        assert self.uids(UserFactory()) == set()

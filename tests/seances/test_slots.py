"""Free slots: weekly expansion, unavailabilities, buffers, notice, horizon, booked time, DST."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seances.enums import AppointmentStatus, Channel, Weekday
from seances.models import AvailabilityException
from seances.slots import first_available, free_slots
from tests.factories import OfferFactory
from tests.seances.conftest import PARIS, AppointmentFactory, AvailabilityFactory

UTC = datetime.UTC
TUESDAY = datetime.date(2026, 10, 6)
# A Monday morning well before: every slot of the following weeks is bookable.
NOW = datetime.datetime(2026, 9, 28, 8, 0, tzinfo=PARIS)


def paris(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def local_times(slots):
    return [(s.local_start.date(), s.local_start.strftime("%H:%M")) for s in slots]


def slots_on(offer, mentor, day, now=NOW):
    return free_slots(offer=offer, mentor=mentor, start=day, end=day, now=now)


@pytest.mark.django_db
def test_weekly_availability_is_cut_into_slots_of_the_offer_duration(
    availability, individual_offer, mentor
):
    slots = free_slots(
        offer=individual_offer,
        mentor=mentor,
        start=datetime.date(2026, 10, 5),
        end=datetime.date(2026, 10, 18),
        now=NOW,
    )

    assert local_times(slots) == [
        (TUESDAY, "09:00"),
        (TUESDAY, "10:00"),
        (TUESDAY, "11:00"),
        (datetime.date(2026, 10, 13), "09:00"),
        (datetime.date(2026, 10, 13), "10:00"),
        (datetime.date(2026, 10, 13), "11:00"),
    ]
    first = slots[0]
    assert first.ends_at - first.starts_at == datetime.timedelta(minutes=60)
    assert first.mentor == mentor
    assert first.channel == availability.channel
    assert first.location == availability.location


@pytest.mark.django_db
def test_slot_length_follows_the_offer_and_a_partial_slot_is_dropped(
    availability, individual_offer, mentor
):
    individual_offer.duration_minutes = 45
    individual_offer.save()

    slots = slots_on(individual_offer, mentor, TUESDAY)

    # 09:00, 09:45, 10:30, 11:15 (ends 12:00); 12:00 would end after the window.
    assert [t for _, t in local_times(slots)] == ["09:00", "09:45", "10:30", "11:15"]


@pytest.mark.django_db
def test_buffer_separates_consecutive_slots(availability, individual_offer, mentor):
    availability.buffer_minutes = 15
    availability.save()

    slots = slots_on(individual_offer, mentor, TUESDAY)

    assert [t for _, t in local_times(slots)] == ["09:00", "10:15"]


@pytest.mark.django_db
def test_inactive_other_offer_and_other_mentor_availability_are_ignored(
    availability, individual_offer, mentor, other_mentor, programme
):
    AvailabilityFactory(
        mentor=mentor, offer=individual_offer, weekday=Weekday.WEDNESDAY, is_active=False
    )
    AvailabilityFactory(
        mentor=mentor, offer=OfferFactory(programme=programme), weekday=Weekday.THURSDAY
    )
    AvailabilityFactory(mentor=other_mentor, offer=individual_offer, weekday=Weekday.FRIDAY)

    slots = free_slots(
        offer=individual_offer,
        mentor=mentor,
        start=datetime.date(2026, 10, 5),
        end=datetime.date(2026, 10, 11),
        now=NOW,
    )

    assert {d for d, _ in local_times(slots)} == {TUESDAY}


@pytest.mark.django_db
def test_validity_period_is_honoured(availability, individual_offer, mentor):
    availability.valid_from = datetime.date(2026, 10, 7)
    availability.valid_until = datetime.date(2026, 10, 20)
    availability.save()

    slots = free_slots(
        offer=individual_offer,
        mentor=mentor,
        start=datetime.date(2026, 10, 5),
        end=datetime.date(2026, 10, 31),
        now=NOW,
    )

    assert sorted({d for d, _ in local_times(slots)}) == [
        datetime.date(2026, 10, 13),
        datetime.date(2026, 10, 20),
    ]


@pytest.mark.django_db
def test_unavailability_removes_the_slots_it_overlaps(availability, individual_offer, mentor):
    AvailabilityException.objects.create(
        mentor=mentor, starts_at=paris(TUESDAY, 10, 30), ends_at=paris(TUESDAY, 10, 45)
    )
    # Holidays covering the whole next Tuesday.
    AvailabilityException.objects.create(
        mentor=mentor,
        starts_at=paris(datetime.date(2026, 10, 12), 0),
        ends_at=paris(datetime.date(2026, 10, 17), 0),
        reason="Congés",
    )

    slots = free_slots(
        offer=individual_offer,
        mentor=mentor,
        start=TUESDAY,
        end=datetime.date(2026, 10, 20),
        now=NOW,
    )

    assert local_times(slots) == [
        (TUESDAY, "09:00"),
        (TUESDAY, "11:00"),
        (datetime.date(2026, 10, 20), "09:00"),
        (datetime.date(2026, 10, 20), "10:00"),
        (datetime.date(2026, 10, 20), "11:00"),
    ]


@pytest.mark.django_db
def test_booked_time_of_any_offer_removes_overlapping_slots(
    availability, individual_offer, mentor, programme
):
    other_offer = OfferFactory(programme=programme)
    AppointmentFactory(
        offer=other_offer,
        mentor=mentor,
        starts_at=paris(TUESDAY, 10, 0),
        ends_at=paris(TUESDAY, 10, 30),
    )
    AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        starts_at=paris(TUESDAY, 11, 0),
        ends_at=paris(TUESDAY, 12, 0),
        status=AppointmentStatus.CANCELLED,
    )

    slots = slots_on(individual_offer, mentor, TUESDAY)

    # The cancelled appointment holds no time; the other mentor's appointments don't count.
    assert [t for _, t in local_times(slots)] == ["09:00", "11:00"]


@pytest.mark.django_db
def test_buffer_is_kept_around_booked_appointments(availability, individual_offer, mentor):
    availability.buffer_minutes = 30
    availability.save()
    # Slots would be 09:00–10:00 and 10:30–11:30; this appointment sits 15 minutes after.
    AppointmentFactory(
        offer=OfferFactory(),
        mentor=mentor,
        starts_at=paris(TUESDAY, 11, 45),
        ends_at=paris(TUESDAY, 12, 15),
    )

    slots = slots_on(individual_offer, mentor, TUESDAY)

    assert [t for _, t in local_times(slots)] == ["09:00"]


@pytest.mark.django_db
def test_an_excluded_appointment_frees_its_time(availability, individual_offer, mentor):
    appointment = AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        starts_at=paris(TUESDAY, 10, 0),
        ends_at=paris(TUESDAY, 11, 0),
    )

    slots = free_slots(
        offer=individual_offer,
        mentor=mentor,
        start=TUESDAY,
        end=TUESDAY,
        now=NOW,
        exclude=appointment,
    )

    assert [t for _, t in local_times(slots)] == ["09:00", "10:00", "11:00"]


@pytest.mark.django_db
def test_minimum_notice_removes_slots_too_soon(availability, individual_offer, mentor):
    individual_offer.min_notice_hours = 24
    individual_offer.save()
    now = paris(datetime.date(2026, 10, 5), 10, 0)  # Monday 10:00

    slots = slots_on(individual_offer, mentor, TUESDAY, now=now)

    assert [t for _, t in local_times(slots)] == ["10:00", "11:00"]


@pytest.mark.django_db
def test_horizon_removes_slots_too_far_ahead(availability, individual_offer, mentor):
    individual_offer.horizon_days = 7
    individual_offer.min_notice_hours = 0
    individual_offer.save()
    now = paris(datetime.date(2026, 10, 6), 10, 30)  # Tuesday 10:30

    slots = free_slots(
        offer=individual_offer,
        mentor=mentor,
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 10, 31),
        now=now,
    )

    # Today 11:00, and next Tuesday up to 10:30 (now + 7 days).
    assert local_times(slots) == [
        (TUESDAY, "11:00"),
        (datetime.date(2026, 10, 13), "09:00"),
        (datetime.date(2026, 10, 13), "10:00"),
    ]


@pytest.mark.django_db
def test_first_available_merges_the_offer_mentors_in_time_order(
    availability, individual_offer, mentor, other_mentor
):
    individual_offer.mentors.add(other_mentor)
    AvailabilityFactory(
        mentor=other_mentor,
        offer=individual_offer,
        weekday=Weekday.TUESDAY,
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30),
        channel=Channel.PHONE,
    )

    slots = first_available(offer=individual_offer, start=TUESDAY, end=TUESDAY, now=NOW)

    assert [(s.local_start.strftime("%H:%M"), s.mentor) for s in slots] == [
        ("08:30", other_mentor),
        ("09:00", mentor),
        ("09:30", other_mentor),
        ("10:00", mentor),
        ("11:00", mentor),
    ]
    assert slots[0].channel == Channel.PHONE


def monday_availability(offer, mentor, weekday=Weekday.MONDAY):
    offer.min_notice_hours = 0
    offer.horizon_days = 365
    offer.save()
    return AvailabilityFactory(
        mentor=mentor,
        offer=offer,
        weekday=weekday,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (datetime.date(2026, 3, 23), 8),  # winter time (UTC+1)
        (datetime.date(2026, 3, 30), 7),  # the day after the change to summer time (UTC+2)
        (datetime.date(2026, 10, 19), 7),  # summer time
        (datetime.date(2026, 10, 26), 8),  # the day after the change back to winter time
    ],
)
def test_weekly_monday_slot_stays_at_nine_across_daylight_saving(
    individual_offer, mentor, day, utc_hour
):
    monday_availability(individual_offer, mentor)

    slots = slots_on(individual_offer, mentor, day, now=datetime.datetime(2026, 1, 1, tzinfo=UTC))

    assert len(slots) == 1
    assert slots[0].local_start.strftime("%H:%M") == "09:00"
    assert slots[0].starts_at.astimezone(UTC) == datetime.datetime.combine(
        day, datetime.time(utc_hour), tzinfo=UTC
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (datetime.date(2026, 3, 22), 8),
        (datetime.date(2026, 3, 29), 7),  # last Sunday of March: clocks went forward at 02:00
        (datetime.date(2026, 10, 25), 8),  # last Sunday of October: clocks went back at 03:00
        (datetime.date(2026, 11, 1), 8),
    ],
)
def test_weekly_sunday_slot_on_the_change_days_stays_at_nine(
    individual_offer, mentor, day, utc_hour
):
    monday_availability(individual_offer, mentor, weekday=Weekday.SUNDAY)

    slots = slots_on(individual_offer, mentor, day, now=datetime.datetime(2026, 1, 1, tzinfo=UTC))

    assert [s.local_start.strftime("%H:%M") for s in slots] == ["09:00"]
    assert slots[0].starts_at.astimezone(UTC).hour == utc_hour
    assert slots[0].ends_at - slots[0].starts_at == datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_a_whole_weekly_series_across_both_changes_keeps_nine(individual_offer, mentor):
    monday_availability(individual_offer, mentor, weekday=Weekday.SUNDAY)

    slots = free_slots(
        offer=individual_offer,
        mentor=mentor,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 11, 30),
        now=datetime.datetime(2026, 2, 1, tzinfo=UTC),
    )

    assert len(slots) > 30
    assert {s.local_start.strftime("%H:%M") for s in slots} == {"09:00"}


@pytest.mark.django_db
def test_query_count_is_constant_whatever_the_range_and_rows(
    availability, individual_offer, mentor
):
    def count(end):
        with CaptureQueriesContext(connection) as context:
            free_slots(offer=individual_offer, mentor=mentor, start=TUESDAY, end=end, now=NOW)
        return len(context.captured_queries)

    one_week = count(TUESDAY + datetime.timedelta(days=6))
    for n in range(30):
        day = TUESDAY + datetime.timedelta(days=n)
        AvailabilityFactory(
            mentor=mentor,
            offer=individual_offer,
            weekday=day.weekday(),
            start_time=datetime.time(14, 0),
            end_time=datetime.time(18, 0),
        )
        AppointmentFactory(
            offer=individual_offer,
            mentor=mentor,
            starts_at=paris(day, 14, 0),
            ends_at=paris(day, 15, 0),
        )
        AvailabilityException.objects.create(
            mentor=mentor, starts_at=paris(day, 16, 0), ends_at=paris(day, 17, 0)
        )

    # The availabilities, then the exceptions and the appointments together.
    assert count(TUESDAY + datetime.timedelta(days=55)) == one_week == 2

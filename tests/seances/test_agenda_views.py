"""The agenda pages: week view, outcomes, availability forms, mentors' load, attendance."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from programmes.enums import OfferKind
from seances.enums import AppointmentStatus, Channel, Weekday
from seances.models import Availability, AvailabilityException
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    MembershipFactory,
    OfferFactory,
    ProgrammeFactory,
)
from tests.seances.conftest import (
    PARIS,
    AppointmentFactory,
    AvailabilityFactory,
    GroupSessionFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 10, 5)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def agenda_url(week=MONDAY, mentor=None):
    url = reverse("seances:agenda") + f"?week={week:%Y-%m-%d}"
    return url + (f"&mentor={mentor.public_id}" if mentor else "")


# The week


def test_week_shows_the_mentors_appointments_and_sessions_of_that_week_only(
    client, mentor, other_mentor, offer, programme, beneficiary, other_beneficiary
):
    shown = AppointmentFactory(
        offer=offer, mentor=mentor, beneficiary=beneficiary, starts_at=at(MONDAY, 9)
    )
    AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=other_beneficiary,
        starts_at=at(MONDAY + datetime.timedelta(days=7), 9),
    )
    AppointmentFactory(
        offer=offer, mentor=other_mentor, beneficiary=other_beneficiary, starts_at=at(MONDAY, 9)
    )
    session = GroupSessionFactory(
        offer=OfferFactory(programme=programme, group=True),
        organiser=mentor,
        title="Atelier budget",
        starts_at=at(MONDAY + datetime.timedelta(days=3), 18),
        capacity=8,
    )
    RegistrationFactory(session=session)
    client.force_login(mentor)

    response = client.get(agenda_url())

    assert response.status_code == 200
    days = response.context["days"]
    assert [d["date"] for d in days] == [MONDAY + datetime.timedelta(days=i) for i in range(7)]
    assert [item["object"] for item in days[0]["items"]] == [shown]
    assert [item["object"] for item in days[3]["items"]] == [session]
    assert days[3]["items"][0]["object"].seats_taken == 1
    assert sum(len(d["items"]) for d in days) == 2
    content = response.content.decode()
    assert beneficiary.name in content
    assert "Atelier budget" in content
    assert other_beneficiary.name not in content


def test_week_links_to_the_previous_and_next_weeks(client, mentor):
    client.force_login(mentor)

    response = client.get(agenda_url(week=datetime.date(2026, 10, 7)))  # a Wednesday

    assert response.context["monday"] == MONDAY
    assert response.context["previous_url"].endswith("week=2026-09-28")
    assert response.context["next_url"].endswith("week=2026-10-12")


def test_a_bad_week_shows_the_current_one(client, mentor):
    client.force_login(mentor)

    response = client.get(reverse("seances:agenda") + "?week=2026-13-45")

    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["monday"] == today - datetime.timedelta(days=today.weekday())


def test_week_across_the_autumn_clock_change_keeps_local_times(client, mentor, offer):
    """25 October 2026: clocks go back; a 09:00 window and appointment stay at 09:00."""
    AvailabilityFactory(mentor=mentor, offer=offer, weekday=Weekday.MONDAY)
    monday_after = datetime.date(2026, 10, 26)
    AppointmentFactory(offer=offer, mentor=mentor, starts_at=at(monday_after, 9))
    AppointmentFactory(
        offer=offer, mentor=mentor, starts_at=at(monday_after - datetime.timedelta(days=1), 23, 30)
    )
    client.force_login(mentor)

    response = client.get(agenda_url(week=datetime.date(2026, 10, 19)))
    days = response.context["days"]

    assert len(days[6]["items"]) == 1  # Sunday 25, 23:30, still in that week
    response = client.get(agenda_url(week=monday_after))
    assert "09:00–10:00" in response.content.decode()
    assert response.context["days"][0]["windows"][0].start_time == datetime.time(9)


def test_windows_and_unavailabilities_show_on_their_days(client, mentor, offer):
    AvailabilityFactory(mentor=mentor, offer=offer, weekday=Weekday.TUESDAY)
    AvailabilityFactory(
        mentor=mentor,
        offer=offer,
        weekday=Weekday.WEDNESDAY,
        valid_until=MONDAY - datetime.timedelta(days=1),
    )
    AvailabilityException.objects.create(
        mentor=mentor,
        starts_at=at(MONDAY + datetime.timedelta(days=4), 0),
        ends_at=at(MONDAY + datetime.timedelta(days=5), 12),
        reason="Formation",
    )
    client.force_login(mentor)

    days = client.get(agenda_url()).context["days"]

    assert [len(d["windows"]) for d in days] == [0, 1, 0, 0, 0, 0, 0]
    assert [len(d["blocks"]) for d in days] == [0, 0, 0, 0, 1, 1, 0]


def test_coordinator_sees_only_their_structures_appointments_of_a_shared_mentor(
    client, coordinator, mentor, offer, beneficiary, other_organization
):
    MembershipFactory(user=mentor, organization=other_organization, role=Role.MENTOR)
    elsewhere = OfferFactory(programme=ProgrammeFactory(organization=other_organization))
    secret = BeneficiaryFactory(organization=other_organization, name="Personne Ailleurs")
    AppointmentFactory(offer=offer, mentor=mentor, beneficiary=beneficiary, starts_at=at(MONDAY, 9))
    AppointmentFactory(offer=elsewhere, mentor=mentor, beneficiary=secret, starts_at=at(MONDAY, 14))
    client.force_login(coordinator)

    response = client.get(agenda_url(mentor=mentor))

    content = response.content.decode()
    assert beneficiary.name in content
    assert "Personne Ailleurs" not in content


# Outcomes


@pytest.fixture
def past_appointment(offer, mentor, beneficiary):
    return AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
    )


def test_past_appointments_of_the_week_are_listed_to_record(client, mentor, past_appointment):
    client.force_login(mentor)

    response = client.get(reverse("seances:agenda"))

    assert response.context["to_record"] == [past_appointment]
    assert reverse("seances:appointment_mark", args=[past_appointment.public_id]) in (
        response.content.decode()
    )


def test_mentor_marks_a_no_show(client, mentor, past_appointment):
    client.force_login(mentor)
    agenda = reverse("seances:agenda")

    response = client.post(
        reverse("seances:appointment_mark", args=[past_appointment.public_id]),
        {"status": AppointmentStatus.NO_SHOW, "next": agenda},
    )

    assert response.status_code == 302
    assert response.url == agenda
    past_appointment.refresh_from_db()
    assert past_appointment.status == AppointmentStatus.NO_SHOW


def test_marking_with_htmx_returns_the_row(client, coordinator, past_appointment):
    client.force_login(coordinator)

    response = client.post(
        reverse("seances:appointment_mark", args=[past_appointment.public_id]),
        {"status": AppointmentStatus.EXCUSED},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith(f'<tr id="outcome-{past_appointment.public_id}"')
    assert 'aria-pressed="true"' in content
    assert "INVALID_VARIABLE" not in content
    past_appointment.refresh_from_db()
    assert past_appointment.status == AppointmentStatus.EXCUSED


def test_a_future_appointment_has_no_outcome_yet(client, mentor, offer, beneficiary):
    ahead = AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )
    client.force_login(mentor)

    response = client.post(
        reverse("seances:appointment_mark", args=[ahead.public_id]),
        {"status": AppointmentStatus.ATTENDED},
        follow=True,
    )

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    ahead.refresh_from_db()
    assert ahead.status == AppointmentStatus.BOOKED


def test_an_unknown_outcome_is_refused(client, mentor, past_appointment):
    client.force_login(mentor)

    client.post(
        reverse("seances:appointment_mark", args=[past_appointment.public_id]),
        {"status": AppointmentStatus.CANCELLED},
    )

    past_appointment.refresh_from_db()
    assert past_appointment.status == AppointmentStatus.BOOKED


# Availability pages


def test_availability_page_groups_rows_by_offer_and_names_hotline_windows(
    client, mentor, offer, programme
):
    hotline = OfferFactory(
        programme=programme,
        kind=OfferKind.HOTLINE,
        title="Permanence téléphonique",
        channel_in_person=False,
        channel_phone=True,
    )
    hotline.mentors.add(mentor)
    AvailabilityFactory(mentor=mentor, offer=offer, weekday=Weekday.MONDAY)
    AvailabilityFactory(
        mentor=mentor, offer=hotline, weekday=Weekday.TUESDAY, channel=Channel.PHONE
    )
    client.force_login(mentor)

    response = client.get(reverse("seances:availability"))

    groups = {g["offer"]: g for g in response.context["groups"]}
    assert set(groups) == {offer, hotline}
    assert groups[hotline]["hotline"] is True
    assert groups[offer]["hotline"] is False
    assert "plages horaires" in response.content.decode()


def test_mentor_adds_an_availability_through_the_form(client, mentor, offer):
    client.force_login(mentor)

    page = client.get(reverse("seances:availability_create") + f"?offer={offer.public_id}")
    response = client.post(
        reverse("seances:availability_create"),
        {
            "offer": offer.pk,
            "weekday": Weekday.THURSDAY,
            "start_time": "14:00",
            "end_time": "17:30",
            "channel": Channel.IN_PERSON,
            "location": "  Salle 2  ",
            "buffer_minutes": "15",
        },
    )

    assert page.status_code == 200
    assert 'data-channels="in_person"' in page.content.decode()
    assert response.status_code == 302
    row = Availability.objects.get()
    assert (row.mentor, row.weekday, row.end_time, row.location) == (
        mentor,
        Weekday.THURSDAY,
        datetime.time(17, 30),
        "Salle 2",
    )


def test_an_overlap_is_shown_on_the_form(client, mentor, offer):
    AvailabilityFactory(mentor=mentor, offer=offer, weekday=Weekday.THURSDAY)
    client.force_login(mentor)

    response = client.post(
        reverse("seances:availability_create"),
        {
            "offer": offer.pk,
            "weekday": Weekday.THURSDAY,
            "start_time": "11:00",
            "end_time": "13:00",
            "channel": Channel.IN_PERSON,
            "buffer_minutes": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Availability.objects.count() == 1


def test_coordinator_edits_a_mentors_row_and_returns_to_their_page(
    client, coordinator, mentor, offer
):
    row = AvailabilityFactory(mentor=mentor, offer=offer)
    client.force_login(coordinator)

    response = client.post(
        reverse("seances:availability_edit", args=[row.pk]),
        {
            "offer": offer.pk,
            "weekday": row.weekday,
            "start_time": "08:30",
            "end_time": "12:00",
            "channel": Channel.IN_PERSON,
            "buffer_minutes": "5",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("seances:availability") + f"?mentor={mentor.public_id}"
    row.refresh_from_db()
    assert (row.start_time, row.buffer_minutes) == (datetime.time(8, 30), 5)


def test_unavailability_warns_about_appointments_already_booked(client, mentor, offer, beneficiary):
    AppointmentFactory(
        offer=offer, mentor=mentor, beneficiary=beneficiary, starts_at=at(MONDAY, 10)
    )
    client.force_login(mentor)

    response = client.post(
        reverse("seances:exception_create"),
        {"starts_at": "2026-10-05T00:00", "ends_at": "2026-10-09T23:59", "reason": "Congés"},
        follow=True,
    )

    block = AvailabilityException.objects.get()
    assert block.starts_at == at(MONDAY, 0)
    assert [m.level_tag for m in response.context["messages"]] == ["success", "warning"]


def test_an_unavailability_ending_before_it_starts_is_refused(client, mentor):
    client.force_login(mentor)

    response = client.post(
        reverse("seances:exception_create"),
        {"starts_at": "2026-10-09T00:00", "ends_at": "2026-10-05T00:00"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"]
    assert not AvailabilityException.objects.exists()


# Mentors and attendance


def test_mentors_page_shows_each_mentors_load(
    client, coordinator, mentor, other_mentor, offer, beneficiary, other_beneficiary
):
    now = timezone.now()
    AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=now + datetime.timedelta(days=2),
    )
    AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=now - datetime.timedelta(days=2),
        status=AppointmentStatus.NO_SHOW,
    )
    AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=other_beneficiary,
        starts_at=now - datetime.timedelta(days=3),
        status=AppointmentStatus.ATTENDED,
    )
    AvailabilityFactory(mentor=other_mentor, offer=offer)
    client.force_login(coordinator)

    response = client.get(reverse("seances:mentors"))

    rows = {row: row for row in response.context["mentors"]}
    assert set(rows) == {mentor, other_mentor}
    m = rows[mentor]
    assert (m.upcoming_count, m.no_show_count, m.outcome_count, m.availability_count) == (
        1,
        1,
        2,
        0,
    )
    assert m.no_show_rate == pytest.approx(0.5)
    assert rows[other_mentor].availability_count == 1
    assert rows[other_mentor].no_show_rate is None


def test_attendance_page_rates_offers_and_ranks_people(
    client, coordinator, mentor, offer, programme, beneficiary, other_beneficiary
):
    now = timezone.now()
    for days, person, status in [
        (2, beneficiary, AppointmentStatus.NO_SHOW),
        (3, beneficiary, AppointmentStatus.NO_SHOW),
        (4, beneficiary, AppointmentStatus.ATTENDED),
        (5, other_beneficiary, AppointmentStatus.NO_SHOW),
        (6, other_beneficiary, AppointmentStatus.EXCUSED),
    ]:
        AppointmentFactory(
            offer=offer,
            mentor=mentor,
            beneficiary=person,
            status=status,
            starts_at=now - datetime.timedelta(days=days),
        )
    client.force_login(coordinator)

    response = client.get(reverse("seances:attendance"))

    assert response.status_code == 200
    (row,) = response.context["offers"]
    assert (row.attended_count, row.excused_count, row.no_show_count, row.rate_percent) == (
        1,
        1,
        3,
        60,
    )
    people = response.context["people_rows"]
    assert [(p["label"], p["count"], p["percent"]) for p in people] == [
        (beneficiary.name, 2, 100),
        (other_beneficiary.name, 1, 50),
    ]
    assert response.context["totals"]["rate_percent"] == 60


def test_attendance_filters_on_a_programme(
    client, coordinator, mentor, offer, organization, beneficiary
):
    other_programme = ProgrammeFactory(organization=organization, title="Autre programme")
    other_programme.coordinators.add(coordinator)
    other_offer = OfferFactory(programme=other_programme)
    other_offer.mentors.add(mentor)
    EnrollmentFactory(beneficiary=beneficiary, offer=other_offer, referent_mentor=mentor)
    AppointmentFactory(
        offer=other_offer,
        mentor=mentor,
        beneficiary=beneficiary,
        status=AppointmentStatus.NO_SHOW,
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )
    client.force_login(coordinator)

    response = client.get(reverse("seances:attendance") + f"?programme={offer.programme.public_id}")

    assert [o.pk for o in response.context["offers"]] == [offer.pk]
    assert response.context["people_rows"] == []
    assert response.context["totals"]["no_show"] == 0

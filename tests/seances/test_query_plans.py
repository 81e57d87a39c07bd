"""The rewritten reads give the same answers: the list's record status computed from the
prefetched records, the API's day bounds in the platform's time zone, the mentors' load."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from seances import selectors_work
from seances.enums import AppointmentStatus, AttendanceStatus, RecordStatus
from seances.models import Appointment, ClosingRecord, Seance
from seances.selectors import mentors_with_load
from tests.factories import BeneficiaryFactory, UserFactory
from tests.seances.conftest import (
    AppointmentFactory,
    AttendanceFactory,
    AvailabilityFactory,
    ClosingRecordFactory,
    SeanceFactory,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _validated(seance, person):
    return ClosingRecordFactory(
        seance=seance,
        beneficiary=person,
        status=RecordStatus.VALIDATED,
        validated_at=timezone.now(),
    )


def _expected(seance, user):
    """The status as the former annotations computed it, through `visible_to`."""
    records = ClosingRecord.objects.visible_to(user).filter(seance=seance)
    closed = set(
        ClosingRecord.objects.filter(seance=seance, status=RecordStatus.VALIDATED).values_list(
            "beneficiary_id", flat=True
        )
    )
    return (
        records.filter(status=RecordStatus.DRAFT).exists(),
        records.filter(status=RecordStatus.VALIDATED).exists(),
        seance.attendances.filter(status=AttendanceStatus.PRESENT)
        .exclude(beneficiary_id__in=closed)
        .exists(),
    )


@pytest.mark.parametrize("persona", ["mentor", "coordinator", "beneficiary", "other_mentor"])
def test_list_record_status_matches_the_visible_records(
    request, persona, mentor, other_mentor, beneficiary, individual_offer, organization
):
    other = BeneficiaryFactory(organization=organization, user=UserFactory())
    draft_only = SeanceFactory(offer=individual_offer, mentor=mentor)
    AttendanceFactory(seance=draft_only, beneficiary=beneficiary)
    ClosingRecordFactory(seance=draft_only, beneficiary=beneficiary)
    mixed = SeanceFactory(offer=individual_offer, mentor=other_mentor)
    mixed.co_mentors.add(mentor)
    AttendanceFactory(seance=mixed, beneficiary=beneficiary)
    AttendanceFactory(seance=mixed, beneficiary=other)
    _validated(mixed, other)
    ClosingRecordFactory(seance=mixed, beneficiary=beneficiary)
    closed = SeanceFactory(offer=individual_offer, mentor=mentor)
    AttendanceFactory(seance=closed, beneficiary=beneficiary)
    _validated(closed, beneficiary)
    absent = SeanceFactory(offer=individual_offer, mentor=mentor)
    AttendanceFactory(seance=absent, beneficiary=other, status=AttendanceStatus.ABSENT)

    person = request.getfixturevalue(persona)
    user = person.user if persona == "beneficiary" else person
    user = User.objects.get(pk=user.pk)
    rows = selectors_work.add_record_status(list(selectors_work.seances_for_list(user)), user)

    assert {row.pk for row in rows} == set(
        Seance.objects.visible_to(user).values_list("pk", flat=True)
    )
    for row in rows:
        assert (row.has_draft, row.has_validated, row.to_complete) == _expected(row, user), row


def test_the_list_filter_to_complete_keeps_the_seances_to_complete(
    client, mentor, beneficiary, individual_offer
):
    open_one = SeanceFactory(offer=individual_offer, mentor=mentor)
    AttendanceFactory(seance=open_one, beneficiary=beneficiary)
    closed = SeanceFactory(offer=individual_offer, mentor=mentor)
    AttendanceFactory(seance=closed, beneficiary=beneficiary)
    _validated(closed, beneficiary)
    client.force_login(mentor)

    response = client.get(reverse("seances:seance_list"), {"to_complete": "on"})

    assert [s.pk for s in response.context["page"].object_list] == [open_one.pk]
    assert response.context["page"].object_list[0].to_complete is True


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@pytest.mark.parametrize("path", ["/api/v1/appointments/", "/api/v1/group-sessions/"])
def test_api_day_bounds_follow_the_paris_day(
    client, coordinator, mentor, beneficiary, individual_offer, path
):
    from tests.seances.conftest import GroupSessionFactory

    day = datetime.date(2026, 3, 28)  # the night before the change to summer time

    def make(when):
        if "appointments" in path:
            return AppointmentFactory(
                offer=individual_offer, mentor=mentor, beneficiary=beneficiary, starts_at=when
            )
        return GroupSessionFactory(offer__programme=individual_offer.programme, starts_at=when)

    late = make(_at(day, 23, 30))  # 22:30 UTC, still the 28th in Paris
    early = make(_at(day + datetime.timedelta(days=1), 0, 30))  # 23:30 UTC on the 28th
    client.force_login(coordinator)

    def ids(**params):
        response = client.get(path, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert str(late.public_id) in ids(to=day.isoformat())
    assert str(early.public_id) not in ids(to=day.isoformat())
    assert str(early.public_id) in ids(**{"from": "2026-03-29"})
    assert str(late.public_id) not in ids(**{"from": "2026-03-29"})
    assert ids(**{"from": "0001-01-01", "to": "9999-12-31"}) >= {
        str(late.public_id),
        str(early.public_id),
    }


def test_mentors_load_counts_each_mentor(organization, coordinator, individual_offer, mentor):
    now = timezone.now()
    idle = UserFactory()
    AvailabilityFactory(mentor=mentor, offer=individual_offer)
    AppointmentFactory(
        offer=individual_offer, mentor=mentor, starts_at=now + datetime.timedelta(days=2)
    )
    outcomes = (AppointmentStatus.NO_SHOW, AppointmentStatus.ATTENDED, AppointmentStatus.ATTENDED)
    for days, status in enumerate(outcomes, start=3):
        AppointmentFactory(
            offer=individual_offer,
            mentor=mentor,
            status=status,
            starts_at=now - datetime.timedelta(days=days),
        )

    rows = mentors_with_load(
        User.objects.filter(pk__in=[mentor.pk, idle.pk]),
        appointments=Appointment.objects.visible_to(coordinator),
        now=now,
    )

    loads = {row.pk: row for row in rows}
    assert loads[mentor.pk].upcoming_count == 1
    assert (loads[mentor.pk].no_show_count, loads[mentor.pk].outcome_count) == (1, 3)
    assert loads[mentor.pk].no_show_rate == pytest.approx(1 / 3)
    assert loads[mentor.pk].availability_count == 1
    assert (loads[idle.pk].upcoming_count, loads[idle.pk].no_show_rate) == (0, None)

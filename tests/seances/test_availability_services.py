"""Weekly availability and unavailabilities: overlaps refused, who may change whose agenda."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.enums import Role
from programmes.enums import OfferKind, ProgrammeStatus
from seances.enums import Channel, Weekday
from seances.models import Availability, AvailabilityException
from seances.services.availability import (
    availability_create,
    availability_delete,
    availability_update,
    can_manage_agenda,
    exception_create,
    exception_delete,
    mentors_managed_by,
)
from tests.factories import MembershipFactory, OfferFactory, ProgrammeFactory
from tests.seances.conftest import PARIS, AvailabilityFactory

pytestmark = pytest.mark.django_db


def window(**overrides):
    fields = {
        "weekday": Weekday.MONDAY,
        "start_time": datetime.time(9),
        "end_time": datetime.time(12),
        "channel": Channel.IN_PERSON,
        "location": "Maison des projets",
        "buffer_minutes": 10,
    }
    return fields | overrides


# Overlaps


def test_mentor_adds_a_weekly_window(mentor, offer):
    row = availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window())

    assert (row.mentor, row.offer, row.weekday, row.buffer_minutes) == (mentor, offer, 0, 10)


def test_overlapping_window_on_the_same_day_is_refused(mentor, offer):
    availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window())

    with pytest.raises(ValidationError) as error:
        availability_create(
            mentor=mentor,
            offer=offer,
            acting_user=mentor,
            **window(start_time=datetime.time(11), end_time=datetime.time(14)),
        )

    assert "__all__" in error.value.error_dict
    assert Availability.objects.count() == 1


def test_overlap_is_refused_across_offers_of_the_same_mentor(mentor, offer, programme):
    second = OfferFactory(programme=programme, kind=OfferKind.HOTLINE, channel_phone=True)
    second.mentors.add(mentor)
    availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window())

    with pytest.raises(ValidationError):
        availability_create(
            mentor=mentor,
            offer=second,
            acting_user=mentor,
            **window(channel=Channel.PHONE, start_time=datetime.time(8)),
        )


def test_back_to_back_windows_and_other_days_are_fine(mentor, offer):
    availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window())
    availability_create(
        mentor=mentor,
        offer=offer,
        acting_user=mentor,
        **window(start_time=datetime.time(12), end_time=datetime.time(14)),
    )
    availability_create(
        mentor=mentor, offer=offer, acting_user=mentor, **window(weekday=Weekday.TUESDAY)
    )

    assert Availability.objects.filter(mentor=mentor).count() == 3


def test_another_mentor_may_have_the_same_hours(mentor, other_mentor, offer):
    availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window())
    availability_create(mentor=other_mentor, offer=offer, acting_user=other_mentor, **window())

    assert Availability.objects.count() == 2


def test_windows_valid_in_disjoint_periods_may_share_hours(mentor, offer):
    availability_create(
        mentor=mentor,
        offer=offer,
        acting_user=mentor,
        **window(valid_until=datetime.date(2027, 3, 31)),
    )
    availability_create(
        mentor=mentor,
        offer=offer,
        acting_user=mentor,
        **window(valid_from=datetime.date(2027, 4, 1)),
    )
    with pytest.raises(ValidationError):
        availability_create(
            mentor=mentor,
            offer=offer,
            acting_user=mentor,
            **window(valid_from=datetime.date(2027, 3, 1), valid_until=datetime.date(2027, 3, 15)),
        )


def test_update_checks_overlaps_but_not_against_itself(mentor, offer):
    first = availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window())
    second = availability_create(
        mentor=mentor,
        offer=offer,
        acting_user=mentor,
        **window(start_time=datetime.time(14), end_time=datetime.time(17)),
    )

    availability_update(availability=first, acting_user=mentor, end_time=datetime.time(13))
    with pytest.raises(ValidationError):
        availability_update(availability=second, acting_user=mentor, start_time=datetime.time(12))

    second.refresh_from_db()
    assert second.start_time == datetime.time(14)


def test_a_paused_window_does_not_block_the_hours(mentor, offer):
    availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window(is_active=False))
    availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window())

    assert Availability.objects.count() == 2


# Shape


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_time": datetime.time(9)}, "end_time"),
        ({"channel": Channel.VIDEO}, "channel"),
        (
            {"valid_from": datetime.date(2027, 2, 1), "valid_until": datetime.date(2027, 1, 1)},
            "valid_until",
        ),
        ({"buffer_minutes": 600}, "buffer_minutes"),
    ],
)
def test_invalid_windows_are_refused_on_their_field(mentor, offer, overrides, field):
    with pytest.raises(ValidationError) as error:
        availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window(**overrides))

    assert field in error.value.error_dict


def test_group_offers_take_no_weekly_window(mentor, programme):
    workshop = OfferFactory(programme=programme, group=True)
    workshop.mentors.add(mentor)

    with pytest.raises(ValidationError) as error:
        availability_create(mentor=mentor, offer=workshop, acting_user=mentor, **window())

    assert "offer" in error.value.error_dict


def test_only_mentors_of_the_offer_get_windows_for_it(mentor, programme):
    foreign = OfferFactory(programme=programme)

    with pytest.raises(ValidationError) as error:
        availability_create(mentor=mentor, offer=foreign, acting_user=mentor, **window())

    assert "offer" in error.value.error_dict


def test_a_closed_programme_takes_no_new_window(mentor, offer, programme):
    programme.status = ProgrammeStatus.CLOSED
    programme.save()

    with pytest.raises(ValidationError):
        availability_create(mentor=mentor, offer=offer, acting_user=mentor, **window())


def test_unknown_fields_are_a_programming_error(mentor, offer):
    with pytest.raises(TypeError):
        availability_create(mentor=mentor, offer=offer, acting_user=mentor, colour="blue")


# Permissions


def test_coordinator_manages_the_availability_of_their_mentors(coordinator, mentor, offer):
    row = availability_create(mentor=mentor, offer=offer, acting_user=coordinator, **window())
    availability_update(availability=row, acting_user=coordinator, buffer_minutes=0)
    availability_delete(availability=row, acting_user=coordinator)

    assert not Availability.objects.exists()


@pytest.mark.parametrize("persona", ["other_mentor", "other_organization_coordinator"])
def test_others_may_not_touch_a_mentors_availability(request, persona, mentor, offer):
    actor = request.getfixturevalue(persona)
    row = AvailabilityFactory(mentor=mentor, offer=offer)

    with pytest.raises(PermissionDenied):
        availability_create(mentor=mentor, offer=offer, acting_user=actor, **window())
    with pytest.raises(PermissionDenied):
        availability_update(availability=row, acting_user=actor, buffer_minutes=30)
    with pytest.raises(PermissionDenied):
        availability_delete(availability=row, acting_user=actor)
    assert Availability.objects.get().buffer_minutes == 0


def test_beneficiary_may_not_set_availability(beneficiary, mentor, offer):
    with pytest.raises(PermissionDenied):
        availability_create(mentor=mentor, offer=offer, acting_user=beneficiary.user, **window())


def test_coordinator_may_not_schedule_another_structures_offer(
    coordinator, mentor, other_organization
):
    """A mentor working for two structures: each coordinator schedules their own offers."""
    MembershipFactory(user=mentor, organization=other_organization, role=Role.MENTOR)
    elsewhere = OfferFactory(programme=ProgrammeFactory(organization=other_organization))
    elsewhere.mentors.add(mentor)

    with pytest.raises(PermissionDenied):
        availability_create(mentor=mentor, offer=elsewhere, acting_user=coordinator, **window())
    availability_create(mentor=mentor, offer=elsewhere, acting_user=mentor, **window())


def test_a_mentor_who_left_the_structure_is_no_longer_managed(coordinator, mentor, organization):
    mentor.memberships.filter(organization=organization).update(is_active=False)

    assert not can_manage_agenda(coordinator, mentor)
    assert mentor not in mentors_managed_by(coordinator)


def test_mentors_managed_by(coordinator, mentor, other_mentor, other_organization_coordinator):
    assert set(mentors_managed_by(coordinator)) == {mentor, other_mentor}
    assert set(mentors_managed_by(mentor)) == {mentor}
    assert set(mentors_managed_by(other_organization_coordinator)) == set()


# Unavailabilities


def block(**overrides):
    fields = {
        "starts_at": datetime.datetime(2026, 12, 24, 0, 0, tzinfo=PARIS),
        "ends_at": datetime.datetime(2027, 1, 4, 0, 0, tzinfo=PARIS),
        "reason": "Congés",
    }
    return fields | overrides


def test_mentor_and_coordinator_block_periods(mentor, coordinator):
    own = exception_create(mentor=mentor, acting_user=mentor, **block())
    exception_create(
        mentor=mentor,
        acting_user=coordinator,
        **block(
            starts_at=datetime.datetime(2027, 2, 1, 14, 0, tzinfo=PARIS),
            ends_at=datetime.datetime(2027, 2, 1, 18, 0, tzinfo=PARIS),
        ),
    )
    exception_delete(exception=own, acting_user=coordinator)

    assert AvailabilityException.objects.filter(mentor=mentor).count() == 1


def test_unavailability_must_end_after_it_starts(mentor):
    with pytest.raises(ValidationError) as error:
        exception_create(
            mentor=mentor,
            acting_user=mentor,
            **block(ends_at=datetime.datetime(2026, 12, 24, 0, 0, tzinfo=PARIS)),
        )

    assert "ends_at" in error.value.error_dict


@pytest.mark.parametrize("persona", ["other_mentor", "other_organization_coordinator"])
def test_others_may_not_block_a_mentors_agenda(request, persona, mentor):
    actor = request.getfixturevalue(persona)
    existing = AvailabilityException.objects.create(mentor=mentor, **block())

    with pytest.raises(PermissionDenied):
        exception_create(mentor=mentor, acting_user=actor, **block())
    with pytest.raises(PermissionDenied):
        exception_delete(exception=existing, acting_user=actor)
    assert AvailabilityException.objects.count() == 1

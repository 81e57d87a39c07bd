"""Fixtures of the group session tests: test_group_* modules load them with
`pytest_plugins = ["tests.seances.test_group_fixtures"]`.

A group offer of `programme` run by `mentor` and `other_mentor`, in which beneficiaries A and B
are enrolled, and upcoming sessions of it."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory
from tests.seances.conftest import GroupSessionFactory, RegistrationFactory

__all__ = [
    "GroupSessionFactory",
    "RegistrationFactory",
    "enrolled",
    "enrolled_people",
    "future_session",
    "group_offer",
    "in_days",
]


def in_days(days: float, hour: int = 18) -> datetime.datetime:
    """An aware datetime `days` from now, at `hour`:00 Paris time."""
    day = timezone.localdate() + datetime.timedelta(days=int(days))
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def group_offer(programme, mentor, other_mentor):
    offer = OfferFactory(programme=programme, group=True, title="Atelier gouvernance")
    offer.mentors.add(mentor, other_mentor)
    return offer


@pytest.fixture
def enrolled(group_offer, beneficiary, other_beneficiary, mentor, other_mentor):
    """A and B are enrolled in the group offer too (A followed by mentor, B by other_mentor)."""
    EnrollmentFactory(beneficiary=beneficiary, offer=group_offer, referent_mentor=mentor)
    EnrollmentFactory(
        beneficiary=other_beneficiary, offer=group_offer, referent_mentor=other_mentor
    )
    return group_offer


@pytest.fixture
def future_session(enrolled, mentor):
    """A session of the group offer in a week, 5 seats, organised by `mentor`."""
    starts_at = in_days(7)
    return GroupSessionFactory(
        offer=enrolled,
        organiser=mentor,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        capacity=5,
    )


def enrolled_people(offer, n, *, mentor=None):
    """`n` beneficiaries of the offer's structure, enrolled in it (with `mentor` as referent)."""
    people = []
    for _ in range(n):
        person = BeneficiaryFactory(organization=offer.programme.organization)
        EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
        people.append(person)
    return people

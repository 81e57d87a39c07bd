"""Fixtures of the séance tests: test_seance_* and test_tutoring_* modules load them with
`pytest_plugins = ["tests.seances.test_seance_fixtures"]`.

All in `programme` (run by `organization`, coordinated by `coordinator`): an individual
appointment of `beneficiary` with `mentor` two days ago; a group session organised by `mentor`
yesterday; hotline, practice-analysis and tutoring offers run by `mentor`."""

import datetime

import pytest
from django.utils import timezone

from programmes.enums import OfferKind, OfferMode
from seances.enums import RegistrationStatus
from tests.factories import EnrollmentFactory, OfferFactory
from tests.seances.conftest import (
    AppointmentFactory,
    GroupSessionFactory,
    RegistrationFactory,
)

__all__ = [
    "days_ago",
    "group_offer_run",
    "hotline_offer",
    "past_appointment",
    "past_session",
    "practice_offer",
    "tutoring_offer",
]


def days_ago(days: int, hour: int = 10) -> datetime.datetime:
    """An aware datetime `days` before today, at `hour`:00 Paris time."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def past_appointment(individual_offer, mentor, beneficiary):
    starts_at = days_ago(2)
    return AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=45),
    )


@pytest.fixture
def group_offer_run(programme, mentor, beneficiary, other_beneficiary, other_mentor):
    """A group offer run by `mentor`, A and B enrolled (A followed by mentor)."""
    offer = OfferFactory(programme=programme, group=True, title="Atelier gouvernance")
    offer.mentors.add(mentor)
    EnrollmentFactory(beneficiary=beneficiary, offer=offer, referent_mentor=mentor)
    EnrollmentFactory(beneficiary=other_beneficiary, offer=offer, referent_mentor=other_mentor)
    return offer


@pytest.fixture
def past_session(group_offer_run, mentor, beneficiary, other_beneficiary):
    """Yesterday's session, organised by `mentor`: A and B held a seat."""
    starts_at = days_ago(1, hour=14)
    session = GroupSessionFactory(
        offer=group_offer_run,
        organiser=mentor,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        capacity=5,
    )
    RegistrationFactory(session=session, beneficiary=beneficiary)
    RegistrationFactory(
        session=session, beneficiary=other_beneficiary, status=RegistrationStatus.REGISTERED
    )
    return session


def _offer(programme, mentor, kind):
    offer = OfferFactory(programme=programme, kind=kind, mode=OfferMode.INDIVIDUAL)
    offer.mentors.add(mentor)
    return offer


@pytest.fixture
def hotline_offer(programme, mentor):
    return _offer(programme, mentor, OfferKind.HOTLINE)


@pytest.fixture
def practice_offer(programme, mentor):
    return _offer(programme, mentor, OfferKind.PRACTICE_ANALYSIS)


@pytest.fixture
def tutoring_offer(programme, mentor):
    return _offer(programme, mentor, OfferKind.TUTORING)

"""Shared fixtures and factories for the agenda (seances) tests."""

import datetime
from zoneinfo import ZoneInfo

import factory
import pytest
from factory.django import DjangoModelFactory

from seances.enums import (
    AppointmentStatus,
    AttendanceStatus,
    Channel,
    RegistrationStatus,
    SeanceKind,
    Weekday,
)
from seances.models import (
    ActionItem,
    Appointment,
    Attendance,
    Availability,
    ClosingRecord,
    GroupSession,
    Registration,
    Seance,
)
from tests.factories import BeneficiaryFactory, OfferFactory, UserFactory

PARIS = ZoneInfo("Europe/Paris")


class AvailabilityFactory(DjangoModelFactory):
    class Meta:
        model = Availability

    mentor = factory.SubFactory(UserFactory)
    offer = factory.SubFactory(OfferFactory)
    weekday = Weekday.TUESDAY
    start_time = datetime.time(9, 0)
    end_time = datetime.time(12, 0)
    channel = Channel.IN_PERSON
    location = "12 rue des Projets, Lyon"
    buffer_minutes = 0


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = Appointment

    offer = factory.SubFactory(OfferFactory)
    mentor = factory.SubFactory(UserFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    starts_at = factory.Sequence(
        lambda n: datetime.datetime(2026, 10, 6, 9, 0, tzinfo=PARIS) + datetime.timedelta(days=n)
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + datetime.timedelta(minutes=o.offer.duration_minutes)
    )
    status = AppointmentStatus.BOOKED
    channel = Channel.IN_PERSON
    location = "12 rue des Projets, Lyon"


class GroupSessionFactory(DjangoModelFactory):
    class Meta:
        model = GroupSession

    offer = factory.SubFactory(OfferFactory, group=True)
    organiser = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Atelier {n}")
    starts_at = factory.Sequence(
        lambda n: datetime.datetime(2026, 10, 8, 14, 0, tzinfo=PARIS) + datetime.timedelta(days=n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    capacity = 10
    channel = Channel.IN_PERSON
    location = "Salle commune"


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(GroupSessionFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    status = RegistrationStatus.REGISTERED


@pytest.fixture
def individual_offer(programme, mentor):
    """An individual offer of `programme`, `mentor` as its mentor, default booking rules."""
    offer = OfferFactory(programme=programme, title="Rendez-vous individuel")
    offer.mentors.add(mentor)
    return offer


@pytest.fixture
def availability(individual_offer, mentor):
    """`mentor` is available for `individual_offer` on Tuesdays, 09:00–12:00 (Paris)."""
    return AvailabilityFactory(
        mentor=mentor,
        offer=individual_offer,
        weekday=Weekday.TUESDAY,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(12, 0),
    )


class SeanceFactory(DjangoModelFactory):
    class Meta:
        model = Seance

    kind = SeanceKind.INDIVIDUAL
    offer = factory.SubFactory(OfferFactory)
    mentor = factory.SubFactory(UserFactory)
    # Autumn 2026, in the past: a séance is what took place (the sequence wraps every 40 days).
    starts_at = factory.Sequence(
        lambda n: (
            datetime.datetime(2026, 10, 6, 14, 0, tzinfo=PARIS) + datetime.timedelta(days=n % 40)
        )
    )
    duration_minutes = 60
    channel = Channel.IN_PERSON


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    seance = factory.SubFactory(SeanceFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    status = AttendanceStatus.PRESENT


class ClosingRecordFactory(DjangoModelFactory):
    class Meta:
        model = ClosingRecord

    seance = factory.SubFactory(SeanceFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    expectations = "Clarifier le montage du projet de coopération."
    content = "Nous avons repris le budget prévisionnel."
    next_step = "Rencontrer la communauté de communes."


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    title = factory.Sequence(lambda n: f"Tâche {n}")


@pytest.fixture
def seance(individual_offer, mentor, beneficiary):
    """An individual séance the mentor led with the beneficiary, who was present."""
    seance = SeanceFactory(offer=individual_offer, mentor=mentor)
    AttendanceFactory(seance=seance, beneficiary=beneficiary)
    return seance

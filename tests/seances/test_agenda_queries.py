"""The agenda pages run as many queries with 1 row as with 30."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from seances.enums import AppointmentStatus
from seances.models import AvailabilityException
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    MembershipFactory,
    OfferFactory,
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


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_agenda_week_query_count_is_constant(client, mentor, offer, programme, organization):
    """Appointments, sessions with registrations, windows and unavailabilities of a week."""
    group_offer = OfferFactory(programme=programme, group=True)
    made = 0

    def grow(n):
        nonlocal made
        for i in range(made, made + n):
            day = MONDAY + datetime.timedelta(days=i % 5)
            hour = 8 + i // 5
            person = BeneficiaryFactory(organization=organization)
            AppointmentFactory(
                offer=offer,
                mentor=mentor,
                beneficiary=person,
                starts_at=datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS),
            )
            session = GroupSessionFactory(
                offer=group_offer,
                organiser=mentor,
                starts_at=datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=PARIS),
            )
            RegistrationFactory(session=session, beneficiary=person)
            AvailabilityFactory(
                mentor=mentor,
                offer=offer,
                weekday=i % 7,
                start_time=datetime.time(6 + i // 7),
                end_time=datetime.time(7 + i // 7),
            )
            AvailabilityException.objects.create(
                mentor=mentor,
                starts_at=datetime.datetime.combine(day, datetime.time(20), tzinfo=PARIS),
                ends_at=datetime.datetime.combine(day, datetime.time(21), tzinfo=PARIS),
            )
        made += n

    client.force_login(mentor)
    url = reverse("seances:agenda") + f"?week={MONDAY:%Y-%m-%d}"
    grow(1)
    few = count_queries(client, url)
    grow(29)
    response = client.get(url)
    assert sum(len(day["items"]) for day in response.context["days"]) == 60
    assert count_queries(client, url) == few


def test_availability_page_query_count_is_constant(client, coordinator, mentor, programme):
    made = 0

    def grow(n):
        nonlocal made
        for i in range(made, made + n):
            offer = OfferFactory(programme=programme)
            offer.mentors.add(mentor)
            AvailabilityFactory(
                mentor=mentor,
                offer=offer,
                weekday=i % 7,
                start_time=datetime.time(6 + i // 7),
                end_time=datetime.time(7 + i // 7),
            )
            start = timezone.now() + datetime.timedelta(days=i + 1)
            AvailabilityException.objects.create(
                mentor=mentor, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
            )
        made += n

    client.force_login(coordinator)
    url = reverse("seances:availability") + f"?mentor={mentor.public_id}"
    grow(1)
    few = count_queries(client, url)
    grow(29)
    assert count_queries(client, url) == few


def test_mentors_page_query_count_is_constant(client, coordinator, organization, offer):
    def grow(n):
        for _ in range(n):
            person = MembershipFactory(organization=organization, role=Role.MENTOR).user
            offer.mentors.add(person)
            AppointmentFactory(
                offer=offer,
                mentor=person,
                status=AppointmentStatus.NO_SHOW,
                starts_at=timezone.now() - datetime.timedelta(days=1),
            )
            AvailabilityFactory(mentor=person, offer=offer)

    client.force_login(coordinator)
    url = reverse("seances:mentors")
    grow(1)
    few = count_queries(client, url)
    grow(29)
    assert count_queries(client, url) == few


def test_attendance_page_query_count_is_constant(
    client, coordinator, organization, programme, mentor
):
    made = 0

    def grow(n):
        nonlocal made
        for i in range(made, made + n):
            offer = OfferFactory(programme=programme)
            person = BeneficiaryFactory(organization=organization)
            EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
            AppointmentFactory(
                offer=offer,
                mentor=mentor,
                beneficiary=person,
                status=AppointmentStatus.NO_SHOW,
                starts_at=timezone.now() - datetime.timedelta(days=i + 1),
            )
        made += n

    client.force_login(coordinator)
    url = reverse("seances:attendance")
    grow(1)
    few = count_queries(client, url)
    grow(29)
    response = client.get(url)
    assert len(response.context["offers"]) == 30
    assert len(response.context["people_rows"]) == 20
    assert count_queries(client, url) == few

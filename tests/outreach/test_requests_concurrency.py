"""Once per request, under concurrency (PostgreSQL): ten bookings of a first appointment for
one request, at ten different times and from ten connections, give exactly one appointment;
and ten requests racing for one slot give one appointment too."""

import datetime

import pytest
from django.utils import timezone

from outreach.models import SupportRequest
from outreach.services.requests import support_request_book, support_request_create
from seances.enums import AppointmentStatus
from seances.models import Appointment
from seances.slots import first_available
from tests.outreach.requests_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.requests_fixtures import service_data
from tests.seances.test_appointments_concurrency import run_together

THREADS = 10


def _slots(offer, n):
    today = timezone.localdate()
    return first_available(offer=offer, start=today, end=today + datetime.timedelta(days=14))[:n]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_bookings_of_one_request_give_one_appointment(published, link_offer):
    request = support_request_create(programme=published, **service_data())
    slots = _slots(link_offer, THREADS)
    assert len(slots) == THREADS

    def booking(slot):
        return lambda: support_request_book(
            support_request=SupportRequest.objects.get(pk=request.pk),
            mentor=slot.mentor,
            starts_at=slot.starts_at,
        )

    successes, refusals, errors = run_together([booking(slot) for slot in slots])

    assert errors == []
    assert len(successes) == 1
    assert len(refusals) == THREADS - 1
    request.refresh_from_db()
    assert request.appointment == successes[0]
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_requests_racing_for_one_slot_give_one_appointment(published, link_offer):
    requests = [
        support_request_create(
            programme=published,
            **service_data(email=f"personne{number}@example.org", name=f"Personne {number}"),
        )
        for number in range(THREADS)
    ]
    slot = _slots(link_offer, 1)[0]

    def booking(request):
        return lambda: support_request_book(
            support_request=request, mentor=slot.mentor, starts_at=slot.starts_at
        )

    successes, refusals, errors = run_together([booking(request) for request in requests])

    assert errors == []
    assert len(successes) == 1
    assert len(refusals) == THREADS - 1
    assert SupportRequest.objects.filter(appointment__isnull=False).count() == 1

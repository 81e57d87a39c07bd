"""Open event registration under concurrency (PostgreSQL): the session row lock serialises
the writers, so ten people racing for three seats give three seats and seven waitlisted,
and the same person sending the form ten times at once gets one record and one registration."""

import pytest

from beneficiaires.models import Beneficiary
from outreach.services.catalogue import open_event_register
from seances.enums import RegistrationStatus
from seances.models import GroupSession, Registration
from tests.outreach.catalogue_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.catalogue_fixtures import make_session
from tests.seances.test_appointments_concurrency import run_together

THREADS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_people_racing_for_three_seats(group_offer, mentor):
    session = make_session(group_offer, mentor, capacity=3)

    def register(number):
        return lambda: open_event_register(
            session=GroupSession.objects.get(pk=session.pk),
            name=f"Personne {number}",
            email=f"personne{number}@example.org",
        )

    successes, refusals, errors = run_together([register(n) for n in range(THREADS)])

    assert errors == []
    assert refusals == []
    assert len(successes) == THREADS
    statuses = [r.status for r in Registration.objects.filter(session=session)]
    assert statuses.count(RegistrationStatus.REGISTERED) == 3
    assert statuses.count(RegistrationStatus.WAITLISTED) == THREADS - 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_person_ten_times_at_once_is_registered_once(open_event):
    def register():
        return open_event_register(
            session=GroupSession.objects.get(pk=open_event.pk),
            name="Camille Martin",
            email="camille@example.org",
        )

    successes, refusals, errors = run_together([register] * THREADS)

    assert errors == []
    assert len(successes) == 1
    assert len(refusals) == THREADS - 1
    assert Beneficiary.objects.filter(email="camille@example.org").count() == 1
    assert Registration.objects.filter(session=open_event).count() == 1

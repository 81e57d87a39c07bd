"""No double booking under concurrency, guaranteed by PostgreSQL: twenty bookings (or
reschedules) of one slot from twenty threads and connections, exactly one wins."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from seances.models import Appointment
from seances.services.appointments import SLOT_TAKEN, appointment_book, appointment_reschedule
from tests.factories import BeneficiaryFactory, EnrollmentFactory, UserFactory
from tests.seances.conftest import PARIS, AppointmentFactory

THREADS = 20
TUESDAY = datetime.date(2026, 10, 6)
NOW = datetime.datetime(2026, 9, 28, 8, 0, tzinfo=PARIS)
SLOT = datetime.datetime(2026, 10, 6, 9, 0, tzinfo=PARIS)


def run_together(actions):
    """Run each action in its own thread (and database connection), all released at once by
    a barrier; returns (successes, refusal messages, unexpected errors)."""
    barrier = threading.Barrier(len(actions))
    successes, refusals, errors = [], [], []
    lock = threading.Lock()

    def worker(action):
        try:
            barrier.wait(timeout=30)
            result = action()
        except ValidationError as exc:
            with lock:
                refusals.append(exc.messages)
        except Exception as exc:  # any other failure fails the test below
            with lock:
                errors.append(repr(exc))
        else:
            with lock:
                successes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return successes, refusals, errors


def enrolled_people(organization, offer, n):
    people = []
    for _ in range(n):
        person = BeneficiaryFactory(organization=organization, user=UserFactory())
        EnrollmentFactory(beneficiary=person, offer=offer)
        people.append(person)
    return people


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_one_slot_exactly_one_succeeds(
    organization, individual_offer, mentor, availability
):
    people = enrolled_people(organization, individual_offer, THREADS)

    def booking(person):
        return lambda: appointment_book(
            offer=individual_offer,
            mentor=mentor,
            beneficiary=person,
            starts_at=SLOT,
            reason="Concurrence",
            acting_user=person.user,
            now=NOW,
        )

    successes, refusals, errors = run_together([booking(p) for p in people])

    assert errors == []
    assert len(successes) == 1
    assert len(refusals) == THREADS - 1
    assert all(messages == [str(SLOT_TAKEN)] for messages in refusals)
    holding = Appointment.objects.holding_time().filter(mentor=mentor)
    assert holding.count() == 1
    assert holding.get().beneficiary == successes[0].beneficiary


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_reschedules_onto_one_slot_exactly_one_succeeds(
    organization, individual_offer, mentor, availability
):
    people = enrolled_people(organization, individual_offer, THREADS)
    # Each person holds an appointment with the mentor on a different later day.
    appointments = [
        AppointmentFactory(
            offer=individual_offer,
            mentor=mentor,
            beneficiary=person,
            starts_at=datetime.datetime(2026, 10, 7, 14, 0, tzinfo=PARIS)
            + datetime.timedelta(days=n),
            ends_at=datetime.datetime(2026, 10, 7, 15, 0, tzinfo=PARIS)
            + datetime.timedelta(days=n),
        )
        for n, person in enumerate(people)
    ]

    def moving(appointment):
        return lambda: appointment_reschedule(
            appointment=appointment,
            starts_at=SLOT,
            acting_user=appointment.beneficiary.user,
            now=NOW,
        )

    successes, refusals, errors = run_together([moving(a) for a in appointments])

    assert errors == []
    assert len(successes) == 1
    assert len(refusals) == THREADS - 1
    assert all(messages == [str(SLOT_TAKEN)] for messages in refusals)
    holding = Appointment.objects.holding_time().filter(mentor=mentor)
    assert (
        holding.filter(starts_at__lt=SLOT + datetime.timedelta(hours=1), ends_at__gt=SLOT).count()
        == 1
    )
    assert holding.count() == THREADS
    assert holding.get(starts_at=SLOT).sequence == 1


def test_a_deadlock_between_two_bookings_is_the_slot_taken_refusal(monkeypatch, db):
    """PostgreSQL may break a wait between two bookings checking the exclusion constraint by
    failing one with a deadlock (40P01): that person gets "slot taken", never a 500."""
    from types import SimpleNamespace

    from django.core.exceptions import ValidationError
    from django.db import OperationalError

    from seances.models import Appointment
    from seances.services import appointments as services
    from tests.seances.conftest import AppointmentFactory

    appointment = AppointmentFactory.build()
    monkeypatch.setattr(services, "_overlapping", lambda *args: Appointment.objects.none())

    class DeadlockDetected(Exception):  # what psycopg raises, with its diagnostics
        diag = SimpleNamespace(sqlstate="40P01")

    def deadlock(*args, **kwargs):
        raise OperationalError("deadlock detected") from DeadlockDetected()

    monkeypatch.setattr(appointment, "save", deadlock)
    with pytest.raises(ValidationError) as refusal:
        services._save_holding_time(appointment)
    assert refusal.value.code == "slot_taken"

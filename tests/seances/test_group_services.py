"""Group sessions: scheduling, registration, the waitlist and its promotion, cancellation."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.enums import Role
from programmes.enums import BookingAudience
from seances.enums import Channel, GroupSessionStatus, RegistrationStatus
from seances.models import GroupSession, Registration
from seances.services import groups as services
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    MembershipFactory,
    OfferFactory,
)
from tests.seances.test_group_fixtures import (
    GroupSessionFactory,
    RegistrationFactory,
    enrolled_people,
    in_days,
)

pytest_plugins = ["tests.seances.test_group_fixtures"]

PARIS = ZoneInfo("Europe/Paris")


def schedule(offer, organiser, acting_user, **kwargs):
    starts_at = kwargs.pop("starts_at", in_days(10))
    return services.group_session_create(
        offer=offer,
        organiser=organiser,
        starts_at=starts_at,
        ends_at=kwargs.pop("ends_at", starts_at + datetime.timedelta(hours=2)),
        channel=kwargs.pop("channel", Channel.IN_PERSON),
        location="Salle commune",
        acting_user=acting_user,
        **kwargs,
    )


def register(session, people, acting_user):
    return [
        services.registration_create(session=session, beneficiary=p, acting_user=acting_user)
        for p in people
    ]


# Scheduling


@pytest.mark.django_db
def test_a_session_takes_the_offer_capacity_by_default(group_offer, mentor, coordinator):
    session = schedule(group_offer, mentor, coordinator)

    assert session.capacity == group_offer.capacity
    assert session.status == GroupSessionStatus.SCHEDULED
    assert session.organiser == mentor


@pytest.mark.django_db
def test_a_mentor_of_the_offer_schedules_with_a_capacity_of_their_choice(group_offer, mentor):
    session = schedule(group_offer, mentor, mentor, capacity=4)

    assert session.capacity == 4


@pytest.mark.django_db
def test_sessions_are_only_for_group_offers(offer, mentor, coordinator):
    with pytest.raises(ValidationError) as error:
        schedule(offer, mentor, coordinator)

    assert "offer" in error.value.error_dict


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_organization_coordinator", "beneficiary"])
def test_outsiders_cannot_schedule(request, group_offer, mentor, persona):
    person = request.getfixturevalue(persona)
    user = person.user if persona == "beneficiary" else person

    with pytest.raises(PermissionDenied):
        schedule(group_offer, mentor, user)


@pytest.mark.django_db
def test_a_mentor_outside_the_offer_cannot_schedule(group_offer, organization, mentor):
    outsider = MembershipFactory(organization=organization, role=Role.MENTOR).user

    with pytest.raises(PermissionDenied):
        schedule(group_offer, mentor, outsider)


@pytest.mark.django_db
def test_a_session_in_the_past_or_ending_before_it_starts_is_refused(
    group_offer, mentor, coordinator
):
    with pytest.raises(ValidationError) as error:
        schedule(group_offer, mentor, coordinator, starts_at=in_days(-1))
    assert "starts_at" in error.value.error_dict

    starts_at = in_days(3)
    with pytest.raises(ValidationError) as error:
        schedule(group_offer, mentor, coordinator, starts_at=starts_at, ends_at=starts_at)
    assert "ends_at" in error.value.error_dict


@pytest.mark.django_db
def test_the_channel_must_be_one_of_the_offer(group_offer, mentor, coordinator):
    with pytest.raises(ValidationError) as error:
        schedule(group_offer, mentor, coordinator, channel=Channel.VIDEO)

    assert "channel" in error.value.error_dict


@pytest.mark.django_db
def test_the_organiser_must_run_the_offer(group_offer, coordinator, organization):
    stranger = MembershipFactory(organization=organization, role=Role.MENTOR).user

    with pytest.raises(ValidationError) as error:
        schedule(group_offer, stranger, coordinator)

    assert "organiser" in error.value.error_dict


def paris_wall_clock(session):
    local = session.starts_at.astimezone(PARIS)
    return local.hour, local.minute


@pytest.mark.django_db
def test_a_weekly_series_stays_at_18h_across_the_october_2026_change(
    group_offer, mentor, coordinator, monkeypatch
):
    # Before the last Sunday of October 2026 (25 October), as the organiser would have done.
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2026, 10, 1, 8, 0, tzinfo=datetime.UTC)
    )
    first = datetime.datetime(2026, 10, 15, 18, 0, tzinfo=PARIS)

    sessions = services.group_session_create_series(
        offer=group_offer,
        organiser=mentor,
        first_starts_at=first,
        first_ends_at=first + datetime.timedelta(hours=2),
        weeks=4,
        channel=Channel.IN_PERSON,
        acting_user=coordinator,
    )

    stored = list(GroupSession.objects.filter(offer=group_offer).order_by("starts_at"))
    assert [s.pk for s in stored] == [s.pk for s in sessions]
    assert [s.starts_at.astimezone(PARIS).date() for s in stored] == [
        datetime.date(2026, 10, 15),
        datetime.date(2026, 10, 22),
        datetime.date(2026, 10, 29),
        datetime.date(2026, 11, 5),
    ]
    assert {paris_wall_clock(s) for s in stored} == {(18, 0)}
    assert {s.ends_at.astimezone(PARIS).hour for s in stored} == {20}
    # Summer time (UTC+2) before the change, winter time (UTC+1) after it.
    assert [s.starts_at.astimezone(datetime.UTC).hour for s in stored] == [16, 16, 17, 17]


@pytest.mark.django_db
def test_a_weekly_series_stays_at_18h_across_the_march_2027_change(
    group_offer, mentor, coordinator, monkeypatch
):
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2027, 3, 1, 8, 0, tzinfo=datetime.UTC)
    )
    group_offer.programme.end_date = None
    group_offer.programme.save()
    first = datetime.datetime(2027, 3, 18, 18, 0, tzinfo=PARIS)

    sessions = services.group_session_create_series(
        offer=group_offer,
        organiser=mentor,
        first_starts_at=first,
        first_ends_at=first + datetime.timedelta(hours=2),
        weeks=3,
        channel=Channel.IN_PERSON,
        acting_user=coordinator,
    )

    assert {paris_wall_clock(s) for s in sessions} == {(18, 0)}
    assert [s.starts_at.astimezone(datetime.UTC).hour for s in sessions] == [17, 17, 16]


@pytest.mark.django_db
def test_a_series_is_all_or_nothing(group_offer, mentor, coordinator):
    with pytest.raises(ValidationError):
        services.group_session_create_series(
            offer=group_offer,
            organiser=mentor,
            first_starts_at=in_days(3),
            first_ends_at=in_days(3) + datetime.timedelta(hours=1),
            weeks=0,
            channel=Channel.IN_PERSON,
            acting_user=coordinator,
        )

    assert not GroupSession.objects.exists()


# Registration


@pytest.mark.django_db
def test_seats_then_waitlist(future_session, coordinator):
    future_session.capacity = 2
    future_session.save()
    people = enrolled_people(future_session.offer, 4)

    registrations = register(future_session, people, coordinator)

    assert [r.status for r in registrations] == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]
    assert [services.waitlist_position(r) for r in registrations] == [None, None, 1, 2]


@pytest.mark.django_db
def test_a_beneficiary_enrolled_in_the_offer_registers_themselves(future_session, beneficiary):
    registration = services.registration_create(
        session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
    )

    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.booked_by == beneficiary.user


@pytest.mark.django_db
def test_registration_sends_a_confirmation(
    future_session, beneficiary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(
            session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
        )

    assert [message.to for message in mail.outbox] == [[beneficiary.email]]


@pytest.mark.django_db
def test_a_beneficiary_not_enrolled_in_the_offer_cannot_register(future_session, organization):
    outsider = BeneficiaryFactory(organization=organization, user=MembershipFactory().user)

    with pytest.raises(PermissionDenied):
        services.registration_create(
            session=future_session, beneficiary=outsider, acting_user=outsider.user
        )


@pytest.mark.django_db
def test_anyone_with_the_link_registers_when_the_offer_says_so(future_session, organization):
    future_session.offer.booking_audience = BookingAudience.LINK
    future_session.offer.save()
    outsider = BeneficiaryFactory(organization=organization, user=MembershipFactory().user)

    registration = services.registration_create(
        session=future_session, beneficiary=outsider, acting_user=outsider.user
    )

    assert registration.status == RegistrationStatus.REGISTERED


@pytest.mark.django_db
def test_a_beneficiary_cannot_register_someone_else(future_session, beneficiary, other_beneficiary):
    with pytest.raises(PermissionDenied):
        services.registration_create(
            session=future_session, beneficiary=other_beneficiary, acting_user=beneficiary.user
        )


@pytest.mark.django_db
def test_a_mentor_registers_the_people_they_follow_only(
    future_session, other_mentor, beneficiary, other_beneficiary
):
    registration = services.registration_create(
        session=future_session, beneficiary=other_beneficiary, acting_user=other_mentor
    )
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.booked_by == other_mentor

    # beneficiary A is followed by `mentor`, not by `other_mentor`
    with pytest.raises(PermissionDenied):
        services.registration_create(
            session=future_session, beneficiary=beneficiary, acting_user=other_mentor
        )


@pytest.mark.django_db
def test_a_phone_only_person_is_registered_on_their_behalf(future_session, coordinator):
    person = BeneficiaryFactory(
        organization=future_session.offer.programme.organization, email="", phone="0601020304"
    )
    EnrollmentFactory(beneficiary=person, offer=future_session.offer)

    registration = services.registration_create(
        session=future_session, beneficiary=person, acting_user=coordinator
    )

    assert registration.status == RegistrationStatus.REGISTERED


@pytest.mark.django_db
def test_registering_twice_is_refused(future_session, beneficiary):
    services.registration_create(
        session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
    )

    with pytest.raises(ValidationError):
        services.registration_create(
            session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
        )
    assert Registration.objects.filter(beneficiary=beneficiary).count() == 1


@pytest.mark.django_db
def test_registering_again_after_cancelling_is_allowed(future_session, beneficiary):
    first = services.registration_create(
        session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
    )
    services.registration_cancel(registration=first, acting_user=beneficiary.user)

    again = services.registration_create(
        session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
    )

    assert again.status == RegistrationStatus.REGISTERED


@pytest.mark.django_db
def test_no_registration_to_a_cancelled_or_past_session(future_session, beneficiary, coordinator):
    past = GroupSessionFactory(
        offer=future_session.offer,
        organiser=future_session.organiser,
        starts_at=in_days(-2),
        ends_at=in_days(-2) + datetime.timedelta(hours=2),
    )
    with pytest.raises(ValidationError):
        services.registration_create(
            session=past, beneficiary=beneficiary, acting_user=beneficiary.user
        )

    services.group_session_cancel(session=future_session, acting_user=coordinator, reason="Grève")
    with pytest.raises(ValidationError):
        services.registration_create(
            session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
        )


# Cancelling a registration, promoting the waitlist


@pytest.mark.django_db
def test_a_freed_seat_goes_to_the_first_person_waiting(
    future_session, coordinator, django_capture_on_commit_callbacks
):
    future_session.capacity = 1
    future_session.save()
    first, second, third = register(
        future_session, enrolled_people(future_session.offer, 3), coordinator
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first, acting_user=coordinator)

    second.refresh_from_db()
    third.refresh_from_db()
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert first.cancelled_at is not None
    assert second.status == RegistrationStatus.REGISTERED
    assert second.promoted_at is not None
    assert third.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(third) == 1
    assert [message.to for message in mail.outbox] == [[second.beneficiary.email]]


@pytest.mark.django_db
def test_the_waitlist_order_is_registration_time_then_id(future_session, coordinator):
    future_session.capacity = 1
    future_session.save()
    seat = RegistrationFactory(session=future_session)
    people = enrolled_people(future_session.offer, 3)
    same_time = timezone.now()
    waiting = [
        RegistrationFactory(
            session=future_session, beneficiary=p, status=RegistrationStatus.WAITLISTED
        )
        for p in people
    ]
    # The last one registered earliest; the two others at the same instant (pk decides).
    Registration.objects.filter(pk=waiting[2].pk).update(
        registered_at=same_time - datetime.timedelta(minutes=5)
    )
    Registration.objects.filter(pk__in=[waiting[0].pk, waiting[1].pk]).update(
        registered_at=same_time
    )

    services.registration_cancel(registration=seat, acting_user=coordinator)

    statuses = dict(
        Registration.objects.filter(pk__in=[w.pk for w in waiting]).values_list("pk", "status")
    )
    assert statuses == {
        waiting[2].pk: RegistrationStatus.REGISTERED,
        waiting[0].pk: RegistrationStatus.WAITLISTED,
        waiting[1].pk: RegistrationStatus.WAITLISTED,
    }


@pytest.mark.django_db
def test_leaving_the_waitlist_promotes_nobody(future_session, coordinator):
    future_session.capacity = 1
    future_session.save()
    _seat, first_waiting, second_waiting = register(
        future_session, enrolled_people(future_session.offer, 3), coordinator
    )

    services.registration_cancel(registration=first_waiting, acting_user=coordinator)

    second_waiting.refresh_from_db()
    assert second_waiting.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(second_waiting) == 1
    assert services.seats_taken(future_session) == 1


@pytest.mark.django_db
def test_a_beneficiary_cancels_until_the_offer_deadline_only(future_session, beneficiary, mentor):
    future_session.offer.cancel_until_hours = 48
    future_session.offer.save()
    soon = GroupSessionFactory(
        offer=future_session.offer,
        organiser=mentor,
        starts_at=timezone.now() + datetime.timedelta(hours=24),
        ends_at=timezone.now() + datetime.timedelta(hours=26),
    )
    late = services.registration_create(
        session=soon, beneficiary=beneficiary, acting_user=beneficiary.user
    )
    in_time = services.registration_create(
        session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
    )

    with pytest.raises(ValidationError):
        services.registration_cancel(registration=late, acting_user=beneficiary.user)
    services.registration_cancel(registration=in_time, acting_user=beneficiary.user)
    # The organiser still can.
    services.registration_cancel(registration=late, acting_user=mentor)

    late.refresh_from_db()
    in_time.refresh_from_db()
    assert late.status == in_time.status == RegistrationStatus.CANCELLED


@pytest.mark.django_db
def test_nobody_else_cancels_a_beneficiary_registration(
    future_session, beneficiary, other_beneficiary, other_organization_coordinator
):
    registration = services.registration_create(
        session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
    )

    for user in (other_beneficiary.user, other_organization_coordinator):
        with pytest.raises(PermissionDenied):
            services.registration_cancel(registration=registration, acting_user=user)


# Capacity changes


def update(session, acting_user, **changes):
    fields = {
        "organiser": session.organiser,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
        "title": session.title,
        "channel": session.channel,
        "location": session.location,
    }
    fields.update(changes)
    return services.group_session_update(session=session, acting_user=acting_user, **fields)


@pytest.mark.django_db
def test_capacity_cannot_drop_below_the_people_registered(future_session, coordinator):
    register(future_session, enrolled_people(future_session.offer, 3), coordinator)

    with pytest.raises(ValidationError) as error:
        update(future_session, coordinator, capacity=2)

    assert "capacity" in error.value.error_dict
    future_session.refresh_from_db()
    assert future_session.capacity == 5
    assert update(future_session, coordinator, capacity=3).capacity == 3


@pytest.mark.django_db
def test_raising_the_capacity_promotes_the_waitlist_in_order(
    future_session, mentor, django_capture_on_commit_callbacks
):
    future_session.capacity = 1
    future_session.save()
    people = enrolled_people(future_session.offer, 4, mentor=mentor)
    registrations = register(future_session, people, mentor)

    with django_capture_on_commit_callbacks(execute=True):
        update(future_session, mentor, capacity=3)

    statuses = [Registration.objects.get(pk=r.pk).status for r in registrations]
    assert statuses == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        r.beneficiary.email for r in registrations[1:3]
    )


@pytest.mark.django_db
def test_moving_a_session_increments_its_sequence(future_session, mentor):
    later = future_session.starts_at + datetime.timedelta(days=1)

    moved = update(
        future_session, mentor, starts_at=later, ends_at=later + datetime.timedelta(hours=2)
    )

    assert moved.sequence == 1
    assert update(moved, mentor, title="Nouveau titre").sequence == 1


# Cancelling a session


@pytest.mark.django_db
def test_cancelling_a_session_informs_every_registrant(
    future_session, coordinator, django_capture_on_commit_callbacks
):
    future_session.capacity = 2
    future_session.save()
    registrations = register(future_session, enrolled_people(future_session.offer, 3), coordinator)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.group_session_cancel(
            session=future_session, acting_user=coordinator, reason="Intervenante malade"
        )

    assert cancelled.status == GroupSessionStatus.CANCELLED
    assert cancelled.cancel_reason == "Intervenante malade"
    assert cancelled.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        r.beneficiary.email for r in registrations
    )


@pytest.mark.django_db
def test_cancelling_a_session_needs_a_reason_and_the_right_person(
    future_session, coordinator, beneficiary, other_organization_coordinator
):
    with pytest.raises(ValidationError):
        services.group_session_cancel(session=future_session, acting_user=coordinator, reason=" ")
    for user in (beneficiary.user, other_organization_coordinator):
        with pytest.raises(PermissionDenied):
            services.group_session_cancel(session=future_session, acting_user=user, reason="Non")
    future_session.refresh_from_db()
    assert future_session.status == GroupSessionStatus.SCHEDULED


# Attendance


@pytest.mark.django_db
def test_attendance_is_recorded_after_the_start_only(future_session, mentor, beneficiary):
    registration = services.registration_create(
        session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
    )
    with pytest.raises(ValidationError):
        services.registration_set_status(
            registration=registration, status=RegistrationStatus.ATTENDED, acting_user=mentor
        )

    GroupSession.objects.filter(pk=future_session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    registration.session.refresh_from_db()
    services.registration_set_status(
        registration=registration, status=RegistrationStatus.NO_SHOW, acting_user=mentor
    )

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NO_SHOW
    with pytest.raises(PermissionDenied):
        services.registration_set_status(
            registration=registration,
            status=RegistrationStatus.ATTENDED,
            acting_user=beneficiary.user,
        )


# Concurrency, on PostgreSQL: the session row lock is the capacity guard.


def run_at_once(jobs):
    """Run each callable in its own thread and connection, released together."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_people_register_at_once_and_capacity_holds(programme, mentor, coordinator):
    offer = OfferFactory(programme=programme, group=True)
    offer.mentors.add(mentor)
    starts_at = in_days(5)
    session = GroupSessionFactory(
        offer=offer,
        organiser=mentor,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        capacity=5,
    )
    people = enrolled_people(offer, 20)

    def job(person):
        return lambda: services.registration_create(
            session=session, beneficiary=person, acting_user=coordinator
        )

    errors = run_at_once([job(person) for person in people])

    assert errors == []
    statuses = list(Registration.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == 5
    assert statuses.count(RegistrationStatus.WAITLISTED) == 15
    assert len(statuses) == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_three_cancellations_at_once_promote_three_in_order(programme, mentor, coordinator):
    offer = OfferFactory(programme=programme, group=True)
    offer.mentors.add(mentor)
    starts_at = in_days(5)
    session = GroupSessionFactory(
        offer=offer,
        organiser=mentor,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        capacity=5,
    )
    registrations = register(session, enrolled_people(offer, 10), coordinator)
    seats, waiting = registrations[:5], registrations[5:]
    assert {r.status for r in seats} == {RegistrationStatus.REGISTERED}
    assert {r.status for r in waiting} == {RegistrationStatus.WAITLISTED}

    def job(registration):
        return lambda: services.registration_cancel(
            registration=registration, acting_user=coordinator
        )

    errors = run_at_once([job(r) for r in seats[:3]])

    assert errors == []
    status = dict(Registration.objects.filter(session=session).values_list("pk", "status"))
    assert [status[r.pk] for r in waiting] == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]
    assert list(status.values()).count(RegistrationStatus.REGISTERED) == 5
    assert list(status.values()).count(RegistrationStatus.CANCELLED) == 3

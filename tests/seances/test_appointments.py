"""The appointment services: every booking rule, cancel, reschedule, outcome."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from programmes.enums import BookingAudience, ProgrammeStatus
from seances.enums import ActorRole, AppointmentStatus, Channel
from seances.models import Appointment
from seances.services import appointments as services
from seances.services.appointments import (
    SLOT_TAKEN,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    appointment_set_status,
)
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    MembershipFactory,
    OfferFactory,
    UserFactory,
)
from tests.seances.conftest import PARIS, AppointmentFactory

TUESDAY = datetime.date(2026, 10, 6)
NOW = datetime.datetime(2026, 9, 28, 8, 0, tzinfo=PARIS)


def paris(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


SLOT = paris(TUESDAY, 9)


@pytest.fixture
def enrolled(beneficiary, individual_offer, mentor):
    """Beneficiary A, enrolled in the individual offer with `mentor` as referent."""
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=mentor)
    return beneficiary


@pytest.fixture
def sent(monkeypatch):
    """The calls to the email functions, by name."""
    calls = []
    for name in (
        "send_appointment_booked",
        "send_appointment_rescheduled",
        "send_appointment_cancelled",
    ):
        monkeypatch.setattr(
            services.emails, name, lambda a, name=name: calls.append((name, a.pk, a.sequence))
        )
    return calls


def book(beneficiary, offer, mentor, starts_at=SLOT, now=NOW, **kwargs):
    kwargs.setdefault("acting_user", beneficiary.user)
    return appointment_book(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=starts_at,
        reason=kwargs.pop("reason", "Monter le budget du projet"),
        now=now,
        **kwargs,
    )


def code_of(excinfo) -> str:
    return excinfo.value.error_list[0].code


# --- Booking -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_beneficiary_books_a_free_slot(enrolled, individual_offer, mentor, availability, sent):
    appointment = book(enrolled, individual_offer, mentor)

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.starts_at == SLOT
    assert appointment.ends_at == paris(TUESDAY, 10)
    assert appointment.channel == availability.channel
    assert appointment.location == availability.location
    assert appointment.booked_by == enrolled.user
    assert appointment.booked_on_behalf is False
    assert appointment.reason == "Monter le budget du projet"
    assert appointment.sequence == 0
    assert sent == [("send_appointment_booked", appointment.pk, 0)]


@pytest.mark.django_db
def test_booking_sends_the_confirmation_email_after_commit(
    enrolled, individual_offer, mentor, availability, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(enrolled, individual_offer, mentor)

    recipients = {r for m in mail.outbox for r in m.to}
    assert enrolled.email in recipients


@pytest.mark.django_db
def test_nobody_books_for_someone_else_without_acting_on_their_behalf(
    enrolled, individual_offer, mentor, availability, other_beneficiary
):
    with pytest.raises(PermissionDenied):
        book(enrolled, individual_offer, mentor, acting_user=other_beneficiary.user)
    with pytest.raises(PermissionDenied):
        book(enrolled, individual_offer, mentor, acting_user=mentor)
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_enrolled_audience_refuses_a_beneficiary_not_enrolled_in_the_offer(
    beneficiary, individual_offer, mentor, availability
):
    # `beneficiary` is enrolled in the programme's other offer, not in this one.
    with pytest.raises(ValidationError) as excinfo:
        book(beneficiary, individual_offer, mentor)
    assert code_of(excinfo) == "not_enrolled"


@pytest.mark.django_db
def test_withdrawn_enrollment_no_longer_allows_booking(
    beneficiary, individual_offer, mentor, availability
):
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, status="withdrawn")
    with pytest.raises(ValidationError) as excinfo:
        book(beneficiary, individual_offer, mentor)
    assert code_of(excinfo) == "not_enrolled"


@pytest.mark.django_db
def test_link_audience_lets_any_beneficiary_book(
    beneficiary, individual_offer, mentor, availability
):
    individual_offer.booking_audience = BookingAudience.LINK
    individual_offer.save()

    appointment = book(beneficiary, individual_offer, mentor)

    assert appointment.beneficiary == beneficiary


@pytest.mark.django_db
def test_referent_mentor_books_on_behalf(enrolled, individual_offer, mentor, availability):
    appointment = book(enrolled, individual_offer, mentor, acting_user=mentor, on_behalf=True)

    assert appointment.booked_on_behalf is True
    assert appointment.booked_by == mentor


@pytest.mark.django_db
def test_offer_mentor_books_on_behalf_of_an_enrolled_beneficiary(
    individual_offer, mentor, other_mentor, availability, organization
):
    individual_offer.mentors.add(other_mentor)
    phone_only = BeneficiaryFactory(organization=organization, email="", phone="0612345678")
    EnrollmentFactory(beneficiary=phone_only, offer=individual_offer, referent_mentor=mentor)

    appointment = book(
        phone_only, individual_offer, mentor, acting_user=other_mentor, on_behalf=True
    )

    assert appointment.booked_by == other_mentor


@pytest.mark.django_db
def test_coordinator_of_the_organisation_books_on_behalf(
    enrolled, individual_offer, mentor, availability, coordinator
):
    appointment = book(enrolled, individual_offer, mentor, acting_user=coordinator, on_behalf=True)

    assert appointment.booked_by == coordinator


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_mentor", "other_organization_coordinator"])
def test_unrelated_staff_may_not_book_on_behalf(
    request, enrolled, individual_offer, mentor, availability, persona
):
    with pytest.raises(PermissionDenied):
        book(
            enrolled,
            individual_offer,
            mentor,
            acting_user=request.getfixturevalue(persona),
            on_behalf=True,
        )


@pytest.mark.django_db
def test_beneficiary_may_not_book_on_behalf_of_another(
    enrolled, individual_offer, mentor, availability, other_beneficiary
):
    with pytest.raises(PermissionDenied):
        book(
            enrolled,
            individual_offer,
            mentor,
            acting_user=other_beneficiary.user,
            on_behalf=True,
        )


@pytest.mark.django_db
def test_a_time_that_is_not_a_slot_is_refused(enrolled, individual_offer, mentor, availability):
    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor, starts_at=paris(TUESDAY, 9, 30))
    assert code_of(excinfo) == "not_available"
    with pytest.raises(ValidationError) as excinfo:
        book(
            enrolled, individual_offer, mentor, starts_at=paris(TUESDAY + datetime.timedelta(1), 9)
        )
    assert code_of(excinfo) == "not_available"


@pytest.mark.django_db
def test_naive_time_is_refused(enrolled, individual_offer, mentor, availability):
    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor, starts_at=datetime.datetime(2026, 10, 6, 9))
    assert code_of(excinfo) == "invalid_slot"


@pytest.mark.django_db
def test_minimum_notice_is_enforced(enrolled, individual_offer, mentor, availability):
    individual_offer.min_notice_hours = 24
    individual_offer.save()
    monday_ten = paris(TUESDAY - datetime.timedelta(days=1), 10)

    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor, starts_at=paris(TUESDAY, 9), now=monday_ten)
    assert code_of(excinfo) == "too_soon"
    assert book(enrolled, individual_offer, mentor, starts_at=paris(TUESDAY, 10), now=monday_ten)


@pytest.mark.django_db
def test_horizon_is_enforced(enrolled, individual_offer, mentor, availability):
    individual_offer.horizon_days = 7
    individual_offer.save()

    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor)  # 8 days after NOW
    assert code_of(excinfo) == "too_far"
    assert book(enrolled, individual_offer, mentor, now=NOW + datetime.timedelta(days=2))


@pytest.mark.django_db
def test_max_active_bookings_counts_upcoming_booked_appointments_of_the_offer(
    enrolled, individual_offer, mentor, availability, programme
):
    individual_offer.max_active_bookings = 1
    individual_offer.save()
    # Neither a past, a cancelled, nor another offer's appointment counts.
    AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        beneficiary=enrolled,
        starts_at=NOW - datetime.timedelta(days=7),
        ends_at=NOW - datetime.timedelta(days=7) + datetime.timedelta(hours=1),
        status=AppointmentStatus.ATTENDED,
    )
    AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        beneficiary=enrolled,
        starts_at=paris(TUESDAY, 11),
        ends_at=paris(TUESDAY, 12),
        status=AppointmentStatus.CANCELLED,
    )
    AppointmentFactory(
        offer=OfferFactory(programme=programme),
        mentor=UserFactory(),
        beneficiary=enrolled,
        starts_at=paris(TUESDAY, 14),
        ends_at=paris(TUESDAY, 15),
    )
    book(enrolled, individual_offer, mentor)

    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor, starts_at=paris(TUESDAY, 10))
    assert code_of(excinfo) == "max_bookings"


@pytest.mark.django_db
def test_max_active_bookings_applies_on_behalf_too(
    enrolled, individual_offer, mentor, availability
):
    individual_offer.max_active_bookings = 1
    individual_offer.save()
    book(enrolled, individual_offer, mentor)

    with pytest.raises(ValidationError) as excinfo:
        book(
            enrolled,
            individual_offer,
            mentor,
            starts_at=paris(TUESDAY, 10),
            acting_user=mentor,
            on_behalf=True,
        )
    assert code_of(excinfo) == "max_bookings"


@pytest.mark.django_db
def test_a_taken_slot_answers_the_slot_taken_message(
    enrolled, individual_offer, mentor, availability, organization
):
    AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        beneficiary=BeneficiaryFactory(organization=organization),
        starts_at=SLOT,
        ends_at=paris(TUESDAY, 10),
    )

    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor)

    assert excinfo.value.messages == [str(SLOT_TAKEN)]
    assert code_of(excinfo) == "slot_taken"
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_an_appointment_of_another_offer_takes_the_mentor_time(
    enrolled, individual_offer, mentor, availability, programme
):
    AppointmentFactory(
        offer=OfferFactory(programme=programme),
        mentor=mentor,
        starts_at=paris(TUESDAY, 9, 30),
        ends_at=paris(TUESDAY, 10, 30),
    )

    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor)
    assert excinfo.value.messages == [str(SLOT_TAKEN)]


@pytest.mark.django_db
def test_the_buffer_after_an_appointment_is_not_bookable(
    enrolled, individual_offer, mentor, availability
):
    availability.buffer_minutes = 15
    availability.save()
    AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        starts_at=paris(TUESDAY, 8, 0),
        ends_at=paris(TUESDAY, 8, 50),
    )

    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor)
    assert code_of(excinfo) == "not_available"


@pytest.mark.django_db
def test_closed_programme_group_offer_and_foreign_mentor_are_refused(
    enrolled, individual_offer, mentor, other_mentor, availability, programme
):
    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, other_mentor)
    assert code_of(excinfo) == "not_a_mentor"

    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    individual_offer.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor)
    assert code_of(excinfo) == "closed"

    programme.status = ProgrammeStatus.OPEN
    programme.save()
    workshop = OfferFactory(programme=programme, group=True)
    workshop.mentors.add(mentor)
    EnrollmentFactory(beneficiary=enrolled, offer=workshop)
    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, workshop, mentor)
    assert code_of(excinfo) == "not_individual"


@pytest.mark.django_db
def test_the_slot_channel_and_place_come_from_the_availability(
    enrolled, individual_offer, mentor, availability
):
    availability.channel = Channel.VIDEO
    availability.location = "https://visio.example.org/salle"
    availability.save()

    appointment = book(enrolled, individual_offer, mentor)

    assert (appointment.channel, appointment.location) == (Channel.VIDEO, availability.location)


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_database_constraint_is_turned_into_the_slot_taken_message(
    enrolled, individual_offer, mentor, availability, organization, monkeypatch
):
    """When two connections race, the service's own check sees nothing: PostgreSQL's
    exclusion constraint refuses the insert, and the answer is still the clear message."""
    AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        beneficiary=BeneficiaryFactory(organization=organization),
        starts_at=SLOT,
        ends_at=paris(TUESDAY, 10),
    )
    slot = services.Slot(SLOT, paris(TUESDAY, 10), mentor, Channel.IN_PERSON, "")
    monkeypatch.setattr(services, "_checked_slot", lambda **kwargs: slot)
    monkeypatch.setattr(services, "_overlapping", lambda *args: Appointment.objects.none())

    with pytest.raises(ValidationError) as excinfo:
        book(enrolled, individual_offer, mentor)

    assert excinfo.value.messages == [str(SLOT_TAKEN)]
    # The transaction is still usable: the refusal was caught in a savepoint.
    assert Appointment.objects.count() == 1


# --- Cancelling ----------------------------------------------------------------------------


@pytest.fixture
def booked(enrolled, individual_offer, mentor, availability):
    return book(enrolled, individual_offer, mentor)


@pytest.mark.django_db
def test_beneficiary_cancels_within_the_window(booked, enrolled, sent):
    appointment = appointment_cancel(
        appointment=booked, acting_user=enrolled.user, reason="Empêchement", now=NOW
    )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by == enrolled.user
    assert appointment.cancelled_by_role == ActorRole.BENEFICIARY
    assert appointment.cancel_reason == "Empêchement"
    assert appointment.cancelled_at == NOW
    assert appointment.sequence == 1
    assert sent[-1] == ("send_appointment_cancelled", appointment.pk, 1)


@pytest.mark.django_db
def test_a_cancelled_appointment_frees_the_slot(booked, enrolled, other_beneficiary, mentor):
    appointment_cancel(appointment=booked, acting_user=enrolled.user, now=NOW)
    EnrollmentFactory(beneficiary=other_beneficiary, offer=booked.offer)

    again = book(other_beneficiary, booked.offer, mentor)

    assert again.starts_at == booked.starts_at


@pytest.mark.django_db
def test_beneficiary_may_not_cancel_after_the_window(booked, enrolled):
    late = booked.starts_at - datetime.timedelta(hours=booked.offer.cancel_until_hours - 1)

    with pytest.raises(ValidationError) as excinfo:
        appointment_cancel(appointment=booked, acting_user=enrolled.user, now=late)

    assert code_of(excinfo) == "cancel_window_passed"
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED


@pytest.mark.django_db
def test_beneficiary_may_not_cancel_when_the_offer_forbids_it(booked, enrolled):
    booked.offer.cancel_allowed = False
    booked.offer.save()

    with pytest.raises(ValidationError) as excinfo:
        appointment_cancel(appointment=booked, acting_user=enrolled.user, now=NOW)
    assert code_of(excinfo) == "cancel_not_allowed"


@pytest.mark.django_db
def test_mentor_cancels_at_any_time_with_a_reason(booked, mentor):
    late = booked.starts_at - datetime.timedelta(minutes=30)

    with pytest.raises(ValidationError) as excinfo:
        appointment_cancel(appointment=booked, acting_user=mentor, now=late)
    assert code_of(excinfo) == "reason_required"

    appointment = appointment_cancel(
        appointment=booked, acting_user=mentor, reason="Malade", now=late
    )
    assert appointment.cancelled_by_role == ActorRole.MENTOR
    assert appointment.cancelled_by == mentor


@pytest.mark.django_db
def test_coordinator_cancels_as_coordinator(booked, coordinator):
    appointment = appointment_cancel(
        appointment=booked, acting_user=coordinator, reason="Fermeture des locaux", now=NOW
    )
    assert appointment.cancelled_by_role == ActorRole.COORDINATOR


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["other_beneficiary", "other_mentor", "other_organization_coordinator"]
)
def test_unrelated_people_may_not_cancel(request, booked, persona):
    value = request.getfixturevalue(persona)
    user = getattr(value, "user", value)
    with pytest.raises(PermissionDenied):
        appointment_cancel(appointment=booked, acting_user=user, reason="x", now=NOW)


@pytest.mark.django_db
def test_the_signed_link_acts_as_the_beneficiary_within_the_window(booked):
    late = booked.starts_at - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        appointment_cancel(appointment=booked, acting_user=None, signed_link=True, now=late)
    assert code_of(excinfo) == "cancel_window_passed"

    appointment = appointment_cancel(
        appointment=booked, acting_user=None, signed_link=True, now=NOW
    )
    assert appointment.cancelled_by_role == ActorRole.BENEFICIARY
    assert appointment.cancelled_by is None


@pytest.mark.django_db
def test_a_cancelled_appointment_cannot_be_cancelled_again(booked, enrolled, mentor):
    appointment_cancel(appointment=booked, acting_user=enrolled.user, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        appointment_cancel(appointment=booked, acting_user=mentor, reason="x", now=NOW)
    assert code_of(excinfo) == "not_booked"


# --- Rescheduling --------------------------------------------------------------------------


@pytest.mark.django_db
def test_beneficiary_reschedules_in_place(booked, enrolled, sent):
    new_start = paris(TUESDAY + datetime.timedelta(days=7), 11)

    appointment = appointment_reschedule(
        appointment=booked, starts_at=new_start, acting_user=enrolled.user, now=NOW
    )

    appointment.refresh_from_db()
    assert appointment.pk == booked.pk
    assert appointment.public_id == booked.public_id
    assert appointment.starts_at == new_start
    assert appointment.ends_at == new_start + datetime.timedelta(hours=1)
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.sequence == 1
    assert Appointment.objects.count() == 1
    assert sent[-1] == ("send_appointment_rescheduled", appointment.pk, 1)


@pytest.mark.django_db
def test_rescheduling_may_overlap_the_appointment_own_time(
    enrolled, individual_offer, mentor, availability
):
    individual_offer.duration_minutes = 90
    individual_offer.save()
    availability.end_time = datetime.time(13, 0)
    availability.save()
    appointment = book(enrolled, individual_offer, mentor)  # 09:00–10:30; next slot 10:30

    moved = appointment_reschedule(
        appointment=appointment,
        starts_at=paris(TUESDAY, 10, 30),
        acting_user=enrolled.user,
        now=NOW,
    )
    assert moved.starts_at == paris(TUESDAY, 10, 30)


@pytest.mark.django_db
def test_rescheduling_onto_a_taken_slot_is_refused(booked, enrolled, mentor, organization):
    other = BeneficiaryFactory(organization=organization)
    AppointmentFactory(
        offer=booked.offer,
        mentor=mentor,
        beneficiary=other,
        starts_at=paris(TUESDAY, 11),
        ends_at=paris(TUESDAY, 12),
    )

    with pytest.raises(ValidationError) as excinfo:
        appointment_reschedule(
            appointment=booked, starts_at=paris(TUESDAY, 11), acting_user=enrolled.user, now=NOW
        )

    assert excinfo.value.messages == [str(SLOT_TAKEN)]
    booked.refresh_from_db()
    assert (booked.starts_at, booked.sequence) == (SLOT, 0)


@pytest.mark.django_db
def test_beneficiary_may_not_reschedule_after_the_window(booked, enrolled):
    late = booked.starts_at - datetime.timedelta(hours=booked.offer.reschedule_until_hours - 1)
    with pytest.raises(ValidationError) as excinfo:
        appointment_reschedule(
            appointment=booked, starts_at=paris(TUESDAY, 11), acting_user=enrolled.user, now=late
        )
    assert code_of(excinfo) == "reschedule_window_passed"


@pytest.mark.django_db
def test_beneficiary_may_not_reschedule_when_the_offer_forbids_it(booked, enrolled):
    booked.offer.reschedule_allowed = False
    booked.offer.save()
    with pytest.raises(ValidationError) as excinfo:
        appointment_reschedule(
            appointment=booked, starts_at=paris(TUESDAY, 11), acting_user=enrolled.user, now=NOW
        )
    assert code_of(excinfo) == "reschedule_not_allowed"


@pytest.mark.django_db
def test_mentor_reschedules_after_the_beneficiary_window(booked, mentor):
    booked.offer.min_notice_hours = 1
    booked.offer.save()
    late = booked.starts_at - datetime.timedelta(hours=10)

    moved = appointment_reschedule(
        appointment=booked, starts_at=paris(TUESDAY, 11), acting_user=mentor, now=late
    )
    assert moved.starts_at == paris(TUESDAY, 11)


@pytest.mark.django_db
def test_reschedule_still_follows_notice_and_horizon(booked, enrolled):
    with pytest.raises(ValidationError) as excinfo:
        appointment_reschedule(
            appointment=booked,
            starts_at=paris(TUESDAY + datetime.timedelta(days=70), 9),
            acting_user=enrolled.user,
            now=NOW,
        )
    assert code_of(excinfo) == "too_far"


@pytest.mark.django_db
def test_unrelated_people_may_not_reschedule(booked, other_beneficiary, other_mentor):
    for user in (other_beneficiary.user, other_mentor):
        with pytest.raises(PermissionDenied):
            appointment_reschedule(
                appointment=booked, starts_at=paris(TUESDAY, 11), acting_user=user, now=NOW
            )


# --- Outcome -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_mentor_records_the_outcome_once_started(booked, mentor):
    with pytest.raises(ValidationError) as excinfo:
        appointment_set_status(
            appointment=booked, status=AppointmentStatus.ATTENDED, acting_user=mentor, now=NOW
        )
    assert code_of(excinfo) == "not_started"

    after = booked.starts_at + datetime.timedelta(minutes=5)
    appointment = appointment_set_status(
        appointment=booked, status=AppointmentStatus.NO_SHOW, acting_user=mentor, now=after
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW


@pytest.mark.django_db
def test_coordinator_records_the_outcome(booked, coordinator):
    after = booked.ends_at
    appointment = appointment_set_status(
        appointment=booked, status=AppointmentStatus.EXCUSED, acting_user=coordinator, now=after
    )
    assert appointment.status == AppointmentStatus.EXCUSED


@pytest.mark.django_db
def test_only_the_mentor_or_a_coordinator_records_the_outcome(
    booked, enrolled, other_mentor, other_organization_coordinator
):
    after = booked.ends_at
    for user in (enrolled.user, other_mentor, other_organization_coordinator):
        with pytest.raises(PermissionDenied):
            appointment_set_status(
                appointment=booked,
                status=AppointmentStatus.ATTENDED,
                acting_user=user,
                now=after,
            )


@pytest.mark.django_db
def test_outcome_must_be_an_outcome_and_not_on_a_cancelled_appointment(booked, mentor, enrolled):
    after = booked.ends_at
    with pytest.raises(ValidationError) as excinfo:
        appointment_set_status(
            appointment=booked, status=AppointmentStatus.CANCELLED, acting_user=mentor, now=after
        )
    assert code_of(excinfo) == "invalid_status"

    appointment_cancel(appointment=booked, acting_user=enrolled.user, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        appointment_set_status(
            appointment=booked, status=AppointmentStatus.ATTENDED, acting_user=mentor, now=after
        )
    assert code_of(excinfo) == "cancelled"


@pytest.mark.django_db
def test_a_mentor_of_the_organisation_is_not_a_coordinator(booked):
    someone = MembershipFactory(organization=booked.offer.programme.organization).user
    with pytest.raises(PermissionDenied):
        appointment_cancel(appointment=booked, acting_user=someone, reason="x", now=NOW)

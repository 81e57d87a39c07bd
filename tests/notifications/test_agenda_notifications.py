"""The agenda in the outbox: confirmations by text message, reminders before appointments and
group sessions, moved or cancelled with the event, sent once by the scan."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from notifications.enums import Channel, NotificationKind, NotificationStatus
from notifications.models import Notification
from programmes.forms import OfferForm
from programmes.services import offer_update
from seances import emails
from seances.enums import ActorRole, AppointmentStatus, RegistrationStatus
from seances.services import appointments as appointment_services
from seances.services import groups as group_services
from tests.factories import BeneficiaryFactory, OfferFactory
from tests.programmes.test_forms import offer_data
from tests.seances.conftest import AppointmentFactory, RegistrationFactory
from tests.seances.test_group_fixtures import enrolled_people

pytest_plugins = ["tests.seances.test_group_fixtures"]
pytestmark = pytest.mark.django_db

REMINDER = NotificationKind.APPOINTMENT_REMINDER


def in_hours(hours: float) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(hours=hours)).replace(second=0, microsecond=0)


@pytest.fixture
def upcoming(offer, mentor, beneficiary):
    """An appointment five days from now."""
    starts_at = in_hours(5 * 24)
    return AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
    )


def rows(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def pending_times(kind, address) -> list[datetime.datetime]:
    return sorted(
        rows(kind, to_address=address, status=NotificationStatus.PENDING).values_list(
            "scheduled_for", flat=True
        )
    )


def test_booking_plans_reminders_for_both_people_at_the_offer_delays(
    upcoming, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(upcoming)

    expected = [
        upcoming.starts_at - datetime.timedelta(hours=48),
        upcoming.starts_at - datetime.timedelta(hours=2),
    ]
    assert pending_times(REMINDER, upcoming.beneficiary.email) == expected
    assert pending_times(REMINDER, upcoming.mentor.email) == expected
    reminder = rows(REMINDER, to_address=upcoming.beneficiary.email).first()
    assert reminder.object_type == "seances.appointment"
    assert reminder.object_id == str(upcoming.pk)
    assert reminder.programme == upcoming.offer.programme
    assert upcoming.offer.programme.title in reminder.body_text
    # The confirmation itself left at once, with its calendar invitation.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [upcoming.beneficiary.email, upcoming.mentor.email]
    )


def test_the_offer_sets_the_reminder_delays(upcoming, django_capture_on_commit_callbacks):
    upcoming.offer.reminder_hours = [24]
    upcoming.offer.save()

    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(upcoming)

    assert pending_times(REMINDER, upcoming.mentor.email) == [
        upcoming.starts_at - datetime.timedelta(hours=24)
    ]


def test_a_reminder_time_already_past_is_skipped(
    offer, mentor, beneficiary, django_capture_on_commit_callbacks
):
    soon = in_hours(10)
    appointment = AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(appointment)

    assert pending_times(REMINDER, mentor.email) == [soon - datetime.timedelta(hours=2)]


def test_booking_twice_writes_the_reminders_once(upcoming, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(upcoming)
        emails.send_appointment_booked(upcoming)

    assert rows(REMINDER).count() == 4


def test_reschedule_cancels_the_old_reminders_and_plans_new_ones(
    upcoming, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(upcoming)
    old = set(rows(REMINDER).values_list("pk", flat=True))
    upcoming.starts_at += datetime.timedelta(days=2)
    upcoming.ends_at += datetime.timedelta(days=2)
    upcoming.sequence += 1
    upcoming.save()

    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_rescheduled(upcoming)

    assert set(Notification.objects.filter(pk__in=old).values_list("status", flat=True)) == {
        NotificationStatus.CANCELLED
    }
    assert pending_times(REMINDER, upcoming.beneficiary.email) == [
        upcoming.starts_at - datetime.timedelta(hours=48),
        upcoming.starts_at - datetime.timedelta(hours=2),
    ]


def test_moving_back_to_the_first_time_brings_its_reminders_back(
    upcoming, django_capture_on_commit_callbacks
):
    first = upcoming.starts_at
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(upcoming)
        for starts_at in (first + datetime.timedelta(days=1), first):
            upcoming.starts_at = starts_at
            upcoming.ends_at = starts_at + datetime.timedelta(hours=1)
            upcoming.save()
            emails.send_appointment_rescheduled(upcoming)

    assert pending_times(REMINDER, upcoming.mentor.email) == [
        first - datetime.timedelta(hours=48),
        first - datetime.timedelta(hours=2),
    ]


def test_cancellation_cancels_the_pending_reminders(
    upcoming, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(upcoming)

    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.appointment_cancel(
            appointment=upcoming, acting_user=mentor, reason="Je suis malade"
        )

    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.CANCELLED
    assert rows(REMINDER).count() == 4
    assert not rows(REMINDER, status=NotificationStatus.PENDING).exists()


def test_phone_only_beneficiary_gets_text_messages(
    offer, mentor, sms_outbox, django_capture_on_commit_callbacks
):
    phone_only = BeneficiaryFactory(
        organization=offer.programme.organization, email="", phone="06 12 34 56 78"
    )
    starts_at = in_hours(5 * 24)
    appointment = AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=phone_only,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(appointment)

    # The mentor's confirmation is an email row of the outbox too.
    [confirmation] = rows(NotificationKind.APPOINTMENT_CONFIRMED, channel=Channel.SMS)
    assert rows(NotificationKind.APPOINTMENT_CONFIRMED, channel=Channel.EMAIL).get().to_address == (
        mentor.email
    )
    assert confirmation.channel == Channel.SMS
    assert confirmation.to_address == "06 12 34 56 78"
    assert confirmation.status == NotificationStatus.SENT
    assert len(sms_outbox) == 1
    assert offer.programme.title in confirmation.body_text
    reminders = rows(REMINDER, to_address="06 12 34 56 78")
    assert {row.channel for row in reminders} == {Channel.SMS}
    assert reminders.count() == 2
    # No email for them; the mentor still gets theirs.
    assert [m.to for m in mail.outbox] == [[mentor.email]]

    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.cancelled_by_role = ActorRole.MENTOR
    appointment.save()
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_cancelled(appointment)

    [cancelled] = rows(NotificationKind.APPOINTMENT_CANCELLED, channel=Channel.SMS)
    assert cancelled.to_address == "06 12 34 56 78"
    assert len(sms_outbox) == 2


def test_a_due_reminder_is_sent_once_by_the_scan(upcoming, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_appointment_booked(upcoming)
    mail.outbox.clear()
    # The clock reaches the 48-hour reminder (moved to the past rather than moving time).
    first = upcoming.starts_at - datetime.timedelta(hours=48)
    rows(REMINDER, scheduled_for=first).update(
        scheduled_for=timezone.now() - datetime.timedelta(minutes=1)
    )

    call_command("send_due_notifications")
    call_command("send_due_notifications")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [upcoming.beneficiary.email, upcoming.mentor.email]
    )
    message = mail.outbox[0]
    assert upcoming.offer.programme.title in message.subject
    assert rows(REMINDER, status=NotificationStatus.SENT).count() == 2
    assert rows(REMINDER, status=NotificationStatus.PENDING).count() == 2


# Group sessions

GROUP_REMINDER = NotificationKind.GROUP_SESSION_REMINDER


def test_registration_plans_group_reminders_and_cancelling_drops_them(
    future_session, beneficiary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = group_services.registration_create(
            session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
        )

    assert pending_times(GROUP_REMINDER, beneficiary.email) == [
        future_session.starts_at - datetime.timedelta(hours=48),
        future_session.starts_at - datetime.timedelta(hours=2),
    ]
    assert rows(GROUP_REMINDER).first().object_id == str(registration.pk)

    with django_capture_on_commit_callbacks(execute=True):
        group_services.registration_cancel(registration=registration, acting_user=beneficiary.user)

    assert not rows(GROUP_REMINDER, status=NotificationStatus.PENDING).exists()


def test_waitlisted_person_has_no_reminder_until_promoted(
    future_session, mentor, sms_outbox, django_capture_on_commit_callbacks
):
    future_session.capacity = 2
    future_session.save()
    seated = [RegistrationFactory(session=future_session) for _ in range(2)]
    [waiting_person] = enrolled_people(future_session.offer, 1, mentor=mentor)
    waiting_person.email = ""
    waiting_person.phone = "07 00 00 00 01"
    waiting_person.save()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = group_services.registration_create(
            session=future_session, beneficiary=waiting_person, acting_user=mentor
        )
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert not rows(GROUP_REMINDER, object_id=str(waiting.pk)).exists()
    # Phone-only: the place on the waiting list is confirmed by text message.
    [on_the_list] = sms_outbox
    assert on_the_list["to"] == "07 00 00 00 01"
    assert "1" in on_the_list["body"]
    sms_outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        group_services.registration_cancel(registration=seated[0], acting_user=mentor)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    [promoted] = rows(NotificationKind.WAITLIST_PROMOTED)
    assert promoted.channel == Channel.SMS
    assert promoted.to_address == "07 00 00 00 01"
    assert promoted.status == NotificationStatus.SENT
    [message] = sms_outbox
    assert message["to"] == "07 00 00 00 01"
    assert future_session.offer.programme.title in message["body"]
    assert rows(GROUP_REMINDER, object_id=str(waiting.pk)).count() == 2


def test_moving_a_session_moves_its_reminders(
    future_session, beneficiary, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        group_services.registration_create(
            session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
        )
    later = future_session.starts_at + datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        group_services.group_session_update(
            session=future_session,
            acting_user=mentor,
            organiser=mentor,
            starts_at=later,
            ends_at=later + datetime.timedelta(hours=2),
            capacity=future_session.capacity,
            title=future_session.title,
            channel=future_session.channel,
            location=future_session.location,
        )

    assert pending_times(GROUP_REMINDER, beneficiary.email) == [
        later - datetime.timedelta(hours=48),
        later - datetime.timedelta(hours=2),
    ]


# The offer's reminder delays


def test_offer_form_reads_the_reminders_as_comma_separated_hours(programme):
    form = OfferForm(offer_data(reminder_hours="2, 48;24"), programme=programme)

    assert form.is_valid(), form.errors
    assert form.service_kwargs()["reminder_hours"] == [48, 24, 2]


def test_offer_form_shows_the_current_reminders(offer, programme):
    offer.reminder_hours = [72, 1]

    form = OfferForm(instance=offer, programme=programme)

    assert form.fields["reminder_hours"].initial == "72, 1"


@pytest.mark.parametrize("text", ["48, deux", "0", "337", "-2"])
def test_offer_form_refuses_reminders_out_of_range_in_french(programme, text):
    with translation.override("fr"):
        form = OfferForm(offer_data(reminder_hours=text), programme=programme)
        assert not form.is_valid()
    assert "reminder_hours" in form.errors


def test_offer_form_without_the_field_keeps_the_offer_reminders(offer, programme):
    offer.reminder_hours = [24]

    form = OfferForm(offer_data(), instance=offer, programme=programme)

    assert form.is_valid(), form.errors
    assert form.service_kwargs()["reminder_hours"] == [24]


def test_offer_form_empty_means_no_reminder(programme):
    form = OfferForm(offer_data(reminder_hours=""), programme=programme)

    assert form.is_valid(), form.errors
    assert form.service_kwargs()["reminder_hours"] == []


def test_offer_update_validates_the_reminders(offer, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        offer_update(offer=offer, acting_user=coordinator, reminder_hours=[500])
    assert "reminder_hours" in excinfo.value.message_dict

    offer_update(offer=offer, acting_user=coordinator, reminder_hours=[2, 24, 2])
    offer.refresh_from_db()
    assert offer.reminder_hours == [24, 2]


def test_a_new_offer_reminds_48_and_2_hours_before(programme):
    assert OfferFactory(programme=programme).reminder_hours == [48, 2]


def test_a_registration_and_the_session_cancellation_are_outbox_rows(
    future_session, beneficiary, mentor, sms_outbox, django_capture_on_commit_callbacks
):
    [by_phone] = enrolled_people(future_session.offer, 1, mentor=mentor)
    by_phone.email = ""
    by_phone.phone = "07 00 00 00 02"
    by_phone.save()
    with django_capture_on_commit_callbacks(execute=True):
        seat = group_services.registration_create(
            session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
        )
        group_services.registration_create(
            session=future_session, beneficiary=by_phone, acting_user=mentor
        )

    confirmations = rows(NotificationKind.REGISTRATION_CONFIRMED)
    assert sorted(confirmations.values_list("channel", "to_address", "status")) == [
        (Channel.EMAIL, beneficiary.email, NotificationStatus.SENT),
        (Channel.SMS, "07 00 00 00 02", NotificationStatus.SENT),
    ]
    email_row = confirmations.get(channel=Channel.EMAIL)
    assert email_row.object_id == str(seat.pk)
    assert email_row.recipient == beneficiary.user
    assert email_row.programme == future_session.offer.programme
    [confirmation] = mail.outbox
    assert confirmation.attachments[0][0] == emails.ICS_FILENAME

    mail.outbox.clear()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        group_services.group_session_cancel(
            session=future_session, acting_user=mentor, reason="La salle est fermée."
        )

    cancellations = rows(NotificationKind.GROUP_SESSION_CANCELLED)
    assert sorted(cancellations.values_list("channel", "to_address")) == [
        (Channel.EMAIL, beneficiary.email),
        (Channel.SMS, "07 00 00 00 02"),
    ]
    assert set(cancellations.values_list("status", flat=True)) == {NotificationStatus.SENT}
    [email] = mail.outbox
    assert "La salle est fermée." in email.body
    assert "METHOD:CANCEL" in email.attachments[0][1]
    [text] = sms_outbox
    assert "annulée" in text["body"]
    assert "La salle est fermée." in text["body"]
    # Told again of the same cancellation: the same event is the same row.
    future_session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_group_session_cancelled(future_session)
    assert rows(NotificationKind.GROUP_SESSION_CANCELLED).count() == 2
    assert len(mail.outbox) == 1


def test_a_person_who_chose_text_messages_gets_no_registration_email(
    future_session, beneficiary, django_capture_on_commit_callbacks
):
    from notifications.services import preference_update

    beneficiary.phone = "07 00 00 00 03"
    beneficiary.save()
    preference_update(user=beneficiary.user, email_enabled=False, sms_enabled=True, muted_kinds=[])
    with django_capture_on_commit_callbacks(execute=True):
        group_services.registration_create(
            session=future_session, beneficiary=beneficiary, acting_user=beneficiary.user
        )

    assert mail.outbox == []
    [row] = rows(NotificationKind.REGISTRATION_CONFIRMED)
    assert row.channel == Channel.SMS

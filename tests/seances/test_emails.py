"""The agenda's emails: who gets them, what they say, the .ics they carry, when they leave."""

import datetime
import re
import smtplib
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from icalendar import Calendar

from seances import emails
from seances.enums import ActorRole, AppointmentStatus, GroupSessionStatus, RegistrationStatus
from seances.links import appointment_from_token
from tests.factories import BeneficiaryFactory, UserFactory
from tests.seances.conftest import AppointmentFactory, GroupSessionFactory, RegistrationFactory

PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(offer, mentor, beneficiary):
    return AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=datetime.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS),
        ends_at=datetime.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS),
        reason="Mes dettes et mon logement",
    )


def message_to(address: str):
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


def ics_of(message) -> tuple[Calendar, str]:
    [attachment] = message.attachments
    filename, content, mimetype = attachment
    assert filename == "rendez-vous.ics"
    if isinstance(content, bytes):
        content = content.decode()
    return Calendar.from_ical(content), mimetype


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def manage_token_in(text: str) -> str:
    prefix = settings.SITE_URL.rstrip("/") + reverse("seances:appointment_manage", args=["T"])
    prefix = prefix[: prefix.rindex("T")]
    match = re.search(re.escape(prefix) + r"([^\s/\"<]+)", text)
    assert match, "no manage link"
    return match.group(1)


def send(function, *args, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        function(*args)


def test_booked_goes_to_the_beneficiary_and_the_mentor(
    appointment, django_capture_on_commit_callbacks
):
    send(
        emails.send_appointment_booked,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [appointment.beneficiary.email, appointment.mentor.email]
    )
    for message in mail.outbox:
        # The date in French, Paris time; the programme's name.
        assert "mardi 1 décembre 2026" in message.subject
        assert "09:00" in message.subject
        assert appointment.offer.programme.title in message.subject
        assert appointment.offer.programme.title in message.body
        assert escape(appointment.offer.programme.title) in html_of(message)
        assert "dettes" not in message.body
        calendar, mimetype = ics_of(message)
        assert mimetype.startswith("text/calendar")
        assert "method=REQUEST" in mimetype
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == appointment.ics_uid


def test_beneficiary_gets_a_working_manage_link_and_the_mentor_does_not(
    appointment, django_capture_on_commit_callbacks
):
    send(
        emails.send_appointment_booked,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    for_beneficiary = message_to(appointment.beneficiary.email)
    token = manage_token_in(for_beneficiary.body)
    assert appointment_from_token(token) == appointment
    assert manage_token_in(html_of(for_beneficiary)) == token
    for_mentor = message_to(appointment.mentor.email)
    manage_prefix = reverse("seances:appointment_manage", args=["T"])[:-2]
    assert manage_prefix not in for_mentor.body
    assert manage_prefix not in html_of(for_mentor)
    detail = reverse("seances:appointment_detail", args=[appointment.public_id])
    assert detail in for_mentor.body


def test_nothing_leaves_before_the_transaction_commits(
    appointment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emails.send_appointment_booked(appointment)

    assert mail.outbox == []
    assert len(callbacks) == 2


def test_phone_only_beneficiary_gets_no_email(offer, mentor, django_capture_on_commit_callbacks):
    phone_only = BeneficiaryFactory(
        organization=offer.programme.organization, email="", phone="06 12 34 56 78"
    )
    appointment = AppointmentFactory(offer=offer, mentor=mentor, beneficiary=phone_only)

    send(
        emails.send_appointment_booked,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert [m.to for m in mail.outbox] == [[mentor.email]]


def test_account_email_is_used_when_the_record_has_none(
    offer, mentor, django_capture_on_commit_callbacks
):
    user = UserFactory(email="compte@example.org")
    with_account = BeneficiaryFactory(
        organization=offer.programme.organization, email="", user=user
    )
    appointment = AppointmentFactory(offer=offer, mentor=mentor, beneficiary=with_account)

    send(
        emails.send_appointment_booked,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(["compte@example.org", mentor.email])


def test_rescheduled_carries_the_same_uid_and_a_higher_sequence(
    appointment, django_capture_on_commit_callbacks
):
    appointment.starts_at = datetime.datetime(2026, 12, 3, 14, 30, tzinfo=PARIS)
    appointment.ends_at = appointment.starts_at + datetime.timedelta(hours=1)
    appointment.sequence = 1
    appointment.save()

    send(
        emails.send_appointment_rescheduled,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert len(mail.outbox) == 2
    message = message_to(appointment.beneficiary.email)
    assert "jeudi 3 décembre 2026" in message.subject
    assert "14:30" in message.subject
    calendar, mimetype = ics_of(message)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == appointment.ics_uid
    assert event["SEQUENCE"] == 1
    assert "method=REQUEST" in mimetype
    assert manage_token_in(message.body)


def test_cancelled_carries_a_cancel_and_no_manage_link(
    appointment, django_capture_on_commit_callbacks
):
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.cancelled_by_role = ActorRole.MENTOR
    appointment.cancel_reason = "Je suis malade"
    appointment.sequence = 1
    appointment.save()

    send(
        emails.send_appointment_cancelled,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        calendar, mimetype = ics_of(message)
        assert "method=CANCEL" in mimetype
        assert str(calendar["METHOD"]) == "CANCEL"
        [event] = calendar.walk("VEVENT")
        assert str(event["STATUS"]) == "CANCELLED"
        assert reverse("seances:appointment_manage", args=["T"])[:-2] not in message.body
    # A beneficiary with an account is offered to book again.
    assert reverse("seances:book") in message_to(appointment.beneficiary.email).body


def test_text_part_is_not_html_escaped(offer, mentor, django_capture_on_commit_callbacks):
    offer.programme.title = "L'Atelier & Co"
    offer.programme.save()
    appointment = AppointmentFactory(offer=offer, mentor=mentor, beneficiary__email="a@example.org")

    send(
        emails.send_appointment_booked,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    message = message_to("a@example.org")
    assert "L'Atelier & Co" in message.subject
    assert "L'Atelier & Co" in message.body
    assert "L&#x27;Atelier &amp; Co" in html_of(message)


# Group sessions


@pytest.fixture
def session(programme, mentor):
    return GroupSessionFactory(
        offer__programme=programme,
        organiser=mentor,
        title="Atelier budget",
        starts_at=datetime.datetime(2026, 12, 10, 14, 0, tzinfo=PARIS),
        ends_at=datetime.datetime(2026, 12, 10, 16, 0, tzinfo=PARIS),
    )


def test_registration_confirmed_carries_the_session(
    session, beneficiary, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(session=session, beneficiary=beneficiary)

    send(
        emails.send_registration_confirmed,
        registration,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    [message] = mail.outbox
    assert message.to == [beneficiary.email]
    assert "Atelier budget" in message.subject
    assert "jeudi 10 décembre 2026" in message.subject
    assert session.offer.programme.title in message.body
    calendar, mimetype = ics_of(message)
    assert "method=REQUEST" in mimetype
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == session.ics_uid


def test_waitlisted_registration_gets_its_position_and_no_ics(
    session, beneficiary, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)
    registration = RegistrationFactory(
        session=session, beneficiary=beneficiary, status=RegistrationStatus.WAITLISTED
    )

    send(
        emails.send_registration_confirmed,
        registration,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    [message] = mail.outbox
    assert message.attachments == []
    assert " 2 " in message.body


def test_waitlist_promoted_carries_the_session(
    session, beneficiary, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(
        session=session, beneficiary=beneficiary, promoted_at=timezone.now()
    )

    send(
        emails.send_waitlist_promoted,
        registration,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    [message] = mail.outbox
    assert message.to == [beneficiary.email]
    calendar, _mimetype = ics_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"


def test_session_cancelled_informs_every_registrant_with_an_email(
    session, beneficiary, other_beneficiary, django_capture_on_commit_callbacks
):
    phone_only = BeneficiaryFactory(organization=beneficiary.organization, email="")
    registrations = [
        RegistrationFactory(session=session, beneficiary=beneficiary),
        RegistrationFactory(
            session=session, beneficiary=other_beneficiary, status=RegistrationStatus.WAITLISTED
        ),
        RegistrationFactory(session=session, beneficiary=phone_only),
    ]
    session.status = GroupSessionStatus.CANCELLED
    session.cancel_reason = "La formatrice est malade."
    session.sequence = 1
    session.save()

    send(
        emails.send_group_session_cancelled,
        session,
        registrations,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [beneficiary.email, other_beneficiary.email]
    )
    for message in mail.outbox:
        assert "La formatrice est malade." in message.body
        calendar, mimetype = ics_of(message)
        assert "method=CANCEL" in mimetype
        [event] = calendar.walk("VEVENT")
        assert str(event["STATUS"]) == "CANCELLED"
        assert event["SEQUENCE"] == 1


def test_when_is_in_paris_time_across_daylight_saving():
    summer = datetime.datetime(2026, 7, 7, 7, 0, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 11, 3, 8, 0, tzinfo=datetime.UTC)

    with translation.override("fr"):
        assert emails.format_when(summer).startswith("mardi 7 juillet 2026")
        assert emails.format_when(summer).endswith("09:00")
        assert emails.format_when(winter).startswith("mardi 3 novembre 2026")
        assert emails.format_when(winter).endswith("09:00")


# The outbox (issue 6): the .ics emails are notification rows carrying the .ics as text.


class DownBackend(EmailBackend):
    """An SMTP server that is down: every send fails, as a retry expects."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


DOWN_BACKEND = f"{__name__}.DownBackend"


def test_appointment_emails_are_outbox_rows_with_the_ics(
    appointment, django_capture_on_commit_callbacks
):
    from notifications.enums import Channel, NotificationKind, NotificationStatus
    from notifications.models import Notification
    from seances.ics import appointment_ics

    send(
        emails.send_appointment_booked,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    rows = Notification.objects.filter(
        kind=NotificationKind.APPOINTMENT_CONFIRMED, channel=Channel.EMAIL
    )
    assert sorted(rows.values_list("to_address", flat=True)) == sorted(
        [appointment.beneficiary.email, appointment.mentor.email]
    )

    def stamped_out(ics: str) -> str:
        """The calendar without DTSTAMP, the second at which it was generated."""
        return "\r\n".join(line for line in ics.split("\r\n") if not line.startswith("DTSTAMP:"))

    ics = stamped_out(appointment_ics(appointment))
    for row in rows:
        assert row.status == NotificationStatus.SENT
        assert row.scheduled_for == appointment.created_at
        assert row.programme == appointment.offer.programme
        assert row.organization == appointment.offer.programme.organization
        [attachment] = row.attachments
        assert attachment["filename"] == "rendez-vous.ics"
        assert attachment["mimetype"] == "text/calendar; method=REQUEST"
        assert stamped_out(attachment["content"]) == ics
        message = message_to(row.to_address)
        assert message.subject == row.subject
        [(_filename, content, _mimetype)] = message.attachments
        content = content.decode() if isinstance(content, bytes) else content
        assert stamped_out(content) == ics

    # The same event written again stays one row per person: no second email.
    send(
        emails.send_appointment_booked,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert rows.count() == 2
    assert len(mail.outbox) == 2


def test_waitlist_promotion_is_an_outbox_row_with_the_ics(
    session, beneficiary, django_capture_on_commit_callbacks
):
    from notifications.enums import Channel, NotificationKind
    from notifications.models import Notification

    registration = RegistrationFactory(
        session=session, beneficiary=beneficiary, promoted_at=timezone.now()
    )

    send(
        emails.send_waitlist_promoted,
        registration,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    row = Notification.objects.get(kind=NotificationKind.WAITLIST_PROMOTED, channel=Channel.EMAIL)
    assert row.to_address == beneficiary.email
    assert row.scheduled_for == registration.promoted_at
    [attachment] = row.attachments
    assert attachment["content"].startswith("BEGIN:VCALENDAR")
    [message] = mail.outbox
    assert message.attachments[0][0] == "rendez-vous.ics"


def test_a_failed_send_of_an_ics_email_is_retried(
    appointment, django_capture_on_commit_callbacks, settings
):
    from notifications.enums import Channel, NotificationKind, NotificationStatus
    from notifications.models import Notification
    from notifications.services import Outcome, deliver

    settings.EMAIL_BACKEND = DOWN_BACKEND
    send(
        emails.send_appointment_booked,
        appointment,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    rows = Notification.objects.filter(
        kind=NotificationKind.APPOINTMENT_CONFIRMED, channel=Channel.EMAIL
    )
    assert mail.outbox == []
    for row in rows:
        assert row.status == NotificationStatus.PENDING
        assert row.attempts == 1
        assert "SMTPServerDisconnected" in row.last_error
        assert row.next_attempt_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rows.update(next_attempt_at=timezone.now())
    assert sorted(deliver(row.pk) for row in rows) == [Outcome.SENT, Outcome.SENT]
    assert len(mail.outbox) == 2
    assert all(message.attachments[0][0] == "rendez-vous.ics" for message in mail.outbox)

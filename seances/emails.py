"""The agenda's emails: one function each, rendered in French, written to the outbox.

Appointment emails go to the beneficiary (when they have an email: phone-only people are
reached otherwise) and to the mentor, each with the event as an .ics attachment. Only the
beneficiary's copy carries the signed link to cancel or reschedule without logging in.

Issue 6: every email with a kind of its own is an outbox row (notifications.Notification),
its .ics stored in the row as a text attachment; the closing report's row names the function
that renders its PDF at send time. A row dated at the event is delivered after the commit;
the reminders are outbox rows due before the event, scanned by the beat task. Everything here
runs inside the caller's transaction: the rows commit, or vanish, with the event. People
reached by text message get the same events as outbox SMS rows.

Each event reads its people's preferences once (an Audience) and writes all its rows, the
message and the reminders, in one notify_many(): a constant number of queries, however many
channels and reminder delays."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from beneficiaires.models import Beneficiary
from notifications.enums import ESSENTIAL_KINDS, Channel, NotificationKind
from notifications.models import Notification
from notifications.services import (
    Audience,
    Message,
    cancel_pending,
    channels_for,
    notify,
    notify_many,
    render_notification,
)
from seances.enums import AppointmentStatus, GroupSessionStatus, RegistrationStatus
from seances.ics import appointment_ics, group_session_ics
from seances.links import appointment_token
from seances.models import Appointment, GroupSession, Registration

PARIS = ZoneInfo("Europe/Paris")
LANGUAGE = "fr"
ICS_FILENAME = "rendez-vous.ics"
APPOINTMENT = "seances.appointment"
REGISTRATION = "seances.registration"
APPOINTMENT_KINDS = {
    "appointment_booked": NotificationKind.APPOINTMENT_CONFIRMED,
    "appointment_rescheduled": NotificationKind.APPOINTMENT_RESCHEDULED,
    "appointment_cancelled": NotificationKind.APPOINTMENT_CANCELLED,
}


def send_appointment_booked(appointment: Appointment) -> None:
    """Confirm a new appointment to the beneficiary and to the mentor; plan the reminders."""
    audience = _appointment_audience(appointment)
    messages = _appointment_messages("appointment_booked", appointment, audience)
    messages += appointment_reminders(appointment, audience)
    notify_many(messages, audience=audience)


def send_appointment_rescheduled(appointment: Appointment) -> None:
    """Tell both people the appointment moved; the .ics updates their calendars (same UID).
    The reminders of the old time are cancelled and new ones planned."""
    audience = _appointment_audience(appointment)
    messages = _appointment_messages("appointment_rescheduled", appointment, audience)
    cancel_pending(
        object_type=APPOINTMENT,
        object_id=appointment.pk,
        kinds=[NotificationKind.APPOINTMENT_REMINDER],
    )
    messages += appointment_reminders(appointment, audience)
    notify_many(messages, audience=audience)


def send_appointment_cancelled(appointment: Appointment) -> None:
    """Tell both people the appointment is cancelled; the .ics removes it from calendars."""
    cancel_pending(
        object_type=APPOINTMENT,
        object_id=appointment.pk,
        kinds=[NotificationKind.APPOINTMENT_REMINDER],
    )
    audience = _appointment_audience(appointment)
    notify_many(
        _appointment_messages("appointment_cancelled", appointment, audience), audience=audience
    )


def _appointment_audience(appointment: Appointment) -> Audience:
    return _audience([appointment.beneficiary], [appointment.mentor])


def _audience(beneficiaries: list, users: list | None = None) -> Audience:
    """The preferences of the beneficiaries' accounts and of `users`, in one query; an
    account not read yet comes with it (beneficiary.user is then that copy)."""
    unread = [b for b in beneficiaries if b.user_id and not Beneficiary.user.is_cached(b)]
    audience = Audience(
        [b.user_id if b in unread else b.user for b in beneficiaries if b.user_id]
        + list(users or [])
    )
    for beneficiary in unread:
        beneficiary.user = audience.user(beneficiary.user_id)
    return audience


def send_group_session_cancelled(
    session: GroupSession, registrations: list[Registration] | None = None
) -> None:
    """Tell every registrant (seat or waitlist) that the organiser cancelled the session."""
    if registrations is None:
        registrations = session.registrations.select_related("beneficiary__user")
    registrations = list(registrations)
    ics = group_session_ics(session)
    kind = NotificationKind.GROUP_SESSION_CANCELLED
    cancelled_at = min(session.cancelled_at or timezone.now(), timezone.now())
    audience = _registrations_audience(registrations)
    cancel_pending(
        object_type=REGISTRATION,
        object_id=[registration.pk for registration in registrations],
        kinds=[NotificationKind.GROUP_SESSION_REMINDER],
    )
    messages = []
    for registration in registrations:
        messages += _registration_email(
            "group_session_cancelled",
            registration,
            session=session,
            ics=ics,
            method="CANCEL",
            outbox=_registration_outbox(kind, registration, cancelled_at),
            audience=audience,
        )
        messages += _registration_sms(
            kind,
            registration,
            scheduled_for=cancelled_at,
            extra={"cancel_reason": session.cancel_reason},
            audience=audience,
        )
    notify_many(messages, audience=audience)


def _registrations_audience(registrations: list[Registration]) -> Audience:
    return _audience([registration.beneficiary for registration in registrations])


def send_registration_confirmed(registration: Registration) -> None:
    """Confirm a seat (with the .ics), or a place on the waitlist (without)."""
    session = registration.session
    waitlisted = registration.status == RegistrationStatus.WAITLISTED
    extra = {}
    if waitlisted:
        extra["waitlist_position"] = (
            session.registrations.filter(
                status=RegistrationStatus.WAITLISTED, registered_at__lte=registration.registered_at
            )
            .exclude(pk=registration.pk)
            .count()
            + 1
        )
    kind = NotificationKind.REGISTRATION_CONFIRMED
    registered_at = min(registration.registered_at or timezone.now(), timezone.now())
    audience = _registrations_audience([registration])
    messages = _registration_email(
        "registration_confirmed",
        registration,
        session=session,
        ics=None if waitlisted else group_session_ics(session),
        method="REQUEST",
        extra=extra,
        outbox=_registration_outbox(kind, registration, registered_at),
        audience=audience,
    )
    messages += _registration_sms(
        kind,
        registration,
        scheduled_for=registered_at,
        extra={"waitlisted": waitlisted, **extra},
        audience=audience,
    )
    if not waitlisted:
        messages += group_session_reminders(registration, audience)
    notify_many(messages, audience=audience)


def send_waitlist_promoted(registration: Registration) -> None:
    """Tell a person on the waitlist that a seat freed up and is now theirs."""
    session = registration.session
    promoted_at = min(registration.promoted_at or timezone.now(), timezone.now())
    kind = NotificationKind.WAITLIST_PROMOTED
    audience = _registrations_audience([registration])
    messages = _registration_email(
        "waitlist_promoted",
        registration,
        session=session,
        ics=group_session_ics(session),
        method="REQUEST",
        outbox=_registration_outbox(kind, registration, promoted_at),
        audience=audience,
    )
    messages += _registration_sms(kind, registration, scheduled_for=promoted_at, audience=audience)
    messages += group_session_reminders(registration, audience)
    notify_many(messages, audience=audience)


def _registration_outbox(kind: str, registration: Registration, at: datetime.datetime) -> dict:
    """The Message's arguments for an email about a registration, dated at the event."""
    return {
        "kind": kind,
        "recipient": registration.beneficiary.user if registration.beneficiary.user_id else None,
        "object_type": REGISTRATION,
        "object_id": registration.pk,
        "scheduled_for": at,
        "programme": registration.session.offer.programme,
    }


def _registration_sms(
    kind: str,
    registration: Registration,
    *,
    scheduled_for: datetime.datetime,
    extra: dict | None = None,
    audience: Audience | None = None,
) -> list[Message]:
    """The email carries the .ics; people reached by text message get the event as a text."""
    return _registration_rows(
        kind, registration, audience, [scheduled_for], extra=extra, only=Channel.SMS
    )


def _registration_rows(
    kind: str,
    registration: Registration,
    audience: Audience | None,
    times: list[datetime.datetime],
    *,
    extra: dict | None = None,
    only: str | None = None,
) -> list[Message]:
    """A row of `kind` for the registrant on each of their channels (or `only` that one), at
    each of `times`."""
    beneficiary = registration.beneficiary
    context = {
        **_group_context(registration),
        "recipient_name": beneficiary.contact_name or beneficiary.name,
        **(extra or {}),
    }
    return [
        _message(
            kind,
            context=context,
            channel=channel,
            to_address=address,
            recipient=user,
            object_type=REGISTRATION,
            object_id=registration.pk,
            scheduled_for=time,
            programme=registration.session.offer.programme,
        )
        for channel, address, user in beneficiary_channels(
            beneficiary, kind=kind, audience=audience
        )
        if only is None or channel == only
        for time in times
    ]


def cancel_registration_reminders(registration: Registration) -> None:
    """The person gave up their seat (or the session is off): their reminders are not sent."""
    cancel_pending(
        object_type=REGISTRATION,
        object_id=registration.pk,
        kinds=[NotificationKind.GROUP_SESSION_REMINDER],
    )


def reschedule_group_session_reminders(session: GroupSession) -> None:
    """The session moved: each seat holder's reminders follow it."""
    registrations = list(
        session.registrations.filter(status=RegistrationStatus.REGISTERED).select_related(
            "beneficiary__user", "session__offer__programme"
        )
    )
    if not registrations:
        return
    cancel_pending(
        object_type=REGISTRATION,
        object_id=[registration.pk for registration in registrations],
        kinds=[NotificationKind.GROUP_SESSION_REMINDER],
    )
    audience = _registrations_audience(registrations)
    messages = []
    for registration in registrations:
        messages += group_session_reminders(registration, audience)
    notify_many(messages, audience=audience)


# Outbox rows


def beneficiary_channels(
    beneficiary, *, kind: str, audience: Audience | None = None
) -> list[tuple[str, str, object]]:
    """(channel, address, user) for a beneficiary: with an account, the channels they chose;
    the record's email and phone come first. Without one: the email, else a text message.
    `audience`: the preferences already read for the event."""
    email = beneficiary_email(beneficiary)
    phone = beneficiary.phone or (beneficiary.user.phone if beneficiary.user_id else "")
    user = beneficiary.user if beneficiary.user_id else None
    addresses = {Channel.EMAIL: email, Channel.SMS: phone}
    if user is not None:
        chosen = [
            (channel, addresses[channel], user)
            for channel, _address in channels_for(user, kind=kind, audience=audience)
            if addresses[channel]
        ]
        if chosen:
            return chosen
        if audience is not None and user in audience:
            preference = audience.preference(user)
        else:
            preference = getattr(user, "notification_preference", None)
        if preference is not None and kind not in ESSENTIAL_KINDS:
            return []
    if email:
        return [(Channel.EMAIL, email, user)]
    if phone:
        return [(Channel.SMS, phone, user)]
    return []


def mentor_channels(
    mentor, *, kind: str, audience: Audience | None = None
) -> list[tuple[str, str, object]]:
    return [
        (channel, address, mentor)
        for channel, address in channels_for(mentor, kind=kind, audience=audience)
    ]


def _message(
    kind: str,
    *,
    context: dict,
    channel: str,
    to_address: str,
    recipient,
    object_type: str,
    object_id: int,
    scheduled_for: datetime.datetime,
    programme,
) -> Message:
    """A text message, or a reminder, rendered from templates/notifications/<kind>/."""
    rendered = render_notification(kind, context)
    body = rendered.sms_text or rendered.body_text if channel == Channel.SMS else None
    return Message(
        kind=kind,
        channel=channel,
        to_address=to_address,
        subject=rendered.subject,
        body_text=body or rendered.body_text,
        body_html="" if channel == Channel.SMS else rendered.body_html,
        object_type=object_type,
        object_id=object_id,
        scheduled_for=scheduled_for,
        recipient=recipient,
        programme=programme,
        # Moved away and back to the same time: the cancelled reminder is due again.
        reopen=True,
    )


def _reminder_times(offer, starts_at: datetime.datetime) -> list[datetime.datetime]:
    """starts_at minus each of the offer's delays, leaving out the times already past."""
    now = timezone.now()
    times = {starts_at - datetime.timedelta(hours=hours) for hours in offer.reminder_hours or []}
    return sorted(time for time in times if time > now)


def _appointment_people(
    appointment: Appointment, kind: str, audience: Audience | None = None
) -> list[tuple]:
    """(channel, address, user, context) for the beneficiary and the mentor."""
    beneficiary = appointment.beneficiary
    mentor = appointment.mentor
    beneficiary_name = beneficiary.contact_name or beneficiary.name
    common = {
        "programme_name": appointment.offer.programme.title,
        "start": timezone.localtime(appointment.starts_at, PARIS),
        "location": appointment.location,
    }
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    detail_url = _absolute(reverse("seances:appointment_detail", args=[appointment.public_id]))
    # The signed link works without logging in: the only way in for people without an account.
    beneficiary_url = (
        detail_url
        if cancelled
        else _absolute(reverse("seances:appointment_manage", args=[appointment_token(appointment)]))
    )
    for_beneficiary = {
        **common,
        "recipient_name": beneficiary_name,
        "with_name": str(mentor),
        "appointment_url": beneficiary_url,
    }
    for_mentor = {
        **common,
        "recipient_name": mentor.first_name or str(mentor),
        "with_name": beneficiary_name,
        "appointment_url": detail_url,
    }
    people = [
        (channel, address, user, for_beneficiary)
        for channel, address, user in beneficiary_channels(
            beneficiary, kind=kind, audience=audience
        )
    ]
    people += [
        (channel, address, user, for_mentor)
        for channel, address, user in mentor_channels(mentor, kind=kind, audience=audience)
    ]
    return people


def appointment_reminders(appointment: Appointment, audience: Audience) -> list[Message]:
    """Reminder rows for both people at each of the offer's delays before the start."""
    if appointment.status == AppointmentStatus.CANCELLED:
        return []
    times = _reminder_times(appointment.offer, appointment.starts_at)
    if not times:
        return []
    return _appointment_rows(NotificationKind.APPOINTMENT_REMINDER, appointment, audience, times)


def _appointment_rows(
    kind: str,
    appointment: Appointment,
    audience: Audience,
    times: list[datetime.datetime],
    *,
    only: str | None = None,
) -> list[Message]:
    """A row of `kind` for both people on each of their channels (or `only` that one), at
    each of `times`."""
    return [
        _message(
            kind,
            context=context,
            channel=channel,
            to_address=address,
            recipient=user,
            object_type=APPOINTMENT,
            object_id=appointment.pk,
            scheduled_for=time,
            programme=appointment.offer.programme,
        )
        for channel, address, user, context in _appointment_people(appointment, kind, audience)
        if only is None or channel == only
        for time in times
    ]


def _group_context(registration: Registration) -> dict:
    session = registration.session
    return {
        "programme_name": session.offer.programme.title,
        "session_title": session.title or session.offer.title,
        "start": timezone.localtime(session.starts_at, PARIS),
        "location": session.location,
        "session_url": _absolute(reverse("seances:group_session_detail", args=[session.public_id])),
    }


def group_session_reminders(registration: Registration, audience: Audience) -> list[Message]:
    """Reminder rows for a seat holder at each of the offer's delays before the session."""
    if registration.status != RegistrationStatus.REGISTERED:
        return []
    session = registration.session
    times = _reminder_times(session.offer, session.starts_at)
    if not times:
        return []
    kind = NotificationKind.GROUP_SESSION_REMINDER
    return _registration_rows(kind, registration, audience, times)


def format_when(value: datetime.datetime) -> str:
    """ "mardi 3 novembre 2026 à 09:00", in Europe/Paris, in the active language."""
    local = timezone.localtime(value, PARIS)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "l j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def beneficiary_email(beneficiary) -> str:
    """Where to write to a beneficiary: their record's email, else their account's; or ""."""
    if beneficiary.email:
        return beneficiary.email
    if beneficiary.user_id and beneficiary.user.email:
        return beneficiary.user.email
    return ""


def _appointment_messages(name: str, appointment: Appointment, audience: Audience) -> list[Message]:
    """The emails of an appointment event to both people, and its text messages."""
    messages = []
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    ics = appointment_ics(appointment)
    method = "CANCEL" if cancelled else "REQUEST"
    beneficiary = appointment.beneficiary
    offer = appointment.offer
    with translation.override(LANGUAGE):
        common = {
            "appointment": appointment,
            "programme_name": offer.programme.title,
            "offer_title": offer.title,
            "mentor_name": str(appointment.mentor),
            "beneficiary_name": beneficiary.contact_name or beneficiary.name,
            "when": format_when(appointment.starts_at),
            "ends": formats.time_format(timezone.localtime(appointment.ends_at, PARIS), "H:i"),
            "channel": appointment.get_channel_display(),
            "location": appointment.location,
            "cancelled_by_role": appointment.cancelled_by_role,
            "detail_url": _absolute(
                reverse("seances:appointment_detail", args=[appointment.public_id])
            ),
        }
        kind = APPOINTMENT_KINDS[name]
        outbox = {
            "kind": kind,
            "object_type": APPOINTMENT,
            "object_id": appointment.pk,
            "scheduled_for": min(_event_time(kind, appointment), timezone.now()),
            "programme": offer.programme,
        }
        to_beneficiary = next(
            (
                address
                for channel, address, _user in beneficiary_channels(
                    beneficiary, kind=kind, audience=audience
                )
                if channel == Channel.EMAIL
            ),
            "",
        )
        if to_beneficiary:
            has_account = beneficiary.user_id is not None
            manage_url = ""
            if not cancelled:
                token = appointment_token(appointment)
                manage_url = _absolute(reverse("seances:appointment_manage", args=[token]))
            context = {
                **common,
                "for_beneficiary": True,
                "greeting_name": common["beneficiary_name"],
                "cancelled_by_recipient": has_account
                and appointment.cancelled_by_id == beneficiary.user_id,
                "manage_url": manage_url,
                # Booking again needs an account: people without one call their mentor.
                "book_url": _absolute(reverse("seances:book")) if has_account else "",
            }
            messages.append(
                _email(
                    name,
                    context,
                    to=to_beneficiary,
                    ics=ics,
                    method=method,
                    outbox={**outbox, "recipient": beneficiary.user},
                )
            )
        mentor = appointment.mentor
        if (Channel.EMAIL, mentor.email, mentor) in mentor_channels(
            mentor, kind=kind, audience=audience
        ):
            context = {
                **common,
                "for_beneficiary": False,
                "greeting_name": mentor.first_name or common["mentor_name"],
                "cancelled_by_recipient": appointment.cancelled_by_id == mentor.pk,
            }
            messages.append(
                _email(
                    name,
                    context,
                    to=mentor.email,
                    ics=ics,
                    method=method,
                    outbox={**outbox, "recipient": mentor},
                )
            )
    return messages + _appointment_sms(kind, appointment, audience)


def _event_time(kind: str, appointment: Appointment) -> datetime.datetime:
    """The time of what is reported: the same event written twice stays one row."""
    if kind == NotificationKind.APPOINTMENT_CONFIRMED:
        return appointment.created_at
    if kind == NotificationKind.APPOINTMENT_CANCELLED and appointment.cancelled_at:
        return appointment.cancelled_at
    return appointment.updated_at


def _appointment_sms(kind: str, appointment: Appointment, audience: Audience) -> list[Message]:
    """The confirmation, move or cancellation as an outbox text message, for who uses SMS."""
    scheduled_for = min(_event_time(kind, appointment), timezone.now())
    return _appointment_rows(kind, appointment, audience, [scheduled_for], only=Channel.SMS)


def _registration_email(
    name: str,
    registration: Registration,
    *,
    session: GroupSession,
    ics: str | None,
    method: str,
    extra: dict | None = None,
    outbox: dict,
    audience: Audience | None = None,
) -> list[Message]:
    beneficiary = registration.beneficiary
    address = next(
        (
            address
            for channel, address, _user in beneficiary_channels(
                beneficiary, kind=outbox["kind"], audience=audience
            )
            if channel == Channel.EMAIL
        ),
        "",
    )
    if not address:
        return []
    offer = session.offer
    with translation.override(LANGUAGE):
        context = {
            "session": session,
            "programme_name": offer.programme.title,
            "session_title": session.title or offer.title,
            "organiser_name": str(session.organiser),
            "greeting_name": beneficiary.contact_name or beneficiary.name,
            "when": format_when(session.starts_at),
            "ends": formats.time_format(timezone.localtime(session.ends_at, PARIS), "H:i"),
            "channel": session.get_channel_display(),
            "location": session.location,
            "session_cancelled": session.status == GroupSessionStatus.CANCELLED,
            # Written by the organiser for the registrants ("the trainer is ill").
            "cancel_reason": session.cancel_reason,
            "site_url": settings.SITE_URL.rstrip("/") + "/",
            **(extra or {}),
        }
        return [_email(name, context, to=address, ics=ics, method=method, outbox=outbox)]


def _email(
    name: str,
    context: dict,
    *,
    to: str,
    ics: str | None,
    method: str,
    outbox: dict,
) -> Message:
    """Render the three templates of email `name` (in the active language) as an outbox
    message: `outbox` holds its kind, recipient, object, scheduled_for and programme."""
    context = {**context, "LANGUAGE_CODE": translation.get_language()}
    template = f"seances/emails/{name}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    attachments = []
    if ics:
        attachments.append(
            {
                "filename": ICS_FILENAME,
                "content": ics,
                "mimetype": f"text/calendar; method={method}",
            }
        )
    body = render_to_string(f"{template}_body.txt", context)
    html_body = render_to_string(f"{template}_body.html", context)
    return Message(
        channel=Channel.EMAIL,
        to_address=to,
        subject=subject,
        body_text=body,
        body_html=html_body,
        attachments=attachments,
        **outbox,
    )


CLOSING_RECORD = "seances.closingrecord"
CLOSING_REPORT_RENDER = "seances.documents.closing_report_attachment"


def write_closing_report(record) -> Notification | None:
    """The validated record's report (PDF attached) as an outbox email to the beneficiary,
    when they have an address; dated at the validation, so writing it twice gives one row.
    The row names the function that renders the PDF from the frozen snapshot at send time."""
    from seances.documents import closing_report_filename

    address = beneficiary_email(record.beneficiary)
    if not address:
        return None
    report = record.snapshot
    path = reverse("seances:record_detail", args=[record.public_id])
    with translation.override(LANGUAGE):
        context = {
            "LANGUAGE_CODE": LANGUAGE,
            "programme_name": report["programme"]["title"],
            "greeting_name": record.beneficiary.contact_name or report["beneficiary"],
            "mentor_name": report["mentor"],
            "seance_date": report["seance"]["date"],
            "version": record.version,
            "correction_reason": report.get("correction_reason", ""),
            "has_account": record.beneficiary.user_id is not None,
            "detail_url": _absolute(path),
        }
        template = "seances/emails/closing_report"
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
        html_body = render_to_string(f"{template}_body.html", context)
    return notify(
        kind=NotificationKind.CLOSING_REPORT,
        channel=Channel.EMAIL,
        to_address=address,
        subject=subject,
        body_text=body,
        body_html=html_body,
        object_type=CLOSING_RECORD,
        object_id=record.pk,
        scheduled_for=min(record.validated_at or timezone.now(), timezone.now()),
        recipient=record.beneficiary.user if record.beneficiary.user_id else None,
        programme=record.seance.offer.programme,
        attachments=[
            {
                "filename": closing_report_filename(record),
                "mimetype": "application/pdf",
                "render": CLOSING_REPORT_RENDER,
                "object_id": record.pk,
            }
        ],
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"

"""The agenda's emails: one function each, rendered in French, sent after the transaction commits.

Appointment emails go to the beneficiary (when they have an email: phone-only people are
reached otherwise) and to the mentor, each with the event as an .ics attachment. Only the
beneficiary's copy carries the signed link to cancel or reschedule without logging in."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.tasks import send_email
from seances.enums import AppointmentStatus, GroupSessionStatus, RegistrationStatus
from seances.ics import appointment_ics, group_session_ics
from seances.links import appointment_token
from seances.models import Appointment, GroupSession, Registration

PARIS = ZoneInfo("Europe/Paris")
LANGUAGE = "fr"
ICS_FILENAME = "rendez-vous.ics"


def send_appointment_booked(appointment: Appointment) -> None:
    """Confirm a new appointment to the beneficiary and to the mentor."""
    _send_appointment_email("appointment_booked", appointment)


def send_appointment_rescheduled(appointment: Appointment) -> None:
    """Tell both people the appointment moved; the .ics updates their calendars (same UID)."""
    _send_appointment_email("appointment_rescheduled", appointment)


def send_appointment_cancelled(appointment: Appointment) -> None:
    """Tell both people the appointment is cancelled; the .ics removes it from calendars."""
    _send_appointment_email("appointment_cancelled", appointment)


def send_group_session_cancelled(
    session: GroupSession, registrations: list[Registration] | None = None
) -> None:
    """Tell every registrant (seat or waitlist) that the organiser cancelled the session."""
    if registrations is None:
        registrations = session.registrations.select_related("beneficiary__user")
    ics = group_session_ics(session)
    for registration in registrations:
        _send_registration_email(
            "group_session_cancelled", registration, session=session, ics=ics, method="CANCEL"
        )


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
    _send_registration_email(
        "registration_confirmed",
        registration,
        session=session,
        ics=None if waitlisted else group_session_ics(session),
        method="REQUEST",
        extra=extra,
    )


def send_waitlist_promoted(registration: Registration) -> None:
    """Tell a person on the waitlist that a seat freed up and is now theirs."""
    session = registration.session
    _send_registration_email(
        "waitlist_promoted",
        registration,
        session=session,
        ics=group_session_ics(session),
        method="REQUEST",
    )


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


def _send_appointment_email(name: str, appointment: Appointment) -> None:
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
        to_beneficiary = beneficiary_email(beneficiary)
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
            _send(name, context, to=to_beneficiary, ics=ics, method=method)
        mentor = appointment.mentor
        if mentor.email:
            context = {
                **common,
                "for_beneficiary": False,
                "greeting_name": mentor.first_name or common["mentor_name"],
                "cancelled_by_recipient": appointment.cancelled_by_id == mentor.pk,
            }
            _send(name, context, to=mentor.email, ics=ics, method=method)


def _send_registration_email(
    name: str,
    registration: Registration,
    *,
    session: GroupSession,
    ics: str | None,
    method: str,
    extra: dict | None = None,
) -> None:
    beneficiary = registration.beneficiary
    address = beneficiary_email(beneficiary)
    if not address:
        return
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
        _send(name, context, to=address, ics=ics, method=method)


def _send(name: str, context: dict, *, to: str, ics: str | None, method: str) -> None:
    """Render the three templates of email `name` (in the active language) and queue it."""
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
    send_email.delay_on_commit(
        subject=subject,
        body=render_to_string(f"{template}_body.txt", context),
        to=[to],
        html_body=render_to_string(f"{template}_body.html", context),
        attachments=attachments,
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"

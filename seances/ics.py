"""iCalendar (RFC 5545) documents: one event attached to an email, and a person's private feed.

Times are written in UTC ("Z"): every calendar client converts them, and no VTIMEZONE is needed.
Summaries stay neutral ("<offer> · Accompagnement"): they show on lock screens and shared
calendars. Descriptions never carry the reason for an appointment."""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from seances.enums import AppointmentStatus, GroupSessionStatus, RegistrationStatus
from seances.models import Appointment, GroupSession, Registration

PRODID = "-//Accompagnement//FR"
PRODUCT_NAME = "Accompagnement"
# How far back a feed goes: recent history stays visible, the feed stays small.
FEED_HISTORY = datetime.timedelta(days=30)
FEED_REGISTRATION_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)


def appointment_ics(appointment: Appointment) -> str:
    """A one-event calendar for an email: METHOD:REQUEST, or CANCEL once cancelled."""
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    with translation.override("fr"):
        calendar = _calendar(method="CANCEL" if cancelled else "REQUEST")
        event = _appointment_event(appointment, now=timezone.now())
        _add_participants(event, appointment)
        calendar.add_component(event)
    return calendar.to_ical().decode()


def group_session_ics(session: GroupSession) -> str:
    """A one-event calendar for an email about a group session (REQUEST, or CANCEL)."""
    cancelled = session.status == GroupSessionStatus.CANCELLED
    with translation.override("fr"):
        calendar = _calendar(method="CANCEL" if cancelled else "REQUEST")
        event = _session_event(session, now=timezone.now())
        # Registrants are not listed: they must not learn each other's addresses.
        event.add("organizer", _organizer())
        calendar.add_component(event)
    return calendar.to_ical().decode()


def feed_ics(user) -> str:
    """The person's private feed: their appointments as mentor or beneficiary and the group
    sessions they organise or attend, from 30 days ago on, cancelled ones included."""
    now = timezone.now()
    since = now - FEED_HISTORY
    appointments = (
        Appointment.objects.filter(Q(mentor=user) | Q(beneficiary__user=user))
        .filter(starts_at__gte=since)
        .select_related("offer__programme", "mentor")
        .order_by("starts_at", "pk")
    )
    attended_sessions = Registration.objects.filter(
        beneficiary__user=user, status__in=FEED_REGISTRATION_STATUSES
    ).values("session_id")
    sessions = (
        GroupSession.objects.filter(Q(organiser=user) | Q(pk__in=attended_sessions))
        .filter(starts_at__gte=since)
        .select_related("offer__programme", "organiser")
        .order_by("starts_at", "pk")
    )
    with translation.override("fr"):
        calendar = _calendar(method=None)
        calendar.add("x-wr-calname", _("%(product)s — my appointments") % {"product": PRODUCT_NAME})
        calendar.add("x-wr-timezone", "Europe/Paris")
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", "PT1H")
        for appointment in appointments:
            calendar.add_component(_appointment_event(appointment, now=now))
        for session in sessions:
            calendar.add_component(_session_event(session, now=now))
    return calendar.to_ical().decode()


def _calendar(*, method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _appointment_event(appointment: Appointment, *, now: datetime.datetime) -> Event:
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    offer = appointment.offer
    page = _absolute(reverse("seances:appointment_detail", args=[appointment.public_id]))
    lines = [
        offer.programme.title,
        _("Offer: %(offer)s") % {"offer": offer.title},
        _("With: %(mentor)s") % {"mentor": appointment.mentor},
        _("How: %(channel)s") % {"channel": appointment.get_channel_display()},
    ]
    if cancelled:
        lines.append(_("This appointment was cancelled."))
    lines.append(_("Details: %(url)s") % {"url": page})
    event = _event(
        uid=appointment.ics_uid,
        sequence=appointment.sequence,
        summary=f"{offer.title} · {PRODUCT_NAME}",
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        location=appointment.location or appointment.get_channel_display(),
        description="\n".join(lines),
        cancelled=cancelled,
        now=now,
    )
    event.add("url", page)
    event.add("created", _utc(appointment.created_at))
    event.add("last-modified", _utc(appointment.updated_at))
    return event


def _session_event(session: GroupSession, *, now: datetime.datetime) -> Event:
    cancelled = session.status == GroupSessionStatus.CANCELLED
    offer = session.offer
    lines = [
        offer.programme.title,
        _("Group session: %(offer)s") % {"offer": offer.title},
        _("Run by: %(organiser)s") % {"organiser": session.organiser},
        _("How: %(channel)s") % {"channel": session.get_channel_display()},
    ]
    if cancelled:
        lines.append(_("This session was cancelled."))
    event = _event(
        uid=session.ics_uid,
        sequence=session.sequence,
        summary=f"{session.title or offer.title} · {PRODUCT_NAME}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=session.location or session.get_channel_display(),
        description="\n".join(lines),
        cancelled=cancelled,
        now=now,
    )
    event.add("created", _utc(session.created_at))
    return event


def _event(
    *,
    uid: str,
    sequence: int,
    summary: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str,
    description: str,
    cancelled: bool,
    now: datetime.datetime,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(now))
    event.add("dtstart", _utc(starts_at))
    event.add("dtend", _utc(ends_at))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def _add_participants(event: Event, appointment: Appointment) -> None:
    """The platform organises; mentor and beneficiary (when they have an email) attend."""
    event.add("organizer", _organizer())
    people = [(appointment.mentor.email, str(appointment.mentor))]
    beneficiary = appointment.beneficiary
    beneficiary_email = beneficiary.email or (beneficiary.user.email if beneficiary.user else "")
    if beneficiary_email:
        people.append((beneficiary_email, beneficiary.name))
    for email, name in people:
        if not email:
            continue
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or PRODUCT_NAME)
    return organizer


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"

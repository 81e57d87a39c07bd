"""Demo data for the agenda: availabilities, past and upcoming appointments, group sessions
with a full one and its waitlist.

Past rows sit on fixed dates (autumn 2026) so attendance figures are stable; upcoming rows are
placed relative to today and created only when missing, so the demo always has a future."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Beneficiary, Enrollment
from programmes.enums import OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Offer
from seances.enums import AppointmentStatus, Channel, RegistrationStatus
from seances.models import (
    Appointment,
    Availability,
    AvailabilityException,
    GroupSession,
    Registration,
)

PARIS = ZoneInfo("Europe/Paris")
# Past appointments: weekdays of September and October 2026, one mentor at a time.
PAST_START = datetime.date(2026, 9, 7)
PAST_STATUSES = [
    AppointmentStatus.ATTENDED,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.NO_SHOW,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.EXCUSED,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.CANCELLED,
]
UPCOMING_SESSIONS = 3
WORKING_DAYS = (0, 2, 4)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def offer_channel(offer: Offer) -> str:
    if offer.kind == OfferKind.HOTLINE or not (offer.channel_in_person or offer.channel_video):
        return Channel.PHONE
    return Channel.IN_PERSON if offer.channel_in_person else Channel.VIDEO


def next_weekday(after: datetime.date, weekday: int) -> datetime.date:
    return after + datetime.timedelta(days=(weekday - after.weekday()) % 7 or 7)


def seed_agenda(today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    offers = list(
        Offer.objects.filter(programme__status=ProgrammeStatus.OPEN)
        .select_related("programme__organization")
        .prefetch_related("mentors")
        .order_by("pk")
    )
    individual = [o for o in offers if o.mode == OfferMode.INDIVIDUAL]
    seed_availabilities(individual)
    seed_past_appointments(individual)
    seed_upcoming_appointments(individual, today)
    seed_group_sessions([o for o in offers if o.mode == OfferMode.GROUP], today)


def seed_availabilities(offers: list[Offer]) -> None:
    """Each mentor gets, per individual offer, a morning and an afternoon window on distinct
    days; hotlines keep their Tuesday and Thursday afternoons."""
    offers_of_mentor: dict[int, int] = {}
    for offer in offers:
        for mentor in offer.mentors.all():
            if offer.kind == OfferKind.HOTLINE:
                windows = [(1, 14, 17), (3, 14, 17)]
            else:
                n = offers_of_mentor.get(mentor.pk, 0)
                offers_of_mentor[mentor.pk] = n + 1
                # Monday, Wednesday, Friday; mornings for a first offer, afternoons next.
                start, end = (9, 12) if n % 2 == 0 else (14, 17)
                windows = [
                    (WORKING_DAYS[n % 3], start, end),
                    (WORKING_DAYS[(n + 1) % 3], start, end),
                ]
            for weekday, start, end in windows:
                Availability.objects.update_or_create(
                    mentor=mentor,
                    offer=offer,
                    weekday=weekday,
                    start_time=datetime.time(start),
                    defaults={
                        "end_time": datetime.time(end),
                        "channel": offer_channel(offer),
                        "location": ""
                        if offer_channel(offer) == Channel.PHONE
                        else offer.programme.organization.name,
                        "buffer_minutes": 15 if offer.kind != OfferKind.HOTLINE else 0,
                    },
                )
    julien = next(
        (m for o in offers for m in o.mentors.all() if m.email == "accompagnant@example.org"),
        None,
    )
    if julien is not None:
        AvailabilityException.objects.get_or_create(
            mentor=julien,
            starts_at=at(datetime.date(2026, 12, 24), 0),
            defaults={"ends_at": at(datetime.date(2027, 1, 4), 0), "reason": "Congés"},
        )


def seed_past_appointments(offers: list[Offer]) -> None:
    """Autumn appointments with their outcome: attendance and no-show rates have figures."""
    if Appointment.objects.filter(starts_at__lt=at(datetime.date(2026, 11, 1), 0)).exists():
        return
    day_of_mentor: dict[int, datetime.date] = {}
    enrollments = (
        Enrollment.objects.filter(offer__in=offers, status__in=ACTIVE_ENROLLMENT_STATUSES)
        .exclude(referent_mentor=None)
        .select_related("offer", "referent_mentor", "beneficiary")
        .order_by("beneficiary__name", "pk")
    )
    for i, enrollment in enumerate(enrollments):
        mentor = enrollment.referent_mentor
        day = day_of_mentor.get(mentor.pk, PAST_START)
        while day.weekday() > 4:
            day += datetime.timedelta(days=1)
        day_of_mentor[mentor.pk] = day + datetime.timedelta(days=1)
        status = PAST_STATUSES[i % len(PAST_STATUSES)]
        starts_at = at(day, 10)
        Appointment.objects.create(
            offer=enrollment.offer,
            mentor=mentor,
            beneficiary=enrollment.beneficiary,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=enrollment.offer.duration_minutes),
            status=status,
            channel=offer_channel(enrollment.offer),
            reason="Faire le point sur l'avancement du projet.",
            booked_by=enrollment.beneficiary.user or mentor,
            cancelled_at=starts_at - datetime.timedelta(days=1)
            if status == AppointmentStatus.CANCELLED
            else None,
            cancel_reason="Empêchement de dernière minute"
            if status == AppointmentStatus.CANCELLED
            else "",
        )


def seed_upcoming_appointments(offers: list[Offer], today: datetime.date) -> None:
    """The demo beneficiary and a few others have a booked appointment next week."""
    now = timezone.now()
    enrollments = (
        Enrollment.objects.filter(offer__in=offers, status__in=ACTIVE_ENROLLMENT_STATUSES)
        .exclude(referent_mentor=None)
        .select_related("offer", "referent_mentor", "beneficiary")
        .order_by(F("beneficiary__user").desc(nulls_last=True), "beneficiary__name", "pk")[:6]
    )
    for n, enrollment in enumerate(enrollments):
        beneficiary = enrollment.beneficiary
        if beneficiary.appointments.filter(
            status=AppointmentStatus.BOOKED, starts_at__gte=now
        ).exists():
            continue
        window = Availability.objects.filter(
            mentor=enrollment.referent_mentor, offer=enrollment.offer
        ).first()
        if window is None:
            continue
        day = next_weekday(today + datetime.timedelta(days=2), window.weekday)
        starts_at = at(day, window.start_time.hour) + datetime.timedelta(
            minutes=(n % 2) * (enrollment.offer.duration_minutes + window.buffer_minutes)
        )
        ends_at = starts_at + datetime.timedelta(minutes=enrollment.offer.duration_minutes)
        if (
            Appointment.objects.holding_time()
            .filter(mentor=enrollment.referent_mentor, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exists()
        ):
            continue
        Appointment.objects.create(
            offer=enrollment.offer,
            mentor=enrollment.referent_mentor,
            beneficiary=beneficiary,
            starts_at=starts_at,
            ends_at=ends_at,
            channel=window.channel,
            location=window.location,
            reason="Préparer la prochaine étape du projet.",
            booked_by=beneficiary.user or enrollment.referent_mentor,
            booked_on_behalf=beneficiary.user is None,
        )


def seed_group_sessions(offers: list[Offer], today: datetime.date) -> None:
    """Three weekly sessions ahead for each group offer; the first workshop session is full
    and has a waitlist."""
    for offer in offers:
        organiser = offer.mentors.order_by("pk").first()
        if organiser is None:
            continue
        first_day = next_weekday(today + datetime.timedelta(days=3), 3)  # a Thursday
        for week in range(UPCOMING_SESSIONS):
            starts_at = at(first_day + datetime.timedelta(weeks=week), 18)
            GroupSession.objects.get_or_create(
                offer=offer,
                starts_at=starts_at,
                defaults={
                    "organiser": organiser,
                    "ends_at": starts_at + datetime.timedelta(minutes=offer.duration_minutes),
                    "capacity": offer.capacity,
                    "channel": offer_channel(offer),
                    "location": offer.programme.organization.name,
                    "title": offer.title,
                },
            )
    workshop = next((o for o in offers if o.kind == OfferKind.WORKSHOP), None)
    if workshop is None:
        return
    session = workshop.group_sessions.filter(starts_at__gte=timezone.now()).order_by("starts_at")
    session = session.first()
    if session is None or session.registrations.exists():
        return
    people = list(
        Beneficiary.objects.filter(organization=workshop.programme.organization).order_by(
            F("user").desc(nulls_last=True), "name"
        )[: session.capacity + 2]
    )
    for i, beneficiary in enumerate(people):
        Registration.objects.create(
            session=session,
            beneficiary=beneficiary,
            status=RegistrationStatus.REGISTERED
            if i < session.capacity
            else RegistrationStatus.WAITLISTED,
        )

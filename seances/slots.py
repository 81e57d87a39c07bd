"""Free slots: a mentor's weekly availability for an offer, expanded per date and cut into
appointments of the offer's duration, less unavailabilities, booked time (with its buffer),
the offer's minimum notice and its booking horizon.

Availability is wall-clock time in Europe/Paris and is expanded per date with
`datetime.combine(date, time, tzinfo=PARIS)`: a weekly 09:00 stays 09:00 across daylight saving.
Whatever the range, three queries: availabilities, unavailabilities, appointments."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q, Value
from django.utils import timezone

from seances.models import Appointment, Availability, AvailabilityException

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


@dataclass(frozen=True)
class Slot:
    """A bookable appointment time with one mentor."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    mentor: object  # accounts.User
    channel: str
    location: str

    @property
    def local_start(self) -> datetime.datetime:
        return self.starts_at.astimezone(PARIS)

    @property
    def local_end(self) -> datetime.datetime:
        return self.ends_at.astimezone(PARIS)


def paris_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The aware instant of a wall-clock time in Paris on `day` (normalised through UTC, so a
    time in the spring-forward gap lands on the real instant)."""
    return datetime.datetime.combine(day, time, tzinfo=PARIS).astimezone(UTC).astimezone(PARIS)


def bookable_bounds(offer, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The earliest and latest start the offer's rules allow at `now`."""
    return (
        now + datetime.timedelta(hours=offer.min_notice_hours),
        now + datetime.timedelta(days=offer.horizon_days),
    )


def free_slots(
    *,
    offer,
    mentor,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
    exclude: Appointment | None = None,
) -> list[Slot]:
    """The mentor's free slots for `offer` on the dates [start, end] (Paris), in time order.

    `exclude`: an appointment whose time counts as free (the one being rescheduled)."""
    return _free_slots(
        offer=offer, mentors=[mentor], start=start, end=end, now=now, exclude=exclude
    )


def first_available(
    *,
    offer,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
    exclude: Appointment | None = None,
) -> list[Slot]:
    """Free slots of every mentor of the offer, merged in time order ("first available")."""
    mentors = list(offer.mentors.filter(is_active=True).order_by("last_name", "first_name", "pk"))
    return _free_slots(offer=offer, mentors=mentors, start=start, end=end, now=now, exclude=exclude)


def _free_slots(
    *,
    offer,
    mentors: Iterable,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None,
    exclude: Appointment | None,
) -> list[Slot]:
    mentors = {m.pk: m for m in mentors}
    if not mentors or end < start:
        return []
    now = now or timezone.now()
    earliest, latest = bookable_bounds(offer, now)
    # Clamp the dates to what the rules allow: no work for weeks nobody may book.
    start = max(start, earliest.astimezone(PARIS).date())
    end = min(end, latest.astimezone(PARIS).date())
    if end < start:
        return []
    range_start = paris_datetime(start, datetime.time.min)
    range_end = paris_datetime(end + datetime.timedelta(days=1), datetime.time.min)

    availabilities = list(
        Availability.objects.filter(mentor_id__in=mentors, offer=offer, is_active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .order_by("weekday", "start_time", "pk")
    )
    if not availabilities:
        return []
    max_buffer = datetime.timedelta(minutes=max(a.buffer_minutes for a in availabilities))
    busy: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)
    booked: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)
    # The mentors' exceptions and their appointments holding time, in one query (tagged).
    exceptions = (
        AvailabilityException.objects.filter(
            mentor_id__in=mentors, starts_at__lt=range_end, ends_at__gt=range_start
        )
        .order_by()
        .annotate(tag=Value(0))
        .values_list("tag", "mentor_id", "starts_at", "ends_at")
    )
    appointments = Appointment.objects.holding_time().filter(
        mentor_id__in=mentors,
        starts_at__lt=range_end + max_buffer,
        ends_at__gt=range_start - max_buffer,
    )
    if exclude is not None and exclude.pk is not None:
        appointments = appointments.exclude(pk=exclude.pk)
    appointments = (
        appointments.order_by()
        .annotate(tag=Value(1))
        .values_list("tag", "mentor_id", "starts_at", "ends_at")
    )
    for tag, mentor_id, starts_at, ends_at in exceptions.union(appointments, all=True):
        (booked if tag else busy)[mentor_id].append((starts_at, ends_at))

    duration = datetime.timedelta(minutes=offer.duration_minutes)
    by_weekday: dict[int, list[Availability]] = defaultdict(list)
    for availability in availabilities:
        by_weekday[availability.weekday].append(availability)
    slots: dict[tuple[int, datetime.datetime], Slot] = {}
    day = start
    while day <= end:
        for availability in by_weekday.get(day.weekday(), ()):
            if availability.valid_from and day < availability.valid_from:
                continue
            if availability.valid_until and day > availability.valid_until:
                continue
            mentor_id = availability.mentor_id
            buffer = datetime.timedelta(minutes=availability.buffer_minutes)
            window_end = paris_datetime(day, availability.end_time)
            slot_start = paris_datetime(day, availability.start_time)
            while slot_start + duration <= window_end:
                slot_end = slot_start + duration
                key = (mentor_id, slot_start)
                if (
                    earliest <= slot_start <= latest
                    and key not in slots
                    and not _overlaps(slot_start, slot_end, busy[mentor_id])
                    and not _overlaps(slot_start - buffer, slot_end + buffer, booked[mentor_id])
                ):
                    slots[key] = Slot(
                        starts_at=slot_start,
                        ends_at=slot_end,
                        mentor=mentors[mentor_id],
                        channel=availability.channel,
                        location=availability.location,
                    )
                slot_start = slot_end + buffer
        day += datetime.timedelta(days=1)
    return sorted(slots.values(), key=lambda s: (s.starts_at, str(s.mentor), s.mentor.pk))


def _overlaps(
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    periods: list[tuple[datetime.datetime, datetime.datetime]],
) -> bool:
    return any(
        starts_at < other_end and ends_at > other_start for other_start, other_end in periods
    )

"""Reads of the public catalogue: published open programmes, their upcoming group sessions
with the seats left, and the open events. Nothing here needs a login: only what a
programme's coordinators chose to publish, never a person's data."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from programmes.enums import ProgrammeStatus
from programmes.models import Offer, Programme, Theme
from seances.enums import GroupSessionStatus, RegistrationStatus
from seances.models import GroupSession
from seances.services.groups import SEAT_STATUSES


def published_programmes() -> QuerySet[Programme]:
    """Programmes listed on the catalogue: published, open, with an address."""
    return Programme.objects.filter(
        is_published=True, status=ProgrammeStatus.OPEN, slug__isnull=False
    ).exclude(slug="")


def with_seats(sessions: QuerySet[GroupSession]) -> QuerySet[GroupSession]:
    """Annotate `seats_taken` and `waitlisted` (one query for the whole list)."""
    return sessions.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)),
        waitlisted=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


def seats_left(session: GroupSession) -> int:
    """Free seats of a session annotated by `with_seats`."""
    return max(session.capacity - session.seats_taken, 0)


def upcoming_public_sessions(now: datetime.datetime | None = None) -> QuerySet[GroupSession]:
    """Scheduled group sessions of published programmes, starting in the future."""
    now = now or timezone.now()
    return with_seats(
        GroupSession.objects.filter(
            offer__programme__in=published_programmes(),
            status=GroupSessionStatus.SCHEDULED,
            starts_at__gt=now,
        )
        .select_related("offer__programme")
        .order_by("starts_at", "pk")
    )


def open_events(now: datetime.datetime | None = None) -> QuerySet[GroupSession]:
    """The open events people without an account may register for."""
    return upcoming_public_sessions(now).filter(is_open_event=True)


def catalogue_programme(slug: str) -> Programme | None:
    """A published programme with its active offers (and their themes) prefetched, in a
    constant number of queries; None when there is no such page."""
    offers = (
        Offer.objects.filter(is_active=True)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("kind", "title", "pk")
    )
    return (
        published_programmes()
        .select_related("organization")
        .prefetch_related(Prefetch("offers", queryset=offers, to_attr="public_offers"))
        .filter(slug=slug)
        .first()
    )


def programme_sessions(programme: Programme) -> list[GroupSession]:
    """The programme's upcoming group sessions, with `seats_left` and `is_full` set."""
    sessions = list(
        upcoming_public_sessions().filter(offer__programme=programme).select_related("offer")
    )
    for session in sessions:
        session.seats_left = seats_left(session)
        session.is_full = session.seats_left == 0
    return sessions


def theme_names() -> list[str]:
    """Names of the themes the published programmes' offers address (the theme filter)."""
    return list(
        Theme.objects.filter(offers__programme__in=published_programmes(), is_active=True)
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )


def territories() -> list[str]:
    """Territories of the published programmes (the territory filter)."""
    return list(
        published_programmes()
        .exclude(territory="")
        .values_list("territory", flat=True)
        .distinct()
        .order_by("territory")
    )

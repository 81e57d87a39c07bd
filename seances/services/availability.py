"""Mentors' weekly availability and unavailabilities (issue 4, item 1).

A mentor manages their own; a coordinator manages those of the mentors of their structures,
for the offers of those structures. Two active weekly rows of one mentor never overlap on the
same weekday (whatever the offer: a mentor is in one place at a time), unless their validity
periods are disjoint (summer and winter hours, say)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import Membership, User
from accounts.rules import can
from programmes.enums import OfferMode, ProgrammeStatus
from programmes.models import Offer
from seances.enums import Channel
from seances.models import Availability, AvailabilityException

AVAILABILITY_FIELDS = frozenset(
    {
        "offer",
        "weekday",
        "start_time",
        "end_time",
        "channel",
        "location",
        "buffer_minutes",
        "valid_from",
        "valid_until",
        "is_active",
    }
)
MAX_BUFFER_MINUTES = 240

# Offer field telling whether a channel is open, per Channel value.
CHANNEL_FIELDS = {
    Channel.IN_PERSON: "channel_in_person",
    Channel.PHONE: "channel_phone",
    Channel.VIDEO: "channel_video",
}


# Who manages whose agenda


def mentors_managed_by(user: User) -> QuerySet[User]:
    """The mentors whose agenda `user` may open: themselves if they mentor, and the mentors of
    the structures they coordinate (every mentor for an administrator)."""
    if not user.is_authenticated:
        return User.objects.none()
    memberships = Membership.objects.filter(role=Role.MENTOR, is_active=True)
    if not user.is_superuser:
        memberships = memberships.filter(
            Q(organization_id__in=user.organization_ids_with_role(Role.COORDINATOR)) | Q(user=user)
        )
    return User.objects.filter(pk__in=memberships.values("user_id"))


def can_manage_agenda(user: User, mentor: User) -> bool:
    """The mentor themselves, a coordinator of one of the mentor's structures, an admin."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.pk == mentor.pk:
        return user.is_mentor
    return Membership.objects.filter(
        user=mentor,
        role=Role.MENTOR,
        is_active=True,
        organization_id__in=user.organization_ids_with_role(Role.COORDINATOR),
    ).exists()


def offers_for_availability(*, mentor: User, acting_user: User) -> QuerySet[Offer]:
    """Individual offers `mentor` runs, of programmes not closed, that `acting_user` may
    schedule: all of them for the mentor, those of their structures for a coordinator."""
    offers = Offer.objects.filter(mentors=mentor, mode=OfferMode.INDIVIDUAL).exclude(
        programme__status=ProgrammeStatus.CLOSED
    )
    if acting_user.is_superuser or acting_user.pk == mentor.pk:
        return offers
    return offers.filter(
        programme__organization_id__in=acting_user.organization_ids_with_role(Role.COORDINATOR)
    )


def _may_schedule(user: User, mentor: User, offer: Offer) -> bool:
    """Whether `user` may put `offer` on `mentor`'s agenda, which they manage: a coordinator
    only the offers of their structures (whether the mentor runs it is a validation error)."""
    if user.is_superuser or user.pk == mentor.pk:
        return True
    return offer.programme.organization_id in user.organization_ids_with_role(Role.COORDINATOR)


def can_manage_availability(user: User, availability: Availability) -> bool:
    """A row is managed by its mentor, or by a coordinator of its offer's structure who
    coordinates the mentor."""
    return can(user, "availability.manage", availability)


# Checks


def offer_channels(offer: Offer) -> list[str]:
    return [value for value, field in CHANNEL_FIELDS.items() if getattr(offer, field)]


def _periods_meet(
    a_from: datetime.date | None,
    a_until: datetime.date | None,
    b_from: datetime.date | None,
    b_until: datetime.date | None,
) -> bool:
    """Whether two validity periods (open-ended when None) share at least one day."""
    if a_until is not None and b_from is not None and a_until < b_from:
        return False
    return not (b_until is not None and a_from is not None and b_until < a_from)


def overlapping_availabilities(availability: Availability) -> QuerySet[Availability]:
    """The mentor's other active rows on the same weekday whose hours and validity meet it."""
    candidates = (
        Availability.objects.filter(
            mentor_id=availability.mentor_id,
            weekday=availability.weekday,
            is_active=True,
            start_time__lt=availability.end_time,
            end_time__gt=availability.start_time,
        )
        .exclude(pk=availability.pk)
        .select_related("offer")
        .order_by("start_time")
    )
    ids = [
        row.pk
        for row in candidates
        if _periods_meet(
            availability.valid_from, availability.valid_until, row.valid_from, row.valid_until
        )
    ]
    return candidates.filter(pk__in=ids)


def _availability_errors(availability: Availability) -> dict[str, str]:
    errors: dict[str, str] = {}
    offer = availability.offer
    if offer.programme.status == ProgrammeStatus.CLOSED:
        errors["offer"] = _("This programme is closed.")
    elif offer.mode != OfferMode.INDIVIDUAL:
        errors["offer"] = _(
            "Group offers are scheduled as group sessions, not with weekly availability."
        )
    elif not offer.mentors.filter(pk=availability.mentor_id).exists():
        errors["offer"] = _("This person is not a mentor of this offer.")
    elif availability.channel not in offer_channels(offer):
        errors["channel"] = _("This offer does not run through this channel.")
    if availability.end_time <= availability.start_time:
        errors["end_time"] = _("The end time must be after the start time.")
    if (
        availability.valid_from
        and availability.valid_until
        and availability.valid_until < availability.valid_from
    ):
        errors["valid_until"] = _("The end of validity must be on or after its start.")
    if availability.buffer_minutes > MAX_BUFFER_MINUTES:
        errors["buffer_minutes"] = _("A buffer of at most four hours.")
    if not errors and availability.is_active:
        clash = overlapping_availabilities(availability).first()
        if clash is not None:
            errors["__all__"] = _(
                "This overlaps another availability on %(day)s, %(start)s–%(end)s (%(offer)s): "
                "a mentor cannot be booked twice at the same time."
            ) % {
                "day": clash.get_weekday_display(),
                "start": clash.start_time.strftime("%H:%M"),
                "end": clash.end_time.strftime("%H:%M"),
                "offer": clash.offer.title,
            }
    return errors


def _lock_mentor(mentor: User) -> None:
    """Serialise the writes on one mentor's agenda, so two concurrent saves cannot both pass
    the overlap check (a no-op on SQLite, which writes one transaction at a time anyway)."""
    User.objects.select_for_update().filter(pk=mentor.pk).first()


def _save(availability: Availability) -> Availability:
    _lock_mentor(availability.mentor)
    errors = _availability_errors(availability)
    if errors:
        raise ValidationError(errors)
    availability.save()
    return availability


# Weekly availability


@transaction.atomic
def availability_create(*, mentor: User, offer: Offer, acting_user: User, **fields) -> Availability:
    """Add a weekly window to a mentor's agenda for one of their offers."""
    unknown = set(fields) - AVAILABILITY_FIELDS
    if unknown:
        raise TypeError(f"availability_create() got unexpected fields: {sorted(unknown)}")
    if not can_manage_agenda(acting_user, mentor) or not _may_schedule(acting_user, mentor, offer):
        raise PermissionDenied
    availability = Availability(mentor=mentor, offer=offer, **fields)
    return _save(availability)


@transaction.atomic
def availability_update(
    *, availability: Availability, acting_user: User, **changes
) -> Availability:
    """Change a weekly window; the appointments already booked in it stay as they are."""
    unknown = set(changes) - AVAILABILITY_FIELDS
    if unknown:
        raise TypeError(f"availability_update() got unexpected fields: {sorted(unknown)}")
    if not can_manage_availability(acting_user, availability):
        raise PermissionDenied
    new_offer = changes.get("offer")
    if new_offer is not None and not _may_schedule(acting_user, availability.mentor, new_offer):
        raise PermissionDenied
    for name, value in changes.items():
        setattr(availability, name, value)
    return _save(availability)


@transaction.atomic
def availability_delete(*, availability: Availability, acting_user: User) -> None:
    """Remove a weekly window; the appointments already booked in it stay as they are."""
    if not can_manage_availability(acting_user, availability):
        raise PermissionDenied
    availability.delete()


# Unavailabilities


@transaction.atomic
def exception_create(
    *,
    mentor: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str = "",
    acting_user: User,
) -> AvailabilityException:
    """Block a period of a mentor's agenda (holidays, a one-off block): no slot is offered in
    it; appointments already booked there stay, for the mentor to move or cancel."""
    if not can_manage_agenda(acting_user, mentor):
        raise PermissionDenied
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    return AvailabilityException.objects.create(
        mentor=mentor, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()
    )


@transaction.atomic
def exception_delete(*, exception: AvailabilityException, acting_user: User) -> None:
    """Lift an unavailability."""
    if not can_manage_agenda(acting_user, exception.mentor):
        raise PermissionDenied
    exception.delete()

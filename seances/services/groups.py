"""Group sessions (trainings, workshops, co-development groups), their registrations and
waitlist.

The capacity guard: every write that takes or frees a seat first locks the session row
(`select_for_update(of=("self",))`) inside the transaction, then counts and writes. Writers of
one session are therefore serialised by PostgreSQL: a session never holds more registered
people than its capacity, and the waitlist is promoted in order (registered_at, pk).
On SQLite (single writer) the same code runs and the lock is a no-op.

The permission rules of this area live here, as pure-ish functions next to the services that
enforce them (the views use the same functions to show or hide buttons).
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import User
from accounts.rules import can
from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Beneficiary, Enrollment
from programmes.enums import BookingAudience, OfferMode, ProgrammeStatus
from programmes.models import Offer
from seances import emails
from seances.enums import (
    ACTIVE_REGISTRATION_STATUSES,
    ATTENDANCE_FROM_REGISTRATION,
    Channel,
    GroupSessionStatus,
    RegistrationStatus,
)
from seances.models import Attendance, GroupSession, Registration

PARIS = ZoneInfo("Europe/Paris")
MAX_SERIES_WEEKS = 52
# Statuses that hold a seat: the registered, and after the start their attendance outcome.
SEAT_STATUSES = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.EXCUSED,
    RegistrationStatus.NO_SHOW,
)
OUTCOME_STATUSES = (
    RegistrationStatus.ATTENDED,
    RegistrationStatus.EXCUSED,
    RegistrationStatus.NO_SHOW,
)
CHANNEL_FIELDS = {
    Channel.IN_PERSON: "channel_in_person",
    Channel.PHONE: "channel_phone",
    Channel.VIDEO: "channel_video",
}


# Who may do what


def can_create_group_session(user, offer: Offer) -> bool:
    """Coordinators of the programme's structure and the offer's mentors schedule sessions."""
    return can(user, "group_session.create", offer)


def can_manage_group_session(user, session: GroupSession) -> bool:
    """The organiser, the offer's mentors and the structure's coordinators run a session:
    edit it, cancel it, register people on their behalf, mark attendance."""
    return can(user, "group_session.manage", session)


def group_offers_managed_by(user) -> QuerySet[Offer]:
    """The group offers in which `user` may schedule sessions."""
    offers = Offer.objects.filter(mode=OfferMode.GROUP).exclude(
        programme__status=ProgrammeStatus.CLOSED
    )
    if not user.is_authenticated:
        return offers.none()
    if user.is_superuser:
        return offers
    return offers.filter(
        Q(programme__organization_id__in=user.organization_ids_with_role(Role.COORDINATOR))
        | Q(pk__in=Offer.objects.filter(mentors=user).values("pk"))
    )


def organisers_for(offers: Iterable[Offer] | QuerySet[Offer]) -> QuerySet[User]:
    """Who may organise sessions of `offers`: their mentors and their structure's
    coordinators."""
    if isinstance(offers, QuerySet):
        offer_ids = offers.values("pk")
    else:
        offer_ids = [offer.pk for offer in offers]
    organization_ids = Offer.objects.filter(pk__in=offer_ids).values("programme__organization_id")
    return (
        User.objects.filter(
            Q(pk__in=Offer.mentors.through.objects.filter(offer_id__in=offer_ids).values("user_id"))
            | Q(
                pk__in=User.objects.filter(
                    memberships__organization_id__in=organization_ids,
                    memberships__role=Role.COORDINATOR,
                    memberships__is_active=True,
                ).values("pk")
            )
        )
        .filter(is_active=True)
        .order_by("last_name", "first_name", "email")
    )


def may_self_register(user, session: GroupSession) -> bool:
    """Whether `user` may register themselves: a beneficiary enrolled in the offer, or any
    beneficiary when the offer is open to anyone with the link."""
    beneficiary = getattr(user, "beneficiary_profile", None) if user.is_authenticated else None
    if beneficiary is None:
        return False
    if session.offer.booking_audience == BookingAudience.LINK:
        return True
    return Enrollment.objects.filter(
        beneficiary=beneficiary, offer_id=session.offer_id, status__in=ACTIVE_ENROLLMENT_STATUSES
    ).exists()


def registrable_beneficiaries(session: GroupSession, user) -> QuerySet[Beneficiary]:
    """The people `user` may register on their behalf: the programme's beneficiaries they can
    see (enrolled in one of its offers; with an offer open to anyone with the link, also the
    structure's other beneficiaries). Empty for who does not run the session."""
    if not can_manage_group_session(user, session):
        return Beneficiary.objects.none()
    programme = session.offer.programme
    in_programme = Q(
        pk__in=Enrollment.objects.filter(
            offer__programme_id=programme.pk, status__in=ACTIVE_ENROLLMENT_STATUSES
        ).values("beneficiary_id")
    )
    if session.offer.booking_audience == BookingAudience.LINK:
        in_programme |= Q(organization_id=programme.organization_id)
    return Beneficiary.objects.visible_to(user).filter(in_programme).order_by("name", "pk")


# Helpers


def _locked(session: GroupSession) -> GroupSession:
    """The session row, locked until the end of the transaction (must run inside one)."""
    return (
        GroupSession.objects.select_for_update(of=("self",))
        .select_related("offer__programme")
        .get(pk=session.pk)
    )


def seats_taken(session: GroupSession) -> int:
    return session.registrations.filter(status__in=SEAT_STATUSES).count()


def _fill_free_seats(session: GroupSession, now: datetime.datetime) -> list[Registration]:
    """Promote the first people of the waitlist, in order, to the seats that are free.
    The caller holds the session lock."""
    if session.status != GroupSessionStatus.SCHEDULED or session.starts_at <= now:
        return []
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .select_related("beneficiary__user")
        .order_by("registered_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
    return promoted


def _check_schedule(
    *,
    offer: Offer,
    organiser,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    channel: str,
    now: datetime.datetime,
) -> None:
    errors: dict[str, str] = {}
    if offer.mode != OfferMode.GROUP:
        errors["offer"] = _("Sessions can only be scheduled for a group offer.")
    elif offer.programme.status == ProgrammeStatus.CLOSED:
        errors["offer"] = _("This programme is closed: no new session can be scheduled.")
    if starts_at <= now:
        errors["starts_at"] = _("The session must start in the future.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if capacity is None or capacity < 1:
        errors["capacity"] = _("A session has at least one seat.")
    if channel not in CHANNEL_FIELDS:
        errors["channel"] = _("Choose a channel.")
    elif not getattr(offer, CHANNEL_FIELDS[channel]):
        errors["channel"] = _("This offer is not run through this channel.")
    if organiser is None or not organisers_for([offer]).filter(pk=organiser.pk).exists():
        errors["organiser"] = _(
            "The organiser must be a mentor of the offer or a coordinator of its structure."
        )
    if errors:
        raise ValidationError(errors)


# Sessions


def group_session_create(
    *,
    offer: Offer,
    organiser,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int | None = None,
    title: str = "",
    channel: str,
    location: str = "",
    is_open_event: bool = False,
    public_description: str = "",
    acting_user,
) -> GroupSession:
    """Schedule one occurrence of a group offer."""
    sessions = group_session_create_series(
        offer=offer,
        organiser=organiser,
        first_starts_at=starts_at,
        first_ends_at=ends_at,
        weeks=1,
        capacity=capacity,
        title=title,
        channel=channel,
        location=location,
        is_open_event=is_open_event,
        public_description=public_description,
        acting_user=acting_user,
    )
    return sessions[0]


def weekly_occurrences(
    first_starts_at: datetime.datetime, first_ends_at: datetime.datetime, weeks: int
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """`weeks` weekly (start, end) pairs at the same Europe/Paris wall-clock time: 18:00 stays
    18:00 across a daylight-saving change (the UTC offset changes, not the local time)."""
    local_start = first_starts_at.astimezone(PARIS).replace(tzinfo=None)
    local_end = first_ends_at.astimezone(PARIS).replace(tzinfo=None)
    return [
        (
            (local_start + datetime.timedelta(weeks=week)).replace(tzinfo=PARIS),
            (local_end + datetime.timedelta(weeks=week)).replace(tzinfo=PARIS),
        )
        for week in range(weeks)
    ]


def group_session_create_series(
    *,
    offer: Offer,
    organiser,
    first_starts_at: datetime.datetime,
    first_ends_at: datetime.datetime,
    weeks: int,
    capacity: int | None = None,
    title: str = "",
    channel: str,
    location: str = "",
    is_open_event: bool = False,
    public_description: str = "",
    acting_user,
) -> list[GroupSession]:
    """Schedule `weeks` weekly occurrences of a group offer at the same local time; all or
    none are created."""
    if not can_create_group_session(acting_user, offer):
        raise PermissionDenied
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        raise ValidationError(
            {"weeks": _("Between 1 and %(max)s weekly occurrences.") % {"max": MAX_SERIES_WEEKS}}
        )
    capacity = offer.capacity if capacity is None else capacity
    now = timezone.now()
    _check_schedule(
        offer=offer,
        organiser=organiser,
        starts_at=first_starts_at,
        ends_at=first_ends_at,
        capacity=capacity,
        channel=channel,
        now=now,
    )
    with transaction.atomic():
        return [
            GroupSession.objects.create(
                offer=offer,
                organiser=organiser,
                title=title.strip(),
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=capacity,
                channel=channel,
                location=location.strip(),
                is_open_event=is_open_event,
                public_description=public_description.strip(),
            )
            for starts_at, ends_at in weekly_occurrences(first_starts_at, first_ends_at, weeks)
        ]


def group_session_update(
    *,
    session: GroupSession,
    organiser,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    title: str = "",
    channel: str,
    location: str = "",
    is_open_event: bool | None = None,
    public_description: str | None = None,
    acting_user,
) -> GroupSession:
    """Change a scheduled session. The capacity cannot drop below the seats already taken;
    raising it promotes the waitlist. The public fields left None stay as they are."""
    if not can_manage_group_session(acting_user, session):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != GroupSessionStatus.SCHEDULED:
            raise ValidationError(_("A cancelled session cannot be changed."))
        if locked.starts_at <= now:
            raise ValidationError(_("This session has already started: it cannot be changed."))
        _check_schedule(
            offer=locked.offer,
            organiser=organiser,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            channel=channel,
            now=now,
        )
        taken = seats_taken(locked)
        if capacity < taken:
            raise ValidationError(
                {
                    "capacity": _("%(count)s people are registered: the capacity cannot be lower.")
                    % {"count": taken}
                }
            )
        # Calendars (ICS SEQUENCE) must see a change of time or place as a new version.
        moved = (
            locked.starts_at != starts_at
            or locked.ends_at != ends_at
            or locked.channel != channel
            or locked.location != location.strip()
        )
        locked.organiser = organiser
        locked.starts_at = starts_at
        locked.ends_at = ends_at
        locked.capacity = capacity
        locked.title = title.strip()
        locked.channel = channel
        locked.location = location.strip()
        if is_open_event is not None:
            locked.is_open_event = is_open_event
        if public_description is not None:
            locked.public_description = public_description.strip()
        if moved:
            locked.sequence += 1
        locked.save()
        if moved:
            emails.reschedule_group_session_reminders(locked)
        for registration in _fill_free_seats(locked, now):
            emails.send_waitlist_promoted(registration)
    return locked


def group_session_cancel(*, session: GroupSession, acting_user, reason: str) -> GroupSession:
    """Cancel a session; every registered or waitlisted person is informed."""
    if not can_manage_group_session(acting_user, session):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        if locked.status == GroupSessionStatus.CANCELLED:
            raise ValidationError(_("This session is already cancelled."))
        if locked.starts_at <= now:
            raise ValidationError(_("This session has already started: it cannot be cancelled."))
        locked.status = GroupSessionStatus.CANCELLED
        locked.cancelled_at = now
        locked.cancel_reason = reason
        locked.sequence += 1
        locked.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence"])
        # Registrations keep their status: the list shows who was expected, the emails say
        # the session will not take place.
        registrations = list(
            locked.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES)
            .select_related("beneficiary__user")
            .order_by("registered_at", "pk")
        )
        emails.send_group_session_cancelled(locked, registrations)
    return locked


# Registrations


def registration_create(
    *, session: GroupSession, beneficiary: Beneficiary, acting_user, open_event: bool = False
) -> Registration:
    """Register a beneficiary: a seat when one is free, else a place on the waitlist.

    `open_event=True` is the public registration to an open event from the catalogue
    (outreach.services.catalogue): a person without an account registers themselves, so
    `acting_user` is None and the rule is that the event is open and the record belongs
    to the event's structure."""
    if open_event:
        allowed = (
            session.is_open_event
            and beneficiary.organization_id == session.offer.programme.organization_id
        )
    elif beneficiary.user_id is None or beneficiary.user_id != acting_user.pk:
        allowed = registrable_beneficiaries(session, acting_user).filter(pk=beneficiary.pk).exists()
    else:
        allowed = may_self_register(acting_user, session)
    if not allowed:
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != GroupSessionStatus.SCHEDULED:
            raise ValidationError(_("This session is cancelled."))
        if locked.starts_at <= now:
            raise ValidationError(_("This session has already started."))
        already = _("%(name)s is already registered for this session or on its waitlist.") % {
            "name": beneficiary.name
        }
        if locked.registrations.filter(
            beneficiary=beneficiary, status__in=ACTIVE_REGISTRATION_STATUSES
        ).exists():
            raise ValidationError(already)
        status = (
            RegistrationStatus.REGISTERED
            if seats_taken(locked) < locked.capacity
            else RegistrationStatus.WAITLISTED
        )
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    session=locked,
                    beneficiary=beneficiary,
                    status=status,
                    booked_by=acting_user,
                )
        except IntegrityError as error:  # the unique constraint: one active per person
            raise ValidationError(already) from error
        emails.send_registration_confirmed(registration)
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the waitlist; None when not waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def cancel_deadline(session: GroupSession) -> datetime.datetime:
    """Until when the beneficiary may give up their seat themselves."""
    return session.starts_at - datetime.timedelta(hours=session.offer.cancel_until_hours)


def may_cancel_registration(user, registration: Registration, now=None) -> bool:
    """The beneficiary (a seat: within the offer's rules; the waitlist: until the start) or
    whoever runs the session, while the session has not started."""
    now = now or timezone.now()
    session = registration.session
    if registration.status not in ACTIVE_REGISTRATION_STATUSES:
        return False
    if session.status != GroupSessionStatus.SCHEDULED or session.starts_at <= now:
        return False
    if can_manage_group_session(user, session):
        return True
    if registration.beneficiary.user_id is None or registration.beneficiary.user_id != user.pk:
        return False
    if registration.status == RegistrationStatus.WAITLISTED:
        return True
    return session.offer.cancel_allowed and now <= cancel_deadline(session)


def _refuse_cancellation(user, registration: Registration, now: datetime.datetime) -> None:
    """Say why `user` may not cancel `registration` (raises)."""
    session = registration.session
    own = registration.beneficiary.user_id is not None and (
        registration.beneficiary.user_id == user.pk
    )
    if not (own or can_manage_group_session(user, session)):
        raise PermissionDenied
    if session.status != GroupSessionStatus.SCHEDULED or session.starts_at <= now:
        raise ValidationError(_("This session is over or cancelled."))
    if not session.offer.cancel_allowed:
        raise ValidationError(
            _("This offer does not allow cancelling online: please contact the organiser.")
        )
    raise ValidationError(
        _(
            "Registrations can no longer be cancelled online %(hours)s hours or less before "
            "the session: please contact the organiser."
        )
        % {"hours": session.offer.cancel_until_hours}
    )


def registration_cancel(*, registration: Registration, acting_user) -> Registration:
    """Give up a seat or a place on the waitlist; a freed seat goes to the first person
    waiting, in the same transaction."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(registration.session)
        current = Registration.objects.select_related("beneficiary").get(pk=registration.pk)
        current.session = locked
        if current.status not in ACTIVE_REGISTRATION_STATUSES:
            raise ValidationError(_("This registration is already cancelled."))
        if not may_cancel_registration(acting_user, current, now):
            _refuse_cancellation(acting_user, current, now)
        held_a_seat = current.status == RegistrationStatus.REGISTERED
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        emails.cancel_registration_reminders(current)
        if held_a_seat:
            for promoted in _fill_free_seats(locked, now):
                emails.send_waitlist_promoted(promoted)
    return current


def registration_set_status(
    *, registration: Registration, status: str, acting_user
) -> Registration:
    """Record attendance (attended, excused, no-show) once the session has started."""
    session = registration.session
    if not can_manage_group_session(acting_user, session):
        raise PermissionDenied
    if status not in OUTCOME_STATUSES:
        raise ValidationError(_("Choose attended, excused or no-show."))
    if session.status != GroupSessionStatus.SCHEDULED:
        raise ValidationError(_("This session was cancelled."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the session has started."))
    if registration.status not in SEAT_STATUSES:
        raise ValidationError(_("Only people holding a seat have an attendance."))
    with transaction.atomic():
        registration.status = status
        registration.save(update_fields=["status"])
        # The séance opened from this session, if any, shows the same attendance.
        Attendance.objects.filter(
            seance__group_session=session, beneficiary_id=registration.beneficiary_id
        ).update(status=ATTENDANCE_FROM_REGISTRATION[status])
    return registration

"""Individual appointments: book, cancel, reschedule, record the outcome.

Every rule of the offer is checked here, whoever calls (page, signed link, on-behalf page,
API): who may book, minimum notice, horizon, maximum upcoming bookings, the beneficiary's
cancel and reschedule windows. The slot is recomputed from the mentor's availability, never
taken from the client. A mentor's time-holding appointments never overlap: PostgreSQL holds it
with an exclusion constraint (a concurrent booking raises IntegrityError, turned into the
"slot taken" message); the same overlap is also checked here so SQLite behaves alike."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from beneficiaires.models import Enrollment
from programmes.enums import BookingAudience, OfferMode, ProgrammeStatus
from programmes.models import Offer
from seances import emails
from seances.enums import ATTENDANCE_FROM_APPOINTMENT, ActorRole, AppointmentStatus
from seances.models import Appointment, Attendance
from seances.slots import PARIS, Slot, bookable_bounds, free_slots

SLOT_TAKEN = gettext_lazy("This slot has just been booked.")
OVERLAP_CONSTRAINT = "appointment_no_overlap_per_mentor"  # migration 0002, PostgreSQL only
DEADLOCK_DETECTED = "40P01"  # PostgreSQL error code
OUTCOME_STATUSES = (
    AppointmentStatus.ATTENDED,
    AppointmentStatus.EXCUSED,
    AppointmentStatus.NO_SHOW,
)
REASON_MAX_LENGTH = 2000


# --- Who may do what (pure questions, at most a small query) -------------------------------


def is_coordinator_of(user, offer) -> bool:
    """Coordinators of the organisation running the offer's programme (and administrators)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or offer.programme.organization_id in (
        user.organization_ids_with_role(Role.COORDINATOR)
    )


def is_referent_of(user, beneficiary) -> bool:
    """Whether `user` is the referent mentor of one of the beneficiary's active enrollments."""
    if user is None or not user.is_authenticated:
        return False
    return (
        Enrollment.objects.filter(beneficiary=beneficiary, referent_mentor=user).active().exists()
    )


def is_enrolled(beneficiary, offer) -> bool:
    return Enrollment.objects.filter(beneficiary=beneficiary, offer=offer).active().exists()


def is_own_record(user, beneficiary) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and beneficiary.user_id is not None
        and beneficiary.user_id == user.pk
    )


def can_book_on_behalf(user, beneficiary, offer) -> bool:
    """Coordinators of the programme's organisation for a beneficiary they follow; the
    beneficiary's referent mentor; a mentor of the offer for a beneficiary enrolled in it."""
    if user is None or not user.is_authenticated:
        return False
    if is_coordinator_of(user, offer):
        if user.is_superuser:
            return True
        from beneficiaires.models import Beneficiary

        return Beneficiary.objects.visible_to(user).filter(pk=beneficiary.pk).exists()
    if not user.is_mentor:
        return False
    if is_referent_of(user, beneficiary):
        return True
    return offer.mentors.filter(pk=user.pk).exists() and is_enrolled(beneficiary, offer)


def actor_role(user, appointment, *, signed_link: bool = False) -> str | None:
    """The role in which `user` acts on the appointment, None when they may not.

    The holder of the signed link from the email is the beneficiary."""
    if signed_link or is_own_record(user, appointment.beneficiary):
        return ActorRole.BENEFICIARY
    if user is None or not user.is_authenticated:
        return None
    if is_coordinator_of(user, appointment.offer):
        return ActorRole.COORDINATOR
    if appointment.mentor_id == user.pk or (
        user.is_mentor and is_referent_of(user, appointment.beneficiary)
    ):
        return ActorRole.MENTOR
    return None


def cancel_refusal(appointment, role: str | None, now: datetime.datetime) -> ValidationError | None:
    """Why `role` may not cancel the appointment now (a ValidationError to raise or show), or
    None when they may."""
    if role is None:
        return ValidationError(_("You may not cancel this appointment."), code="forbidden")
    if appointment.status != AppointmentStatus.BOOKED:
        return ValidationError(_("Only a booked appointment can be cancelled."), code="not_booked")
    if role != ActorRole.BENEFICIARY:
        return None
    offer = appointment.offer
    if not offer.cancel_allowed:
        return ValidationError(
            _("This appointment cannot be cancelled online: please contact your mentor."),
            code="cancel_not_allowed",
        )
    if now > appointment.starts_at - datetime.timedelta(hours=offer.cancel_until_hours):
        return ValidationError(
            _(
                "It is too late to cancel online: cancellation is possible until %(hours)s "
                "hours before the appointment. Please contact your mentor."
            ),
            code="cancel_window_passed",
            params={"hours": offer.cancel_until_hours},
        )
    return None


def reschedule_refusal(
    appointment, role: str | None, now: datetime.datetime
) -> ValidationError | None:
    """Why `role` may not move the appointment now, or None when they may."""
    if role is None:
        return ValidationError(_("You may not reschedule this appointment."), code="forbidden")
    if appointment.status != AppointmentStatus.BOOKED:
        return ValidationError(
            _("Only a booked appointment can be rescheduled."), code="not_booked"
        )
    if role != ActorRole.BENEFICIARY:
        return None
    offer = appointment.offer
    if not offer.reschedule_allowed:
        return ValidationError(
            _("This appointment cannot be rescheduled online: please contact your mentor."),
            code="reschedule_not_allowed",
        )
    if now > appointment.starts_at - datetime.timedelta(hours=offer.reschedule_until_hours):
        return ValidationError(
            _(
                "It is too late to reschedule online: rescheduling is possible until %(hours)s "
                "hours before the appointment. Please contact your mentor."
            ),
            code="reschedule_window_passed",
            params={"hours": offer.reschedule_until_hours},
        )
    return None


def booking_refusal(offer, beneficiary, *, enrolled: bool | None = None) -> ValidationError | None:
    """Why the beneficiary may not book this offer at all (whatever the slot), or None.
    `enrolled`: whether they are enrolled in the offer, when already read."""
    if offer.mode != OfferMode.INDIVIDUAL:
        return ValidationError(
            _("This offer is not booked by individual appointment."), code="not_individual"
        )
    if offer.programme.status != ProgrammeStatus.OPEN:
        return ValidationError(_("This programme is not open for booking."), code="closed")
    if enrolled is None and offer.booking_audience == BookingAudience.ENROLLED:
        enrolled = is_enrolled(beneficiary, offer)
    if offer.booking_audience == BookingAudience.ENROLLED and not enrolled:
        return ValidationError(
            _("Only beneficiaries enrolled in this offer may book it."), code="not_enrolled"
        )
    return None


def upcoming_bookings(beneficiary, offer, now: datetime.datetime):
    return Appointment.objects.filter(
        beneficiary=beneficiary, offer=offer, status=AppointmentStatus.BOOKED, starts_at__gte=now
    )


def _booking_facts(*, offer, mentor, beneficiary, now: datetime.datetime) -> tuple[bool, bool, int]:
    """Whether the beneficiary is enrolled in the offer, whether the mentor (active) takes its
    appointments, and how many upcoming bookings of it the beneficiary holds: one query.
    None of them is locked, so reading them together before the slot changes nothing."""
    upcoming = (
        upcoming_bookings(beneficiary, offer, now)
        .order_by()
        .values("offer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Offer.objects.filter(pk=offer.pk)
        .annotate(
            enrolled=Exists(
                Enrollment.objects.filter(beneficiary=beneficiary, offer=OuterRef("pk")).active()
            ),
            takes_mentor=Exists(
                Offer.mentors.through.objects.filter(
                    offer=OuterRef("pk"), user=mentor, user__is_active=True
                )
            ),
            upcoming=Coalesce(Subquery(upcoming), 0),
        )
        .values_list("enrolled", "takes_mentor", "upcoming")
        .get()
    )


# --- Writes ---------------------------------------------------------------------------------


def appointment_book(
    *,
    offer,
    mentor,
    beneficiary,
    starts_at: datetime.datetime,
    reason: str = "",
    acting_user,
    on_behalf: bool = False,
    from_request: bool = False,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Book the free slot starting at `starts_at` with `mentor`, for `beneficiary`.

    `from_request`: the person has no account and books the first appointment their support
    request offers; the caller (outreach.services.requests) has checked that the request is
    theirs (its browser session or its signed link), and only an offer open to anyone with
    the link takes it."""
    now = now or timezone.now()
    if from_request:
        if offer.booking_audience != BookingAudience.LINK:
            raise PermissionDenied
    elif on_behalf:
        if not can_book_on_behalf(acting_user, beneficiary, offer):
            raise PermissionDenied
    elif not is_own_record(acting_user, beneficiary):
        raise PermissionDenied
    enrolled, takes_mentor, upcoming = _booking_facts(
        offer=offer, mentor=mentor, beneficiary=beneficiary, now=now
    )
    refusal = booking_refusal(offer, beneficiary, enrolled=enrolled)
    if refusal is not None:
        raise refusal
    if not takes_mentor:
        raise ValidationError(
            _("This mentor does not take appointments for this offer."), code="not_a_mentor"
        )
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Please keep the reason under %(n)s characters."),
            code="reason_too_long",
            params={"n": REASON_MAX_LENGTH},
        )
    with transaction.atomic():
        slot = _checked_slot(offer=offer, mentor=mentor, starts_at=starts_at, now=now)
        if upcoming >= offer.max_active_bookings:
            raise ValidationError(
                _(
                    "There are already %(n)s upcoming appointment(s) for this offer, the most "
                    "allowed per person. Cancel one, or wait until it has taken place, to book "
                    "another."
                ),
                code="max_bookings",
                params={"n": offer.max_active_bookings},
            )
        appointment = Appointment(
            offer=offer,
            mentor=mentor,
            beneficiary=beneficiary,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            channel=slot.channel,
            location=slot.location,
            reason=reason,
            booked_by=acting_user if acting_user and acting_user.is_authenticated else None,
            booked_on_behalf=on_behalf,
        )
        _save_holding_time(appointment)
        emails.send_appointment_booked(appointment)
    return appointment


def appointment_cancel(
    *,
    appointment: Appointment,
    acting_user,
    reason: str = "",
    signed_link: bool = False,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Cancel: the beneficiary within the offer's window; mentors and coordinators at any
    time, with a reason. `signed_link`: the beneficiary acting from the email's link."""
    now = now or timezone.now()
    role = actor_role(acting_user, appointment, signed_link=signed_link)
    if role is None:
        raise PermissionDenied
    reason = (reason or "").strip()
    if role != ActorRole.BENEFICIARY and not reason:
        raise ValidationError(
            _("Please give the reason for the cancellation."), code="reason_required"
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Please keep the reason under %(n)s characters."),
            code="reason_too_long",
            params={"n": REASON_MAX_LENGTH},
        )
    with transaction.atomic():
        appointment = _locked(appointment)
        refusal = cancel_refusal(appointment, role, now)
        if refusal is not None:
            raise refusal
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.cancelled_by = (
            acting_user if acting_user and acting_user.is_authenticated else None
        )
        appointment.cancelled_by_role = role
        appointment.cancel_reason = reason
        appointment.sequence += 1
        appointment.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancelled_by_role",
                "cancel_reason",
                "sequence",
                "updated_at",
            ]
        )
        emails.send_appointment_cancelled(appointment)
    return appointment


def appointment_reschedule(
    *,
    appointment: Appointment,
    starts_at: datetime.datetime,
    acting_user,
    signed_link: bool = False,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Move the appointment, in place, to another free slot of the same mentor and offer."""
    now = now or timezone.now()
    role = actor_role(acting_user, appointment, signed_link=signed_link)
    if role is None:
        raise PermissionDenied
    with transaction.atomic():
        appointment = _locked(appointment)
        refusal = reschedule_refusal(appointment, role, now)
        if refusal is not None:
            raise refusal
        if starts_at == appointment.starts_at:
            raise ValidationError(_("The appointment is already at this time."), code="same_time")
        slot = _checked_slot(
            offer=appointment.offer,
            mentor=appointment.mentor,
            starts_at=starts_at,
            now=now,
            exclude=appointment,
        )
        appointment.starts_at = slot.starts_at
        appointment.ends_at = slot.ends_at
        appointment.channel = slot.channel
        appointment.location = slot.location
        appointment.sequence += 1
        _save_holding_time(
            appointment,
            update_fields=["starts_at", "ends_at", "channel", "location", "sequence", "updated_at"],
        )
        emails.send_appointment_rescheduled(appointment)
    return appointment


def appointment_set_status(
    *,
    appointment: Appointment,
    status: str,
    acting_user,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Record the outcome (attended, excused, no-show), once the appointment has started."""
    now = now or timezone.now()
    role = actor_role(acting_user, appointment)
    if role not in (ActorRole.MENTOR, ActorRole.COORDINATOR) or (
        role == ActorRole.MENTOR and appointment.mentor_id != acting_user.pk
    ):
        raise PermissionDenied
    if status not in OUTCOME_STATUSES:
        raise ValidationError(_("Choose attended, excused or no-show."), code="invalid_status")
    with transaction.atomic():
        appointment = _locked(appointment)
        if appointment.status == AppointmentStatus.CANCELLED:
            raise ValidationError(
                _("A cancelled appointment has no outcome to record."), code="cancelled"
            )
        if appointment.starts_at > now:
            raise ValidationError(
                _("The outcome can be recorded once the appointment has begun."),
                code="not_started",
            )
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        # The séance opened from this appointment, if any, shows the same attendance.
        Attendance.objects.filter(
            seance__appointment=appointment, beneficiary_id=appointment.beneficiary_id
        ).update(status=ATTENDANCE_FROM_APPOINTMENT[status])
    return appointment


# --- Helpers --------------------------------------------------------------------------------


def _locked(appointment: Appointment) -> Appointment:
    """The appointment's row, locked for this transaction, with what the rules read."""
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("offer__programme", "mentor", "beneficiary")
        .get(pk=appointment.pk)
    )


def _checked_slot(
    *,
    offer,
    mentor,
    starts_at: datetime.datetime,
    now: datetime.datetime,
    exclude: Appointment | None = None,
) -> Slot:
    """The free slot starting at `starts_at`, recomputed; a clear refusal otherwise."""
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError(_("Choose a slot in the list."), code="invalid_slot")
    earliest, latest = bookable_bounds(offer, now)
    if starts_at < earliest:
        raise ValidationError(
            _("This slot is too soon: appointments are booked at least %(hours)s hours ahead."),
            code="too_soon",
            params={"hours": offer.min_notice_hours},
        )
    if starts_at > latest:
        raise ValidationError(
            _("This slot is too far ahead: appointments are booked up to %(days)s days ahead."),
            code="too_far",
            params={"days": offer.horizon_days},
        )
    day = starts_at.astimezone(PARIS).date()
    for slot in free_slots(
        offer=offer, mentor=mentor, start=day, end=day, now=now, exclude=exclude
    ):
        if slot.starts_at == starts_at:
            return slot
    ends_at = starts_at + datetime.timedelta(minutes=offer.duration_minutes)
    if _overlapping(mentor, starts_at, ends_at, exclude).exists():
        raise ValidationError(SLOT_TAKEN, code="slot_taken")
    raise ValidationError(
        _("This slot is not available: please choose another one."), code="not_available"
    )


def _overlapping(mentor, starts_at, ends_at, exclude: Appointment | None = None):
    appointments = Appointment.objects.holding_time().filter(
        mentor=mentor, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None:
        appointments = appointments.exclude(pk=exclude.pk)
    return appointments


def _save_holding_time(appointment: Appointment, update_fields: list[str] | None = None) -> None:
    """Save the slot _checked_slot has just recomputed in this transaction (so free of the
    mentor's other appointments), turning PostgreSQL's exclusion constraint, when two
    connections race, into the "slot taken" refusal.

    No savepoint around the save: the refusal leaves the caller's atomic block, which rolls
    back the whole booking, so nothing runs on the failed transaction."""
    try:
        appointment.save(update_fields=update_fields)
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        constraint = getattr(diag, "constraint_name", None)
        if constraint not in (None, OVERLAP_CONSTRAINT):
            raise
        raise ValidationError(SLOT_TAKEN, code="slot_taken") from exc
    except OperationalError as exc:
        # Two bookings of one slot checking the exclusion constraint can wait on each other;
        # PostgreSQL breaks the deadlock by failing one of them: the other took the slot.
        if getattr(getattr(exc.__cause__, "diag", None), "sqlstate", None) != DEADLOCK_DETECTED:
            raise
        raise ValidationError(SLOT_TAKEN, code="slot_taken") from exc

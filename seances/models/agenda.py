"""The agenda: mentors' availability, individual appointments, group sessions and their
registrations, and private calendar feeds (issue 4)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from beneficiaires.models import Beneficiary
from programmes.enums import BookingAudience, ProgrammeStatus
from programmes.models import Offer
from seances.enums import (
    ACTIVE_REGISTRATION_STATUSES,
    ActorRole,
    AppointmentStatus,
    Channel,
    GroupSessionStatus,
    RegistrationStatus,
    Weekday,
)


class Availability(models.Model):
    """A weekly recurring window in which a mentor can be booked for an offer.

    Times are wall-clock times in Europe/Paris: 09:00 stays 09:00 across daylight saving.
    For a hotline offer, the window is a "plage horaire" for call-back requests."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("mentor"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="availabilities", verbose_name=_("offer")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.IN_PERSON
    )
    location = models.CharField(_("place or link"), max_length=200, blank=True)
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between appointments (minutes)"), default=0
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="availability_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="availability_validity_in_order",
            ),
        ]
        indexes = [models.Index(fields=["mentor", "offer", "is_active"])]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.get_weekday_display()} {self.start_time}-{self.end_time}"


class AvailabilityException(models.Model):
    """A period when the mentor cannot be booked: holidays, a one-off block."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="availability_exceptions",
        verbose_name=_("mentor"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="exception_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["mentor", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.starts_at:%Y-%m-%d}"


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AppointmentQuerySet":
        """The beneficiary's own appointments, the mentor's, and those of the programmes a
        coordinator runs."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # A UNION of ids rather than an OR across joined tables, so that each part is an
        # index scan (an OR made PostgreSQL read every appointment).
        parts = [
            Appointment.objects.filter(mentor=user).order_by().values("id"),
            Appointment.objects.filter(beneficiary__user=user).order_by().values("id"),
        ]
        if coordinated := user.organization_ids_with_role(Role.COORDINATOR):
            parts.append(
                Appointment.objects.filter(offer__programme__organization_id__in=coordinated)
                .order_by()
                .values("id")
            )
        return self.filter(id__in=parts[0].union(*parts[1:], all=True))

    def holding_time(self) -> "AppointmentQuerySet":
        return self.exclude(status=AppointmentStatus.CANCELLED)


class Appointment(models.Model):
    """An individual appointment between a beneficiary and a mentor, for an offer.

    A mentor's appointments that hold time never overlap: PostgreSQL guarantees it with an
    exclusion constraint (migration 0002), whatever the code path."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("offer")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_appointments",
        verbose_name=_("mentor"),
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("beneficiary"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    location = models.CharField(_("place or link"), max_length=200, blank=True)
    reason = models.TextField(_("reason for the appointment"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    booked_on_behalf = models.BooleanField(_("booked on the beneficiary's behalf"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_by_role = models.CharField(
        _("cancelled by (role)"), max_length=20, choices=ActorRole.choices, blank=True
    )
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)
    # iCalendar SEQUENCE: incremented at each reschedule or cancellation.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "starts_at"]),
            models.Index(fields=["beneficiary", "starts_at"]),
            models.Index(fields=["offer", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.mentor} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ics_uid(self) -> str:
        return f"appointment-{self.public_id}@accompagnement"


class GroupSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GroupSessionQuerySet":
        """Sessions of the offers a person can see (beneficiaries see their programme's), and,
        for a beneficiary, those of open programmes' offers that anyone with the link may book."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        visible = Q(offer__in=Offer.objects.visible_to(user))
        if user.is_beneficiary:
            visible |= Q(
                offer__booking_audience=BookingAudience.LINK,
                offer__programme__status=ProgrammeStatus.OPEN,
            )
        return self.filter(visible)

    def upcoming(self, now) -> "GroupSessionQuerySet":
        return self.filter(starts_at__gte=now, status=GroupSessionStatus.SCHEDULED)


class GroupSession(models.Model):
    """One occurrence of a group offer (training, workshop, co-development group)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="group_sessions", verbose_name=_("offer")
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_sessions",
        verbose_name=_("organiser"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.IN_PERSON
    )
    location = models.CharField(_("place or link"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GroupSessionStatus.choices,
        default=GroupSessionStatus.SCHEDULED,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)
    is_open_event = models.BooleanField(
        _("open event"),
        default=False,
        help_text=_(
            "Published on the public catalogue (information meeting, experience sharing): "
            "people without an account register from it."
        ),
    )
    public_description = models.TextField(
        _("public description"), blank=True, help_text=_("What the event is about, for the public.")
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="group_session_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="group_session_capacity"),
        ]
        indexes = [models.Index(fields=["offer", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title or self.offer} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ics_uid(self) -> str:
        return f"session-{self.public_id}@accompagnement"


class Registration(models.Model):
    """A beneficiary's seat in a group session, or their place on its waitlist."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        GroupSession,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("session"),
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("beneficiary"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("promoted from the waitlist at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "beneficiary"],
                condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES),
                name="registration_one_active_per_session",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.session}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private ICS feed of a person's appointments; revoking gives a new secret URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

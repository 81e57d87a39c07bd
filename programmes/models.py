import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import Organization
from programmes.enums import BookingAudience, OfferKind, OfferMode, ProgrammeStatus


class ThemeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ThemeQuerySet":
        """Themes of the structures the person belongs to."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            organization__memberships__user=user, organization__memberships__is_active=True
        ).distinct()


class Theme(models.Model):
    """A need theme, managed by each support structure: needs, offers, mentors and partners
    are tagged with themes, which is how offers are recommended and mentors matched."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="themes",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="mentor_themes",
        blank=True,
        verbose_name=_("mentors with this expertise"),
    )
    partners = models.ManyToManyField(
        Organization,
        related_name="partner_themes",
        blank=True,
        verbose_name=_("partners working on this theme"),
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="theme_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgrammeQuerySet":
        """Coordinators see their organisations' programmes; mentors and beneficiaries
        the programmes they take part in."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from beneficiaires.models import Enrollment

        involved = Offer.objects.filter(
            Q(mentors=user)
            | Q(id__in=Enrollment.objects.filter(referent_mentor=user).values("offer_id"))
            | Q(id__in=Enrollment.objects.filter(beneficiary__user=user).values("offer_id"))
        ).values("programme_id")
        return self.filter(
            Q(organization_id__in=user.organization_ids_with_role(Role.COORDINATOR))
            | Q(id__in=involved)
        )

    def managed_by(self, user) -> "ProgrammeQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(organization_id__in=user.organization_ids_with_role(Role.COORDINATOR))

    def open(self) -> "ProgrammeQuerySet":
        return self.filter(status=ProgrammeStatus.OPEN)


class Programme(models.Model):
    """A support programme run by a support structure over a period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    target_public = models.TextField(_("target public"), blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="programmes/logos/",
        blank=True,
        help_text=_("PNG or JPEG, printed on the session-closing reports."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_programmes",
        blank=True,
        verbose_name=_("coordinators"),
    )
    partner_organizations = models.ManyToManyField(
        Organization,
        related_name="partner_programmes",
        blank=True,
        verbose_name=_("partner organisations"),
    )
    confidentiality_statement = models.TextField(
        _("confidentiality statement"),
        blank=True,
        help_text=_("Shown to beneficiaries: what stays between them and their mentor."),
    )
    # The public catalogue (issue 8): a published programme has a page anyone can read.
    is_published = models.BooleanField(
        _("published on the public catalogue"),
        default=False,
        help_text=_("An open programme that is published has a public page, without login."),
    )
    slug = models.SlugField(
        _("address on the catalogue"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The end of the public page's address; made from the title when empty."),
    )
    audiences = models.JSONField(_("who it is for"), default=list, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    price = models.CharField(
        _("price"),
        max_length=200,
        blank=True,
        help_text=_("When it is not free: what it costs, in plain words."),
    )
    frame = models.TextField(
        _("frame"),
        blank=True,
        help_text=_("Duration, commitment, confidentiality: what the support involves."),
    )
    how_it_works = models.TextField(
        _("how the support works"),
        blank=True,
        help_text=_("The steps, from the first contact to the end of the support."),
    )
    contact_email = models.EmailField(_("public contact email"), blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=30, blank=True)
    duplicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicated from"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="programme_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return self.title


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OfferQuerySet":
        return self.filter(programme__in=Programme.objects.visible_to(user))


def default_reminder_hours() -> list[int]:
    return [48, 2]


class Offer(models.Model):
    """One form of support within a programme (hotline, workshop, coaching…)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="offers", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    mode = models.CharField(
        _("individual or group"),
        max_length=20,
        choices=OfferMode.choices,
        default=OfferMode.INDIVIDUAL,
    )
    channel_in_person = models.BooleanField(_("in person"), default=True)
    channel_phone = models.BooleanField(_("by phone"), default=False)
    channel_video = models.BooleanField(_("by video"), default=False)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, help_text=_("Number of participants per session.")
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="mentored_offers",
        blank=True,
        verbose_name=_("mentors"),
    )
    partner_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_offers",
        verbose_name=_("partner organisation"),
    )
    themes = models.ManyToManyField(
        Theme, related_name="offers", blank=True, verbose_name=_("themes addressed")
    )
    is_active = models.BooleanField(_("open to new enrollments"), default=True)
    # Booking rules, edited by coordinators (issue 4).
    min_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"), default=24, help_text=_("No booking closer than this.")
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon (days)"), default=56, help_text=_("No booking further than this.")
    )
    booking_audience = models.CharField(
        _("who may book"),
        max_length=20,
        choices=BookingAudience.choices,
        default=BookingAudience.ENROLLED,
    )
    cancel_allowed = models.BooleanField(_("the beneficiary may cancel"), default=True)
    cancel_until_hours = models.PositiveSmallIntegerField(
        _("cancel until (hours before)"), default=4
    )
    reschedule_allowed = models.BooleanField(_("the beneficiary may reschedule"), default=True)
    reschedule_until_hours = models.PositiveSmallIntegerField(
        _("reschedule until (hours before)"), default=48
    )
    max_active_bookings = models.PositiveSmallIntegerField(
        _("maximum upcoming bookings per beneficiary"), default=2
    )
    # Issue 6: when the agenda's reminders go out, in hours before an appointment or session.
    reminder_hours = models.JSONField(
        _("reminders (hours before)"),
        default=default_reminder_hours,
        blank=True,
        help_text=_("Hours before each appointment or session when a reminder is sent."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["programme", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="offer_min_duration"),
            models.CheckConstraint(
                condition=Q(mode=OfferMode.GROUP, capacity__gte=2)
                | Q(mode=OfferMode.INDIVIDUAL, capacity=1),
                name="offer_capacity_matches_mode",
            ),
            models.CheckConstraint(
                condition=Q(channel_in_person=True) | Q(channel_phone=True) | Q(channel_video=True),
                name="offer_has_a_channel",
            ),
            models.CheckConstraint(
                condition=Q(horizon_days__gte=1) & Q(max_active_bookings__gte=1),
                name="offer_booking_rules_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def channel_labels(self) -> list[str]:
        fields = ("channel_in_person", "channel_phone", "channel_video")
        return [
            str(self._meta.get_field(name).verbose_name) for name in fields if getattr(self, name)
        ]

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import Organization
from beneficiaires.enums import (
    ACTIVE_ENROLLMENT_STATUSES,
    BeneficiaryKind,
    ConsentPurpose,
    ContactChannel,
    EnrollmentStatus,
    OutreachStage,
    Priority,
    Situation,
    Source,
)
from programmes.models import Offer, Programme


class BeneficiaryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BeneficiaryQuerySet":
        """Coordinators see their organisations' beneficiaries, mentors the beneficiaries
        they are referent for, a beneficiary only themselves."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = user.organization_ids_with_role(Role.COORDINATOR)
        # `any_array` (core/lookups.py) rather than `in`: each branch of the OR is then an
        # index scan on PostgreSQL instead of a check of every record.
        return self.filter(
            Q(organization_id__in=coordinated)
            | Q(
                id__any_array=Enrollment.objects.filter(
                    offer__programme__organization_id__in=coordinated
                ).values("beneficiary_id")
            )
            | Q(
                id__any_array=Enrollment.objects.filter(referent_mentor=user).values(
                    "beneficiary_id"
                )
            )
            | Q(user=user)
        )


class Beneficiary(models.Model):
    """A person or a structure supported by a programme; may or may not have an account."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="beneficiaries",
        verbose_name=_("support structure"),
        help_text=_("The support structure that holds this record."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=BeneficiaryKind.choices,
        default=BeneficiaryKind.INDIVIDUAL,
    )
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(
        _("contact person"), max_length=200, blank=True, help_text=_("For a structure.")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    situation = models.CharField(
        _("situation"), max_length=30, choices=Situation.choices, blank=True
    )
    # Outreach (DOMAIN.md step 1): the programme this actor is approached for, and where
    # they stand in the pipeline.
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach",
        verbose_name=_("programme"),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=OutreachStage.choices, default=OutreachStage.TO_CONTACT
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    source = models.CharField(
        _("source"), max_length=30, choices=Source.choices, default=Source.MANUAL
    )
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="beneficiary_profile",
        verbose_name=_("account"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organization", "name"]),
            models.Index(fields=["organization", "stage", "priority"]),
            models.Index(fields=["programme", "stage"]),
            models.Index(fields=["postal_code"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_structure(self) -> bool:
        return self.kind != BeneficiaryKind.INDIVIDUAL

    @property
    def is_phone_only(self) -> bool:
        return not self.email and bool(self.phone)


class Consent(models.Model):
    """A consent given by a beneficiary for one purpose, and who recorded it."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("beneficiary"),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_current_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.get_purpose_display()}"


class EnrollmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnrollmentQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(
                offer__programme__organization_id__in=user.organization_ids_with_role(
                    Role.COORDINATOR
                )
            )
            | Q(referent_mentor=user)
            | Q(beneficiary__user=user)
        )

    def active(self) -> "EnrollmentQuerySet":
        return self.filter(status__in=ACTIVE_ENROLLMENT_STATUSES)


class Enrollment(models.Model):
    """A beneficiary in an offer, followed by a referent mentor."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("beneficiary"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("offer")
    )
    referent_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referent_enrollments",
        verbose_name=_("referent mentor"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "offer"],
                condition=Q(status__in=ACTIVE_ENROLLMENT_STATUSES),
                name="enrollment_one_active_per_offer",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="enrollment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in EnrollmentStatus]),
                name="enrollment_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["referent_mentor", "status"]),
            models.Index(fields=["offer", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.offer}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ENROLLMENT_STATUSES


class ContactLog(models.Model):
    """One contact with an actor: when, how, by whom, and what came of it."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="contact_logs",
        verbose_name=_("beneficiary"),
    )
    contacted_at = models.DateTimeField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    outcome = models.TextField(_("outcome"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["-contacted_at", "-id"]
        indexes = [models.Index(fields=["beneficiary", "-contacted_at"])]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.contacted_at:%Y-%m-%d}"


class BeneficiaryMerge(models.Model):
    """The trace of a merge: the record that disappeared, as it was, and who merged it."""

    kept = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="merges", verbose_name=_("kept record")
    )
    merged_public_id = models.UUIDField(_("merged record identifier"))
    merged_name = models.CharField(_("merged record name"), max_length=200)
    snapshot = models.JSONField(_("merged record data"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.kept}"

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import Organization
from beneficiaires.models import Beneficiary, Enrollment
from partners.enums import UNANSWERED_AFTER_DAYS, ReferralStatus
from programmes.models import Programme


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferralQuerySet":
        """Coordinators of the referring structure; the beneficiary's referent mentors.
        Never the beneficiary: referrals are internal to the network."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        visible = Q(referring_organization_id__in=user.organization_ids_with_role(Role.COORDINATOR))
        if user.is_mentor:
            # A subquery rather than a join on enrollments: no duplicate rows, no DISTINCT,
            # so callers may annotate, count and paginate freely. A former mentor (membership
            # deactivated) no longer sees them.
            followed = Enrollment.objects.filter(referent_mentor=user).values("beneficiary_id")
            visible |= Q(beneficiary_id__in=followed)
        return self.filter(visible)

    def unanswered(self, today: datetime.date | None = None) -> "ReferralQuerySet":
        """Sent at least UNANSWERED_AFTER_DAYS days ago and still without an answer."""
        today = today or timezone.localdate()
        limit = today - datetime.timedelta(days=UNANSWERED_AFTER_DAYS)
        return self.filter(status=ReferralStatus.SENT, sent_on__lte=limit)


class Referral(models.Model):
    """A beneficiary referred to a partner structure of the network."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("beneficiary"),
    )
    partner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="received_referrals",
        verbose_name=_("partner"),
    )
    referring_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="sent_referrals",
        verbose_name=_("referring structure"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("programme"),
    )
    reason = models.TextField(_("reason for the referral"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("sent on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_notes = models.TextField(_("partner's answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("sent_on")),
                name="referral_answer_after_sending",
            ),
        ]
        indexes = [models.Index(fields=["referring_organization", "status", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.beneficiary} → {self.partner}"

    @property
    def days_waiting(self) -> int | None:
        """Days since sending while the partner has not answered; None once answered."""
        if self.status != ReferralStatus.SENT:
            return None
        return max((timezone.localdate() - self.sent_on).days, 0)

    @property
    def is_unanswered(self) -> bool:
        days = self.days_waiting
        return days is not None and days >= UNANSWERED_AFTER_DAYS

"""The traces the RGPD work leaves: who anonymised a record and why, and the retention notices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role


class AnonymisationReason(models.TextChoices):
    REQUEST = "request", _("At the person's request")
    RETENTION = "retention", _("Retention period over")


class Anonymisation(models.Model):
    """A beneficiary record whose personal data were erased (irreversible)."""

    beneficiary = models.OneToOneField(
        "beneficiaires.Beneficiary",
        on_delete=models.CASCADE,
        related_name="anonymisation",
        verbose_name=_("beneficiary"),
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=AnonymisationReason.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-done_at"]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.done_at:%Y-%m-%d}"


class RetentionNoticeQuerySet(models.QuerySet):
    def pending(self) -> "RetentionNoticeQuerySet":
        return self.filter(cancelled_at__isnull=True, beneficiary__anonymisation__isnull=True)

    def visible_to(self, user) -> "RetentionNoticeQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            beneficiary__organization_id__in=user.organization_ids_with_role(Role.COORDINATOR)
        )


class RetentionNotice(models.Model):
    """The coordinators were told that an inactive record will be anonymised on `due_on`."""

    beneficiary = models.ForeignKey(
        "beneficiaires.Beneficiary",
        on_delete=models.CASCADE,
        related_name="retention_notices",
        verbose_name=_("beneficiary"),
    )
    notified_at = models.DateTimeField(_("notified at"))
    due_on = models.DateField(_("anonymised on"))
    # Cancelled by new activity (no one) or by a coordinator's "keep" (them).
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kept by"),
    )

    objects = RetentionNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("retention notice")
        verbose_name_plural = _("retention notices")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(cancelled_at__isnull=True),
                name="retention_one_open_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.due_on}"

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beneficiaires.enums import Priority
from beneficiaires.models import Beneficiary
from diagnostics.enums import DiagnosticMethod, DiagnosticStatus, NeedSource
from programmes.models import Theme


class NeedsDiagnosticQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NeedsDiagnosticQuerySet":
        """Same rule as the beneficiary: coordinators of the structure, the referent mentors,
        the beneficiary themselves."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(beneficiary__in=Beneficiary.objects.visible_to(user))


class NeedsDiagnostic(models.Model):
    """A needs diagnostic (DOMAIN.md step 2): how it was made, by whom, what came out."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="diagnostics",
        verbose_name=_("beneficiary"),
    )
    method = models.CharField(_("method"), max_length=20, choices=DiagnosticMethod.choices)
    held_on = models.DateField(_("date"))
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conducted_diagnostics",
        verbose_name=_("conducted by"),
    )
    expectations = models.TextField(_("expectations, in the beneficiary's own words"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DiagnosticStatus.choices, default=DiagnosticStatus.DRAFT
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NeedsDiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("needs diagnostic")
        verbose_name_plural = _("needs diagnostics")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["beneficiary", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.held_on}"


class Need(models.Model):
    """One need of a diagnostic, on one theme, with its priority."""

    diagnostic = models.ForeignKey(
        NeedsDiagnostic,
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name=_("diagnostic"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="needs", verbose_name=_("theme")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    description = models.TextField(_("in their own words"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=NeedSource.choices, default=NeedSource.MENTOR
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["priority", "theme__name"]
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "theme"], name="need_one_per_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.theme} ({self.get_priority_display()})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DiagnosticInvitation(models.Model):
    """A secure link to a questionnaire the beneficiary fills in alone before an interview.

    Only the SHA-256 of the token is stored; the link works once and until it expires."""

    diagnostic = models.ForeignKey(
        NeedsDiagnostic,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("diagnostic"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField(_("sent to"), blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("diagnostic invitation")
        verbose_name_plural = _("diagnostic invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.diagnostic} — {self.sent_to or '—'}"

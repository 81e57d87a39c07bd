from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.enums import ESSENTIAL_KINDS, Channel, NotificationKind, NotificationStatus


class NotificationQuerySet(models.QuerySet):
    def due(self, now=None) -> "NotificationQuerySet":
        """Pending rows whose time has come and that are not waiting for a retry."""
        now = now or timezone.now()
        return self.filter(status=NotificationStatus.PENDING, scheduled_for__lte=now).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )


class Notification(models.Model):
    """One message to one address: the outbox row, written with the event it reports."""

    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_address = models.CharField(_("address"), max_length=254)
    # What the message is about, as strings: this app imports no domain model.
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scheduled_for = models.DateTimeField(_("scheduled for"))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # Email attachments: {filename, mimetype, content} with text content (an .ics), or
    # {filename, mimetype, render, object_id}: the dotted path of a function that renders the
    # bytes at send time from object_id (a PDF is not stored in the row).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            # The exactly-once key: writing the same notification twice gives one row.
            models.UniqueConstraint(
                fields=[
                    "kind",
                    "object_type",
                    "object_id",
                    "channel",
                    "to_address",
                    "scheduled_for",
                ],
                name="notification_unique_per_event",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_scan"),
            models.Index(fields=["status", "scheduled_for"], name="notification_due"),
            models.Index(fields=["object_type", "object_id"], name="notification_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_address}"

    @property
    def is_essential(self) -> bool:
        return self.kind in ESSENTIAL_KINDS


class NotificationPreference(models.Model):
    """A person's channels and the non-essential kinds they opted out of."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(_("emails"), default=True)
    sms_enabled = models.BooleanField(_("text messages"), default=True)
    muted_kinds = models.JSONField(_("muted kinds"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def channel_enabled(self, channel: str) -> bool:
        return self.email_enabled if channel == Channel.EMAIL else self.sms_enabled

    def allows(self, *, kind: str, channel: str) -> bool:
        """Essential kinds always go out (channels_for picks where); others obey the choices."""
        if kind in ESSENTIAL_KINDS:
            return True
        return self.channel_enabled(channel) and kind not in self.muted_kinds

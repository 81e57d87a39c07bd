"""Reaching the public (issue 8): support requests from the public catalogue, information
campaigns to the outreach list, and the network showcase of projects.

The catalogue itself is the published programmes (`programmes.Programme.is_published`) and
their open events (`seances.GroupSession.is_open_event`): it has no model of its own."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beneficiaires.enums import BeneficiaryKind, Situation
from outreach.enums import (
    CampaignKind,
    CampaignStatus,
    PreferredChannel,
    RecipientStatus,
    RequestOrigin,
)


class SupportRequest(models.Model):
    """A « demande d'accompagnement » sent from a public page, a campaign or the API.

    It lands in the outreach list as a Beneficiary at stage "to contact" (`beneficiary`);
    the request keeps what the person wrote, in their own words."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="support_requests",
        verbose_name=_("programme"),
    )
    offer = models.ForeignKey(
        "programmes.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name=_("offer"),
    )
    beneficiary = models.ForeignKey(
        "beneficiaires.Beneficiary",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name=_("record in the outreach list"),
    )
    campaign = models.ForeignKey(
        "outreach.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name=_("in reply to the campaign"),
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=RequestOrigin.choices, default=RequestOrigin.CATALOGUE
    )
    requester_kind = models.CharField(
        _("you are"),
        max_length=30,
        choices=BeneficiaryKind.choices,
        default=BeneficiaryKind.INDIVIDUAL,
    )
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    situation = models.CharField(
        _("situation"), max_length=30, choices=Situation.choices, blank=True
    )
    needs = models.TextField(_("your needs, in your own words"))
    preferred_channel = models.CharField(
        _("preferred contact channel"),
        max_length=10,
        choices=PreferredChannel.choices,
        default=PreferredChannel.EMAIL,
    )
    consent_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    appointment = models.ForeignKey(
        "seances.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first appointment"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_contact=True), name="support_request_consent_given"
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="support_request_reachable"
            ),
        ]
        indexes = [models.Index(fields=["programme", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.programme}"


class Campaign(models.Model):
    """An information email sent to a filtered selection of a programme's outreach list."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="campaigns",
        verbose_name=_("programme"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.INFORMATION
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    group_session = models.ForeignKey(
        "seances.GroupSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("information meeting"),
    )
    # The outreach-list filter the recipients were chosen with (query parameters).
    filters = models.JSONField(_("selection"), default=dict, blank=True)
    per_minute = models.PositiveSmallIntegerField(
        _("emails per minute"),
        default=30,
        help_text=_("Sending is spread out so that mail servers do not take it for spam."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("information campaign")
        verbose_name_plural = _("information campaigns")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(per_minute__gte=1), name="campaign_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.subject


class CampaignRecipient(models.Model):
    """One person a campaign was sent to: exactly once per campaign and address."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("campaign"),
    )
    beneficiary = models.ForeignKey(
        "beneficiaires.Beneficiary",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_receipts",
        verbose_name=_("beneficiary"),
    )
    email = models.EmailField(_("email"))
    # SHA-256 of the token in the message's links (opened, unsubscribe, reply).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RecipientStatus.choices, default=RecipientStatus.QUEUED
    )
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    opened_at = models.DateTimeField(_("link opened at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign recipient")
        verbose_name_plural = _("campaign recipients")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email"], name="campaign_recipient_once_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.email}"


class Unsubscription(models.Model):
    """An address that asked to receive no more campaigns from a support structure."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="unsubscriptions",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"))
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the campaign"),
    )
    created_at = models.DateTimeField(_("unsubscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"], name="unsubscription_once_per_address"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class ProjectCardQuerySet(models.QuerySet):
    def with_consent(self) -> "ProjectCardQuerySet":
        """Cards whose beneficiary has a current "relay in the network" consent: read at
        every request, so a withdrawn consent hides the card at once."""
        from beneficiaires.enums import ConsentPurpose
        from beneficiaires.models import Consent

        current = Consent.objects.filter(
            beneficiary=models.OuterRef("beneficiary"),
            purpose=ConsentPurpose.NETWORK_SHARING,
            withdrawn_at__isnull=True,
        )
        return self.filter(models.Exists(current))


class ProjectCard(models.Model):
    """A beneficiary's project as shown to the network (and, if chosen, to the public).

    Never contact details: contact goes through the coordinator (ShowcaseContact)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        "beneficiaires.Beneficiary",
        on_delete=models.CASCADE,
        related_name="project_cards",
        verbose_name=_("beneficiary"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="project_cards",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("the project in a few lines"))
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    themes = models.ManyToManyField(
        "programmes.Theme", related_name="project_cards", blank=True, verbose_name=_("themes")
    )
    needs_partners = models.TextField(_("partners sought"), blank=True)
    needs_skills = models.TextField(_("skills sought"), blank=True)
    needs_resources = models.TextField(_("resources sought"), blank=True)
    is_public = models.BooleanField(
        _("also on the public catalogue"),
        default=False,
        help_text=_("Otherwise only the network's coordinators and mentors see it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("project card")
        verbose_name_plural = _("project cards")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "programme"], name="project_card_one_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ShowcaseContact(models.Model):
    """Someone of the network asks to be put in touch about a project: the coordinator
    receives it and decides; the beneficiary's details are never shown."""

    card = models.ForeignKey(
        ProjectCard,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("project"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
    )
    sender_name = models.CharField(_("name"), max_length=200)
    sender_email = models.EmailField(_("email"))
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact request about a project")
        verbose_name_plural = _("contact requests about projects")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.card}"

from django.db import models
from django.utils.translation import gettext_lazy as _


class PreferredChannel(models.TextChoices):
    """How a person who asks for support would like to be contacted."""

    EMAIL = "email", _("By email")
    PHONE = "phone", _("By phone")
    TEXT_MESSAGE = "sms", _("By text message")


class RequestOrigin(models.TextChoices):
    CATALOGUE = "catalogue", _("Public catalogue")
    CAMPAIGN = "campaign", _("Reply to a campaign")
    API = "api", _("Partner website (API)")


class CampaignKind(models.TextChoices):
    INFORMATION = "information", _("Information email")
    MEETING = "meeting", _("Invitation to an information meeting")
    NEEDS_SURVEY = "needs_survey", _("Needs survey")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class RecipientStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SKIPPED = "skipped", _("Not sent (unsubscribed)")

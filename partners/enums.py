from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    NO_ANSWER = "no_answer", _("No answer")


# A referral still waiting for the partner's answer after this many days is flagged.
UNANSWERED_AFTER_DAYS = 7

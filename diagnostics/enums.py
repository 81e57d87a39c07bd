from django.db import models
from django.utils.translation import gettext_lazy as _


class DiagnosticMethod(models.TextChoices):
    SURVEY = "survey", _("Survey")
    INTERVIEW = "interview", _("Individual interview")
    WORKSHOP = "workshop", _("Co-construction workshop")


class DiagnosticStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    COMPLETED = "completed", _("Completed")


class NeedSource(models.TextChoices):
    MENTOR = "mentor", _("Recorded by the support team")
    BENEFICIARY = "beneficiary", _("Stated by the beneficiary")

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    SUPPORT = "support", _("Support structure")
    PARTNER = "partner", _("Partner structure")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MENTOR = "mentor", _("Mentor")

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    SUPPORT = "support", _("Support structure")
    PARTNER = "partner", _("Partner structure")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MENTOR = "mentor", _("Mentor")


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", _("Association or network")
    PUBLIC_SERVICE = "public_service", _("Public service or institution")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    COMPANY = "company", _("Company")
    FUNDER = "funder", _("Funder or foundation")
    ESS_STRUCTURE = "ess_structure", _("Social and solidarity economy structure")
    OTHER = "other", _("Other")

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BeneficiaryKind(models.TextChoices):
    INDIVIDUAL = "individual", pgettext_lazy("beneficiary kind", "Individual")
    ASSOCIATION = "association", _("Association")
    YOUTH_GROUP = "youth_group", _("Youth group")
    RESIDENTS_COLLECTIVE = "residents_collective", _("Residents' collective")
    ESS_STRUCTURE = "ess_structure", _("Social and solidarity economy structure")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    COMPANY = "company", _("Company")


class Situation(models.TextChoices):
    """The three starting situations of an actor (DOMAIN.md, step 1)."""

    NO_PROJECT = "no_project", _("No project planned yet")
    WANTS_TO_ACT = "wants_to_act", _("Wants to act, does not know how")
    ALREADY_STARTED = "already_started", _("Already started")


class EnrollmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_ENROLLMENT_STATUSES = (
    EnrollmentStatus.PENDING,
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.PAUSED,
)


class ConsentPurpose(models.TextChoices):
    SUPPORT = "support", _("Support follow-up")
    CONTACT = "contact", _("Being contacted")
    NETWORK_SHARING = "network_sharing", _("Relaying the project in the network")
    STATISTICS = "statistics", _("Anonymous statistics")

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


class OutreachStage(models.TextChoices):
    """Where an actor stands in the outreach pipeline (DOMAIN.md, steps 1 to 3)."""

    TO_CONTACT = "to_contact", _("To contact")
    CONTACTED = "contacted", _("Contacted")
    DIAGNOSED = "diagnosed", _("Diagnosed")
    ENROLLED = "enrolled", _("Enrolled")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Contact list import")
    SUPPORT_REQUEST = "support_request", _("Support request")
    PARTNER = "partner", _("Partner referral")
    EVENT = "event", _("Event or meeting")
    WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    LETTER = "letter", _("Letter")
    EVENT = "event", _("Event")

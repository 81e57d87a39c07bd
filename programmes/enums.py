from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class OfferKind(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    TRAINING = "training", _("Training")
    WORKSHOP = "workshop", _("Exchange workshop")
    INDIVIDUAL_APPOINTMENT = "individual_appointment", _("Individual appointment")
    COACHING = "coaching", _("Coaching")
    PRACTICE_ANALYSIS = "practice_analysis", _("Practice analysis")
    TUTORING = "tutoring", _("Tutoring")
    CODEVELOPMENT = "codevelopment", _("Co-development group")


class OfferMode(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


# Kinds that are run for a group by nature; the others are one-to-one.
GROUP_KINDS = frozenset({OfferKind.TRAINING, OfferKind.WORKSHOP, OfferKind.CODEVELOPMENT})


class BookingAudience(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled beneficiaries only")
    LINK = "link", _("Anyone with the link")


class Audience(models.TextChoices):
    """Who a programme is for, as shown and filtered on the public catalogue."""

    INDIVIDUALS = "individuals", _("Individuals")
    ASSOCIATIONS = "associations", _("Associations")
    YOUTH = "youth", _("Young people and youth groups")
    RESIDENTS = "residents", _("Residents and collectives")
    ESS = "ess", _("Social and solidarity economy structures")
    LOCAL_AUTHORITIES = "local_authorities", _("Local authorities")
    COMPANIES = "companies", _("Companies")

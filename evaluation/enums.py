from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    NPS = "nps", _("Recommendation from 0 to 10 (NPS)")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text")


# Kinds whose answer is a number (value_number): they have a mean and a distribution.
NUMERIC_KINDS = frozenset({QuestionKind.SCALE, QuestionKind.NPS, QuestionKind.YES_NO})
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
SCALE_RANGE = {QuestionKind.SCALE: (1, 5), QuestionKind.NPS: (0, 10), QuestionKind.YES_NO: (0, 1)}


class Purpose(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction after a séance")
    PROGRESS = "progress", _("Progress self-assessment on each need")
    END_OF_PROGRAMME = "end_of_programme", _("End-of-programme evaluation")
    MENTOR_ASSESSMENT = "mentor_assessment", _("Mentor's assessment of progress")
    OTHER = "other", _("Other")


class SendMoment(models.TextChoices):
    AFTER_SEANCE = "after_seance", _("After each séance")
    AFTER_LAST_SEANCE = "after_last_seance", _("30 days after the last séance")
    PROGRAMME_END = "programme_end", _("At the end of the programme")
    MANUAL = "manual", _("Sent by hand")


class Phase(models.TextChoices):
    """When a progress self-assessment is made: the same scale at each, so they compare."""

    NONE = "", _("—")
    START = "start", _("At the start")
    MIDWAY = "midway", _("Midway")
    END = "end", _("At the end")


class EntryMode(models.TextChoices):
    LINK = "link", _("Answered through the link")
    ACCOUNT = "account", _("Answered while logged in")
    ON_BEHALF = "on_behalf", _("Entered by the mentor (by phone)")
    MENTOR = "mentor", _("Mentor's assessment")

"""Follow-up evaluation (DOMAIN.md step 6): questionnaires, invitations, responses, answers."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.enums import EntryMode, Phase, Purpose, QuestionKind, SendMoment


class Questionnaire(models.Model):
    """A questionnaire: a template (no programme) or one a programme sends.

    Shipped defaults have no organization: every coordinator reads them and copies them into
    their own programmes; nobody edits them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("organization"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=30, choices=Purpose.choices, default=Purpose.OTHER
    )
    send_moment = models.CharField(
        _("sent"), max_length=30, choices=SendMoment.choices, default=SendMoment.MANUAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    # A stable name for the shipped defaults (ensure_default_questionnaires finds them by it).
    default_key = models.CharField(max_length=40, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["default_key"],
                condition=~Q(default_key=""),
                name="questionnaire_one_per_default_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_template(self) -> bool:
        return self.programme_id is None

    @property
    def is_default(self) -> bool:
        return self.organization_id is None and self.programme_id is None


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    # The options of a one-choice or several-choices question, in order.
    choices = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Asked once per need of the beneficiary's diagnostic (answers carry the need's theme).
    per_need = models.BooleanField(_("asked for each diagnosed need"), default=False)
    # Kept by copies: the same question in two programmes compares ("satisfaction_overall").
    code = models.SlugField(_("code"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Invitation(models.Model):
    """A questionnaire sent to a beneficiary: a one-time link (only its SHA-256 is stored)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("questionnaire"),
    )
    beneficiary = models.ForeignKey(
        "beneficiaires.Beneficiary",
        on_delete=models.CASCADE,
        related_name="evaluation_invitations",
        verbose_name=_("beneficiary"),
    )
    seance = models.ForeignKey(
        "seances.Seance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_invitations",
        verbose_name=_("séance"),
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.NONE, blank=True
    )
    moment = models.CharField(_("moment"), max_length=30, choices=SendMoment.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Sent once per séance, or once per phase without a séance: scans run again safely.
            models.UniqueConstraint(
                fields=["questionnaire", "beneficiary", "seance"],
                condition=Q(seance__isnull=False),
                name="invitation_once_per_seance",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "beneficiary", "phase", "moment"],
                condition=Q(seance__isnull=True),
                name="invitation_once_per_phase",
            ),
        ]
        indexes = [models.Index(fields=["beneficiary", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.questionnaire} → {self.beneficiary}"


class Response(models.Model):
    """One filled-in questionnaire about one beneficiary."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    # Denormalised from the questionnaire: the dashboards filter on it.
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
        verbose_name=_("programme"),
    )
    beneficiary = models.ForeignKey(
        "beneficiaires.Beneficiary",
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
        verbose_name=_("beneficiary"),
    )
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("invitation"),
    )
    seance = models.ForeignKey(
        "seances.Seance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_responses",
        verbose_name=_("séance"),
    )
    # The mentor the answers are about (per-mentor outcomes): the séance's, or the referent's.
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.NONE, blank=True
    )
    entry_mode = models.CharField(_("entered"), max_length=20, choices=EntryMode.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "submitted_at"]),
            models.Index(fields=["beneficiary", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} — {self.beneficiary}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    # For a question asked for each diagnosed need: the need's theme.
    theme = models.ForeignKey(
        "programmes.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theme"),
    )
    value_number = models.SmallIntegerField(_("value"), null=True, blank=True)
    value_text = models.TextField(_("text"), blank=True)
    value_choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "theme"],
                condition=Q(theme__isnull=False),
                name="answer_once_per_need",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(theme__isnull=True),
                name="answer_once_per_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value_number if self.value_number is not None else ''}"

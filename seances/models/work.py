"""What took place: séances, attendance, closing records (versioned), the action plan,
confidential notes, co-development steps, logbooks, practice analysis, tutoring and hotline
calls (issue 5).

Confidential notes live in their own table so that no closing record, report, statistic or
API serializer can carry them by accident; every read of one is written to the audit journal.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from beneficiaires.models import Beneficiary, Enrollment
from programmes.models import Offer
from seances.enums import (
    OPEN_TASK_STATUSES,
    AttendanceStatus,
    Channel,
    CodevStepNumber,
    CommentKind,
    ExchangeFrequency,
    ExpectationsMet,
    GoalStatus,
    ParticipantRole,
    RecordStatus,
    SeanceKind,
    TaskOwner,
    TaskStatus,
)
from seances.models.agenda import Appointment, GroupSession


def _coordinated(user) -> set[int]:
    return user.organization_ids_with_role(Role.COORDINATOR)


def _ids(queryset: models.QuerySet, field: str = "id") -> models.QuerySet:
    """One column of `queryset`, without the model's default ordering (and its joins)."""
    return queryset.order_by().values(field)


def _any_of(*parts: models.QuerySet) -> models.QuerySet:
    """The ids found by any of `parts`, as one UNION ALL for an `__in` lookup.

    Access filters are written this way rather than as an OR of conditions: an OR between a
    column and an IN-subquery makes PostgreSQL scan the whole table, while each part of the
    union is an index scan and the outer query joins the (small) result on its key."""
    first, *others = parts
    return first.union(*others, all=True) if others else first


def _led_seance_ids(user) -> models.QuerySet:
    return _any_of(
        _ids(Seance.objects.filter(mentor=user)),
        _ids(Seance.co_mentors.through.objects.filter(user=user), "seance_id"),
    )


def _coordinated_seance_ids(organization_ids) -> models.QuerySet:
    return _ids(Seance.objects.filter(offer__programme__organization_id__in=organization_ids))


class SeanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SeanceQuerySet":
        """The séances a mentor led or co-led, those a beneficiary took part in, and those of
        the programmes a coordinator runs."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        parts = [
            _ids(Seance.objects.filter(mentor=user)),
            _ids(Seance.co_mentors.through.objects.filter(user=user), "seance_id"),
            _ids(Attendance.objects.filter(beneficiary__user=user), "seance_id"),
        ]
        if coordinated := _coordinated(user):
            parts.append(_coordinated_seance_ids(coordinated))
        return self.filter(id__in=_any_of(*parts))

    def led_by(self, user) -> "SeanceQuerySet":
        return self.filter(id__in=_led_seance_ids(user))


class Seance(models.Model):
    """A working session that took place: from an individual appointment, a group session, a
    hotline call, a practice-analysis observation or a tutoring meeting."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=SeanceKind.choices)
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="seances", verbose_name=_("offer")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_seances",
        verbose_name=_("mentor"),
    )
    co_mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_led_seances",
        verbose_name=_("co-mentors"),
    )
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seance",
        verbose_name=_("appointment"),
    )
    group_session = models.OneToOneField(
        GroupSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seance",
        verbose_name=_("group session"),
    )
    tutoring_pair = models.ForeignKey(
        "TutoringPair",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("tutoring pair"),
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    codev_step = models.PositiveSmallIntegerField(
        _("co-development step reached"),
        default=0,
        help_text=_("0 before the first step, 7 once the six steps are done."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SeanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=1440),
                name="seance_duration_positive",
            ),
            models.CheckConstraint(
                condition=Q(codev_step__gte=0, codev_step__lte=7),
                name="seance_codev_step_range",
            ),
            models.CheckConstraint(
                condition=Q(appointment__isnull=True) | Q(group_session__isnull=True),
                name="seance_one_origin",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "starts_at"]),
            models.Index(fields=["offer", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.starts_at:%Y-%m-%d}"

    @property
    def is_codevelopment(self) -> bool:
        return self.kind == SeanceKind.CODEVELOPMENT


class Attendance(models.Model):
    """A participant of a séance, with their attendance and their role in it."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("séance")
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("beneficiary"),
    )
    status = models.CharField(
        _("attendance"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["seance", "beneficiary__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seance", "beneficiary"], name="attendance_once_per_seance"
            ),
            models.UniqueConstraint(
                fields=["seance"],
                condition=Q(role=ParticipantRole.CLIENT),
                name="attendance_one_client_per_seance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.get_status_display()}"


class ClosingRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ClosingRecordQuerySet":
        """Mentors see the records of the séances they led; coordinators those of their
        programmes (never the confidential notes, which are not in this table); a beneficiary
        sees their own records once validated."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        records = ClosingRecord.objects
        parts = [
            _ids(records.filter(seance_id__in=_led_seance_ids(user))),
            _ids(records.filter(beneficiary__user=user, status=RecordStatus.VALIDATED)),
        ]
        if coordinated := _coordinated(user):
            parts.append(_ids(records.filter(seance_id__in=_coordinated_seance_ids(coordinated))))
        return self.filter(id__in=_any_of(*parts))

    def validated(self) -> "ClosingRecordQuerySet":
        return self.filter(status=RecordStatus.VALIDATED)


class ClosingRecord(models.Model):
    """The closing of a working time ("clore un temps de travail") for one beneficiary of a
    séance. A validated version is frozen: a correction is a new version; `snapshot` holds
    what the report prints, frozen at validation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="records", verbose_name=_("séance")
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="closing_records",
        verbose_name=_("beneficiary"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    # Taking stock of the working time.
    expectations = models.TextField(_("expectations stated at the start"), blank=True)
    expectations_met = models.CharField(
        _("does what was brought meet them?"),
        max_length=10,
        choices=ExpectationsMet.choices,
        blank=True,
    )
    content = models.TextField(_("content worked on"), blank=True)
    # Planning what comes next, in the beneficiary's own words.
    next_step = models.TextField(_("next step of the project"), blank=True)
    means_and_resources = models.TextField(_("means and resources needed"), blank=True)
    future_needs = models.TextField(_("future needs already seen"), blank=True)
    mentor_can_help_with = models.TextField(_("what the mentor can be called on for"), blank=True)
    relay_consent = models.BooleanField(
        _("the beneficiary agrees to have the project relayed in the mentor's networks"),
        default=False,
    )
    # The next exchanges.
    next_frequency = models.CharField(
        _("frequency of the next exchanges"),
        max_length=20,
        choices=ExchangeFrequency.choices,
        blank=True,
    )
    next_date = models.DateField(_("date of the next exchange"), null=True, blank=True)
    next_channels = models.JSONField(_("channels of the next exchanges"), default=list, blank=True)
    beneficiary_commitments = models.TextField(_("the beneficiary's commitments"), blank=True)
    mentor_commitments = models.TextField(_("the mentor's commitments"), blank=True)
    misunderstandings = models.TextField(_("misunderstandings or difficulties spotted"), blank=True)
    # Frozen at validation.
    snapshot = models.JSONField(_("printed data"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    read_by_beneficiary_at = models.DateTimeField(
        _("read by the beneficiary at"), null=True, blank=True
    )

    objects = ClosingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("closing record")
        verbose_name_plural = _("closing records")
        ordering = ["seance", "beneficiary", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["seance", "beneficiary", "version"], name="closing_record_version_unique"
            ),
            models.UniqueConstraint(
                fields=["seance", "beneficiary"],
                condition=Q(status=RecordStatus.DRAFT),
                name="closing_record_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status=RecordStatus.DRAFT) | Q(validated_at__isnull=False),
                name="closing_record_validated_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.seance} (v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == RecordStatus.DRAFT

    @property
    def is_validated(self) -> bool:
        return self.status == RecordStatus.VALIDATED

    def next_channel_labels(self) -> list[str]:
        from seances.enums import ExchangeChannel

        labels = dict(ExchangeChannel.choices)
        return [str(labels[c]) for c in self.next_channels if c in labels]


class ClosingRecordComment(models.Model):
    """The beneficiary's own synthesis, and comments of either party, on a validated record.
    Comments do not change the frozen record."""

    record = models.ForeignKey(
        ClosingRecord,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("closing record"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a closing record")
        verbose_name_plural = _("comments on closing records")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.record}"


class ConfidentialNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConfidentialNoteQuerySet":
        """Only the séance's mentor(s) and the beneficiary concerned; no coordinator, and no
        superuser through the site either."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            id__in=_any_of(
                _ids(ConfidentialNote.objects.filter(seance_id__in=_led_seance_ids(user))),
                _ids(ConfidentialNote.objects.filter(beneficiary__user=user)),
            )
        )


class ConfidentialNote(models.Model):
    """A note that stays between the mentor and the beneficiary (seed 002): difficulties tied
    to skills and know-how. Never printed, never in statistics, never shown to coordinators."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seance = models.ForeignKey(
        Seance,
        on_delete=models.CASCADE,
        related_name="confidential_notes",
        verbose_name=_("séance"),
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="confidential_notes",
        verbose_name=_("beneficiary concerned"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("confidential note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ConfidentialNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("confidential note")
        verbose_name_plural = _("confidential notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.seance}"


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActionItemQuerySet":
        """A beneficiary's own tasks; the tasks of the beneficiaries a mentor follows (referent
        or séance); those of a coordinator's organisations."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        parts = [
            _ids(Beneficiary.objects.filter(user=user)),
            _ids(Enrollment.objects.filter(referent_mentor=user), "beneficiary_id"),
            _ids(Attendance.objects.filter(seance_id__in=_led_seance_ids(user)), "beneficiary_id"),
        ]
        if coordinated := _coordinated(user):
            parts.append(_ids(Beneficiary.objects.filter(organization_id__in=coordinated)))
        return self.filter(beneficiary_id__in=_any_of(*parts))

    def open(self) -> "ActionItemQuerySet":
        return self.filter(status__in=OPEN_TASK_STATUSES)

    def overdue(self, today) -> "ActionItemQuerySet":
        return self.open().filter(due_on__lt=today)


class ActionItem(models.Model):
    """A task of the beneficiary's action plan: it lives across séances until done or
    dropped."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("beneficiary"),
    )
    seance = models.ForeignKey(
        Seance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("séance it came from"),
    )
    title = models.CharField(_("what"), max_length=300)
    owner = models.CharField(
        _("who"), max_length=20, choices=TaskOwner.choices, default=TaskOwner.BENEFICIARY
    )
    owner_detail = models.CharField(_("who, if someone else"), max_length=120, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = [models.F("due_on").asc(nulls_last=True), "created_at", "pk"]
        indexes = [
            models.Index(fields=["beneficiary", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES

    def owner_label(self) -> str:
        if self.owner == TaskOwner.OTHER and self.owner_detail:
            return self.owner_detail
        return str(self.get_owner_display())


class CodevStep(models.Model):
    """The notes of one of the six steps of a co-development séance, and when it ran."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="codev_steps", verbose_name=_("séance")
    )
    number = models.PositiveSmallIntegerField(_("step"), choices=CodevStepNumber.choices)
    notes = models.TextField(_("notes"), blank=True)
    planned_minutes = models.PositiveSmallIntegerField(_("planned length (minutes)"), default=15)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-development step")
        verbose_name_plural = _("co-development steps")
        ordering = ["seance", "number"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "number"], name="codev_step_once"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=6), name="codev_step_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seance} — {self.get_number_display()}"


class LogbookEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LogbookEntryQuerySet":
        """Private by default: the author's own entries, and those shared with the mentor who
        follows the author (referent, or mentor of the séance the entry is about)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(author=user)
            | Q(
                shared_with_mentor=True,
                beneficiary_id__in=Enrollment.objects.filter(referent_mentor=user).values(
                    "beneficiary_id"
                ),
            )
            | Q(shared_with_mentor=True, seance__in=Seance.objects.led_by(user))
        )


class LogbookEntry(models.Model):
    """An entry of a participant's logbook (carnet de bord): learnings, feelings, progress."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="logbook_entries",
        verbose_name=_("author"),
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="logbook_entries",
        verbose_name=_("beneficiary"),
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logbook_entries",
        verbose_name=_("offer"),
    )
    seance = models.ForeignKey(
        Seance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logbook_entries",
        verbose_name=_("séance"),
    )
    title = models.CharField(_("title"), max_length=200)
    learnings = models.TextField(_("learnings"), blank=True)
    feelings = models.TextField(_("feelings"), blank=True)
    progress = models.TextField(_("progress"), blank=True)
    shared_with_mentor = models.BooleanField(_("shared with my mentor"), default=False)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LogbookEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(learnings="", feelings="", progress=""),
                name="logbook_entry_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PracticeObservation(models.Model):
    """A practice-analysis observation: what the observer saw, the observed person's own
    assessment, the observer's feedback. Explicitly not an evaluation: no score, no grade."""

    seance = models.OneToOneField(
        Seance,
        on_delete=models.CASCADE,
        related_name="practice_observation",
        verbose_name=_("séance"),
    )
    situation = models.TextField(_("situation observed"), blank=True)
    observation_notes = models.TextField(_("observation notes"), blank=True)
    self_assessment = models.TextField(_("the observed person's self-assessment"), blank=True)
    observer_feedback = models.TextField(_("the observer's feedback"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("practice-analysis observation")
        verbose_name_plural = _("practice-analysis observations")

    def __str__(self) -> str:
        return str(self.seance)


class TutoringPairQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TutoringPairQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(tutor=user)
            | Q(tutee__user=user)
            | Q(offer__programme__organization_id__in=_coordinated(user))
        )


class TutoringPair(models.Model):
    """A tutor (an experienced field trainer) and a tutee, with learning goals followed
    across their meetings."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="tutoring_pairs", verbose_name=_("offer")
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tutoring_pairs",
        verbose_name=_("tutor"),
    )
    tutee = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="tutoring_pairs",
        verbose_name=_("tutee"),
    )
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TutoringPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("tutoring pair")
        verbose_name_plural = _("tutoring pairs")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "tutor", "tutee"],
                condition=Q(ended_on__isnull=True),
                name="tutoring_pair_one_active",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="tutoring_pair_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} — {self.tutee}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class LearningGoal(models.Model):
    """A learning goal of a tutoring pair."""

    pair = models.ForeignKey(
        TutoringPair, on_delete=models.CASCADE, related_name="goals", verbose_name=_("pair")
    )
    title = models.CharField(_("learning goal"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalReview(models.Model):
    """Where a learning goal stood at a tutoring meeting."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="goal_reviews", verbose_name=_("meeting")
    )
    goal = models.ForeignKey(
        LearningGoal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("goal")
    )
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("goal review")
        verbose_name_plural = _("goal reviews")
        ordering = ["goal", "seance__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "goal"], name="goal_review_once"),
        ]

    def __str__(self) -> str:
        return f"{self.goal} — {self.get_status_display()}"


class HotlineCall(models.Model):
    """A quick log of a hotline call: topic, advice given, whether a follow-up is needed.
    The caller may be a known beneficiary (an attendance) or someone not yet known."""

    seance = models.OneToOneField(
        Seance, on_delete=models.CASCADE, related_name="hotline_call", verbose_name=_("séance")
    )
    caller_name = models.CharField(_("caller"), max_length=200, blank=True)
    advice_given = models.TextField(_("advice given"), blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_note = models.CharField(_("follow-up"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")

    def __str__(self) -> str:
        return str(self.seance)

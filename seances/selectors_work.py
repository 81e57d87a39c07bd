"""Reads for the séance pages: the list with its record status, one séance's page as each
person may see it, tutoring pairs. Each runs a fixed number of queries whatever the number of
séances or participants (confidential reads excepted: one journal entry per note read).

Confidential content (notes, the observation) is fetched only through the services that
journal the read (`confidential_notes_for`, `observation_for`)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts.enums import Role
from beneficiaires.models import Beneficiary
from seances.enums import (
    AttendanceStatus,
    GoalStatus,
    ParticipantRole,
    RecordStatus,
    SeanceKind,
)
from seances.models import (
    ActionItem,
    Attendance,
    ClosingRecord,
    ConfidentialNote,
    GoalReview,
    LearningGoal,
    Seance,
    TutoringPair,
)
from seances.permissions import coordinates_seance
from seances.services import seances as services


def record_to_complete() -> Exists:
    """A present participant has no validated closing record for the séance."""
    validated = ClosingRecord.objects.filter(
        seance_id=OuterRef("seance_id"),
        beneficiary_id=OuterRef("beneficiary_id"),
        status=RecordStatus.VALIDATED,
    )
    return Exists(
        Attendance.objects.filter(seance_id=OuterRef("pk"), status=AttendanceStatus.PRESENT).filter(
            ~Exists(validated)
        )
    )


def seances_for_list(user) -> QuerySet[Seance]:
    """The séances `user` may see, with what the list shows, in a fixed number of queries.

    The record status of each row is worked out by `add_record_status` on the page shown,
    from the prefetched records: as annotations (EXISTS per row) PostgreSQL planned them as
    hashed subplans over every record and attendance, before the LIMIT of the page."""
    return (
        Seance.objects.visible_to(user)
        .select_related("offer__programme", "mentor")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("beneficiary").order_by(
                    "beneficiary__name", "pk"
                ),
            ),
            Prefetch(
                "records",
                queryset=ClosingRecord.objects.only("id", "seance_id", "beneficiary_id", "status")
                .annotate(beneficiary_user_id=F("beneficiary__user_id"))
                .order_by(),
                to_attr="record_states",
            ),
        )
        .annotate(
            caller_name=F("hotline_call__caller_name"),
            led=ExpressionWrapper(
                Q(mentor_id=user.pk)
                | Exists(
                    Seance.co_mentors.through.objects.filter(
                        seance_id=OuterRef("pk"), user_id=user.pk
                    )
                ),
                output_field=BooleanField(),
            ),
        )
        .order_by("-starts_at", "-pk")
    )


def add_record_status(seances: list[Seance], user) -> list[Seance]:
    """Set `has_draft`, `has_validated` (among the records `user` may see) and `to_complete`
    on séances from `seances_for_list`, without a query.

    The records seen follow `ClosingRecord.objects.visible_to`: every record of a séance the
    person led or whose programme they coordinate, else their own validated ones."""
    coordinated = user.organization_ids_with_role(Role.COORDINATOR)
    for seance in seances:
        sees_all = (
            user.is_superuser or seance.led or seance.offer.programme.organization_id in coordinated
        )
        shown = [
            r
            for r in seance.record_states
            if sees_all or (r.beneficiary_user_id == user.pk and r.status == RecordStatus.VALIDATED)
        ]
        seance.has_draft = any(r.status == RecordStatus.DRAFT for r in shown)
        seance.has_validated = any(r.status == RecordStatus.VALIDATED for r in shown)
        validated = [r for r in seance.record_states if r.status == RecordStatus.VALIDATED]
        closed = {r.beneficiary_id for r in validated}
        seance.to_complete = any(
            a.status == AttendanceStatus.PRESENT and a.beneficiary_id not in closed
            for a in seance.attendances.all()
        )
    return seances


def seance_for_page(user, public_id) -> QuerySet[Seance]:
    return (
        Seance.objects.visible_to(user)
        .select_related(
            "offer__programme__organization",
            "mentor",
            "appointment",
            "group_session",
            "tutoring_pair__tutee",
            "tutoring_pair__tutor",
            "hotline_call",
        )
        .prefetch_related("co_mentors")
        .filter(public_id=public_id)
    )


@dataclass
class ParticipantRow:
    attendance: Attendance
    latest_record: ClosingRecord | None = None
    tasks: list = field(default_factory=list)


@dataclass
class SeancePage:
    """What one person sees of a séance."""

    seance: Seance
    is_mentor: bool
    coordinates: bool
    own_attendance: Attendance | None
    rows: list[ParticipantRow]
    tasks: list[ActionItem]
    notes: list[ConfidentialNote]
    has_hidden_notes: bool
    observation: object = None
    observed: Attendance | None = None
    is_observed: bool = False
    goals: list[LearningGoal] = field(default_factory=list)
    candidates: list[Beneficiary] = field(default_factory=list)

    @property
    def can_edit(self) -> bool:
        return self.is_mentor

    @property
    def can_read_confidential(self) -> bool:
        """Mentors read every note; a participant their own. Nobody else."""
        return self.is_mentor or self.own_attendance is not None


def _is_mentor(user, seance: Seance) -> bool:
    """`is_seance_mentor` on the prefetched co-mentors: no query."""
    if not user.is_authenticated:
        return False
    return seance.mentor_id == user.pk or any(m.pk == user.pk for m in seance.co_mentors.all())


def seance_page(seance: Seance, user) -> SeancePage:
    """Build the séance's page for `user` (`seance` from `seance_for_page`)."""
    is_mentor = _is_mentor(user, seance)
    coordinates = coordinates_seance(user, seance)
    attendances = list(
        seance.attendances.select_related("beneficiary").order_by("beneficiary__name", "pk")
    )
    for attendance in attendances:
        attendance.seance = seance
    own = next(
        (a for a in attendances if a.beneficiary.user_id and a.beneficiary.user_id == user.pk),
        None,
    )
    # A participant sees their own line only; staff see every participant.
    shown = attendances if (is_mentor or coordinates) else [a for a in attendances if a is own]
    shown_ids = [a.beneficiary_id for a in shown]

    records: dict[int, ClosingRecord] = {}
    for record in (
        ClosingRecord.objects.visible_to(user)
        .filter(seance=seance, beneficiary_id__in=shown_ids)
        .order_by("beneficiary_id", "-version", "-pk")
    ):
        records.setdefault(record.beneficiary_id, record)

    tasks = list(
        ActionItem.objects.visible_to(user)
        .open()
        .filter(beneficiary_id__in=shown_ids)
        .select_related("beneficiary", "seance")
    )
    tasks_by_person = defaultdict(list)
    today = timezone.localdate()
    for task in tasks:
        task.overdue = task.due_on is not None and task.due_on < today
        # The beneficiary themselves, or a mentor of this séance (who follows them), may
        # move a task along: the same rule as `can_update_task`, without a query per task.
        task.can_update = is_mentor or (
            task.beneficiary.user_id is not None and task.beneficiary.user_id == user.pk
        )
        tasks_by_person[task.beneficiary_id].append(task)

    rows = [
        ParticipantRow(
            attendance=attendance,
            latest_record=records.get(attendance.beneficiary_id),
            tasks=tasks_by_person.get(attendance.beneficiary_id, []),
        )
        for attendance in shown
    ]

    notes = (
        services.confidential_notes_for(seance=seance, user=user)
        if (is_mentor or own is not None)
        else []
    )
    has_hidden_notes = (
        not is_mentor and own is None and ConfidentialNote.objects.filter(seance=seance).exists()
    )
    page = SeancePage(
        seance=seance,
        is_mentor=is_mentor,
        coordinates=coordinates,
        own_attendance=own,
        rows=rows,
        tasks=tasks,
        notes=notes,
        has_hidden_notes=has_hidden_notes,
    )

    if seance.kind == SeanceKind.PRACTICE_ANALYSIS:
        page.observed = next((a for a in attendances if a.role == ParticipantRole.OBSERVED), None)
        page.is_observed = own is not None and own.role == ParticipantRole.OBSERVED
        if is_mentor or page.is_observed:
            page.observation = services.observation_for(seance=seance, user=user)

    if seance.kind == SeanceKind.TUTORING and seance.tutoring_pair_id:
        page.goals = list(
            LearningGoal.objects.filter(pair_id=seance.tutoring_pair_id).prefetch_related(
                Prefetch(
                    "reviews",
                    queryset=GoalReview.objects.filter(seance=seance),
                    to_attr="this_meeting",
                )
            )
        )
        for goal in page.goals:
            goal.review = goal.this_meeting[0] if goal.this_meeting else None

    if is_mentor and seance.kind in services.GROUP_SEANCE_KINDS:
        page.candidates = list(services.participant_candidates(seance, user))
    return page


def tutoring_pairs_for(user) -> QuerySet[TutoringPair]:
    return (
        TutoringPair.objects.visible_to(user)
        .select_related("offer__programme", "tutor", "tutee")
        .annotate(
            goals_count=Count("goals", distinct=True),
            reached_count=Count("goals", filter=Q(goals__status=GoalStatus.REACHED), distinct=True),
        )
        .order_by("ended_on", "-started_on", "pk")
    )


def tutoring_pair_page(pair: TutoringPair) -> dict:
    """The pair's goals with their reviews meeting after meeting, and the meetings."""
    meetings = list(pair.meetings.order_by("starts_at", "pk"))
    goals = list(
        pair.goals.prefetch_related(
            Prefetch(
                "reviews",
                queryset=GoalReview.objects.select_related("seance").order_by(
                    "seance__starts_at", "pk"
                ),
            )
        )
    )
    return {
        "meetings": meetings,
        "goals": goals,
        "reached_count": sum(1 for goal in goals if goal.status == GoalStatus.REACHED),
    }

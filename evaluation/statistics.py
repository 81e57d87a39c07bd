"""The evaluation figures of a programme, of a mentor's work and of one beneficiary's path.

Every programme figure is computed in SQL with a fixed number of queries, whatever the number
of beneficiaries, séances or answers. Privacy rules (issue 7):
- a figure about fewer than MIN_GROUP distinct beneficiaries is suppressed: `figure()` is the
  one place that decides it;
- free-text answers are read without any field of the person who wrote them;
- confidential notes and logbooks are never read here (tests check the SQL).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields import CharField
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from beneficiaires.enums import EnrollmentStatus, Situation
from beneficiaires.models import Beneficiary, Enrollment
from evaluation.enums import EntryMode, Phase, Purpose, QuestionKind
from evaluation.models import Answer, Response
from programmes.enums import OfferKind
from programmes.models import Offer, Programme
from seances.enums import AttendanceStatus, TaskStatus
from seances.models import ActionItem, Attendance, Seance

MIN_GROUP = 5
NEED_PROGRESS = "need_progress"
# Best and worst rated items shown; free-text answers shown per question.
RANKED_ITEMS = 3
TEXTS_PER_QUESTION = 30
# Questionnaires whose answers speak for the beneficiaries (the mentor's assessment does not).
BENEFICIARY_VOICE = ~Q(response__questionnaire__purpose=Purpose.MENTOR_ASSESSMENT) & ~Q(
    response__entry_mode=EntryMode.MENTOR
)


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters; every one is optional."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    offer: Offer | None = None
    mentor: User | None = None
    territory: str = ""


# --- The small-group rule ---------------------------------------------------------------------


def reportable(people: int | None) -> bool:
    """Whether a figure about `people` distinct beneficiaries may be shown."""
    return people is not None and people >= MIN_GROUP


def figure(value, people: int | None) -> dict:
    """A figure with the small-group rule applied: below MIN_GROUP people, neither the value
    nor the number of people is given."""
    if reportable(people):
        return {"value": value, "people": people, "suppressed": False}
    return {"value": None, "people": None, "suppressed": True}


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _mean(value) -> float | None:
    return round(float(value), 1) if value is not None else None


# --- Scopes: what the filters keep ----------------------------------------------------------


def _in_period(lookup: str, filters: Filters) -> Q:
    q = Q()
    if filters.start:
        q &= Q(**{f"{lookup}__date__gte": filters.start})
    if filters.end:
        q &= Q(**{f"{lookup}__date__lte": filters.end})
    return q


def enrollments_in_scope(programme: Programme, filters: Filters) -> QuerySet[Enrollment]:
    """The programme's enrollments the filters keep (the beneficiaries counted)."""
    enrollments = Enrollment.objects.filter(offer__programme=programme)
    if filters.offer:
        enrollments = enrollments.filter(offer=filters.offer)
    if filters.mentor:
        enrollments = enrollments.filter(referent_mentor=filters.mentor)
    if filters.territory:
        enrollments = enrollments.filter(beneficiary__territory=filters.territory)
    # Enrollments that overlap the period.
    if filters.end:
        enrollments = enrollments.filter(started_on__lte=filters.end)
    if filters.start:
        enrollments = enrollments.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=filters.start))
    return enrollments


def seances_in_scope(programme: Programme, filters: Filters) -> QuerySet[Seance]:
    """The séances held in the programme that the filters keep."""
    seances = Seance.objects.filter(
        offer__programme=programme, starts_at__lt=timezone.now()
    ).filter(_in_period("starts_at", filters))
    if filters.offer:
        seances = seances.filter(offer=filters.offer)
    if filters.mentor:
        seances = seances.filter(
            Q(mentor=filters.mentor)
            | Q(
                id__in=Seance.co_mentors.through.objects.filter(user=filters.mentor).values(
                    "seance_id"
                )
            )
        )
    if filters.territory:
        seances = seances.filter(
            Exists(
                Attendance.objects.filter(
                    seance=OuterRef("pk"), beneficiary__territory=filters.territory
                )
            )
        )
    return seances


def responses_in_scope(programme: Programme, filters: Filters) -> QuerySet[Response]:
    """The programme's responses the filters keep."""
    responses = Response.objects.filter(programme=programme).filter(
        _in_period("submitted_at", filters)
    )
    if filters.offer:
        enrolled = Enrollment.objects.filter(offer=filters.offer).values("beneficiary_id")
        responses = responses.filter(
            Q(seance__offer=filters.offer) | Q(seance__isnull=True, beneficiary_id__in=enrolled)
        )
    if filters.mentor:
        responses = responses.filter(mentor=filters.mentor)
    if filters.territory:
        responses = responses.filter(beneficiary__territory=filters.territory)
    return responses


def _progress_pairs(programme: Programme, filters: Filters) -> QuerySet[Answer]:
    """The latest END `need_progress` answer of each beneficiary and theme that has a START
    answer, annotated with that START value (`before`): the before/after pairs. The START
    answer may predate the period: the period picks the END answers."""
    progress = Answer.objects.filter(
        question__code=NEED_PROGRESS, theme__isnull=False, value_number__isnull=False
    )
    in_scope = responses_in_scope(programme, filters)
    first_start = (
        progress.filter(
            response__programme=programme,
            response__phase=Phase.START,
            response__beneficiary=OuterRef("response__beneficiary"),
            theme=OuterRef("theme"),
        )
        .order_by("response__submitted_at", "pk")
        .values("value_number")[:1]
    )
    later_end = progress.filter(
        response__in=in_scope,
        response__phase=Phase.END,
        response__beneficiary=OuterRef("response__beneficiary"),
        theme=OuterRef("theme"),
        response__submitted_at__gt=OuterRef("response__submitted_at"),
    )
    return (
        progress.filter(response__in=in_scope, response__phase=Phase.END)
        .exclude(Exists(later_end))
        .annotate(before=Subquery(first_start))
        .filter(before__isnull=False)
    )


# --- The programme's indicators -------------------------------------------------------------


def _beneficiaries(programme: Programme, filters: Filters) -> dict:
    enrollments = enrollments_in_scope(programme, filters)
    total = enrollments.aggregate(n=Count("beneficiary", distinct=True))["n"]
    by_status = dict(
        enrollments.values_list("status").annotate(n=Count("beneficiary", distinct=True)).order_by()
    )
    by_situation = dict(
        Beneficiary.objects.filter(id__in=enrollments.values("beneficiary_id"))
        .values_list("situation")
        .annotate(n=Count("id"))
        .order_by()
    )
    situations = [(s.value, s.label) for s in Situation] + [("", _("Not known"))]
    return {
        "total": figure(total, total),
        "by_stage": [
            {
                "code": s.value,
                "label": s.label,
                "count": figure(by_status.get(s.value, 0), by_status.get(s.value, 0)),
            }
            for s in EnrollmentStatus
        ],
        "by_situation": [
            {
                "code": value,
                "label": label,
                "count": figure(by_situation.get(value, 0), by_situation.get(value, 0)),
            }
            for value, label in situations
        ],
    }


def _seances(programme: Programme, filters: Filters) -> dict:
    seances = seances_in_scope(programme, filters)
    per_kind = {
        row["offer__kind"]: row
        for row in seances.values("offer__kind")
        .annotate(seances=Count("id"), minutes=Sum("duration_minutes"))
        .order_by()
    }
    people = dict(
        Attendance.objects.filter(seance__in=seances)
        .values_list("seance__offer__kind")
        .annotate(n=Count("beneficiary", distinct=True))
        .order_by()
    )
    rows = []
    for kind in OfferKind:
        row = per_kind.get(kind.value, {"seances": 0, "minutes": 0})
        n = people.get(kind.value, 0)
        rows.append(
            {
                "code": kind.value,
                "label": kind.label,
                "seances": figure(row["seances"], n),
                "hours": figure(round((row["minutes"] or 0) / 60, 1), n),
            }
        )
    total = seances.aggregate(seances=Count("id"), minutes=Sum("duration_minutes"))
    total_people = Attendance.objects.filter(seance__in=seances).aggregate(
        n=Count("beneficiary", distinct=True)
    )["n"]
    return {
        "by_offer_kind": rows,
        "total_seances": figure(total["seances"], total_people),
        "total_hours": figure(round((total["minutes"] or 0) / 60, 1), total_people),
    }


def _attendance(programme: Programme, filters: Filters) -> dict:
    attendances = Attendance.objects.filter(seance__in=seances_in_scope(programme, filters))
    if filters.territory:
        attendances = attendances.filter(beneficiary__territory=filters.territory)
    counts = attendances.aggregate(
        total=Count("id"),
        people=Count("beneficiary", distinct=True),
        **{status.value: Count("id", filter=Q(status=status.value)) for status in AttendanceStatus},
    )
    people = counts["people"]
    return {
        "rows": [
            {
                "code": status.value,
                "label": status.label,
                "count": figure(counts[status.value], people),
                "rate": figure(_percent(counts[status.value], counts["total"]), people),
            }
            for status in AttendanceStatus
        ],
        "total": figure(counts["total"], people),
    }


def _satisfaction(answers: QuerySet[Answer]) -> dict:
    scale = answers.filter(
        question__kind=QuestionKind.SCALE,
        response__questionnaire__purpose=Purpose.SATISFACTION,
        value_number__isnull=False,
    )
    stats = scale.aggregate(
        mean=Avg("value_number"),
        answers=Count("id"),
        people=Count("response__beneficiary", distinct=True),
        **{f"n{score}": Count("id", filter=Q(value_number=score)) for score in range(1, 6)},
    )
    people = stats["people"]
    nps = answers.filter(question__kind=QuestionKind.NPS, value_number__isnull=False).aggregate(
        promoters=Count("id", filter=Q(value_number__gte=9)),
        passives=Count("id", filter=Q(value_number__in=(7, 8))),
        detractors=Count("id", filter=Q(value_number__lte=6)),
        answers=Count("id"),
        people=Count("response__beneficiary", distinct=True),
    )
    nps_value = (
        round(100 * (nps["promoters"] - nps["detractors"]) / nps["answers"])
        if nps["answers"]
        else None
    )
    return {
        "mean": figure(_mean(stats["mean"]), people),
        "answers": figure(stats["answers"], people),
        "distribution": [
            {"code": score, "label": str(score), "count": figure(stats[f"n{score}"], people)}
            for score in range(1, 6)
        ],
        "nps": {
            "score": figure(nps_value, nps["people"]),
            **{
                key: figure(nps[key], nps["people"])
                for key in ("promoters", "passives", "detractors", "answers")
            },
        },
    }


def _progress(programme: Programme, filters: Filters) -> list[dict]:
    per_theme = (
        _progress_pairs(programme, filters)
        .values("theme_id", "theme__name")
        .annotate(
            before_mean=Avg("before"),
            after_mean=Avg("value_number"),
            people=Count("response__beneficiary", distinct=True),
        )
        .order_by("theme__name", "theme_id")
    )
    rows = []
    for row in per_theme:
        people = row["people"]
        before, after = _mean(row["before_mean"]), _mean(row["after_mean"])
        rows.append(
            {
                "theme": row["theme__name"],
                "before": figure(before, people),
                "after": figure(after, people),
                "gain": figure(round(after - before, 1), people),
            }
        )
    return rows


def _action_plan(programme: Programme, filters: Filters) -> dict:
    # The tasks of the people counted, but not those born in another programme's séances.
    tasks = ActionItem.objects.filter(
        Q(seance__isnull=True) | Q(seance__offer__programme=programme),
        beneficiary_id__in=enrollments_in_scope(programme, filters).values("beneficiary_id"),
    ).filter(_in_period("created_at", filters))
    counts = tasks.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        people=Count("beneficiary", distinct=True),
    )
    people = counts["people"]
    return {
        "done": figure(counts["done"], people),
        "total": figure(counts["total"], people),
        "rate": figure(_percent(counts["done"], counts["total"]), people),
    }


def _question_key():
    """Questions compare across questionnaires by code; a question without one stands alone."""
    return Coalesce(
        NullIf(F("question__code"), Value("")), Cast("question_id", output_field=CharField())
    )


def _strengths(answers: QuerySet[Answer]) -> dict:
    voice = answers.filter(BENEFICIARY_VOICE)
    rated = (
        voice.filter(
            question__kind=QuestionKind.SCALE,
            question__per_need=False,
            value_number__isnull=False,
        )
        .annotate(key=_question_key())
        .values("key")
        .annotate(
            label=Min("question__label"),
            mean=Avg("value_number"),
            people=Count("response__beneficiary", distinct=True),
        )
        .order_by()
    )
    items = [
        {"label": row["label"], "mean": _mean(row["mean"]), "people": row["people"]}
        for row in rated
        if reportable(row["people"])
    ]
    items.sort(key=lambda item: (-item["mean"], item["label"]))
    # Best and worst never overlap: with few items, the better half counts as strengths.
    split = min(RANKED_ITEMS, (len(items) + 1) // 2)
    best = items[:split]
    worst = items[split:][::-1][:RANKED_ITEMS]

    texts = voice.filter(question__kind=QuestionKind.TEXT).exclude(value_text="")
    per_question = (
        texts.annotate(key=_question_key())
        .values("key")
        .annotate(
            label=Min("question__label"),
            people=Count("response__beneficiary", distinct=True),
            position=Min("question__position"),
        )
        .order_by("position", "label")
    )
    groups = {
        row["key"]: {
            "label": row["label"],
            "answers": [],
            "suppressed": not reportable(row["people"]),
        }
        for row in per_question
    }
    # The same rule in SQL (so this query runs whatever the data): questions answered by
    # at least MIN_GROUP people.
    shown = (
        texts.annotate(key=_question_key())
        .values("key")
        .annotate(people=Count("response__beneficiary", distinct=True))
        .filter(people__gte=MIN_GROUP)
        .values("key")
    )
    # Only the text: no date, no séance, no person; sorted by text, not by who or when.
    for key, text in (
        texts.annotate(key=_question_key())
        .filter(key__in=Subquery(shown))
        .order_by("key", "value_text")
        .values_list("key", "value_text")
    ):
        if not groups[key]["suppressed"] and len(groups[key]["answers"]) < TEXTS_PER_QUESTION:
            groups[key]["answers"].append(text)
    return {"best": best, "worst": worst, "comments": list(groups.values())}


def programme_indicators(programme: Programme, filters: Filters | None = None) -> dict:
    """Every indicator of the programme's evaluation dashboard, small groups suppressed."""
    filters = filters or Filters()
    answers = Answer.objects.filter(response__in=responses_in_scope(programme, filters))
    return {
        "min_group": MIN_GROUP,
        "beneficiaries": _beneficiaries(programme, filters),
        "seances": _seances(programme, filters),
        "attendance": _attendance(programme, filters),
        "satisfaction": _satisfaction(answers),
        "progress": _progress(programme, filters),
        "action_plan": _action_plan(programme, filters),
        "strengths": _strengths(answers),
    }


# --- Per mentor -----------------------------------------------------------------------------


def mentor_outcomes(programme: Programme, filters: Filters | None = None) -> list[dict]:
    """Per mentor: beneficiaries followed as referent, séances led, hours, mean progress gain.

    A mentor's load is about their own work, so the counts of séances and hours are shown;
    the number of people followed and the progress gain follow the small-group rule."""
    filters = filters or Filters()
    followed = dict(
        enrollments_in_scope(programme, filters)
        .filter(referent_mentor__isnull=False)
        .values_list("referent_mentor")
        .annotate(n=Count("beneficiary", distinct=True))
        .order_by()
    )
    led = {
        row["mentor"]: row
        for row in seances_in_scope(programme, filters)
        .values("mentor")
        .annotate(seances=Count("id"), minutes=Sum("duration_minutes"))
        .order_by()
    }
    gains = {
        row["response__mentor"]: row
        for row in _progress_pairs(programme, filters)
        .filter(response__mentor__isnull=False)
        .values("response__mentor")
        .annotate(
            gain=Avg(F("value_number") - F("before")),
            people=Count("response__beneficiary", distinct=True),
        )
        .order_by()
    }
    ids = set(followed) | set(led) | set(gains)
    mentors = User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "email")
    rows = []
    for mentor in mentors:
        seances = led.get(mentor.pk, {"seances": 0, "minutes": 0})
        gain = gains.get(mentor.pk, {"gain": None, "people": 0})
        rows.append(
            {
                "mentor": mentor,
                "name": str(mentor),
                "followed": figure(followed.get(mentor.pk, 0), followed.get(mentor.pk, 0)),
                "seances": seances["seances"],
                "hours": round((seances["minutes"] or 0) / 60, 1),
                "gain": figure(_mean(gain["gain"]), gain["people"]),
            }
        )
    return rows


# --- One beneficiary ------------------------------------------------------------------------


def beneficiary_follow_up(beneficiary: Beneficiary) -> dict:
    """A beneficiary's path: their own progress on each need over time, tasks, attendance.

    About one person, for the people who follow them: no small-group rule here."""
    answers = (
        Answer.objects.filter(
            response__beneficiary=beneficiary,
            question__code=NEED_PROGRESS,
            theme__isnull=False,
            value_number__isnull=False,
        )
        .order_by("response__submitted_at", "response_id", "theme__name")
        .values(
            "response_id",
            "response__submitted_at",
            "response__phase",
            "theme_id",
            "theme__name",
            "value_number",
        )
    )
    moments: dict[int, dict] = {}
    themes: dict[int, str] = {}
    values: dict[tuple[int, int], int] = {}
    phases = dict(Phase.choices)
    for row in answers:
        moments.setdefault(
            row["response_id"],
            {
                "date": row["response__submitted_at"],
                "phase": row["response__phase"],
                "phase_label": phases.get(row["response__phase"], ""),
            },
        )
        themes.setdefault(row["theme_id"], row["theme__name"])
        values[(row["theme_id"], row["response_id"])] = row["value_number"]
    series = defaultdict(list)
    for theme_id in themes:
        for response_id in moments:
            value = values.get((theme_id, response_id))
            series[theme_id].append(
                {"value": value, "percent": round(100 * value / 5) if value else 0}
            )
    progress = [
        {"theme": name, "points": series[theme_id]}
        for theme_id, name in sorted(themes.items(), key=lambda item: item[1])
    ]
    tasks = ActionItem.objects.filter(beneficiary=beneficiary).aggregate(
        total=Count("id"),
        **{status.value: Count("id", filter=Q(status=status.value)) for status in TaskStatus},
    )
    attendance = Attendance.objects.filter(beneficiary=beneficiary).aggregate(
        total=Count("id"),
        **{status.value: Count("id", filter=Q(status=status.value)) for status in AttendanceStatus},
    )
    return {
        "beneficiary": beneficiary,
        "moments": list(moments.values()),
        "progress": progress,
        "tasks": {
            "total": tasks["total"],
            "done": tasks[TaskStatus.DONE],
            "rate": _percent(tasks[TaskStatus.DONE], tasks["total"]),
            "rows": [
                {"code": s.value, "label": s.label, "count": tasks[s.value]} for s in TaskStatus
            ],
        },
        "attendance": {
            "total": attendance["total"],
            "rows": [
                {
                    "code": s.value,
                    "label": s.label,
                    "count": attendance[s.value],
                    "rate": _percent(attendance[s.value], attendance["total"]),
                }
                for s in AttendanceStatus
            ],
        },
    }


# --- Chart rows (the dashboard and the PDF report draw the same bars) ----------------------


def bar_rows(rows: list[dict], key: str, *, scale: float | None = None) -> list[dict]:
    """Rows for a bar chart of the figure `row[key]`: each with its share of `scale` (by
    default the largest value shown); a suppressed figure has no bar."""
    shown = [row[key]["value"] for row in rows if not row[key]["suppressed"]]
    largest = scale or max(shown, default=0) or 1
    return [
        {
            **row,
            "figure": row[key],
            "percent": 0
            if row[key]["suppressed"]
            else round(100 * (row[key]["value"] or 0) / largest),
        }
        for row in rows
    ]


def progress_rows(rows: list[dict]) -> list[dict]:
    """Before/after rows, bars on the 1–5 scale."""
    return [
        {
            **row,
            "before_percent": 0
            if row["before"]["suppressed"]
            else round(100 * row["before"]["value"] / 5),
            "after_percent": 0
            if row["after"]["suppressed"]
            else round(100 * row["after"]["value"] / 5),
        }
        for row in rows
    ]

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

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    Exists,
    F,
    JSONField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields import CharField
from django.db.models.functions import Cast, Coalesce, JSONObject, NullIf
from django.db.models.lookups import GreaterThanOrEqual
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


def _figures(queryset: QuerySet, **aggregates):
    """`queryset.aggregate(**aggregates)` as a scalar subquery returning a JSON object, so that
    the figures of several tables come back in one round trip."""
    return Subquery(
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(figures=JSONObject(**aggregates))
        .values("figures")
    )


def _people(lookup: str, condition: Q | None = None) -> Count:
    return Count(lookup, distinct=True, filter=condition)


def _enrollment_figures(programme: Programme, filters: Filters):
    situations = [s.value for s in Situation] + [""]
    return _figures(
        enrollments_in_scope(programme, filters),
        total=_people("beneficiary"),
        **{
            f"status:{s.value}": _people("beneficiary", Q(status=s.value)) for s in EnrollmentStatus
        },
        **{
            f"situation:{value}": _people("beneficiary", Q(beneficiary__situation=value))
            for value in situations
        },
    )


def _seance_figures(programme: Programme, filters: Filters):
    per_kind = {}
    for kind in OfferKind:
        of_kind = Q(offer__kind=kind.value)
        per_kind[f"seances:{kind.value}"] = Count("id", filter=of_kind)
        per_kind[f"minutes:{kind.value}"] = Sum("duration_minutes", filter=of_kind)
    return _figures(
        seances_in_scope(programme, filters),
        seances=Count("id"),
        minutes=Sum("duration_minutes"),
        **per_kind,
    )


def _attendance_figures(programme: Programme, filters: Filters):
    # The séances' people count everyone who attended; the attendance rates only the
    # territory's people when the territory is filtered.
    territory = Q(beneficiary__territory=filters.territory) if filters.territory else None

    def kept(condition: Q | None = None) -> Q | None:
        if territory is None:
            return condition
        return territory if condition is None else condition & territory

    return _figures(
        Attendance.objects.filter(seance__in=seances_in_scope(programme, filters)),
        seance_people=_people("beneficiary"),
        **{
            f"seance_people:{kind.value}": _people("beneficiary", Q(seance__offer__kind=kind.value))
            for kind in OfferKind
        },
        total=Count("id", filter=kept()),
        people=_people("beneficiary", kept()),
        **{
            f"status:{status.value}": Count("id", filter=kept(Q(status=status.value)))
            for status in AttendanceStatus
        },
    )


SATISFACTION_SCALE = Q(
    question__kind=QuestionKind.SCALE,
    response__questionnaire__purpose=Purpose.SATISFACTION,
    value_number__isnull=False,
)
NPS = Q(question__kind=QuestionKind.NPS, value_number__isnull=False)


def _satisfaction_figures(answers: QuerySet[Answer]):
    return _figures(
        answers,
        mean=Avg("value_number", filter=SATISFACTION_SCALE),
        answers=Count("id", filter=SATISFACTION_SCALE),
        people=_people("response__beneficiary", SATISFACTION_SCALE),
        **{
            f"n{score}": Count("id", filter=SATISFACTION_SCALE & Q(value_number=score))
            for score in range(1, 6)
        },
        nps_promoters=Count("id", filter=NPS & Q(value_number__gte=9)),
        nps_passives=Count("id", filter=NPS & Q(value_number__in=(7, 8))),
        nps_detractors=Count("id", filter=NPS & Q(value_number__lte=6)),
        nps_answers=Count("id", filter=NPS),
        nps_people=_people("response__beneficiary", NPS),
    )


def _action_plan_figures(programme: Programme, filters: Filters):
    # The tasks of the people counted, but not those born in another programme's séances.
    tasks = ActionItem.objects.filter(
        Q(seance__isnull=True) | Q(seance__offer__programme=programme),
        beneficiary_id__in=enrollments_in_scope(programme, filters).values("beneficiary_id"),
    ).filter(_in_period("created_at", filters))
    return _figures(
        tasks,
        total=Count("id"),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        people=_people("beneficiary"),
    )


def _headline_figures(programme: Programme, filters: Filters, answers: QuerySet[Answer]) -> dict:
    """The programme-wide figures of five tables, each a conditional aggregation, in one query."""
    return (
        Programme.objects.filter(pk=programme.pk)
        .order_by()
        .values(
            beneficiaries=_enrollment_figures(programme, filters),
            seances=_seance_figures(programme, filters),
            attendance=_attendance_figures(programme, filters),
            satisfaction=_satisfaction_figures(answers),
            action_plan=_action_plan_figures(programme, filters),
        )
        .get()
    )


def _beneficiaries(counts: dict) -> dict:
    total = counts["total"]
    situations = [(s.value, s.label) for s in Situation] + [("", _("Not known"))]
    return {
        "total": figure(total, total),
        "by_stage": [
            {
                "code": s.value,
                "label": s.label,
                "count": figure(counts[f"status:{s.value}"], counts[f"status:{s.value}"]),
            }
            for s in EnrollmentStatus
        ],
        "by_situation": [
            {
                "code": value,
                "label": label,
                "count": figure(counts[f"situation:{value}"], counts[f"situation:{value}"]),
            }
            for value, label in situations
        ],
    }


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def _seances(seances: dict, attendance: dict) -> dict:
    rows = []
    for kind in OfferKind:
        n = attendance[f"seance_people:{kind.value}"]
        rows.append(
            {
                "code": kind.value,
                "label": kind.label,
                "seances": figure(seances[f"seances:{kind.value}"], n),
                "hours": figure(_hours(seances[f"minutes:{kind.value}"]), n),
            }
        )
    total_people = attendance["seance_people"]
    return {
        "by_offer_kind": rows,
        "total_seances": figure(seances["seances"], total_people),
        "total_hours": figure(_hours(seances["minutes"]), total_people),
    }


def _attendance(counts: dict) -> dict:
    people = counts["people"]
    return {
        "rows": [
            {
                "code": status.value,
                "label": status.label,
                "count": figure(counts[f"status:{status.value}"], people),
                "rate": figure(_percent(counts[f"status:{status.value}"], counts["total"]), people),
            }
            for status in AttendanceStatus
        ],
        "total": figure(counts["total"], people),
    }


def _satisfaction(stats: dict) -> dict:
    people = stats["people"]
    nps = {key: stats[f"nps_{key}"] for key in ("promoters", "passives", "detractors", "answers")}
    nps_people = stats["nps_people"]
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
            "score": figure(nps_value, nps_people),
            **{key: figure(value, nps_people) for key, value in nps.items()},
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


def _action_plan(counts: dict) -> dict:
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


class _JSONGroupArray(Aggregate):
    """SQLite's aggregate of a group's values as a JSON array (the embedded default)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()


def _text_list(texts: Q):
    """The free-text answers of a group as a list, in one aggregate: ARRAY_AGG on PostgreSQL,
    JSON_GROUP_ARRAY on SQLite (sorted in Python there)."""
    if connection.vendor == "postgresql":
        return ArrayAgg("value_text", filter=texts, order_by="value_text")
    return _JSONGroupArray("value_text", filter=texts)


def _strengths(answers: QuerySet[Answer]) -> dict:
    # One grouped query: per question, the rated items' mean and the free-text answers.
    rated = Q(
        question__kind=QuestionKind.SCALE, question__per_need=False, value_number__isnull=False
    )
    texts = Q(question__kind=QuestionKind.TEXT) & ~Q(value_text="")
    text_people = _people("response__beneficiary", texts)
    per_question = (
        answers.filter(BENEFICIARY_VOICE)
        .filter(rated | texts)
        .annotate(key=_question_key())
        .values("key")
        .annotate(
            rated_label=Min("question__label", filter=rated),
            mean=Avg("value_number", filter=rated),
            rated_people=_people("response__beneficiary", rated),
            text_label=Min("question__label", filter=texts),
            text_people=text_people,
            position=Min("question__position", filter=texts),
            # Only the text (no date, séance or person), sorted by text, and only for
            # questions answered by at least MIN_GROUP people: the rule holds in SQL.
            answers=Case(
                When(
                    GreaterThanOrEqual(text_people, MIN_GROUP),
                    then=_text_list(texts),
                ),
                default=None,
            ),
        )
        .order_by("position", "text_label")
    )
    items = []
    groups = []
    for row in per_question:
        if row["rated_people"] and reportable(row["rated_people"]):
            items.append(
                {
                    "label": row["rated_label"],
                    "mean": _mean(row["mean"]),
                    "people": row["rated_people"],
                }
            )
        if row["text_people"]:
            suppressed = not reportable(row["text_people"])
            groups.append(
                {
                    "label": row["text_label"],
                    "answers": [] if suppressed else sorted(row["answers"])[:TEXTS_PER_QUESTION],
                    "suppressed": suppressed,
                }
            )
    items.sort(key=lambda item: (-item["mean"], item["label"]))
    # Best and worst never overlap: with few items, the better half counts as strengths.
    split = min(RANKED_ITEMS, (len(items) + 1) // 2)
    best = items[:split]
    worst = items[split:][::-1][:RANKED_ITEMS]
    return {"best": best, "worst": worst, "comments": groups}


def programme_indicators(programme: Programme, filters: Filters | None = None) -> dict:
    """Every indicator of the programme's evaluation dashboard, small groups suppressed."""
    filters = filters or Filters()
    answers = Answer.objects.filter(response__in=responses_in_scope(programme, filters))
    headline = _headline_figures(programme, filters, answers)
    return {
        "min_group": MIN_GROUP,
        "beneficiaries": _beneficiaries(headline["beneficiaries"]),
        "seances": _seances(headline["seances"], headline["attendance"]),
        "attendance": _attendance(headline["attendance"]),
        "satisfaction": _satisfaction(headline["satisfaction"]),
        "progress": _progress(programme, filters),
        "action_plan": _action_plan(headline["action_plan"]),
        "strengths": _strengths(answers),
    }


# --- Per mentor -----------------------------------------------------------------------------


def mentor_outcomes(programme: Programme, filters: Filters | None = None) -> list[dict]:
    """Per mentor: beneficiaries followed as referent, séances led, hours, mean progress gain.

    A mentor's load is about their own work, so the counts of séances and hours are shown;
    the number of people followed and the progress gain follow the small-group rule."""
    filters = filters or Filters()
    enrollments = enrollments_in_scope(programme, filters).filter(referent_mentor__isnull=False)
    seances = seances_in_scope(programme, filters)
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
    # The mentors and their load in one query: a correlated count per mentor shown.
    led = seances.filter(mentor=OuterRef("pk"))
    ids = (
        enrollments.order_by().values("referent_mentor").union(seances.order_by().values("mentor"))
    )
    if gains:
        ids = ids.union(User.objects.filter(pk__in=list(gains)).order_by().values("pk"))
    mentors = (
        User.objects.filter(pk__in=ids)
        .annotate(
            followed=_figures(
                enrollments.filter(referent_mentor=OuterRef("pk")), n=_people("beneficiary")
            ),
            led=_figures(led, seances=Count("id"), minutes=Sum("duration_minutes")),
        )
        .order_by("last_name", "first_name", "email")
    )
    rows = []
    for mentor in mentors:
        seances = mentor.led
        followed = mentor.followed["n"]
        gain = gains.get(mentor.pk, {"gain": None, "people": 0})
        rows.append(
            {
                "mentor": mentor,
                "name": str(mentor),
                "followed": figure(followed, followed),
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

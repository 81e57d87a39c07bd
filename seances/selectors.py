"""Reads on the agenda that cross models: attendance and no-show rates, mentors' load, a
mentor's week. Annotations, one query each, never a loop over rows."""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from beneficiaires.models import Beneficiary
from programmes.models import Offer
from seances.enums import TIME_HOLDING_STATUSES, AppointmentStatus
from seances.models import Appointment, Availability

PARIS = ZoneInfo("Europe/Paris")
# The outcomes a no-show rate is computed on: a cancelled appointment is no outcome.
OUTCOME_STATUSES = (
    AppointmentStatus.ATTENDED,
    AppointmentStatus.EXCUSED,
    AppointmentStatus.NO_SHOW,
)


def _rate(numerator: str, denominator: str) -> Case:
    """numerator / denominator as a float, None when there is nothing to divide by."""
    return Case(
        When(
            **{f"{denominator}__gt": 0},
            then=Cast(F(numerator), FloatField()) / Cast(F(denominator), FloatField()),
        ),
        default=Value(None),
        output_field=FloatField(),
    )


def _outcome_counts(relation: str, past: Q) -> dict:
    """Counts of attended, excused and no-show past appointments through `relation`."""

    def count(status: str) -> Count:
        return Count(relation, filter=past & Q(**{f"{relation}__status": status}))

    return {
        "attended_count": count(AppointmentStatus.ATTENDED),
        "excused_count": count(AppointmentStatus.EXCUSED),
        "no_show_count": count(AppointmentStatus.NO_SHOW),
    }


def _with_rates(queryset: QuerySet, relation: str, past: Q) -> QuerySet:
    return (
        queryset.annotate(**_outcome_counts(relation, past))
        .annotate(outcome_count=F("attended_count") + F("excused_count") + F("no_show_count"))
        .annotate(no_show_rate=_rate("no_show_count", "outcome_count"))
    )


def no_show_rate_by_beneficiary(
    beneficiary_ids: Iterable[int] | QuerySet,
    *,
    offers: Iterable[Offer] | QuerySet | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Beneficiary]:
    """Beneficiaries annotated with attended_count, excused_count, no_show_count,
    outcome_count and no_show_rate = no_show / (attended + excused + no_show) over their past
    appointments (of `offers` only, when given); the rate is None without any outcome."""
    now = now or timezone.now()
    past = Q(appointments__starts_at__lt=now)
    if offers is not None:
        past &= Q(appointments__offer__in=offers)
    return _with_rates(Beneficiary.objects.filter(pk__in=beneficiary_ids), "appointments", past)


def no_show_rate_by_offer(
    offers: Iterable[Offer] | QuerySet, *, now: datetime.datetime | None = None
) -> QuerySet[Offer]:
    """Offers annotated like `no_show_rate_by_beneficiary`, over their past appointments."""
    now = now or timezone.now()
    past = Q(appointments__starts_at__lt=now)
    return _with_rates(Offer.objects.filter(pk__in=offers), "appointments", past)


class SubqueryCount(Subquery):
    """The number of rows of a queryset filtered on OuterRef, as a correlated subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def mentors_with_load(
    mentors: QuerySet[User], *, appointments: QuerySet[Appointment], now: datetime.datetime
) -> list[User]:
    """Mentors with their load among `appointments` (those the viewer may see):
    upcoming_count (booked, ahead), no_show_count and outcome_count (past), no_show_rate,
    and availability_count (active weekly rows).

    Three queries whatever the number of mentors: the mentors, then one grouped count per
    table keyed by mentor (correlated subqueries per row repeated the visibility joins)."""
    people = list(mentors.order_by("last_name", "first_name", "email"))
    ids = [person.pk for person in people]
    past = Q(starts_at__lt=now, status__in=OUTCOME_STATUSES)
    loads = {
        row["mentor_id"]: row
        for row in appointments.filter(mentor_id__in=ids)
        .order_by()
        .values("mentor_id")
        .annotate(
            upcoming_count=Count(
                "pk", filter=Q(starts_at__gte=now, status=AppointmentStatus.BOOKED)
            ),
            outcome_count=Count("pk", filter=past),
            no_show_count=Count("pk", filter=past & Q(status=AppointmentStatus.NO_SHOW)),
        )
    }
    windows = dict(
        Availability.objects.filter(mentor_id__in=ids, is_active=True)
        .order_by()
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
    )
    for person in people:
        load = loads.get(person.pk, {})
        person.upcoming_count = load.get("upcoming_count", 0)
        person.outcome_count = load.get("outcome_count", 0)
        person.no_show_count = load.get("no_show_count", 0)
        person.no_show_rate = (
            person.no_show_count / person.outcome_count if person.outcome_count else None
        )
        person.availability_count = windows.get(person.pk, 0)
    return people


# A mentor's week


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week."""
    return day - datetime.timedelta(days=day.weekday())


def week_bounds(monday: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday 00:00 to the next Monday 00:00, Paris time (a DST week has 167 or 169 hours)."""
    start = datetime.datetime.combine(monday, datetime.time(0), tzinfo=PARIS)
    end = datetime.datetime.combine(
        monday + datetime.timedelta(days=7), datetime.time(0), tzinfo=PARIS
    )
    return start, end


def holding_appointments_in(
    *, mentor: User, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> QuerySet[Appointment]:
    """The mentor's appointments that hold time within a period (an unavailability, say)."""
    return Appointment.objects.filter(
        mentor=mentor,
        status__in=TIME_HOLDING_STATUSES,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )

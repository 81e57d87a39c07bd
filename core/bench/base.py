"""What every part of the bench seeder shares: the random source, the clock, the row counts
and timings, and the chunked bulk insert."""

import datetime
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import models, reset_queries

from core.bench.plan import Plan

PARIS = ZoneInfo("Europe/Paris")
# Rows per bulk INSERT: 2,000 rows of the widest table stay under PostgreSQL's 65,535
# parameters; SQLite's own limit is applied by Django on top.
BATCH_SIZE = 2_000
# Rows generated before they are written: the dataset is never held whole in memory.
CHUNK_SIZE = 5_000
# The dataset spans the last two years and the next two months.
PAST_DAYS = 730
FUTURE_DAYS = 60


@dataclass
class Beneficiary:
    """What later steps need to know of a beneficiary, without the model instance."""

    pk: int
    organization: int  # index in Context.organizations
    name: str
    contact_name: str
    email: str
    phone: str
    user_id: int | None
    needs: tuple[int, ...] = ()


@dataclass
class Mentor:
    organization: int
    name: str
    email: str


@dataclass
class Context:
    plan: Plan
    rng: random.Random
    now: datetime.datetime
    write: Callable[[str], None]
    password_hash: str
    rows: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    # Filled step by step (ids and small tuples only).
    organizations: list = field(default_factory=list)
    coordinators: dict[int, list[int]] = field(default_factory=dict)  # organisation index
    mentors: dict[int, Mentor] = field(default_factory=dict)
    themes: dict[int, list[int]] = field(default_factory=dict)  # organisation index
    programmes: list = field(default_factory=list)
    offers: dict[int, object] = field(default_factory=dict)  # id -> Offer instance
    offer_mentors: dict[int, list[int]] = field(default_factory=dict)
    windows: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)
    blocked_week: dict[int, int] = field(default_factory=dict)  # mentor -> week index
    beneficiaries: dict[int, Beneficiary] = field(default_factory=dict)
    pair_beneficiaries: dict[tuple[int, int], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (mentor, offer) -> beneficiaries followed there
    offer_beneficiaries: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    programme_beneficiaries: dict[int, list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # programme -> (beneficiary, referent mentor)
    questionnaires: dict[tuple[int, str], tuple[int, dict[str, int]]] = field(
        default_factory=dict
    )  # (programme, default_key) -> (questionnaire id, {code: question id})
    group_seances: int = 0
    appointment_seances: int = 0
    seance_probability: float = 1.0
    seance_budget: int = 0

    @property
    def today(self) -> datetime.date:
        return self.now.astimezone(PARIS).date()

    @property
    def first_monday(self) -> datetime.date:
        start = self.today - datetime.timedelta(days=PAST_DAYS)
        return start - datetime.timedelta(days=start.weekday())

    @property
    def weeks(self) -> int:
        end = self.today + datetime.timedelta(days=FUTURE_DAYS)
        return (end - self.first_monday).days // 7

    def insert(self, objs: Iterable[models.Model]) -> list:
        """Bulk-insert a chunk and return it with its primary keys (PostgreSQL and SQLite both
        return them)."""
        objs = list(objs)
        if not objs:
            return objs
        model = type(objs[0])
        started = time.monotonic()
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        self.seconds[model._meta.db_table] += time.monotonic() - started
        self.rows[model._meta.db_table] += len(objs)
        # DEBUG keeps every query's SQL; a bulk INSERT's is large.
        reset_queries()
        return objs

    def timed_update(self, rows: models.QuerySet, values: dict) -> None:
        started = time.monotonic()
        rows.update(**values)
        self.seconds[rows.model._meta.db_table] += time.monotonic() - started
        reset_queries()

    def past_moment(self, *, days_min: int = 1, days_max: int = PAST_DAYS) -> datetime.datetime:
        return self.now - datetime.timedelta(
            days=self.rng.randint(days_min, days_max), minutes=self.rng.randint(0, 600)
        )


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A wall-clock time in Paris on `day`, as an aware instant."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def apportion(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), never above `caps`."""
    shares = [0] * len(weights)
    remaining = total
    open_ = [i for i, w in enumerate(weights) if w > 0 and (caps is None or caps[i] > 0)]
    while remaining > 0 and open_:
        weight_sum = sum(weights[i] for i in open_)
        exact = {i: remaining * weights[i] / weight_sum for i in open_}
        given = {i: int(exact[i]) for i in open_}
        left = remaining - sum(given.values())
        for i in sorted(open_, key=lambda i: exact[i] - given[i], reverse=True)[:left]:
            given[i] += 1
        for i in open_:
            room = caps[i] - shares[i] if caps is not None else given[i]
            take = min(given[i], room)
            shares[i] += take
            remaining -= take
        open_ = [i for i in open_ if caps is None or shares[i] < caps[i]]
    if remaining:
        raise ValueError(f"{remaining} rows do not fit in the capacity given")
    return shares

"""Build the bench dataset step by step, timing each step and counting rows per table."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership
from beneficiaires.models import Beneficiary, Enrollment
from core.bench.agenda import seed_appointments, seed_group_sessions, seed_hotline_calls
from core.bench.backdate import backdate
from core.bench.base import Context
from core.bench.evaluation import seed_evaluation
from core.bench.outbox import seed_notifications
from core.bench.people import seed_beneficiaries
from core.bench.plan import BENCH_ORGANIZATION_PREFIX, BENCH_PASSWORD, Plan
from core.bench.structure import seed_questionnaires, seed_structure
from evaluation.models import Response
from seances.enums import AppointmentStatus, RecordStatus
from seances.models import Appointment, Attendance, ClosingRecord

STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("structures, teams, programmes, offers", seed_structure),
    ("questionnaires", seed_questionnaires),
    ("beneficiaries, consents, diagnostics, enrollments", seed_beneficiaries),
    ("group sessions, registrations, group séances", seed_group_sessions),
    ("appointments, séances, records, tasks", seed_appointments),
    ("hotline calls", seed_hotline_calls),
    ("evaluation", seed_evaluation),
    ("notifications", seed_notifications),
    ("creation dates in the past", backdate),
]


def seed_bench(plan: Plan, *, seed: int, write: Callable[[str], None]) -> Context:
    """Write the dataset (call inside a transaction); returns the counts and timings."""
    ctx = Context(
        plan=plan,
        rng=random.Random(seed),  # noqa: S311 - bench data, not secrets
        now=timezone.now(),
        write=write,
        # One hash for every bench user: hashing 20,000 passwords would take minutes.
        password_hash=make_password(BENCH_PASSWORD),
    )
    for label, step in STEPS:
        before = dict(ctx.rows)
        started = time.monotonic()
        step(ctx)
        rows = sum(ctx.rows.values()) - sum(before.values())
        write(f"{label:<52} {rows:>9,} rows {time.monotonic() - started:>7.1f} s")
        for table, count in sorted(ctx.rows.items()):
            if count != before.get(table, 0):
                write(f"    {table:<48} {count - before.get(table, 0):>9,}")
    return ctx


@dataclass(frozen=True)
class Logins:
    coordinator: str
    mentor: str
    beneficiary: str


def bench_logins() -> Logins | None:
    """A beneficiary with an account who has an upcoming appointment, séances, a validated
    record and evaluation answers; their referent mentor; a coordinator of their structure."""
    person = OuterRef("pk")
    candidates = Beneficiary.objects.filter(
        organization__name__startswith=BENCH_ORGANIZATION_PREFIX, user__isnull=False
    )
    wishes = [
        Exists(
            Appointment.objects.filter(
                beneficiary=person, status=AppointmentStatus.BOOKED, starts_at__gt=timezone.now()
            )
        ),
        Exists(Attendance.objects.filter(beneficiary=person)),
        Exists(ClosingRecord.objects.filter(beneficiary=person, status=RecordStatus.VALIDATED)),
        Exists(Response.objects.filter(beneficiary=person)),
    ]
    beneficiary = None
    # The richest first; fewer wishes at a tiny scale.
    for count in range(len(wishes), -1, -1):
        beneficiary = (
            candidates.filter(*wishes[:count]).select_related("user").order_by("pk").first()
        )
        if beneficiary is not None:
            break
    if beneficiary is None:
        return None
    enrollment = (
        Enrollment.objects.filter(beneficiary=beneficiary, referent_mentor__isnull=False)
        .select_related("referent_mentor")
        .order_by("pk")
        .first()
    )
    coordinator = (
        Membership.objects.filter(
            organization_id=beneficiary.organization_id, role=Role.COORDINATOR
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return Logins(
        coordinator=coordinator.user.email if coordinator else "",
        mentor=enrollment.referent_mentor.email if enrollment else "",
        beneficiary=beneficiary.user.email,
    )

"""Creation dates in the past: bulk inserts stamp `created_at` (auto_now_add) with the time of
the run, so one UPDATE per table moves them to when the row would have been written. Without
it every bench record looks brand new: the retention scan (which reads the creation dates of
beneficiaries, appointments and registrations) would find no one inactive.

Only the tables whose dates something reads: an UPDATE rewrites every row and its indexes
(appointments: 10 s at scale 1); séances, tasks and notifications keep the time of the run."""

import datetime

from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Least

from beneficiaires.models import Beneficiary
from core.bench.base import Context
from core.bench.plan import BENCH_ORGANIZATION_PREFIX
from diagnostics.models import NeedsDiagnostic
from evaluation.models import Invitation
from seances.models import (
    Appointment,
    ClosingRecord,
    GroupSession,
    Registration,
    Seance,
)

DAY = datetime.timedelta(days=1)


def _bench(path: str) -> dict:
    return {f"{path}__name__startswith": BENCH_ORGANIZATION_PREFIX}


def backdate(ctx: Context) -> None:
    now = Value(ctx.now)
    offer = "offer__programme__organization"
    seance_start = Subquery(Seance.objects.filter(pk=OuterRef("seance_id")).values("starts_at"))
    session_start = Subquery(
        GroupSession.objects.filter(pk=OuterRef("session_id")).values("starts_at")
    )
    updates = [
        (
            Beneficiary.objects.filter(**_bench("organization")),
            {"created_at": F("stage_changed_at") - 120 * DAY, "updated_at": F("stage_changed_at")},
        ),
        (
            NeedsDiagnostic.objects.filter(**_bench("beneficiary__organization")),
            {"created_at": Coalesce(F("completed_at"), now)},
        ),
        (
            Appointment.objects.filter(**_bench(offer)),
            {
                "created_at": Least(F("starts_at") - 7 * DAY, now),
                "updated_at": Least(Coalesce(F("cancelled_at"), F("starts_at") + DAY), now),
            },
        ),
        (
            Registration.objects.filter(**_bench(f"session__{offer}")),
            {"registered_at": Least(session_start - Value(10 * DAY), now)},
        ),
        (
            ClosingRecord.objects.filter(**_bench(f"seance__{offer}")),
            {
                "created_at": seance_start,
                "updated_at": Coalesce(F("validated_at"), seance_start),
            },
        ),
        (
            Invitation.objects.filter(**_bench("beneficiary__organization")),
            {"created_at": Least(F("expires_at") - 30 * DAY, now)},
        ),
    ]
    for rows, values in updates:
        ctx.timed_update(rows, values)

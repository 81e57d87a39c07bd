"""Demo access journal (issue 9): a few reads of beneficiaries' records and closing records by
the Lyon coordinator and mentor, and one CSV export, spread over the last days, so the
« Access journal » page is not empty.

Idempotent: nothing is written when the coordinator's demo reads are already there."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from audit.models import AuditAction, AuditEntry
from audit.services import audit_export, audit_read
from beneficiaires.models import Beneficiary
from seances.models import ClosingRecord

COORDINATOR = "coordinatrice@example.org"
MENTOR = "accompagnant@example.org"


def _dated(entries: list[AuditEntry], days_ago: int, hour: int) -> None:
    at = timezone.localtime() - datetime.timedelta(days=days_ago)
    at = at.replace(hour=hour, minute=10 + 7 * days_ago % 40, second=0, microsecond=0)
    AuditEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(at=at)


def seed_audit() -> None:
    users = get_user_model().objects.filter(email__in=[COORDINATOR, MENTOR])
    people = {user.email: user for user in users}
    coordinator, mentor = people.get(COORDINATOR), people.get(MENTOR)
    if coordinator is None or mentor is None:
        return
    if AuditEntry.objects.filter(
        actor=coordinator, action=AuditAction.READ, summary=_("beneficiary record read")
    ).exists():
        return
    organization_id = min(coordinator.organization_ids_with_role(Role.COORDINATOR), default=None)
    records = list(
        Beneficiary.objects.filter(organization_id=organization_id).order_by("name", "pk")[:4]
    )
    for days_ago, record in enumerate(records, start=1):
        _dated(
            [
                audit_read(
                    actor=coordinator,
                    obj=record,
                    summary=_("beneficiary record read"),
                    organization_id=organization_id,
                )
            ],
            days_ago,
            hour=9 + days_ago,
        )
    if records:
        entry = audit_read(
            actor=mentor,
            obj=records[0],
            summary=_("beneficiary record read"),
            organization_id=organization_id,
        )
        _dated([entry], 2, hour=15)
    record = (
        ClosingRecord.objects.filter(seance__offer__programme__organization_id=organization_id)
        .order_by("pk")
        .first()
    )
    if record is not None:
        entry = audit_read(
            actor=coordinator,
            obj=record,
            summary=_("closing record read (version %(version)s)") % {"version": record.version},
            organization_id=organization_id,
        )
        _dated([entry], 1, hour=16)
    rows = Beneficiary.objects.filter(organization_id=organization_id).count()
    _dated(
        audit_export(
            actor=coordinator,
            model=Beneficiary,
            rows_by_organization={organization_id: rows},
            summary=_("CSV export of beneficiaries ({rows} rows)"),
        ),
        3,
        hour=11,
    )

"""Journal entries of two organisations, written as the app writes them."""

import pytest

from audit.models import AuditAction, AuditEntry
from audit.services import audit_record
from tests.factories import BeneficiaryFactory


def read_entry(actor, beneficiary, summary="beneficiary record read") -> AuditEntry:
    return audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=beneficiary,
        summary=summary,
        organization_id=beneficiary.organization_id,
    )


@pytest.fixture
def entry_a(coordinator, beneficiary):
    """Organisation A: its coordinator read beneficiary A's record."""
    return read_entry(coordinator, beneficiary, "lecture-structure-A")


@pytest.fixture
def entry_b(other_organization_coordinator, other_organization):
    """Organisation B: its coordinator read one of its records."""
    person = BeneficiaryFactory(organization=other_organization)
    return read_entry(other_organization_coordinator, person, "lecture-structure-B")

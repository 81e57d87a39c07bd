"""Fixtures of the outreach tests."""

import datetime

import pytest
from django.utils import timezone

from beneficiaires.enums import ContactChannel, OutreachStage
from beneficiaires.models import ContactLog
from tests.factories import BeneficiaryFactory, EnrollmentFactory

STAGES = list(OutreachStage.values)


def grow_outreach(organization, programme, offer, mentor, n, start=0):
    """n records across every stage, each with a contact log entry and an enrollment."""
    records = []
    for i in range(start, start + n):
        record = BeneficiaryFactory(
            organization=organization,
            programme=programme,
            stage=STAGES[i % len(STAGES)],
            priority=1 + i % 3,
        )
        ContactLog.objects.create(
            beneficiary=record,
            contacted_at=timezone.now() - datetime.timedelta(days=i),
            channel=ContactChannel.PHONE,
            outcome="Appel",
        )
        EnrollmentFactory(beneficiary=record, offer=offer, referent_mentor=mentor)
        records.append(record)
    return records


@pytest.fixture
def outreach_grower(organization, programme, offer, mentor):
    def grow(n, start=0):
        return grow_outreach(organization, programme, offer, mentor, n, start)

    return grow

"""Fixtures of the partner network: referrals at chosen ages."""

import datetime

import factory
import pytest
from django.utils import timezone
from factory.django import DjangoModelFactory

from partners.enums import ReferralStatus
from partners.models import Referral
from tests.factories import BeneficiaryFactory, OrganizationFactory


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    partner = factory.SubFactory(OrganizationFactory, partner=True)
    referring_organization = factory.SelfAttribute("beneficiary.organization")
    reason = "Aide à la recherche de financements."
    status = ReferralStatus.SENT
    sent_on = factory.LazyFunction(timezone.localdate)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def referral(beneficiary, partner):
    """A referral of beneficiary A (followed by `mentor`) to `partner`, sent 3 days ago."""
    return ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(3))

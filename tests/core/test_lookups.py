"""`any_array` (core/lookups.py): the same rows as `in`, written for PostgreSQL's planner."""

import pytest
from django.db import connection
from django.db.models import Q

from beneficiaires.models import Beneficiary, Enrollment
from tests.factories import BeneficiaryFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_any_array_finds_the_same_rows_as_in(other_organization, offer):
    enrolled = {EnrollmentFactory(offer=offer).beneficiary for _ in range(3)}
    BeneficiaryFactory(organization=other_organization)
    ids = Enrollment.objects.filter(offer=offer).values("beneficiary_id")

    assert set(Beneficiary.objects.filter(id__any_array=ids)) == enrolled
    assert set(Beneficiary.objects.filter(id__in=ids)) == enrolled


def test_in_an_or_each_branch_keeps_its_rows(organization, other_organization, offer):
    enrolled = EnrollmentFactory(offer=offer).beneficiary
    own = BeneficiaryFactory(organization=organization)
    BeneficiaryFactory(organization=other_organization)

    found = Beneficiary.objects.filter(
        Q(pk=own.pk)
        | Q(id__any_array=Enrollment.objects.filter(offer=offer).values("beneficiary_id"))
    )

    assert set(found) == {own, enrolled}
    expected = "= ANY(ARRAY(SELECT" if connection.vendor == "postgresql" else " IN (SELECT"
    assert expected in str(found.query)


def test_an_empty_subquery_matches_nothing(offer):
    BeneficiaryFactory()

    none = Enrollment.objects.filter(offer=offer).values("beneficiary_id")

    assert not Beneficiary.objects.filter(id__any_array=none).exists()

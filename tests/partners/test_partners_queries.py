"""The partner directory and the referrals list run a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import BeneficiaryFactory, EnrollmentFactory, OrganizationFactory, ThemeFactory
from tests.partners.conftest import ReferralFactory, days_ago

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow_partners(organization, n):
    for _ in range(n):
        partner = OrganizationFactory(partner=True, steward=organization)
        for _theme in range(2):
            ThemeFactory(organization=organization).partners.add(partner)


def grow_referrals(organization, offer, mentor, n):
    for i in range(n):
        person = BeneficiaryFactory(organization=organization)
        EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
        ReferralFactory(
            beneficiary=person,
            partner=OrganizationFactory(partner=True),
            programme=offer.programme,
            sent_on=days_ago(i % 12),
        )


@pytest.mark.parametrize("persona", ["coordinator", "mentor"])
def test_partner_directory_query_count_is_constant(client, request, persona, organization):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("partners:list")
    grow_partners(organization, 1)
    few = count_queries(client, url)
    grow_partners(organization, 29)
    many = count_queries(client, url)
    assert few == many
    assert many <= 12


@pytest.mark.parametrize("persona", ["coordinator", "mentor"])
def test_referrals_list_query_count_is_constant(client, request, persona, organization, offer):
    mentor = request.getfixturevalue("mentor")
    client.force_login(request.getfixturevalue(persona))
    url = reverse("partners:referrals")
    grow_referrals(organization, offer, mentor, 1)
    few = count_queries(client, url)
    grow_referrals(organization, offer, mentor, 29)
    many = count_queries(client, url)
    assert few == many
    assert many <= 12


def test_partner_page_query_count_is_constant(client, coordinator, organization, offer, mentor):
    partner = OrganizationFactory(partner=True, steward=organization)
    client.force_login(coordinator)
    url = reverse("partners:detail", args=[partner.public_id])

    def grow(n):
        for _ in range(n):
            person = BeneficiaryFactory(organization=organization)
            ReferralFactory(beneficiary=person, partner=partner, sent_on=days_ago(8))
            ThemeFactory(organization=organization).partners.add(partner)
            offer.programme.partner_organizations.add(partner)

    grow(1)
    few = count_queries(client, url)
    grow(29)
    assert count_queries(client, url) == few

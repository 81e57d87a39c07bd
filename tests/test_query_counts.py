"""List and detail pages run a constant number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory, ProgrammeFactory


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(organization, offer, mentor, n):
    for _ in range(n):
        ProgrammeFactory(organization=organization)
        person = BeneficiaryFactory(organization=organization)
        EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
        OfferFactory(programme=offer.programme).mentors.add(mentor)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["core:home", "programmes:list", "beneficiaires:list", "programme-list"]
)
def test_list_pages_query_count_is_constant(client, coordinator, organization, offer, mentor, name):
    client.force_login(coordinator)
    grow(organization, offer, mentor, 1)
    few = count_queries(client, reverse(name))
    grow(organization, offer, mentor, 29)
    many = count_queries(client, reverse(name))
    assert few == many
    assert many <= 12


@pytest.mark.django_db
def test_programme_detail_query_count_is_constant(client, coordinator, organization, offer, mentor):
    client.force_login(coordinator)
    url = reverse("programmes:detail", args=[offer.programme.public_id])
    grow(organization, offer, mentor, 1)
    few = count_queries(client, url)
    grow(organization, offer, mentor, 29)
    assert count_queries(client, url) == few


@pytest.mark.django_db
def test_mentor_home_query_count_is_constant(client, organization, offer, mentor):
    client.force_login(mentor)
    grow(organization, offer, mentor, 1)
    few = count_queries(client, reverse("core:home"))
    grow(organization, offer, mentor, 29)
    assert count_queries(client, reverse("core:home")) == few

"""Every API list runs the same number of queries with 1 row and with 30."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostics.models import Need, NeedsDiagnostic
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    OfferFactory,
    OrganizationFactory,
    ProgrammeFactory,
)

LISTS = [
    "programme-list",
    "offer-list",
    "partner-list",
    "beneficiary-list",
    "diagnostic-list",
    "enrollment-list",
]


def grow(organization, programme, mentor, themes, n):
    """n more rows of every resource, all visible to the structure's coordinator and to
    `mentor` (referent of every new enrollment, mentor of every new offer)."""
    for _ in range(n):
        other_programme = ProgrammeFactory(organization=organization)
        OfferFactory(programme=other_programme).mentors.add(mentor)
        offer = OfferFactory(programme=programme, partner_organization=OrganizationFactory())
        offer.themes.set(themes[:2])
        partner = OrganizationFactory(partner=True, steward=organization)
        partner.partner_themes.set(themes)
        person = BeneficiaryFactory(organization=organization, programme=programme)
        EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
        diagnostic = NeedsDiagnostic.objects.create(
            beneficiary=person, method="interview", held_on=datetime.date(2026, 10, 1)
        )
        for theme in themes:
            Need.objects.create(diagnostic=diagnostic, theme=theme)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()["count"]


@pytest.mark.parametrize("persona", ["coordinator", "mentor", "admin"])
@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_is_constant(
    api_client, request, organization, programme, mentor, themes, name, persona
):
    api_client.force_login(request.getfixturevalue(persona))
    url = reverse(name)
    grow(organization, programme, mentor, themes, 1)
    few, rows_before = count_queries(api_client, url)
    grow(organization, programme, mentor, themes, 29)
    many, rows_after = count_queries(api_client, url)

    assert rows_after >= rows_before + 29
    assert few == many
    assert many <= 10

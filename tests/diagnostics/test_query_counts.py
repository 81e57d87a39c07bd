"""Diagnostics pages run a constant number of queries, whatever the number of needs, offers
and mentors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from beneficiaires.enums import Priority
from tests.diagnostics.conftest import NeedFactory, make_invitation
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    MembershipFactory,
    OfferFactory,
    ThemeFactory,
)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


def grow(diagnostic, programme, organization, n):
    """n more themes, each a need of the diagnostic, an offer addressing it with a new mentor
    who has the expertise and follows someone, and a questionnaire link."""
    for _ in range(n):
        theme = ThemeFactory(organization=organization)
        NeedFactory(diagnostic=diagnostic, theme=theme, priority=Priority.HIGH)
        mentor = MembershipFactory(organization=organization, role=Role.MENTOR).user
        theme.mentors.add(mentor)
        offer = OfferFactory(programme=programme)
        offer.themes.add(theme)
        offer.mentors.add(mentor)
        EnrollmentFactory(
            beneficiary=BeneficiaryFactory(organization=organization),
            offer=offer,
            referent_mentor=mentor,
        )
        make_invitation(diagnostic, token=f"jeton-{theme.pk}")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "mentor"])
def test_detail_query_count_is_constant(
    client, request, persona, diagnostic, programme, organization
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("diagnostics:detail", args=[diagnostic.public_id])
    grow(diagnostic, programme, organization, 1)
    few, response = count_queries(client, url)
    assert len(response.context["recommendations"]) == 1
    grow(diagnostic, programme, organization, 29)
    many, response = count_queries(client, url)
    assert len(response.context["recommendations"]) == 30
    assert len(response.context["needs"]) == 30
    assert few == many, (few, many)
    assert many <= 20, many


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["diagnostics:edit", "diagnostics:create"])
def test_form_query_count_is_constant(
    client, coordinator, diagnostic, programme, organization, name
):
    client.force_login(coordinator)
    target = diagnostic.beneficiary if name == "diagnostics:create" else diagnostic
    url = reverse(name, args=[target.public_id])
    grow(diagnostic, programme, organization, 1)
    few, _ = count_queries(client, url)
    grow(diagnostic, programme, organization, 29)
    many, _ = count_queries(client, url)
    assert few == many, (few, many)


@pytest.mark.django_db
def test_questionnaire_query_count_is_constant(client, diagnostic, programme, organization):
    make_invitation(diagnostic, token="jeton")
    url = reverse("diagnostics:questionnaire", args=["jeton"])
    grow(diagnostic, programme, organization, 1)
    few, _ = count_queries(client, url)
    grow(diagnostic, programme, organization, 29)
    many, _ = count_queries(client, url)
    assert few == many <= 3

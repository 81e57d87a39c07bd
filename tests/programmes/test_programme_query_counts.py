"""The programme list, a programme's page and the theme list run a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OfferFactory, ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_programmes(organization, mentor, partner, theme, n):
    for _ in range(n):
        programme = ProgrammeFactory(organization=organization)
        programme.partner_organizations.add(partner)
        offer = OfferFactory(programme=programme, partner_organization=partner)
        offer.mentors.add(mentor)
        offer.themes.add(theme)


def add_themes(organization, mentor, partner, offer, n):
    for _ in range(n):
        theme = ThemeFactory(organization=organization)
        theme.mentors.add(mentor)
        theme.partners.add(partner)
        offer.themes.add(theme)


def test_programme_list_query_count_is_constant(
    client, coordinator, organization, mentor, partner, themes
):
    client.force_login(coordinator)
    url = reverse("programmes:list")
    add_programmes(organization, mentor, partner, themes[0], 1)
    few = count_queries(client, url)
    add_programmes(organization, mentor, partner, themes[0], 29)
    assert count_queries(client, url) == few


def test_programme_detail_query_count_is_constant(
    client, coordinator, programme, mentor, partner, themes
):
    client.force_login(coordinator)
    url = reverse("programmes:detail", args=[programme.public_id])

    def add_offers(n):
        for _ in range(n):
            offer = OfferFactory(programme=programme, partner_organization=partner)
            offer.mentors.add(mentor)
            offer.themes.set(themes)

    add_offers(1)
    few = count_queries(client, url)
    add_offers(29)
    assert count_queries(client, url) == few


def test_theme_list_query_count_is_constant(
    client, coordinator, organization, mentor, partner, offer
):
    client.force_login(coordinator)
    url = reverse("programmes:themes")
    add_themes(organization, mentor, partner, offer, 1)
    few = count_queries(client, url)
    add_themes(organization, mentor, partner, offer, 29)
    assert count_queries(client, url) == few

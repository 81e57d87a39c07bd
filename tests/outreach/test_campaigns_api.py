"""GET /api/v1/campaigns/: the coordinators' campaigns with their figures, read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from outreach.services.campaigns import campaign_create, campaign_send, link_opened
from tests.outreach.campaigns_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_a_coordinator_reads_the_campaigns_and_their_figures(api, coordinator, campaign):
    campaign_send(campaign=campaign, acting_user=coordinator)
    link_opened(recipient=campaign.recipients.first())
    api.force_authenticate(coordinator)

    response = api.get(reverse("campaign-list"))

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == str(campaign.public_id)
    assert row["programme"] == str(campaign.programme.public_id)
    assert row["status"] == "sent"
    assert row["figures"]["recipients"] == 2
    assert row["figures"]["opened"] == 1
    assert row["figures"]["sent"] + row["figures"]["pending"] == 2
    detail = api.get(reverse("campaign-detail", args=[campaign.public_id]))
    assert detail.json()["figures"] == row["figures"]


@pytest.mark.parametrize(
    ("persona", "list_status", "detail_status"),
    [
        ("anonymous", 403, 403),
        ("mentor", 403, 403),
        ("beneficiary", 403, 403),
        ("other_organization_coordinator", 200, 404),
        ("admin", 200, 200),
    ],
)
def test_who_reads_the_api(api, request, campaign, persona, list_status, detail_status):
    if persona != "anonymous":
        value = request.getfixturevalue(persona)
        api.force_authenticate(value.user if persona == "beneficiary" else value)

    assert api.get(reverse("campaign-list")).status_code == list_status
    detail = api.get(reverse("campaign-detail", args=[campaign.public_id]))
    assert detail.status_code == detail_status


def test_writes_are_refused(api, coordinator, campaign):
    api.force_authenticate(coordinator)

    assert api.post(reverse("campaign-list"), {}).status_code == 405
    detail = reverse("campaign-detail", args=[campaign.public_id])
    assert api.patch(detail, {"subject": "x"}).status_code == 405


def test_the_list_query_count_is_constant(api, coordinator, campaign, published_programme):
    api.force_authenticate(coordinator)
    with CaptureQueriesContext(connection) as one:
        api.get(reverse("campaign-list"))
    for index in range(10):
        campaign_create(
            programme=published_programme,
            kind=campaign.kind,
            subject=f"Autre {index}",
            body="Texte",
            filters={},
            acting_user=coordinator,
        )
    with CaptureQueriesContext(connection) as eleven:
        response = api.get(reverse("campaign-list"))
    assert response.json()["count"] == 11
    assert len(eleven) == len(one)

"""GET /api/v1/programmes/<id>/indicators/: the dashboard's figures as JSON."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.evaluation.factories_statistics import Kit, full_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_login(coordinator)
    return client


def url(programme, query=""):
    return reverse("programme-indicators", args=[programme.public_id]) + query


def test_indicators_as_json(api, programme, offer, mentor, themes):
    kit = Kit(programme)
    for _ in range(5):
        full_person(kit, offer, mentor, themes[:1])

    response = api.get(url(programme))

    assert response.status_code == 200
    data = response.json()
    assert data["programme"] == str(programme.public_id)
    assert data["min_group"] == 5
    assert data["beneficiaries"]["total"] == {"value": 5, "people": 5, "suppressed": False}
    assert data["satisfaction"]["nps"]["score"]["value"] == 100
    assert data["progress"][0]["theme"] == themes[0].name
    assert data["progress"][0]["gain"]["value"] == 2.0
    assert data["mentors"][0]["mentor"] == str(mentor.public_id)
    assert data["mentors"][0]["seances"] == 5


def test_small_groups_are_null_and_flagged(api, programme, offer, mentor, themes):
    kit = Kit(programme)
    for _ in range(4):
        full_person(kit, offer, mentor, themes[:1])

    data = api.get(url(programme)).json()

    assert data["beneficiaries"]["total"] == {"value": None, "people": None, "suppressed": True}
    assert data["satisfaction"]["mean"]["value"] is None
    assert data["strengths"]["comments"][0]["answers"] == []


def test_filters_and_their_errors(api, programme, offer, mentor, other_mentor, themes):
    kit = Kit(programme)
    for _ in range(5):
        full_person(kit, offer, mentor, themes[:1])

    mine = api.get(url(programme, f"?mentor={mentor.public_id}")).json()
    theirs = api.get(url(programme, f"?mentor={other_mentor.public_id}")).json()
    wrong = api.get(url(programme, "?start=2026-05-01&end=2026-01-01"))

    assert mine["beneficiaries"]["total"]["value"] == 5
    assert theirs["beneficiaries"]["total"]["suppressed"] is True
    assert wrong.status_code == 400
    assert "end" in wrong.json()


def test_query_count_does_not_grow(api, programme, offer, mentor, themes):
    kit = Kit(programme)
    full_person(kit, offer, mentor, themes)
    with CaptureQueriesContext(connection) as few:
        api.get(url(programme))
    for _ in range(29):
        full_person(kit, offer, mentor, themes)
    with CaptureQueriesContext(connection) as many:
        api.get(url(programme))

    assert len(few.captured_queries) == len(many.captured_queries)

"""The evaluation dashboard and the follow-up page run as many queries with 1 beneficiary as
with 30 (each with séances, answers, a before/after pair and tasks)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.enums import Phase
from tests.evaluation.factories_statistics import Kit, full_person, held_seance, progress, tasks

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("query", ["", "?territory=Lyon+8e&start=2026-01-01"])
def test_dashboard_query_count_is_constant(
    client, coordinator, programme, offer, mentor, other_mentor, themes, query
):
    kit = Kit(programme)
    url = reverse("evaluation:programme_dashboard", args=[programme.public_id]) + query
    client.force_login(coordinator)

    full_person(kit, offer, mentor, themes)
    few = count_queries(client, url)
    for i in range(29):
        full_person(kit, offer, mentor if i % 2 else other_mentor, themes)
    many = count_queries(client, url)

    assert few == many
    assert many <= 30, many


def test_follow_up_query_count_is_constant(client, mentor, programme, offer, beneficiary, themes):
    kit = Kit(programme)
    url = reverse("evaluation:beneficiary_follow_up", args=[beneficiary.public_id])
    client.force_login(mentor)

    def grow(n):
        for i in range(n):
            held_seance(offer, mentor, [beneficiary], days_ago=40 - i)
            progress(kit, beneficiary, Phase.MIDWAY, dict.fromkeys(themes, 3), days_ago=40 - i)
            tasks(beneficiary, done=1, todo=1)
            full_person(kit, offer, mentor, themes)

    grow(1)
    few = count_queries(client, url)
    grow(29)
    many = count_queries(client, url)

    assert few == many
    assert many <= 10, many

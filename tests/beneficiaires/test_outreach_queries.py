"""The table, the board and the export run a constant number of queries as rows grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("beneficiaires:list", "coordinator"),
        ("beneficiaires:list", "mentor"),
        ("beneficiaires:board", "coordinator"),
        ("beneficiaires:board", "mentor"),
        ("beneficiaires:export", "coordinator"),
    ],
)
def test_outreach_lists_query_count_is_constant(client, request, outreach_grower, name, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse(name) + "?sort=priority"
    outreach_grower(1)
    few = count_queries(client, url)
    outreach_grower(29, start=1)
    many = count_queries(client, url)
    assert few == many
    assert many <= 14


@pytest.mark.django_db
def test_filtered_table_query_count_is_constant(client, coordinator, programme, outreach_grower):
    client.force_login(coordinator)
    url = reverse("beneficiaires:list") + f"?programme={programme.public_id}&q=a&territory=69"
    outreach_grower(1)
    few = count_queries(client, url)
    outreach_grower(29, start=1)
    assert count_queries(client, url) == few

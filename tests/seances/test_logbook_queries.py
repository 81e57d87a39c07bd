"""The logbook pages run as many queries with 1 entry as with 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seances.services import logbook
from tests.seances.test_codev_fixtures import run_to_step

pytest_plugins = ["tests.seances.test_codev_fixtures"]
pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_entries(beneficiary, seance, n):
    for i in range(n):
        logbook.logbook_entry_create(
            author=beneficiary.user,
            title=f"Entrée {i}",
            learnings="Apprentissage",
            seance=seance if i % 2 else None,
            offer=None if i % 2 else seance.offer,
            shared_with_mentor=True,
        )


@pytest.mark.parametrize("page", ["seances:logbook", "seances:logbook_shared"])
def test_logbook_list_query_count_is_constant(
    client, page, codev_seance, mentor, beneficiary, chloe
):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    client.force_login(mentor if page == "seances:logbook_shared" else beneficiary.user)
    counts = []
    for people, n in ((beneficiary, 1), (chloe, 29)):
        add_entries(people, codev_seance, n)
        counts.append(count_queries(client, reverse(page)))
    assert counts[0] == counts[1], counts


def test_logbook_entry_form_query_count_does_not_grow_with_entries(
    client, codev_seance, mentor, beneficiary
):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    client.force_login(beneficiary.user)
    url = reverse("seances:logbook_entry_create") + f"?seance={codev_seance.public_id}"
    counts = []
    for n in (1, 29):
        add_entries(beneficiary, codev_seance, n)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts

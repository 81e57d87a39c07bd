"""The facilitator mode and the summary run as many queries with 1 participant as with 12
(and as many with 1 action-plan item as with 12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.enums import OfferKind, OfferMode
from seances.enums import SeanceKind
from seances.models import ActionItem
from tests.factories import BeneficiaryFactory, OfferFactory, UserFactory
from tests.seances.conftest import AttendanceFactory, SeanceFactory
from tests.seances.test_codev_fixtures import run_to_step

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def make_seance(programme, mentor, organization, people: int, step: int):
    offer = OfferFactory(
        programme=programme, kind=OfferKind.CODEVELOPMENT, mode=OfferMode.GROUP, capacity=12
    )
    seance = SeanceFactory(kind=SeanceKind.CODEVELOPMENT, offer=offer, mentor=mentor)
    attendees = [
        BeneficiaryFactory(organization=organization, user=UserFactory()) for _ in range(people)
    ]
    for person in attendees:
        AttendanceFactory(seance=seance, beneficiary=person)
    run_to_step(seance, mentor, attendees[0], step)
    for n in range(people):
        ActionItem.objects.create(beneficiary=attendees[0], seance=seance, title=f"Action {n}")
    return seance, attendees


@pytest.mark.parametrize("step", [0, 5, 7])
def test_facilitator_page_query_count_is_constant(client, programme, mentor, organization, step):
    client.force_login(mentor)
    counts = []
    for people in (1, 12):
        seance, _ = make_seance(programme, mentor, organization, people, step)
        counts.append(
            count_queries(client, reverse("seances:codev_facilitate", args=[seance.public_id]))
        )
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("viewer", ["mentor", "participant", "coordinator"])
def test_summary_query_count_is_constant(
    client, programme, mentor, organization, coordinator, viewer
):
    counts = []
    for people in (1, 12):
        seance, attendees = make_seance(programme, mentor, organization, people, 7)
        user = {"mentor": mentor, "participant": attendees[-1].user, "coordinator": coordinator}
        client.force_login(user[viewer])
        counts.append(
            count_queries(client, reverse("seances:codev_summary", args=[seance.public_id]))
        )
    assert counts[0] == counts[1], counts

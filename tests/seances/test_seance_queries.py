"""The séance list and a séance's page run as many queries with 1 row as with 30."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seances.enums import RecordStatus, SeanceKind
from tests.factories import BeneficiaryFactory, EnrollmentFactory
from tests.seances.conftest import (
    ActionItemFactory,
    AttendanceFactory,
    ClosingRecordFactory,
    SeanceFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _validated(seance, person):
    ClosingRecordFactory(
        seance=seance,
        beneficiary=person,
        status=RecordStatus.VALIDATED,
        validated_at=datetime.datetime.now(datetime.UTC),
    )


@pytest.mark.parametrize("persona", ["mentor", "coordinator"])
def test_seance_list_query_count_is_constant(
    client, request, persona, mentor, individual_offer, organization
):
    made = 0

    def grow(n):
        nonlocal made
        for _ in range(n):
            seance = SeanceFactory(offer=individual_offer, mentor=mentor)
            for _ in range(2):
                person = BeneficiaryFactory(organization=organization)
                AttendanceFactory(seance=seance, beneficiary=person)
                if made % 2:
                    _validated(seance, person)
                else:
                    ClosingRecordFactory(seance=seance, beneficiary=person)
            made += 1

    client.force_login(request.getfixturevalue(persona))
    url = reverse("seances:seance_list")
    grow(1)
    few = count_queries(client, url)
    grow(29)
    many = count_queries(client, url)

    assert few == many


@pytest.mark.parametrize("persona", ["mentor", "coordinator"])
def test_seance_detail_query_count_is_constant(
    client, request, persona, mentor, individual_offer, organization
):
    seance = SeanceFactory(offer=individual_offer, mentor=mentor, kind=SeanceKind.GROUP)
    made = 0

    def grow(n):
        nonlocal made
        for _ in range(n):
            person = BeneficiaryFactory(organization=organization)
            EnrollmentFactory(beneficiary=person, offer=individual_offer, referent_mentor=mentor)
            AttendanceFactory(seance=seance, beneficiary=person)
            ActionItemFactory(beneficiary=person)
            if made % 2:
                _validated(seance, person)
            else:
                ClosingRecordFactory(seance=seance, beneficiary=person)
            # Someone the mentor may add as a walk-in.
            candidate = BeneficiaryFactory(organization=organization)
            EnrollmentFactory(beneficiary=candidate, offer=individual_offer, referent_mentor=mentor)
            made += 1

    client.force_login(request.getfixturevalue(persona))
    url = reverse("seances:seance_detail", args=[seance.public_id])
    grow(1)
    few = count_queries(client, url)
    grow(29)
    many = count_queries(client, url)

    assert few == many


def test_tutoring_pairs_query_count_is_constant(
    client, coordinator, mentor, programme, organization
):
    from programmes.enums import OfferKind
    from seances.models import LearningGoal, TutoringPair
    from tests.factories import OfferFactory

    offer = OfferFactory(programme=programme, kind=OfferKind.TUTORING)

    def grow(n):
        for _ in range(n):
            tutee = BeneficiaryFactory(organization=organization)
            pair = TutoringPair.objects.create(
                offer=offer, tutor=mentor, tutee=tutee, started_on=datetime.date(2026, 9, 1)
            )
            LearningGoal.objects.create(pair=pair, title="Animer une réunion")

    client.force_login(coordinator)
    url = reverse("seances:tutoring_pairs")
    grow(1)
    few = count_queries(client, url)
    grow(19)
    many = count_queries(client, url)

    assert few == many

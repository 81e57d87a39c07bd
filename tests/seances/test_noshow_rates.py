"""No-show rates: no_show / (attended + excused + no_show) over past appointments."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beneficiaires.models import Beneficiary
from programmes.models import Offer
from seances.enums import AppointmentStatus
from seances.selectors import no_show_rate_by_beneficiary, no_show_rate_by_offer
from tests.factories import BeneficiaryFactory, OfferFactory
from tests.seances.conftest import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)


def past(offer, mentor, beneficiary, status, days_ago):
    return AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        status=status,
        starts_at=NOW - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def history(offer, mentor, beneficiary, other_beneficiary):
    """A: 2 attended, 1 excused, 1 no-show, 1 cancelled, 1 booked ahead. B: 1 no-show."""
    statuses = [
        AppointmentStatus.ATTENDED,
        AppointmentStatus.ATTENDED,
        AppointmentStatus.EXCUSED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.CANCELLED,
    ]
    for days_ago, status in enumerate(statuses, start=1):
        past(offer, mentor, beneficiary, status, days_ago)
    AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=NOW + datetime.timedelta(days=3),
    )
    past(offer, mentor, other_beneficiary, AppointmentStatus.NO_SHOW, 10)


def test_rate_by_beneficiary(history, beneficiary, other_beneficiary):
    rows = {
        row.pk: row
        for row in no_show_rate_by_beneficiary([beneficiary.pk, other_beneficiary.pk], now=NOW)
    }

    a = rows[beneficiary.pk]
    assert (a.attended_count, a.excused_count, a.no_show_count, a.outcome_count) == (2, 1, 1, 4)
    assert a.no_show_rate == pytest.approx(0.25)
    b = rows[other_beneficiary.pk]
    assert (b.no_show_count, b.outcome_count, b.no_show_rate) == (1, 1, 1.0)


def test_rate_is_none_without_outcome(organization):
    nobody = BeneficiaryFactory(organization=organization)

    row = no_show_rate_by_beneficiary([nobody.pk], now=NOW).get()

    assert (row.outcome_count, row.no_show_rate) == (0, None)


def test_rate_by_offer(history, offer, programme, mentor, beneficiary):
    second = OfferFactory(programme=programme)
    past(second, mentor, beneficiary, AppointmentStatus.ATTENDED, 20)

    rows = {row.pk: row for row in no_show_rate_by_offer(Offer.objects.all(), now=NOW)}

    assert (rows[offer.pk].no_show_count, rows[offer.pk].outcome_count) == (2, 5)
    assert rows[offer.pk].no_show_rate == pytest.approx(0.4)
    assert rows[second.pk].no_show_rate == 0.0


def test_rate_by_beneficiary_scoped_to_offers(history, offer, programme, mentor, beneficiary):
    second = OfferFactory(programme=programme)
    past(second, mentor, beneficiary, AppointmentStatus.NO_SHOW, 20)

    row = no_show_rate_by_beneficiary([beneficiary.pk], offers=[offer], now=NOW).get()

    assert (row.no_show_count, row.outcome_count) == (1, 4)


def test_an_outcome_recorded_ahead_of_time_does_not_count(offer, mentor, beneficiary):
    """Rates read past appointments only, whatever a status says."""
    AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        status=AppointmentStatus.NO_SHOW,
        starts_at=NOW + datetime.timedelta(days=1),
    )

    row = no_show_rate_by_beneficiary([beneficiary.pk], now=NOW).get()

    assert row.outcome_count == 0


def test_default_now_is_the_current_time(offer, mentor, beneficiary):
    AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        status=AppointmentStatus.NO_SHOW,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )

    assert no_show_rate_by_beneficiary([beneficiary.pk]).get().no_show_count == 1


def test_one_query_whatever_the_number_of_rows(organization, offer, mentor):
    people = []
    for i in range(30):
        person = BeneficiaryFactory(organization=organization)
        people.append(person.pk)
        past(offer, mentor, person, AppointmentStatus.NO_SHOW, i + 1)

    with CaptureQueriesContext(connection) as beneficiaries_queries:
        rows = list(no_show_rate_by_beneficiary(Beneficiary.objects.values("pk"), now=NOW))
    with CaptureQueriesContext(connection) as offers_queries:
        list(no_show_rate_by_offer(Offer.objects.all(), now=NOW))

    assert len(rows) == 30
    assert all(row.no_show_rate == 1.0 for row in rows)
    assert len(beneficiaries_queries) == len(offers_queries) == 1

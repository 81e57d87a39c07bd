import datetime

import pytest
from django.db import IntegrityError, transaction

from programmes.enums import OfferMode
from tests.factories import OfferFactory, ProgrammeFactory


@pytest.mark.django_db
def test_programme_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeFactory(start_date=datetime.date(2027, 1, 1), end_date=datetime.date(2026, 1, 1))


@pytest.mark.django_db
def test_group_offer_needs_a_capacity_of_two_or_more():
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(mode=OfferMode.GROUP, capacity=1)


@pytest.mark.django_db
def test_individual_offer_has_a_capacity_of_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(mode=OfferMode.INDIVIDUAL, capacity=5)


@pytest.mark.django_db
def test_offer_needs_at_least_one_channel():
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(channel_in_person=False, channel_phone=False, channel_video=False)


@pytest.mark.django_db
def test_offer_lists_its_channels_in_french():
    offer = OfferFactory.build(channel_in_person=True, channel_phone=True, channel_video=False)
    assert offer.channel_labels == ["en présentiel", "par téléphone"]

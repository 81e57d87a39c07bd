"""Fixtures of the campaign tests (imported by tests/outreach/test_campaigns*.py)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from beneficiaires.enums import OutreachStage, Situation
from outreach.enums import CampaignKind
from outreach.services.campaigns import campaign_create
from tests.factories import BeneficiaryFactory, OfferFactory
from tests.seances.conftest import GroupSessionFactory

__all__ = ["_empty_outbox", "campaign", "listed", "meeting", "published_programme"]


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox.clear()
    return


@pytest.fixture
def published_programme(programme):
    programme.is_published = True
    programme.slug = "fabrique-initiatives"
    programme.save(update_fields=["is_published", "slug"])
    return programme


@pytest.fixture
def listed(published_programme, organization):
    """The programme's outreach list: three people to contact (one without email), two
    already contacted."""
    make = BeneficiaryFactory
    return {
        "ines": make(
            organization=organization,
            programme=published_programme,
            name="Inès Martin",
            email="ines@example.org",
            stage=OutreachStage.TO_CONTACT,
            situation=Situation.WANTS_TO_ACT,
        ),
        "paul": make(
            organization=organization,
            programme=published_programme,
            name="Paul Durand",
            email="Paul@Example.org",
            stage=OutreachStage.TO_CONTACT,
        ),
        "nomail": make(
            organization=organization,
            programme=published_programme,
            name="Sans Adresse",
            email="",
            phone="0600000000",
            stage=OutreachStage.TO_CONTACT,
        ),
        "lea": make(
            organization=organization,
            programme=published_programme,
            name="Léa Bernard",
            email="lea@example.org",
            stage=OutreachStage.CONTACTED,
        ),
        "lea_twice": make(
            organization=organization,
            programme=published_programme,
            name="Léa Bernard (doublon)",
            email="LEA@example.org",
            stage=OutreachStage.CONTACTED,
        ),
    }


@pytest.fixture
def campaign(published_programme, coordinator, listed):
    return campaign_create(
        programme=published_programme,
        kind=CampaignKind.INFORMATION,
        subject="Découvrez la Fabrique",
        body="Un programme pour vos initiatives.\nVenez nous voir.",
        filters={"stage": OutreachStage.TO_CONTACT},
        per_minute=30,
        acting_user=coordinator,
    )


@pytest.fixture
def meeting(published_programme, mentor):
    offer = OfferFactory(programme=published_programme, group=True)
    starts = timezone.now() + datetime.timedelta(days=10)
    return GroupSessionFactory(
        offer=offer,
        organiser=mentor,
        title="Réunion d'information",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        is_open_event=True,
    )

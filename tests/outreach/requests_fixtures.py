"""Fixtures of the support-request tests (imported by tests/outreach/test_requests*.py)."""

import datetime

import pytest
from django.core.cache import cache

from outreach.antispam import antispam_post_data
from programmes.enums import BookingAudience
from seances.enums import Channel, Weekday
from seances.models import Availability
from tests.factories import OfferFactory

# What `from tests.outreach.requests_fixtures import *` brings: the fixtures only.
__all__ = ["_clear_rate_limits", "link_offer", "published"]


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """The rate limit counts in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(programme):
    """`programme`, open and on the public catalogue."""
    programme.is_published = True
    programme.slug = "fabrique-initiatives"
    programme.contact_email = "contact@maison.example.org"
    programme.contact_phone = "04 72 00 00 00"
    programme.save()
    return programme


@pytest.fixture
def link_offer(published, mentor):
    """An individual offer anyone with the link may book, `mentor` free every day 9–17."""
    offer = OfferFactory(
        programme=published,
        title="Premier rendez-vous",
        booking_audience=BookingAudience.LINK,
        min_notice_hours=24,
        horizon_days=30,
    )
    offer.mentors.add(mentor)
    for weekday in Weekday:
        Availability.objects.create(
            mentor=mentor,
            offer=offer,
            weekday=weekday,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(17, 0),
            channel=Channel.IN_PERSON,
            location="12 rue des Projets, Lyon",
        )
    return offer


def request_data(**overrides) -> dict:
    """What a person honestly types in the form (with the anti-spam fields)."""
    data = {
        "requester_kind": "individual",
        "name": "Camille Martin",
        "contact_name": "",
        "email": "camille.martin@example.org",
        "phone": "",
        "postal_code": "69003",
        "territory": "Lyon 3e",
        "situation": "wants_to_act",
        "needs": "Je voudrais lancer un jardin partagé dans ma résidence.",
        "preferred_channel": "email",
        "offer": "",
        "consent_contact": "on",
        **antispam_post_data(),
    }
    data.update(overrides)
    return data


def service_data(**overrides) -> dict:
    """The keyword arguments of support_request_create for a person."""
    data = {
        "requester_kind": "individual",
        "name": "Camille Martin",
        "email": "camille.martin@example.org",
        "phone": "",
        "postal_code": "69003",
        "territory": "Lyon 3e",
        "situation": "wants_to_act",
        "needs": "Je voudrais lancer un jardin partagé dans ma résidence.",
        "preferred_channel": "email",
        "consent_contact": True,
    }
    data.update(overrides)
    return data

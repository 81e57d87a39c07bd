"""Fixtures of the catalogue tests (imported by tests/outreach/test_catalogue*.py)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from programmes.enums import Audience
from seances.enums import Channel
from seances.models import GroupSession
from tests.factories import OfferFactory

# What `from tests.outreach.catalogue_fixtures import *` brings: the fixtures only.
__all__ = ["_clear_catalogue_rate_limits", "catalogue_programme", "group_offer", "open_event"]


@pytest.fixture(autouse=True)
def _clear_catalogue_rate_limits():
    """Rate limits and throttles count in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue_programme(programme, offer):
    """`programme` (open, one individual offer), published for associations, free."""
    programme.is_published = True
    programme.slug = "fabrique-initiatives"
    programme.audiences = [Audience.ASSOCIATIONS, Audience.RESIDENTS]
    programme.frame = "Six mois, confidentiel."
    programme.how_it_works = "Un premier rendez-vous, puis un diagnostic."
    programme.contact_email = "contact@maison.example.org"
    programme.save()
    return programme


@pytest.fixture
def group_offer(catalogue_programme, mentor):
    offer = OfferFactory(programme=catalogue_programme, group=True, title="Réunion d'information")
    offer.mentors.add(mentor)
    return offer


def make_session(offer, organiser, *, days=7, capacity=10, open_event=True, **fields):
    # At 14:00 local time, so that the two hours never cross midnight whatever the hour the
    # tests run (an edit form would then see an end before the start).
    day = timezone.localdate() + datetime.timedelta(days=days)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))
    return GroupSession.objects.create(
        offer=offer,
        organiser=organiser,
        title=fields.pop("title", "Réunion d'information"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        capacity=capacity,
        channel=Channel.IN_PERSON,
        location=fields.pop("location", "Maison des initiatives, 3 rue Vaucanson"),
        is_open_event=open_event,
        public_description=fields.pop("public_description", "Découvrir le programme."),
        **fields,
    )


@pytest.fixture
def open_event(group_offer, mentor):
    """An open event in a week, 10 seats."""
    return make_session(group_offer, mentor)


def register_data(**overrides) -> dict:
    from outreach.antispam import antispam_post_data

    return {
        "name": "Camille Martin",
        "email": "camille@example.org",
        "phone": "",
        "territory": "Villeurbanne",
        "consent": "on",
        **antispam_post_data(),
        **overrides,
    }

"""The catalogue as read-only public JSON: programmes, their offers, open events."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from beneficiaires.models import Beneficiary
from outreach.api_catalogue import CatalogueThrottle
from programmes.enums import Audience, ProgrammeStatus
from seances.enums import RegistrationStatus
from seances.models import Registration
from tests.factories import ProgrammeFactory
from tests.outreach.catalogue_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.catalogue_fixtures import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_programme_list_is_public_and_filtered(api, catalogue_programme, organization):
    ProgrammeFactory(
        organization=organization, is_published=True, slug="brouillon", status=ProgrammeStatus.DRAFT
    )
    url = reverse("catalogue-programme-list")

    response = api.get(url)

    assert response.status_code == 200
    body = response.json()
    assert [p["slug"] for p in body["results"]] == ["fabrique-initiatives"]
    first = body["results"][0]
    assert first["url"].endswith("/catalogue/fabrique-initiatives/")
    assert first["is_free"] is True
    assert set(first["audiences"]) == {"associations", "residents"}
    assert api.get(url, {"public": Audience.YOUTH}).json()["count"] == 0
    assert api.get(url, {"q": catalogue_programme.title}).json()["count"] == 1


def test_an_invalid_filter_is_a_400(api, catalogue_programme):
    response = api.get(reverse("catalogue-programme-list"), {"public": "martians"})

    assert response.status_code == 400
    assert "public" in response.json()


def test_programme_detail_has_offers_and_sessions_without_people(
    api, catalogue_programme, offer, open_event
):
    Registration.objects.create(
        session=open_event,
        beneficiary=Beneficiary.objects.create(
            organization=catalogue_programme.organization,
            name="Personne Secrète",
            email="secret@example.org",
        ),
        status=RegistrationStatus.REGISTERED,
    )

    response = api.get(reverse("catalogue-programme-detail", args=["fabrique-initiatives"]))

    assert response.status_code == 200
    body = response.json()
    assert body["frame"] == "Six mois, confidentiel."
    assert {o["title"] for o in body["offers"]} == {offer.title, open_event.offer.title}
    session = body["upcoming_sessions"][0]
    assert session["seats_left"] == 9
    assert session["is_full"] is False
    assert session["url"].endswith(f"/catalogue/evenements/{open_event.public_id}/")
    raw = response.content.decode()
    assert "Secrète" not in raw
    assert "secret@example.org" not in raw


def test_unpublished_programme_detail_is_404(api, catalogue_programme):
    catalogue_programme.is_published = False
    catalogue_programme.save()

    response = api.get(reverse("catalogue-programme-detail", args=["fabrique-initiatives"]))

    assert response.status_code == 404


def test_session_list_gives_upcoming_open_events_only(api, open_event, group_offer, mentor):
    make_session(group_offer, mentor, open_event=False, location="https://visio.example/secret")

    response = api.get(reverse("catalogue-session-list"))

    body = response.json()
    assert [s["id"] for s in body["results"]] == [str(open_event.public_id)]
    assert "visio.example" not in response.content.decode()
    assert api.get(reverse("catalogue-session-list"), {"programme": "autre"}).json()["count"] == 0


def test_the_api_is_throttled(api, catalogue_programme, monkeypatch):
    monkeypatch.setattr(CatalogueThrottle, "rate", "2/minute")
    url = reverse("catalogue-programme-list")

    codes = [api.get(url).status_code for _ in range(3)]

    assert codes == [200, 200, 429]


def test_list_query_count_is_constant(api, organization):
    url = reverse("catalogue-programme-list")
    ProgrammeFactory(organization=organization, is_published=True, slug="p-0")
    with CaptureQueriesContext(connection) as one:
        api.get(url)
    for number in range(1, 15):
        ProgrammeFactory(organization=organization, is_published=True, slug=f"p-{number}")
    with CaptureQueriesContext(connection) as many:
        api.get(url)

    assert len(many) == len(one)


def test_a_malformed_programme_filter_is_a_400(api, open_event):
    response = api.get(reverse("catalogue-session-list"), {"programme": "pas un slug !"})

    assert response.status_code == 400
    assert "programme" in response.json()


def test_the_session_list_filters_by_programme(api, open_event):
    url = reverse("catalogue-session-list")

    assert api.get(url, {"programme": "fabrique-initiatives"}).json()["count"] == 1

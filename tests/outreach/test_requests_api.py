"""Support requests through the API: POST /api/v1/support-requests/ (create-only, no login)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from beneficiaires.enums import OutreachStage
from notifications.enums import NotificationKind
from notifications.models import Notification
from outreach.enums import RequestOrigin
from outreach.models import SupportRequest
from tests.factories import OfferFactory
from tests.outreach.requests_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db
URL = "/api/v1/support-requests/"


def body(target, **overrides):
    data = {
        "programme": target.slug,
        "name": "Les Jardins du 3e",
        "requester_kind": "association",
        "contact_name": "Camille Martin",
        "email": "jardins@example.org",
        "needs": "Nous cherchons de l'aide pour monter notre budget.",
        "preferred_channel": "email",
        "consent_contact": True,
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_url_is_named():
    assert reverse("support-request-create") == URL


def test_a_partner_site_sends_a_request(published, coordinator):
    response = APIClient().post(URL, body(published), format="json")

    assert response.status_code == 201
    payload = response.json()
    assert set(payload) == {"id", "message"}
    assert "jardins@example.org" not in str(payload)
    request = SupportRequest.objects.get(public_id=payload["id"])
    assert request.origin == RequestOrigin.API
    assert request.beneficiary.stage == OutreachStage.TO_CONTACT
    assert Notification.objects.filter(kind=NotificationKind.SUPPORT_REQUEST_ACK).exists()


def test_an_offer_is_named_by_its_public_id(published, link_offer):
    response = APIClient().post(
        URL, body(published, offer=str(link_offer.public_id)), format="json"
    )

    assert response.status_code == 201
    assert SupportRequest.objects.get().offer == link_offer


def test_bad_data_gets_400_with_messages_and_saves_nothing(published):
    response = APIClient().post(
        URL, body(published, email="", phone="", contact_name="", consent_contact=False)
    )

    assert response.status_code == 400
    errors = response.json()
    assert {"email", "contact_name", "consent_contact"} <= set(errors)
    assert not SupportRequest.objects.exists()
    assert not Notification.objects.exists()


def test_an_unknown_programme_gets_400(published):
    response = APIClient().post(URL, body(published, programme="nope"), format="json")

    assert response.status_code == 400
    assert "programme" in response.json()


def test_an_offer_of_another_programme_gets_400(published):
    other = OfferFactory()
    response = APIClient().post(URL, body(published, offer=str(other.public_id)), format="json")

    assert response.status_code == 400
    assert "offer" in response.json()


def test_the_honeypot_gets_400(published):
    response = APIClient().post(URL, body(published, website="spam"), format="json")

    assert response.status_code == 400
    assert not SupportRequest.objects.exists()


def test_the_sixth_request_of_the_hour_gets_429(published):
    client = APIClient()
    for number in range(5):
        response = client.post(
            URL, body(published, email=f"asso{number}@example.org"), format="json"
        )
        assert response.status_code == 201
    response = client.post(URL, body(published, email="asso6@example.org"), format="json")

    assert response.status_code == 429
    assert response.json()["detail"]
    assert SupportRequest.objects.count() == 5


def test_a_logged_in_browser_needs_no_csrf_token(published, coordinator):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post(URL, body(published), format="json")

    assert response.status_code == 201

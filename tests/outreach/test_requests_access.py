"""Who reaches the support-request pages: every persona.

"outreach:support_request" is public (200 for everyone); "outreach:support_request_done" and
"outreach:support_request_book" belong to the browser that sent the request (404 for anyone
else, logged in or not); "support-request-create" (API) takes a request from anyone. The
request shows on the beneficiary's page to whoever sees the record's outreach data."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from outreach.models import SupportRequest
from outreach.services.requests import support_request_create
from tests.outreach.requests_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.requests_fixtures import request_data, service_data
from tests.test_access_matrix import PERSONAS, login_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_form_is_public(client, request, persona, published, beneficiary):
    login_as(client, request, persona)

    response = client.get(reverse("outreach:support_request", args=[published.slug]))

    assert response.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["outreach:support_request_done", "outreach:support_request_book"])
def test_the_pages_of_a_request_are_404_for_anyone_else(
    client, request, persona, name, published, link_offer, beneficiary, other_beneficiary
):
    sent = support_request_create(programme=published, **service_data())
    login_as(client, request, persona)

    response = client.get(reverse(name, args=[published.slug, sent.public_id]))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["outreach:support_request_done", "outreach:support_request_book"])
def test_the_sender_reaches_the_pages_of_their_request(
    client, request, persona, name, published, link_offer, beneficiary, other_beneficiary
):
    login_as(client, request, persona)
    client.post(reverse("outreach:support_request", args=[published.slug]), request_data())
    sent = SupportRequest.objects.get()

    response = client.get(reverse(name, args=[published.slug, sent.public_id]))

    assert response.status_code == 200


def test_another_programme_slug_gives_404(client, published, link_offer):
    client.post(reverse("outreach:support_request", args=[published.slug]), request_data())
    sent = SupportRequest.objects.get()

    url = reverse("outreach:support_request_done", args=["autre-programme", sent.public_id])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_takes_a_request_from_anyone(request, persona, published, beneficiary):
    client = APIClient()
    login_as(client, request, persona)

    response = client.post(
        reverse("support-request-create"),
        {
            "programme": published.slug,
            "name": "Camille Martin",
            "email": f"{persona}@example.org",
            "needs": "Un jardin partagé.",
            "consent_contact": True,
        },
        format="json",
    )

    assert response.status_code == 201


# The record's page: code and whether the request shows, per persona (in PERSONAS order).
DETAIL = {
    "anonymous": (302, False),
    "beneficiary": (404, False),
    "other_beneficiary": (404, False),
    "mentor": (404, False),
    "other_mentor": (404, False),
    "coordinator": (200, True),
    "other_organization_coordinator": (404, False),
    "admin": (200, True),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_request_shows_on_the_record_to_who_sees_it(
    client, request, persona, published, beneficiary, other_beneficiary
):
    sent = support_request_create(
        programme=published, **service_data(needs="Un jardin partagé au pied de la tour.")
    )
    login_as(client, request, persona)

    response = client.get(reverse("beneficiaires:detail", args=[sent.beneficiary.public_id]))

    code, shown = DETAIL[persona]
    assert response.status_code == code
    assert ("Un jardin partagé au pied de la tour." in response.content.decode()) is shown


def test_a_referent_mentor_sees_the_request(client, published, offer, mentor):
    from tests.factories import EnrollmentFactory

    sent = support_request_create(programme=published, **service_data(needs="Mon projet"))
    EnrollmentFactory(beneficiary=sent.beneficiary, offer=offer, referent_mentor=mentor)
    client.force_login(mentor)

    response = client.get(reverse("beneficiaires:detail", args=[sent.beneficiary.public_id]))

    assert response.status_code == 200
    assert "Mon projet" in response.content.decode()

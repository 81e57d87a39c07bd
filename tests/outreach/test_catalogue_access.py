"""Who reaches the public catalogue: everyone, logged in or not, with the same answer.

The registration URL only takes a POST: every persona gets the same redirect to the
thank-you page (and a GET is a 405)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from seances.models import Registration
from tests.outreach.catalogue_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.catalogue_fixtures import register_data

PERSONAS = [
    "anonymous",
    "beneficiary",
    "other_beneficiary",
    "mentor",
    "other_mentor",
    "coordinator",
    "other_organization_coordinator",
    "admin",
]
EVERYONE = [200] * len(PERSONAS)

# URL name → expected status per persona, in PERSONAS order.
MATRIX = {
    "outreach:catalogue": EVERYONE,
    "outreach:catalogue_programme": EVERYONE,
    "outreach:catalogue_event": EVERYONE,
    "outreach:catalogue_event_registered": EVERYONE,
    "catalogue-programme-list": EVERYONE,
    "catalogue-programme-detail": EVERYONE,
    "catalogue-session-list": EVERYONE,
}
API = {"catalogue-programme-list", "catalogue-programme-detail", "catalogue-session-list"}


def persona_user(request, persona):
    if persona == "anonymous":
        return None
    value = request.getfixturevalue(persona)
    return value.user if persona in {"beneficiary", "other_beneficiary"} else value


def url_of(name, programme, session, registration):
    if name in {"outreach:catalogue_programme", "catalogue-programme-detail"}:
        return reverse(name, args=[programme.slug])
    if name == "outreach:catalogue_event":
        return reverse(name, args=[session.public_id])
    if name == "outreach:catalogue_event_registered":
        return reverse(name, args=[session.public_id, registration.public_id])
    return reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, request, name, persona, beneficiary, other_beneficiary, open_event):
    programme = open_event.offer.programme
    registration = Registration.objects.create(session=open_event, beneficiary=beneficiary)
    user = persona_user(request, persona)
    http = APIClient() if name in API else client
    if user is not None:
        http.force_login(user)

    response = http.get(url_of(name, programme, open_event, registration))

    assert response.status_code == MATRIX[name][PERSONAS.index(persona)], persona


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_register_for_an_open_event(client, request, persona, open_event):
    user = persona_user(request, persona)
    if user is not None:
        client.force_login(user)
    url = reverse("outreach:catalogue_event_register", args=[open_event.public_id])

    response = client.post(url, register_data(email=f"{persona}@example.org"))

    assert response.status_code == 302
    assert client.get(url).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_an_unpublished_programme_is_404_for_everyone(client, request, persona, open_event):
    programme = open_event.offer.programme
    programme.is_published = False
    programme.save()
    user = persona_user(request, persona)
    if user is not None:
        client.force_login(user)

    assert (
        client.get(reverse("outreach:catalogue_programme", args=[programme.slug])).status_code
        == 404
    )
    assert (
        client.get(reverse("outreach:catalogue_event", args=[open_event.public_id])).status_code
        == 404
    )

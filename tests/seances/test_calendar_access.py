"""Who reaches the calendar pages.

"seances:calendar_settings": a mentor or a beneficiary with an account (their own feed);
anonymous → login; other roles → 403. "seances:calendar_feed": no login at all (calendar apps
have none): the secret token is the key, so anyone holding it gets 200, an unknown or revoked
token is 404 for everyone."""

import pytest
from django.urls import reverse

from seances.links import calendar_feed_for, calendar_feed_rotate

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

MATRIX = {
    "seances:calendar_settings": [302, 200, 200, 200, 200, 403, 403, 403],
    "seances:calendar_feed": [200, 200, 200, 200, 200, 200, 200, 200],
    "revoked_feed": [404, 404, 404, 404, 404, 404, 404, 404],
}


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    user = value.user if persona in {"beneficiary", "other_beneficiary"} else value
    client.force_login(user)


def url_of(name, beneficiary):
    if name == "seances:calendar_settings":
        return reverse("seances:calendar_settings")
    token = calendar_feed_for(beneficiary.user).token
    if name == "revoked_feed":
        calendar_feed_rotate(user=beneficiary.user)
        return reverse("seances:calendar_feed", args=[token])
    return reverse("seances:calendar_feed", args=[token])


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_calendar_access_matrix(client, request, name, persona, beneficiary, other_beneficiary):
    login_as(client, request, persona)
    url = url_of(name, beneficiary)

    response = client.get(url)

    expected = MATRIX[name][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302:
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_revoking_follows_the_same_rule(client, request, persona, beneficiary, other_beneficiary):
    login_as(client, request, persona)

    response = client.post(reverse("seances:calendar_settings"))

    expected = MATRIX["seances:calendar_settings"][PERSONAS.index(persona)]
    assert response.status_code == (302 if expected == 200 else expected)


def test_anonymous_cannot_revoke(client):
    response = client.post(reverse("seances:calendar_settings"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

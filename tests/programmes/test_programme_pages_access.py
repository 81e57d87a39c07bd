"""Who reaches which programme page: every programmes:* URL, every persona.

anonymous → login; another organisation → 404; a role that does not run the programme → 403.
"""

import pytest
from django.urls import reverse

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
RUNS_THE_PROGRAMME = [302, 403, 403, 403, 403, 200, 404, 200]
COORDINATORS_ONLY = [302, 403, 403, 403, 403, 200, 200, 200]

# GET pages: URL name → expected status per persona, in PERSONAS order
GET_MATRIX = {
    "programmes:list": [302, 403, 403, 200, 200, 200, 200, 200],
    "programmes:detail": [302, 200, 200, 200, 200, 200, 404, 200],
    "programmes:create": COORDINATORS_ONLY,
    "programmes:edit": RUNS_THE_PROGRAMME,
    "programmes:duplicate": RUNS_THE_PROGRAMME,
    "programmes:offer_create": RUNS_THE_PROGRAMME,
    "programmes:offer_edit": RUNS_THE_PROGRAMME,
    "programmes:themes": COORDINATORS_ONLY,
    "programmes:theme_create": COORDINATORS_ONLY,
    "programmes:theme_edit": RUNS_THE_PROGRAMME,
}
# POST-only actions: a coordinator is redirected to the programme with a message.
POST_MATRIX = {
    "programmes:open": [302, 403, 403, 403, 403, 302, 404, 302],
    "programmes:close": [302, 403, 403, 403, 403, 302, 404, 302],
}


def url_for(name, programme, offer, theme):
    if name in {"programmes:list", "programmes:create", "programmes:themes"}:
        return reverse(name)
    if name == "programmes:theme_create":
        return reverse(name)
    if name == "programmes:theme_edit":
        return reverse(name, args=[theme.pk])
    if name == "programmes:offer_edit":
        return reverse(name, args=[programme.public_id, offer.public_id])
    return reverse(name, args=[programme.public_id])


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    user = value.user if persona in {"beneficiary", "other_beneficiary"} else value
    client.force_login(user)


@pytest.fixture
def setting(programme, offer, beneficiary, other_beneficiary, themes):
    return programme, offer, themes[0]


@pytest.mark.parametrize("name", GET_MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_get_pages(client, request, setting, name, persona):
    login_as(client, request, persona)
    url = url_for(name, *setting)

    response = client.get(url)

    expected = GET_MATRIX[name][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302:
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", POST_MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_actions(client, request, setting, name, persona):
    programme = setting[0]
    login_as(client, request, persona)
    url = url_for(name, *setting)

    response = client.post(url)

    expected = POST_MATRIX[name][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302:
        target = (
            reverse("accounts:login")
            if persona == "anonymous"
            else reverse("programmes:detail", args=[programme.public_id])
        )
        assert response.url.startswith(target)


@pytest.mark.parametrize("name", POST_MATRIX)
@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_post_actions_refuse_get(client, request, setting, name, persona):
    login_as(client, request, persona)
    response = client.get(url_for(name, *setting))
    assert response.status_code == 405

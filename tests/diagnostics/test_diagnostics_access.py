"""Who reaches which diagnostics page, for every persona; the questionnaire by its token.

A diagnostic belongs to beneficiary A (referent: `mentor`). The beneficiary sees that it exists
(403, not 404) but the team's pages are not for them; they answer the questionnaire instead.
"""

import pytest
from django.urls import reverse

from tests.diagnostics.conftest import make_invitation
from tests.factories import OfferFactory

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

# (method, URL name) → expected status per persona, in PERSONAS order
MATRIX = {
    ("get", "diagnostics:create"): [302, 403, 404, 200, 404, 200, 404, 200],
    ("post", "diagnostics:create"): [302, 403, 404, 200, 404, 200, 404, 200],
    ("get", "diagnostics:detail"): [302, 403, 404, 200, 404, 200, 404, 200],
    ("get", "diagnostics:edit"): [302, 403, 404, 200, 404, 200, 404, 200],
    ("post", "diagnostics:complete"): [302, 403, 404, 302, 404, 302, 404, 302],
    ("post", "diagnostics:invite"): [302, 403, 404, 200, 404, 200, 404, 200],
    # Enrolling is the coordinators' decision: the referent mentor gets 403.
    ("post", "diagnostics:enroll"): [302, 403, 404, 403, 404, 302, 404, 302],
}


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    user = value.user if persona in {"beneficiary", "other_beneficiary"} else value
    client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name"), MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(
    client, request, method, name, persona, diagnostic, beneficiary, other_beneficiary, programme
):
    login_as(client, request, persona)
    if name == "diagnostics:create":
        url = reverse(name, args=[beneficiary.public_id])
    else:
        url = reverse(name, args=[diagnostic.public_id])
    data = {}
    if name == "diagnostics:enroll":
        data = {"offer": OfferFactory(programme=programme).public_id}
    elif name == "diagnostics:invite":
        data = {"email": ""}

    response = getattr(client, method)(url, data)

    expected = MATRIX[(method, name)][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} {method} {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    elif expected == 302 and name == "diagnostics:enroll":
        assert response.url == reverse("beneficiaires:detail", args=[beneficiary.public_id])
    elif expected == 302:
        assert response.url == reverse("diagnostics:detail", args=[diagnostic.public_id])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["diagnostics:complete", "diagnostics:invite", "diagnostics:enroll"]
)
def test_actions_refuse_get(client, coordinator, diagnostic, name):
    client.force_login(coordinator)
    response = client.get(reverse(name, args=[diagnostic.public_id]))
    assert response.status_code == 405


# The questionnaire is public: the token is the credential, whoever holds it.
TOKENS = {"valid": 200, "answered": 410, "expired": 410, "unknown": 404}


@pytest.mark.django_db
@pytest.mark.parametrize("state", TOKENS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_questionnaire_access_by_token(client, diagnostic, state, method):
    if state != "unknown":
        make_invitation(
            diagnostic,
            token="jeton",
            answered=state == "answered",
            expires_in=-1 if state == "expired" else 14,
        )
    url = reverse("diagnostics:questionnaire", args=["jeton"])

    response = getattr(client, method)(url, {"expectations": "Être aidés"})

    assert response.status_code == TOKENS[state]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_organization_coordinator", "other_beneficiary"])
def test_questionnaire_does_not_depend_on_who_is_logged_in(client, request, persona, diagnostic):
    make_invitation(diagnostic, token="jeton")
    login_as(client, request, persona)
    response = client.get(reverse("diagnostics:questionnaire", args=["jeton"]))
    assert response.status_code == 200

"""Who reaches which API address: every resource, list and detail, every persona.

Same rules as the pages: anonymous → 403 (the API does not redirect; the interactive docs,
a page for people, send to the login page), another organisation or another person → 404,
a role without access → 403. Lists hold exactly the rows `visible_to` gives the person.
"""

import pytest
from django.urls import reverse

from accounts.models import Organization
from beneficiaires.models import Beneficiary, Enrollment
from diagnostics.models import NeedsDiagnostic
from programmes.models import Offer, Programme
from tests.api.conftest import PERSONAS, persona_user
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory

# URL name → expected status per persona, in PERSONAS order:
# anonymous, beneficiary, other_beneficiary, mentor, other_mentor, coordinator,
# other_organization_coordinator, admin
MATRIX = {
    "api-root": [403, 200, 200, 200, 200, 200, 200, 200],
    "api-schema": [403, 200, 200, 200, 200, 200, 200, 200],
    "api-docs": [302, 200, 200, 200, 200, 200, 200, 200],
    "programme-list": [403, 200, 200, 200, 200, 200, 200, 200],
    "programme-detail": [403, 200, 200, 200, 200, 200, 404, 200],
    "offer-list": [403, 200, 200, 200, 200, 200, 200, 200],
    "offer-detail": [403, 200, 200, 200, 200, 200, 404, 200],
    # The partner directory is shared by the whole network's support teams, never beneficiaries.
    "partner-list": [403, 403, 403, 200, 200, 200, 200, 200],
    "partner-detail": [403, 403, 403, 200, 200, 200, 200, 200],
    "beneficiary-list": [403, 403, 403, 200, 200, 200, 200, 200],
    "beneficiary-detail": [403, 200, 404, 200, 404, 200, 404, 200],
    # A beneficiary answers the questionnaire; the diagnostic itself is the team's (403).
    "diagnostic-list": [403, 403, 403, 200, 200, 200, 200, 200],
    "diagnostic-detail": [403, 403, 404, 200, 404, 200, 404, 200],
    "enrollment-list": [403, 200, 200, 200, 200, 200, 200, 200],
    "enrollment-detail": [403, 200, 404, 200, 404, 200, 404, 200],
}


@pytest.fixture
def url_of(programme, offer, partner, beneficiary, other_beneficiary, diagnostic, enrollment):
    def _url(name):
        target = {
            "programme-detail": programme,
            "offer-detail": offer,
            "partner-detail": partner,
            "beneficiary-detail": beneficiary,
            "diagnostic-detail": diagnostic,
            "enrollment-detail": enrollment,
        }.get(name)
        return reverse(name, args=[target.public_id]) if target else reverse(name)

    return _url


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_access_matrix(api_client, login, url_of, name, persona):
    login(persona)
    url = url_of(name)

    response = api_client.get(url)

    expected = MATRIX[name][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302:
        assert response.url.startswith(reverse("accounts:login"))
    elif expected in {403, 404} and name != "api-schema":  # the schema answers in YAML
        assert "detail" in response.json()


def test_unknown_public_id_is_404(api_client, coordinator, offer):
    api_client.force_login(coordinator)
    unknown = "00000000-0000-4000-8000-000000000000"
    for name in ("programme", "offer", "partner", "beneficiary", "diagnostic", "enrollment"):
        assert api_client.get(reverse(f"{name}-detail", args=[unknown])).status_code == 404


def test_a_partner_address_does_not_reach_a_support_structure(api_client, coordinator):
    api_client.force_login(coordinator)
    structure = Organization.objects.get(memberships__user=coordinator)

    response = api_client.get(reverse("partner-detail", args=[structure.public_id]))

    assert response.status_code == 404


# What each list must hold: the rows `visible_to` gives the person (the UI's rule).
VISIBLE = {
    "programme-list": lambda user: Programme.objects.visible_to(user),
    "offer-list": lambda user: Offer.objects.visible_to(user),
    "partner-list": lambda user: Organization.objects.partners(),
    "beneficiary-list": lambda user: Beneficiary.objects.visible_to(user),
    "diagnostic-list": lambda user: NeedsDiagnostic.objects.visible_to(user),
    "enrollment-list": lambda user: Enrollment.objects.visible_to(user),
}


@pytest.mark.parametrize("name", VISIBLE)
@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_lists_hold_exactly_the_visible_rows(
    api_client, login, url_of, other_organization_coordinator, name, persona
):
    # Rows of the other structure too, so that leaks would show.
    other_structure = Organization.objects.get(memberships__user=other_organization_coordinator)
    other_offer = OfferFactory(programme__organization=other_structure)
    EnrollmentFactory(
        beneficiary=BeneficiaryFactory(organization=other_structure), offer=other_offer
    )
    user = login(persona)

    response = api_client.get(url_of(name))

    if response.status_code == 403:
        return  # the matrix above checks which personas may list
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {str(pk) for pk in VISIBLE[name](user).values_list("public_id", flat=True)}
    # Only beneficiary A has a diagnostic: those who do not follow A see an empty list.
    assert ids or (
        name == "diagnostic-list" and persona in {"other_mentor", "other_organization_coordinator"}
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_token_matrix(api_client, request, persona):
    """Anyone with an account gets a token for their own password; nobody without one."""
    user = persona_user(request, persona)
    credentials = {"username": user.email, "password": "un-mot-de-passe-solide"} if user else {}

    response = api_client.post(reverse("api-token"), credentials, format="json")

    assert response.status_code == (200 if user else 400)
    assert ("token" in response.json()) is bool(user)


def test_api_token_does_not_answer_get(api_client, db):
    assert api_client.get(reverse("api-token")).status_code == 405

"""Who reaches which co-development page, for every persona (role matrix).

A co-development séance of `programme` facilitated by `mentor`, at step 5; beneficiary A is
the client, B a consultant; `outsider` is a beneficiary of the same structure who was not
there. The facilitator mode is the facilitator's only: participants and coordinators get a
403 there (coordinators read the summary, without the notes)."""

import pytest
from django.urls import reverse

from seances.enums import SeanceKind
from tests.factories import BeneficiaryFactory, OfferFactory, UserFactory
from tests.seances.conftest import AttendanceFactory, SeanceFactory
from tests.seances.test_codev_fixtures import run_to_step

pytest_plugins = ["tests.seances.test_codev_fixtures"]

PERSONAS = [
    "anonymous",
    "beneficiary",
    "other_beneficiary",
    "outsider",
    "mentor",
    "other_mentor",
    "coordinator",
    "other_organization_coordinator",
    "admin",
]
BENEFICIARIES = {"beneficiary", "other_beneficiary", "outsider"}

# URL name → (method, POST data, expected status per persona in PERSONAS order)
MATRIX = {
    "seances:codev_facilitate": ("get", None, [302, 403, 403, 404, 200, 404, 403, 404, 403]),
    "seances:codev_summary": ("get", None, [302, 200, 200, 404, 200, 404, 200, 404, 200]),
    "seances:codev_prepare": (
        "post",
        {"topic": "Autre sujet"},
        [302, 403, 403, 404, 200, 404, 403, 404, 403],
    ),
    "seances:codev_step_next": (
        "post",
        {"step": 5, "notes": "Synthèse"},
        [302, 403, 403, 404, 302, 404, 403, 404, 403],
    ),
    "seances:codev_step_notes": (
        "post",
        {"step": 1, "notes": "Relu"},
        [302, 403, 403, 404, 302, 404, 403, 404, 403],
    ),
    "seances:codev_action_add": (
        "post",
        {"title": "Appeler la DRH"},
        [302, 403, 403, 404, 302, 404, 403, 404, 403],
    ),
}


@pytest.fixture
def outsider(organization):
    return BeneficiaryFactory(organization=organization, user=UserFactory())


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona in BENEFICIARIES else value)


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_codev_access_matrix(client, request, persona, name, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 5)
    login_as(client, request, persona)
    method, data, expected = MATRIX[name]
    url = reverse(name, args=[codev_seance.public_id])

    response = client.get(url) if method == "get" else client.post(url, data or {})

    assert response.status_code == expected[PERSONAS.index(persona)], f"{persona} on {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    elif response.status_code == 302:
        assert response.url.startswith(
            reverse("seances:codev_facilitate", args=[codev_seance.public_id])
        )


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, (method, _, _) in MATRIX.items() if method == "post"])
def test_codev_posts_need_post(client, name, codev_seance, mentor):
    client.force_login(mentor)
    response = client.get(reverse(name, args=[codev_seance.public_id]))
    assert response.status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
def test_another_structures_seance_is_a_404_even_for_a_facilitator(
    client, name, mentor, other_organization
):
    """Changing the id in the address reaches nothing the mentor does not lead."""
    offer = OfferFactory(programme__organization=other_organization, group=True)
    other = SeanceFactory(kind=SeanceKind.CODEVELOPMENT, offer=offer)
    AttendanceFactory(seance=other)
    client.force_login(mentor)
    method, data, _ = MATRIX[name]
    url = reverse(name, args=[other.public_id])

    response = client.get(url) if method == "get" else client.post(url, data or {})

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
def test_a_seance_of_another_kind_has_no_codevelopment_pages(client, name, seance, mentor):
    client.force_login(mentor)
    method, data, _ = MATRIX[name]
    url = reverse(name, args=[seance.public_id])

    response = client.get(url) if method == "get" else client.post(url, data or {})

    assert response.status_code == 404

"""Likely duplicates: same email, or same name and postal code, in the same structure."""

import pytest
from django.urls import reverse

from beneficiaires.models import Beneficiary
from beneficiaires.selectors import find_likely_duplicates, normalize_name
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def test_names_are_compared_without_case_accents_or_punctuation():
    assert normalize_name("  Amicale des Locataires — Duchère ") == normalize_name(
        "amicale des locataires duchere"
    )
    assert normalize_name("L'Étoile") == "l etoile"


def test_same_email_in_any_case_is_a_duplicate(organization):
    existing = BeneficiaryFactory(organization=organization, email="Contact@Pentes.example.org")

    found = find_likely_duplicates(
        organization=organization, name="Autre", email="contact@pentes.EXAMPLE.org", postal_code=""
    )

    assert found == [existing]


def test_same_name_and_postal_code_is_a_duplicate(organization):
    existing = BeneficiaryFactory(
        organization=organization, name="Amicale des locataires Duchère", postal_code="69009"
    )

    found = find_likely_duplicates(
        organization=organization,
        name="AMICALE DES LOCATAIRES DUCHERE",
        email="",
        postal_code="69009",
    )

    assert found == [existing]


def test_same_name_elsewhere_is_not_a_duplicate(organization):
    BeneficiaryFactory(organization=organization, name="Maison des jeunes", postal_code="69009")

    found = find_likely_duplicates(
        organization=organization, name="Maison des jeunes", email="", postal_code="69001"
    )

    assert found == []


def test_records_of_another_structure_are_never_shown(organization, other_organization):
    BeneficiaryFactory(organization=other_organization, email="a@example.org")

    assert (
        find_likely_duplicates(
            organization=organization, name="A", email="a@example.org", postal_code=""
        )
        == []
    )


def test_the_record_itself_is_excluded(organization):
    record = BeneficiaryFactory(organization=organization, email="a@example.org")

    assert (
        find_likely_duplicates(
            organization=organization,
            name=record.name,
            email=record.email,
            postal_code=record.postal_code,
            exclude=record,
        )
        == []
    )


def form_data(**overrides):
    data = {
        "kind": "association",
        "name": "Amicale des locataires duchere",
        "contact_name": "",
        "email": "",
        "phone": "",
        "postal_code": "69009",
        "territory": "",
        "situation": "",
        "programme": "",
        "priority": "2",
        "source": "manual",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_creation_shows_likely_duplicates_before_saving(client, coordinator, organization):
    existing = BeneficiaryFactory(
        organization=organization, name="Amicale des locataires Duchère", postal_code="69009"
    )
    client.force_login(coordinator)
    before = Beneficiary.objects.count()

    response = client.post(reverse("beneficiaires:create"), form_data())

    assert response.status_code == 200
    assert response.context["duplicates"] == [existing]
    assert reverse("beneficiaires:detail", args=[existing.public_id]).encode() in response.content
    assert b'name="create_anyway"' in response.content
    assert Beneficiary.objects.count() == before


def test_create_anyway_saves_the_record(client, coordinator, organization):
    BeneficiaryFactory(
        organization=organization, name="Amicale des locataires Duchère", postal_code="69009"
    )
    client.force_login(coordinator)

    response = client.post(reverse("beneficiaires:create"), form_data(create_anyway="on"))

    created = Beneficiary.objects.get(name="Amicale des locataires duchere")
    assert response.status_code == 302
    assert response.url == reverse("beneficiaires:detail", args=[created.public_id])
    assert created.organization == organization
    assert created.created_by == coordinator


def test_creation_without_duplicate_saves_at_once(client, coordinator, organization):
    client.force_login(coordinator)

    response = client.post(reverse("beneficiaires:create"), form_data(name="Tout nouveau"))

    assert response.status_code == 302
    assert Beneficiary.objects.filter(name="Tout nouveau", organization=organization).exists()


def test_an_invalid_postal_code_is_refused(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("beneficiaires:create"), form_data(postal_code="6900"))

    assert response.status_code == 200
    assert "postal_code" in response.context["form"].errors


def test_detail_page_offers_to_merge_a_likely_duplicate(client, coordinator, mentor, organization):
    record = BeneficiaryFactory(organization=organization, email="a@example.org")
    twin = BeneficiaryFactory(organization=organization, email="A@example.org")
    merge_link = f"{reverse('beneficiaires:merge', args=[record.public_id])}?avec={twin.public_id}"
    client.force_login(coordinator)

    response = client.get(reverse("beneficiaires:detail", args=[record.public_id]))

    assert response.context["duplicates"] == [twin]
    assert merge_link.encode() in response.content

"""The right to rectification: the person corrects their contact details, journaled."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Camille Durand",
    "email": "camille.durand@example.org",
    "phone": "06 12 34 56 78",
    "postal_code": "69001",
    "territory": "Lyon 1er",
}


def test_the_person_corrects_their_contact_details(client, beneficiary):
    client.force_login(beneficiary.user)

    response = client.post(reverse("privacy:my_data"), VALID)

    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert beneficiary.email == "camille.durand@example.org"
    assert beneficiary.postal_code == "69001"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.actor == beneficiary.user
    assert "email" in entry.summary
    # The journal names the fields, never their values.
    assert "camille.durand@example.org" not in entry.summary


def test_a_bad_postal_code_saves_nothing(client, beneficiary):
    client.force_login(beneficiary.user)
    before = beneficiary.email

    response = client.post(reverse("privacy:my_data"), {**VALID, "postal_code": "ABC"})

    assert response.status_code == 400
    assert "5 chiffres" in response.content.decode()
    beneficiary.refresh_from_db()
    assert beneficiary.email == before
    assert not AuditEntry.objects.exists()


def test_an_empty_name_is_refused_in_french(client, beneficiary):
    client.force_login(beneficiary.user)

    response = client.post(reverse("privacy:my_data"), {**VALID, "name": ""})

    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()


def test_nothing_changed_writes_no_entry(client, beneficiary):
    client.force_login(beneficiary.user)
    same = {name: getattr(beneficiary, name) for name in VALID}

    client.post(reverse("privacy:my_data"), same)

    assert not AuditEntry.objects.exists()


def test_the_page_shows_the_record_and_the_downloads(client, beneficiary):
    client.force_login(beneficiary.user)

    content = client.get(reverse("privacy:my_data")).content.decode()

    assert beneficiary.name in content
    assert reverse("privacy:my_data_pdf") in content
    assert reverse("privacy:my_data_json") in content

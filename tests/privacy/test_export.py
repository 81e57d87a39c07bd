"""The right of access: everything about the person, nothing about anyone else."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from privacy.selectors import SECTIONS, personal_data
from seances.enums import RecordStatus
from tests.privacy.conftest import fill
from tests.seances.conftest import ClosingRecordFactory, SeanceFactory
from tests.seances.test_report_pdf import poppler

pytestmark = pytest.mark.django_db


def test_json_holds_every_section_of_the_person(client, filled, other_filled):
    client.force_login(filled.user)

    response = client.get(reverse("privacy:my_data_json"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["record"]["name"] == filled.name
    assert data["account"]["email"] == filled.user.email
    for section in SECTIONS:
        if section.key in {"diagnostics", "needs", "referrals", "registrations", "project_cards"}:
            continue
        assert data[section.key], section.key
    text = response.content.decode()
    for expected in (
        "ALPHA appel 0",
        "ALPHA note 0",
        "ALPHA carnet 0",
        "ALPHA réponse 0",
        "ALPHA besoin 0",
        "ALPHA message 0",
        "ALPHA compte-rendu 0",
        "ALPHA tâche 0",
        "ALPHA synthèse 0",
    ):
        assert expected in text
    assert "BRAVO" not in text
    assert other_filled.name not in text


def test_only_validated_closing_records_are_exported(filled, individual_offer, mentor):
    ClosingRecordFactory(
        seance=SeanceFactory(offer=individual_offer, mentor=mentor),
        beneficiary=filled,
        status=RecordStatus.DRAFT,
        content="BROUILLON",
    )

    data = personal_data(filled)

    assert "BROUILLON" not in json.dumps(data)
    assert len(data["closing_records"]) == 1


def test_the_export_is_journaled(client, filled):
    client.force_login(filled.user)

    client.get(reverse("privacy:my_data_json"))

    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD)
    assert entry.actor == filled.user
    assert entry.object_id == str(filled.public_id)
    assert entry.organization_id == filled.organization_id


def test_query_count_does_not_grow_with_rows(filled, individual_offer, mentor, programme):
    with CaptureQueriesContext(connection) as few:
        personal_data(filled)
    fill(filled, offer=individual_offer, mentor=mentor, programme=programme, marker="X", rows=5)
    with CaptureQueriesContext(connection) as many:
        data = personal_data(filled)

    assert len(data["contact_log"]) == 6
    assert len(many) == len(few)


def test_pdf_is_readable_and_only_theirs(client, filled, other_filled):
    client.force_login(filled.user)

    response = client.get(reverse("privacy:my_data_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(poppler("pdftotext", "-layout", "-", pdf=response.content).split())
    assert filled.name in text
    assert "ALPHA appel 0" in text
    assert "Journal des contacts" in text or "Contact log" in text
    assert "BRAVO" not in text


def test_people_without_a_record_get_403(client, mentor):
    client.force_login(mentor)

    assert client.get(reverse("privacy:my_data_json")).status_code == 403

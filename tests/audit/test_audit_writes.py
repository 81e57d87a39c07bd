"""What the app writes to the journal: reads, changes and exports of beneficiaries' records,
reads of closing records; never the person reading their own record."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEntry
from beneficiaires.enums import OutreachStage, Priority
from beneficiaires.models import Beneficiary
from beneficiaires.services import beneficiaries_bulk_change_stage
from seances.services import closing
from tests.factories import BeneficiaryFactory
from tests.seances.conftest import individual_offer, seance  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def page(beneficiary) -> str:
    return reverse("beneficiaires:detail", args=[beneficiary.public_id])


def only_entry() -> AuditEntry:
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1, entries
    return entries[0]


@pytest.mark.parametrize("persona", ["coordinator", "mentor", "admin"])
def test_a_beneficiary_page_read_by_the_team_is_journaled(client, request, persona, beneficiary):
    reader = request.getfixturevalue(persona)
    client.force_login(reader)

    assert client.get(page(beneficiary)).status_code == 200

    entry = only_entry()
    assert (entry.actor, entry.action) == (reader, AuditAction.READ)
    assert (entry.object_type, entry.object_id) == (
        "beneficiaires.beneficiary",
        str(beneficiary.public_id),
    )
    assert entry.organization_id == beneficiary.organization_id


def test_the_person_reading_their_own_record_is_not_journaled(client, beneficiary):
    client.force_login(beneficiary.user)

    assert client.get(page(beneficiary)).status_code == 200

    assert not AuditEntry.objects.exists()


def test_a_page_refused_writes_nothing(client, other_organization_coordinator, beneficiary):
    client.force_login(other_organization_coordinator)

    assert client.get(page(beneficiary)).status_code == 404

    assert not AuditEntry.objects.exists()


def test_the_export_writes_one_entry_with_the_row_count(client, coordinator, organization):
    BeneficiaryFactory.create_batch(3, organization=organization)
    client.force_login(coordinator)

    response = client.get(reverse("beneficiaires:export"))
    b"".join(response.streaming_content)

    entry = only_entry()
    assert (entry.actor, entry.action) == (coordinator, AuditAction.DOWNLOAD)
    assert entry.object_type == "beneficiaires.beneficiary"
    assert entry.organization_id == organization.pk
    assert export_summary(3) == entry.summary


def test_the_export_of_a_selection_is_journaled(client, coordinator, organization):
    records = BeneficiaryFactory.create_batch(2, organization=organization)
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:bulk"), {"action": "export", "ids": [r.public_id for r in records]}
    )

    assert response.status_code == 200
    entry = only_entry()
    assert entry.action == AuditAction.DOWNLOAD
    assert export_summary(2) == entry.summary


def test_an_export_across_organisations_is_in_each_journal(
    client, admin, organization, other_organization
):
    BeneficiaryFactory.create_batch(2, organization=organization)
    BeneficiaryFactory(organization=other_organization)
    client.force_login(admin)

    b"".join(client.get(reverse("beneficiaires:export")).streaming_content)

    rows = dict(AuditEntry.objects.values_list("organization_id", "summary"))
    assert set(rows) == {organization.pk, other_organization.pk}
    assert export_summary(2) == rows[organization.pk]
    assert export_summary(1) == rows[other_organization.pk]


def test_the_edit_form_journals_the_fields_changed(client, coordinator, beneficiary):
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:edit", args=[beneficiary.public_id]),
        {
            "kind": beneficiary.kind,
            "name": "Nouveau nom",
            "email": beneficiary.email,
            "postal_code": "69001",
            "priority": str(beneficiary.priority),
            "source": beneficiary.source,
        },
    )

    assert response.status_code == 302
    entry = only_entry()
    assert entry.action == AuditAction.UPDATE
    changed = entry.summary.split(": ", 1)[1].split(", ")
    assert {label("name"), label("postal_code")} <= set(changed)
    assert label("email") not in changed
    assert "Nouveau nom" not in entry.summary
    assert entry.organization_id == beneficiary.organization_id


def test_the_api_detail_read_by_a_coordinator_is_journaled(coordinator, beneficiary):
    api = APIClient()
    api.force_authenticate(coordinator)

    assert api.get(reverse("beneficiary-detail", args=[beneficiary.public_id])).status_code == 200

    entry = only_entry()
    assert (entry.actor, entry.action) == (coordinator, AuditAction.READ)
    assert entry.object_id == str(beneficiary.public_id)
    assert entry.organization_id == beneficiary.organization_id


def test_the_api_detail_read_by_the_person_is_not_journaled(beneficiary):
    api = APIClient()
    api.force_authenticate(beneficiary.user)

    assert api.get(reverse("beneficiary-detail", args=[beneficiary.public_id])).status_code == 200

    assert not AuditEntry.objects.exists()


def test_the_api_list_writes_nothing(coordinator, beneficiary, other_beneficiary):
    api = APIClient()
    api.force_authenticate(coordinator)

    assert api.get(reverse("beneficiary-list")).status_code == 200

    assert not AuditEntry.objects.exists()


def test_an_api_change_is_journaled(coordinator, beneficiary):
    api = APIClient()
    api.force_authenticate(coordinator)

    response = api.patch(
        reverse("beneficiary-detail", args=[beneficiary.public_id]),
        {"phone": "04 78 00 00 00"},
        format="json",
    )

    assert response.status_code == 200
    entry = only_entry()
    assert entry.action == AuditAction.UPDATE
    assert entry.summary == gettext("%(record)s changed: %(fields)s") % {
        "record": Beneficiary._meta.verbose_name,
        "fields": label("phone"),
    }


@pytest.fixture
def validated_record(seance, mentor, beneficiary):  # noqa: F811
    draft = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    closing.record_update(record=draft, acting_user=mentor, content="Le contenu")
    record = closing.record_validate(record=draft, acting_user=mentor)
    AuditEntry.objects.all().delete()
    return record


def test_a_closing_record_read_by_the_coordinator_is_journaled(
    client, coordinator, validated_record, organization
):
    client.force_login(coordinator)

    url = reverse("seances:record_detail", args=[validated_record.public_id])
    assert client.get(url).status_code == 200

    entry = only_entry()
    assert (entry.actor, entry.action) == (coordinator, AuditAction.READ)
    assert entry.object_type == "seances.closingrecord"
    assert entry.organization_id == organization.pk


def test_a_closing_record_read_by_its_beneficiary_is_not_journaled(
    client, beneficiary, validated_record
):
    client.force_login(beneficiary.user)

    url = reverse("seances:record_detail", args=[validated_record.public_id])
    assert client.get(url).status_code == 200

    assert not AuditEntry.objects.exists()


def test_the_closing_records_api_journals_each_record_the_team_reads(
    coordinator, mentor, validated_record, organization
):
    api = APIClient()
    api.force_authenticate(coordinator)

    listed = api.get(reverse("closing-record-list"))
    api.force_authenticate(mentor)
    detail = api.get(reverse("closing-record-detail", args=[validated_record.public_id]))

    assert (listed.status_code, detail.status_code) == (200, 200)
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.actor, e.action) for e in entries] == [
        (coordinator, AuditAction.READ),
        (mentor, AuditAction.READ),
    ]
    assert {e.object_id for e in entries} == {str(validated_record.public_id)}
    assert {e.organization_id for e in entries} == {organization.pk}
    assert entries[0].summary == gettext(
        "closing record read through the API (version %(version)s)"
    ) % {"version": 1}


def test_the_closing_records_api_read_by_its_beneficiary_is_not_journaled(
    beneficiary, validated_record
):
    api = APIClient()
    api.force_authenticate(beneficiary.user)

    assert api.get(reverse("closing-record-list")).json()["count"] == 1
    assert (
        api.get(reverse("closing-record-detail", args=[validated_record.public_id])).status_code
        == 200
    )

    assert not AuditEntry.objects.exists()


def test_the_closing_report_download_is_journaled_in_french(
    client, mentor, validated_record, organization
):
    client.force_login(mentor)

    url = reverse("seances:record_pdf", args=[validated_record.public_id])
    assert client.get(url).status_code == 200

    entry = only_entry()
    assert entry.action == AuditAction.DOWNLOAD
    assert entry.summary == "compte rendu téléchargé (version 1)"


def test_a_stage_change_from_the_list_is_journaled(client, coordinator, beneficiary):
    client.force_login(coordinator)

    url = reverse("beneficiaires:set_stage", args=[beneficiary.public_id])
    client.post(url, {"stage": OutreachStage.CONTACTED})
    client.post(url, {"stage": OutreachStage.CONTACTED})  # already there: nothing changes

    entry = only_entry()
    assert (entry.actor, entry.action) == (coordinator, AuditAction.UPDATE)
    assert entry.summary.endswith(label("stage"))
    assert entry.organization_id == beneficiary.organization_id


def test_a_priority_change_is_journaled_once(client, coordinator, beneficiary):
    client.force_login(coordinator)
    url = reverse("beneficiaires:set_priority", args=[beneficiary.public_id])
    other = next(value for value in Priority.values if value != beneficiary.priority)

    client.post(url, {"priority": other})
    client.post(url, {"priority": other})

    assert only_entry().summary.endswith(label("priority"))


def test_a_bulk_stage_change_journals_each_record_moved(coordinator, organization):
    moving = BeneficiaryFactory.create_batch(2, organization=organization)
    staying = BeneficiaryFactory(organization=organization, stage=OutreachStage.CONTACTED)

    moved = beneficiaries_bulk_change_stage(
        beneficiaries=[*moving, staying], stage=OutreachStage.CONTACTED, acting_user=coordinator
    )

    assert moved == 2
    entries = AuditEntry.objects.filter(action=AuditAction.UPDATE)
    assert sorted(e.object_id for e in entries) == sorted(str(b.public_id) for b in moving)
    assert {e.organization_id for e in entries} == {organization.pk}


def label(name: str) -> str:
    """The field's name as the journal writes it: its verbose name, in the active language."""
    return str(Beneficiary._meta.get_field(name).verbose_name)


def export_summary(rows: int) -> str:
    return gettext("CSV export of beneficiaries ({rows} rows)").format(rows=rows)

"""The closing-record pages: the draft form with its tasks, validation, correction, the page
with history, synthesis, comments and the one-click booking, the PDF download."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from seances.enums import CommentKind, RecordStatus, TaskStatus
from seances.models import ActionItem, ClosingRecord, ConfidentialNote
from seances.services import closing
from tests.seances.conftest import AppointmentFactory

pytestmark = pytest.mark.django_db

CONFIDENTIAL = "Blocage sur la lecture des comptes, confidentiel"


def edit_data(record, **overrides):
    data = {
        "expectations": "Comprendre le plan de financement",
        "expectations_met": "yes",
        "content": "Nous avons repris le plan de financement ligne à ligne.",
        "next_step": "Déposer le dossier à la région",
        "means_and_resources": "",
        "future_needs": "",
        "mentor_can_help_with": "",
        "next_frequency": "monthly",
        "next_date": "2026-12-15",
        "next_channels": ["email", "in_person"],
        "beneficiary_commitments": "Envoyer le budget",
        "mentor_commitments": "Relire le dossier",
        "misunderstandings": "",
        "tasks-TOTAL_FORMS": "3",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "50",
        "tasks-0-title": "Envoyer le budget révisé",
        "tasks-0-owner": "beneficiary",
        "tasks-0-due_on": "2026-12-01",
        "tasks-1-owner": "beneficiary",
        "tasks-2-owner": "beneficiary",
        "action": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(seance, mentor, beneficiary):
    return closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)


@pytest.fixture
def validated(draft, mentor):
    closing.record_update(record=draft, acting_user=mentor, content="Le budget.")
    closing.record_task_add(record=draft, acting_user=mentor, title="Envoyer le budget")
    return closing.record_validate(record=draft, acting_user=mentor)


def test_mentor_starts_and_lands_on_the_draft(client, seance, mentor, beneficiary):
    client.force_login(mentor)

    response = client.post(
        reverse("seances:record_start", args=[seance.public_id, beneficiary.public_id])
    )

    record = ClosingRecord.objects.get()
    assert response.url == reverse("seances:record_edit", args=[record.public_id])


def test_start_after_validation_leads_to_the_record(client, validated, mentor, beneficiary):
    client.force_login(mentor)

    response = client.post(
        reverse("seances:record_start", args=[validated.seance.public_id, beneficiary.public_id])
    )

    assert response.url == reverse("seances:record_detail", args=[validated.public_id])


def test_edit_page_shows_the_checklist_sections(client, draft, mentor, beneficiary):
    from tests.seances.conftest import ActionItemFactory

    ActionItemFactory(beneficiary=beneficiary, title="Tâche d'avant", seance=None)
    client.force_login(mentor)

    response = client.get(reverse("seances:record_edit", args=[draft.public_id]))

    content = response.content.decode()
    assert response.status_code == 200
    for name in (
        "expectations",
        "next_step",
        "tasks-0-title",
        "next_channels",
        "misunderstandings",
    ):
        assert f'name="{name}"' in content
    assert "Tâche d&#x27;avant" in content
    assert 'value="validate"' in content
    assert "INVALID_VARIABLE" not in content


def test_saving_the_draft_writes_fields_and_tasks(client, draft, mentor):
    client.force_login(mentor)

    response = client.post(reverse("seances:record_edit", args=[draft.public_id]), edit_data(draft))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.next_step == "Déposer le dossier à la région"
    assert draft.next_channels == ["email", "in_person"]
    assert draft.next_date == datetime.date(2026, 12, 15)
    task = ActionItem.objects.get()
    assert (task.title, task.seance_id, task.due_on) == (
        "Envoyer le budget révisé",
        draft.seance_id,
        datetime.date(2026, 12, 1),
    )


def test_saving_edits_and_deletes_tasks(client, draft, mentor):
    keep = closing.record_task_add(record=draft, acting_user=mentor, title="Garder")
    drop = closing.record_task_add(record=draft, acting_user=mentor, title="Retirer")
    client.force_login(mentor)
    data = edit_data(
        draft,
        **{
            "tasks-TOTAL_FORMS": "4",
            "tasks-INITIAL_FORMS": "2",
            "tasks-0-task": str(keep.public_id),
            "tasks-0-title": "Garder, reformulée",
            "tasks-0-owner": "mentor",
            "tasks-0-due_on": "",
            "tasks-1-task": str(drop.public_id),
            "tasks-1-title": "Retirer",
            "tasks-1-owner": "beneficiary",
            "tasks-1-DELETE": "on",
            "tasks-2-owner": "beneficiary",
            "tasks-3-owner": "beneficiary",
        },
    )

    client.post(reverse("seances:record_edit", args=[draft.public_id]), data)

    assert list(ActionItem.objects.values_list("title", "owner")) == [
        ("Garder, reformulée", "mentor")
    ]


def test_a_task_without_title_is_refused_and_nothing_saved(client, draft, mentor):
    client.force_login(mentor)
    data = edit_data(draft, **{"tasks-0-title": "", "tasks-0-due_on": "2026-12-01"})

    response = client.post(reverse("seances:record_edit", args=[draft.public_id]), data)

    assert response.status_code == 200
    assert not ActionItem.objects.exists()
    draft.refresh_from_db()
    assert draft.next_step == ""


def test_validate_button_saves_then_asks_for_confirmation(client, draft, mentor, beneficiary):
    client.force_login(mentor)

    response = client.post(
        reverse("seances:record_edit", args=[draft.public_id]), edit_data(draft, action="validate")
    )

    url = reverse("seances:record_validate", args=[draft.public_id])
    assert response.url == url
    page = client.get(url)
    assert page.status_code == 200
    assert beneficiary.email in page.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft


def test_confirming_validates_shares_and_emails(
    client, draft, mentor, beneficiary, django_capture_on_commit_callbacks
):
    closing.record_update(record=draft, acting_user=mentor, content="Contenu")
    client.force_login(mentor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seances:record_validate", args=[draft.public_id]))

    assert response.url == reverse("seances:record_detail", args=[draft.public_id])
    draft.refresh_from_db()
    assert draft.status == RecordStatus.VALIDATED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [beneficiary.email]


def test_validating_an_empty_record_goes_back_to_the_draft(client, draft, mentor):
    client.force_login(mentor)

    response = client.post(reverse("seances:record_validate", args=[draft.public_id]))

    assert response.url == reverse("seances:record_edit", args=[draft.public_id])
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_validated_record_has_no_edit_form(client, validated, mentor):
    client.force_login(mentor)

    response = client.post(
        reverse("seances:record_edit", args=[validated.public_id]), edit_data(validated)
    )

    assert response.url == reverse("seances:record_detail", args=[validated.public_id])
    validated.refresh_from_db()
    assert validated.content == "Le budget."


def test_correction_opens_version_two_and_keeps_version_one(client, validated, mentor):
    client.force_login(mentor)
    url = reverse("seances:record_correct", args=[validated.public_id])
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "Mauvaise échéance"})

    v2 = ClosingRecord.objects.get(version=2)
    assert response.url == reverse("seances:record_edit", args=[v2.public_id])
    assert v2.previous == validated
    page = client.get(reverse("seances:record_detail", args=[validated.public_id])).content
    assert "Mauvaise échéance".encode() in page
    assert reverse("seances:record_edit", args=[v2.public_id]).encode() in page


def test_history_links_every_version_and_marks_the_current_one(client, validated, mentor):
    v2 = closing.record_correct(record=validated, acting_user=mentor, reason="Nom erroné")
    closing.record_update(record=v2, acting_user=mentor, content="Corrigé")
    v2 = closing.record_validate(record=v2, acting_user=mentor)
    client.force_login(mentor)

    old = client.get(reverse("seances:record_detail", args=[validated.public_id])).content.decode()
    new = client.get(reverse("seances:record_detail", args=[v2.public_id])).content.decode()

    assert reverse("seances:record_detail", args=[v2.public_id]) in old
    assert reverse("seances:record_detail", args=[validated.public_id]) in new
    assert "Le budget." in old
    assert "Corrigé" in new
    assert reverse("seances:record_correct", args=[v2.public_id]) in new
    assert reverse("seances:record_correct", args=[validated.public_id]) not in old


def test_beneficiary_reads_marks_read_and_writes_synthesis(client, validated, beneficiary):
    client.force_login(beneficiary.user)
    url = reverse("seances:record_detail", args=[validated.public_id])

    page = client.get(url).content.decode()
    client.post(
        reverse("seances:record_comment", args=[validated.public_id]),
        {"kind": CommentKind.SYNTHESIS, "body": "Je retiens qu'il faut un budget équilibré."},
    )
    client.post(
        reverse("seances:record_comment", args=[validated.public_id]),
        {"kind": CommentKind.COMMENT, "body": "Merci pour la séance"},
    )

    assert 'name="body"' in page
    validated.refresh_from_db()
    assert validated.read_by_beneficiary_at is not None
    assert validated.comments.count() == 2
    page = client.get(url).content.decode()
    assert "Je retiens qu&#x27;il faut un budget équilibré." in page
    assert "Merci pour la séance" in page


def test_mentor_comments_but_has_no_synthesis_form(client, validated, mentor):
    client.force_login(mentor)

    page = client.get(reverse("seances:record_detail", args=[validated.public_id])).content
    response = client.post(
        reverse("seances:record_comment", args=[validated.public_id]),
        {"kind": CommentKind.SYNTHESIS, "body": "À sa place"},
    )

    assert b'id="synthesis-body"' not in page
    assert b'id="comment-body"' in page
    assert response.status_code == 403
    assert not validated.comments.exists()


def test_coordinator_reads_without_confidential_notes_and_cannot_comment(
    client, validated, coordinator, mentor, beneficiary
):
    ConfidentialNote.objects.create(
        seance=validated.seance, beneficiary=beneficiary, author=mentor, body=CONFIDENTIAL
    )
    client.force_login(coordinator)

    page = client.get(reverse("seances:record_detail", args=[validated.public_id])).content
    response = client.post(
        reverse("seances:record_comment", args=[validated.public_id]),
        {"kind": CommentKind.COMMENT, "body": "Je passe"},
    )

    assert b"Le budget." in page
    assert CONFIDENTIAL.encode() not in page
    assert b'id="comment-body"' not in page
    assert b'name="status"' not in page
    assert response.status_code == 403


def test_pdf_download_is_an_attachment_and_audited(client, validated, beneficiary):
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:record_pdf", args=[validated.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="compte-rendu-')
    assert disposition.endswith('-v1.pdf"')
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD)
    assert entry.actor == beneficiary.user
    assert entry.object_id == str(validated.public_id)


def test_a_draft_has_no_pdf(client, draft, mentor):
    client.force_login(mentor)

    assert client.get(reverse("seances:record_pdf", args=[draft.public_id])).status_code == 404


def test_booking_link_for_the_beneficiary_opens_the_week_of_the_next_date(
    client, validated, beneficiary, mentor
):
    validated.next_date = datetime.date(2026, 12, 16)
    validated.save()
    client.force_login(beneficiary.user)

    page = client.get(reverse("seances:record_detail", args=[validated.public_id])).content.decode()

    offer = validated.seance.offer
    url = reverse("seances:book_slots", args=[offer.public_id])
    assert f"{url}?accompagnant={mentor.public_id}&amp;semaine=2026-12-16" in page


def test_booking_link_for_the_mentor_books_on_behalf(client, validated, beneficiary, mentor):
    client.force_login(mentor)

    page = client.get(reverse("seances:record_detail", args=[validated.public_id])).content.decode()

    url = reverse("seances:book_on_behalf")
    assert (
        f"{url}?beneficiary={beneficiary.public_id}&amp;offer={validated.seance.offer.public_id}"
        f"&amp;mentor={mentor.public_id}"
    ) in page


def test_a_booked_next_appointment_replaces_the_booking_link(
    client, validated, beneficiary, mentor
):
    AppointmentFactory(
        offer=validated.seance.offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=validated.seance.starts_at + datetime.timedelta(days=21),
    )
    client.force_login(beneficiary.user)

    page = client.get(reverse("seances:record_detail", args=[validated.public_id])).content.decode()

    assert reverse("seances:book_slots", args=[validated.seance.offer.public_id]) not in page
    assert "appointment" in page or "rendez-vous" in page


def test_status_select_on_the_record_page(client, validated, beneficiary):
    task = ActionItem.objects.get()
    client.force_login(beneficiary.user)
    here = reverse("seances:record_detail", args=[validated.public_id])

    page = client.get(here).content.decode()
    response = client.post(
        reverse("seances:task_status", args=[task.public_id]),
        {"status": TaskStatus.DONE, "next": here},
    )

    assert f'id="task-status-{task.public_id}"' in page
    assert response.url == here
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE

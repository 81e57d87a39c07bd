"""Who reaches the API of séances, closing records, tasks and logbooks: every persona, reads
and writes. Anonymous → 403; what one may not see → 404; a role that may not act → 403;
the services' rules → 400."""

import pytest
from django.urls import reverse

from seances.enums import RecordStatus
from seances.models import ClosingRecord, ConfidentialNote, LogbookEntry
from seances.services.closing import record_validate
from tests.api.conftest import PERSONAS
from tests.seances import conftest as seances_fixtures
from tests.seances.conftest import ActionItemFactory, ClosingRecordFactory

individual_offer = seances_fixtures.individual_offer
seance = seances_fixtures.seance

# (URL name, method) → expected status per persona, in PERSONAS order:
# anonymous, beneficiary (A), other_beneficiary (B), mentor (A's, led the séance),
# other_mentor, coordinator, other_organization_coordinator, admin
MATRIX = {
    ("seance-list", "get"): [403, 200, 200, 200, 200, 200, 200, 200],
    ("seance-detail", "get"): [403, 200, 404, 200, 404, 200, 404, 200],
    ("closing-record-list", "get"): [403, 200, 200, 200, 200, 200, 200, 200],
    ("closing-record-detail", "get"): [403, 200, 404, 200, 404, 200, 404, 200],
    # A validated record is frozen: its mentor gets a 400, the others may not write at all.
    ("closing-record-detail", "patch"): [403, 403, 404, 400, 404, 403, 404, 403],
    ("closing-record-validate", "post"): [403, 403, 404, 400, 404, 403, 404, 403],
    ("closing-record-comments", "post"): [403, 201, 404, 201, 404, 403, 404, 403],
    ("closing-record-pdf", "get"): [403, 200, 404, 200, 404, 200, 404, 200],
    ("task-list", "get"): [403, 200, 200, 200, 200, 200, 200, 200],
    ("task-detail", "get"): [403, 200, 404, 200, 404, 200, 404, 200],
    # The beneficiary and the mentor who follows them tick tasks; coordinators read.
    ("task-detail", "patch"): [403, 200, 404, 200, 404, 403, 404, 403],
    ("logbook-entry-list", "get"): [403, 200, 200, 200, 200, 200, 200, 200],
    # A's entry, shared with A's mentor: nobody else, not even a coordinator or an admin.
    ("logbook-entry-detail", "get"): [403, 200, 404, 200, 404, 404, 404, 404],
    ("logbook-entry-detail", "patch"): [403, 200, 404, 403, 404, 404, 404, 404],
    ("logbook-entry-detail", "delete"): [403, 204, 404, 403, 404, 404, 404, 404],
}


@pytest.fixture
def work(seance, mentor, beneficiary, django_capture_on_commit_callbacks):
    """A's séance with `mentor`: a validated record, a task, a confidential note, and an
    entry of A's logbook shared with the mentor."""
    record = ClosingRecordFactory(seance=seance, beneficiary=beneficiary)
    with django_capture_on_commit_callbacks(execute=True):
        record = record_validate(record=record, acting_user=mentor)
    task = ActionItemFactory(beneficiary=beneficiary, seance=seance, title="Appeler la mairie")
    ConfidentialNote.objects.create(
        seance=seance, beneficiary=beneficiary, author=mentor, body="Difficulté confidentielle"
    )
    entry = LogbookEntry.objects.create(
        author=beneficiary.user,
        beneficiary=beneficiary,
        seance=seance,
        title="Ce que je retiens",
        learnings="Écouter avant de proposer.",
        shared_with_mentor=True,
    )
    return {"seance": seance, "closing-record": record, "task": task, "logbook-entry": entry}


def request_for(name, method, work):
    if name.endswith("-list"):
        return reverse(name), None
    resource = name.rsplit("-", 1)[0] if not name.endswith("-detail") else name[: -len("-detail")]
    if name.startswith("closing-record"):
        resource = "closing-record"
    url = reverse(name, args=[work[resource].public_id])
    body = {
        ("closing-record-detail", "patch"): {"content": "Corrigé"},
        ("closing-record-comments", "post"): {"kind": "comment", "body": "Merci pour ce temps."},
        ("task-detail", "patch"): {"status": "in_progress"},
        ("logbook-entry-detail", "patch"): {"feelings": "Plus confiante."},
    }.get((name, method))
    return url, body


@pytest.mark.parametrize(("name", "method"), MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_seances_api_access_matrix(
    api_client,
    login,
    work,
    other_beneficiary,
    other_organization_coordinator,
    name,
    method,
    persona,
):
    login(persona)
    url, body = request_for(name, method, work)

    response = getattr(api_client, method)(url, body, format="json")

    expected = MATRIX[(name, method)][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {method} {url}: {response.content}"
    if expected in {400, 403, 404}:
        assert response.json()


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_no_answer_ever_carries_a_confidential_note(api_client, login, work, persona):
    login(persona)
    for name in ("seance-list", "closing-record-list", "task-list", "logbook-entry-list"):
        assert "Difficulté confidentielle" not in api_client.get(reverse(name)).content.decode()
    detail = reverse("seance-detail", args=[work["seance"].public_id])
    assert "Difficulté confidentielle" not in api_client.get(detail).content.decode()


def test_a_draft_is_not_shown_to_the_beneficiary(api_client, seance, beneficiary, mentor):
    draft = ClosingRecordFactory(seance=seance, beneficiary=beneficiary)
    api_client.force_login(beneficiary.user)
    assert api_client.get(reverse("closing-record-detail", args=[draft.public_id])).status_code == (
        404
    )
    api_client.force_login(mentor)
    response = api_client.patch(
        reverse("closing-record-detail", args=[draft.public_id]),
        {"next_step": "Déposer le dossier", "next_channels": ["email", "phone"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["next_channels"] == ["email", "phone"]
    response = api_client.post(reverse("closing-record-validate", args=[draft.public_id]))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == RecordStatus.VALIDATED
    draft.refresh_from_db()
    assert draft.snapshot
    assert draft.next_step == "Déposer le dossier"


def test_an_unknown_channel_is_a_400(api_client, seance, beneficiary, mentor):
    draft = ClosingRecordFactory(seance=seance, beneficiary=beneficiary)
    api_client.force_login(mentor)
    response = api_client.patch(
        reverse("closing-record-detail", args=[draft.public_id]),
        {"next_channels": ["pigeon"]},
        format="json",
    )
    assert response.status_code == 400
    assert "next_channels" in response.json()


def test_the_pdf_of_a_draft_is_a_404(api_client, seance, beneficiary, mentor):
    draft = ClosingRecordFactory(seance=seance, beneficiary=beneficiary)
    api_client.force_login(mentor)
    response = api_client.get(reverse("closing-record-pdf", args=[draft.public_id]))
    assert response.status_code == 404


def test_the_pdf_is_a_pdf(api_client, work, beneficiary):
    api_client.force_login(beneficiary.user)
    response = api_client.get(
        reverse("closing-record-pdf", args=[work["closing-record"].public_id])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_beneficiary_writes_a_logbook_entry_private_by_default(
    api_client, seance, beneficiary, mentor
):
    api_client.force_login(beneficiary.user)
    response = api_client.post(
        reverse("logbook-entry-list"),
        {
            "title": "Après la séance",
            "progress": "J'ai osé appeler.",
            "seance": str(seance.public_id),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = LogbookEntry.objects.get(public_id=response.json()["id"])
    assert entry.shared_with_mentor is False
    assert entry.beneficiary == beneficiary
    api_client.force_login(mentor)
    assert (
        api_client.get(reverse("logbook-entry-detail", args=[entry.public_id])).status_code == 404
    )
    api_client.force_login(beneficiary.user)
    response = api_client.patch(
        reverse("logbook-entry-detail", args=[entry.public_id]),
        {"shared_with_mentor": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["shared_at"]
    api_client.force_login(mentor)
    assert (
        api_client.get(reverse("logbook-entry-detail", args=[entry.public_id])).status_code == 200
    )


def test_an_empty_logbook_entry_is_a_400(api_client, beneficiary):
    api_client.force_login(beneficiary.user)
    response = api_client.post(reverse("logbook-entry-list"), {"title": "Rien"}, format="json")
    assert response.status_code == 400
    assert LogbookEntry.objects.count() == 0


def test_a_task_status_outside_the_list_is_a_400(api_client, work, beneficiary):
    api_client.force_login(beneficiary.user)
    response = api_client.patch(
        reverse("task-detail", args=[work["task"].public_id]),
        {"status": "forgotten"},
        format="json",
    )
    assert response.status_code == 400


def test_records_are_listed_for_the_coordinator_without_confidential_fields(
    api_client, work, coordinator
):
    api_client.force_login(coordinator)
    rows = api_client.get(reverse("closing-record-list")).json()["results"]
    assert [row["id"] for row in rows] == [str(work["closing-record"].public_id)]
    assert not any("confidential" in key for key in rows[0])
    assert ClosingRecord.objects.count() == 1


def test_a_participant_sees_only_their_own_attendance(
    api_client, seance, beneficiary, other_beneficiary, mentor
):
    from tests.seances.conftest import AttendanceFactory

    AttendanceFactory(seance=seance, beneficiary=other_beneficiary)
    api_client.force_login(beneficiary.user)
    rows = api_client.get(reverse("seance-detail", args=[seance.public_id])).json()["attendances"]
    assert [row["beneficiary"] for row in rows] == [str(beneficiary.public_id)]
    api_client.force_login(mentor)
    rows = api_client.get(reverse("seance-detail", args=[seance.public_id])).json()["attendances"]
    assert len(rows) == 2

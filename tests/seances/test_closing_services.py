"""The closing record's workflow: draft → validated (frozen, shared, emailed) → corrected as a
new version, the history kept; the beneficiary's synthesis and comments."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEntry
from seances.enums import CommentKind, ExchangeChannel, RecordStatus, TaskOwner, TaskStatus
from seances.models import ActionItem, ClosingRecord, ConfidentialNote
from seances.services import closing
from tests.factories import BeneficiaryFactory
from tests.seances.conftest import ActionItemFactory, AttendanceFactory, SeanceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(seance, mentor, beneficiary):
    return closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)


def validate(record, user):
    closing.record_update(record=record, acting_user=user, content="Le budget.")
    return closing.record_validate(record=record, acting_user=user)


# Starting


def test_mentor_starts_version_one(draft, seance, beneficiary, mentor):
    assert draft.version == 1
    assert draft.status == RecordStatus.DRAFT
    assert draft.created_by == mentor
    assert (draft.seance, draft.beneficiary) == (seance, beneficiary)


def test_starting_again_returns_the_draft(draft, seance, beneficiary, mentor):
    again = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)

    assert again.pk == draft.pk
    assert ClosingRecord.objects.count() == 1


def test_co_mentor_may_start(seance, beneficiary, other_mentor):
    seance.co_mentors.add(other_mentor)

    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=other_mentor)

    assert record.is_draft


@pytest.mark.parametrize("persona", ["other_mentor", "coordinator", "admin"])
def test_only_the_seance_mentors_start(request, seance, beneficiary, persona):
    with pytest.raises(PermissionDenied):
        closing.record_start(
            seance=seance, beneficiary=beneficiary, acting_user=request.getfixturevalue(persona)
        )


def test_beneficiary_may_not_start_their_own(seance, beneficiary):
    with pytest.raises(PermissionDenied):
        closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=beneficiary.user)


def test_only_participants_have_a_record(seance, mentor, other_beneficiary):
    with pytest.raises(ValidationError):
        closing.record_start(seance=seance, beneficiary=other_beneficiary, acting_user=mentor)


def test_start_refuses_once_validated(draft, seance, beneficiary, mentor):
    validate(draft, mentor)

    with pytest.raises(ValidationError, match="corrigez-le"):
        closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)


# Writing the draft


def test_update_writes_the_fields(draft, mentor):
    closing.record_update(
        record=draft,
        acting_user=mentor,
        expectations="  Trouver des financements  ",
        expectations_met="partly",
        next_channels=["phone", "email", "phone"],
        next_date=datetime.date(2026, 12, 1),
        relay_consent=True,
    )

    draft.refresh_from_db()
    assert draft.expectations == "Trouver des financements"
    assert draft.expectations_met == "partly"
    assert draft.next_channels == [ExchangeChannel.EMAIL, ExchangeChannel.PHONE]
    assert draft.next_date == datetime.date(2026, 12, 1)
    assert draft.relay_consent is True


@pytest.mark.parametrize(
    "fields",
    [
        {"next_channels": ["carrier_pigeon"]},
        {"next_channels": "email"},
        {"expectations_met": "maybe"},
        {"next_frequency": "hourly"},
        {"snapshot": {}},
        {"status": "validated"},
    ],
)
def test_update_refuses_invalid_values(draft, mentor, fields):
    with pytest.raises(ValidationError):
        closing.record_update(record=draft, acting_user=mentor, **fields)


@pytest.mark.parametrize("persona", ["other_mentor", "coordinator"])
def test_only_the_seance_mentors_update(request, draft, persona):
    with pytest.raises(PermissionDenied):
        closing.record_update(
            record=draft, acting_user=request.getfixturevalue(persona), content="x"
        )


def test_tasks_of_the_draft(draft, mentor, seance, beneficiary):
    task = closing.record_task_add(
        record=draft,
        acting_user=mentor,
        title="Appeler la mairie",
        owner=TaskOwner.OTHER,
        owner_detail="Le trésorier",
        due_on=datetime.date(2026, 12, 1),
    )
    assert (task.seance, task.beneficiary, task.created_by) == (seance, beneficiary, mentor)

    closing.record_task_update(
        record=draft, task=task, acting_user=mentor, title="Écrire à la mairie", owner="mentor"
    )
    task.refresh_from_db()
    assert (task.title, task.owner, task.owner_detail, task.due_on) == (
        "Écrire à la mairie",
        "mentor",
        "",
        None,
    )

    closing.record_task_remove(record=draft, task=task, acting_user=mentor)
    assert not ActionItem.objects.exists()


def test_tasks_of_another_seance_are_not_the_drafts(draft, mentor, beneficiary):
    other = ActionItemFactory(beneficiary=beneficiary)

    with pytest.raises(PermissionDenied):
        closing.record_task_remove(record=draft, task=other, acting_user=mentor)


# Validation


def test_validation_freezes_and_snapshots(draft, mentor, beneficiary, seance):
    ConfidentialNote.objects.create(
        seance=seance, beneficiary=beneficiary, author=mentor, body="Ne pas imprimer ceci"
    )
    closing.record_task_add(record=draft, acting_user=mentor, title="Relire les statuts")
    closing.record_update(record=draft, acting_user=mentor, content="Statuts", relay_consent=True)

    record = closing.record_validate(record=draft, acting_user=mentor)

    record.refresh_from_db()
    assert record.status == RecordStatus.VALIDATED
    assert record.validated_by == mentor
    assert record.validated_at is not None
    snapshot = record.snapshot
    assert snapshot["programme"]["title"] == seance.offer.programme.title
    assert snapshot["programme"]["organization"] == seance.offer.programme.organization.name
    assert snapshot["programme"]["logo"] is None
    assert snapshot["beneficiary"] == beneficiary.name
    assert snapshot["mentor"] == mentor.get_full_name()
    assert snapshot["fields"]["content"] == "Statuts"
    assert snapshot["fields"]["relay_consent"] in {"Yes", "Oui"}
    assert snapshot["tasks"][0]["title"] == "Relire les statuts"
    assert snapshot["next_appointment"] is None
    assert snapshot["version"] == 1
    assert "Ne pas imprimer ceci" not in str(snapshot)


def test_validation_is_audited(draft, mentor):
    validate(draft, mentor)

    entry = AuditEntry.objects.get(object_id=str(draft.public_id))
    assert entry.action == AuditAction.UPDATE
    assert entry.actor == mentor


def test_validated_record_is_frozen(draft, mentor):
    record = validate(draft, mentor)

    with pytest.raises(ValidationError, match="figé"):
        closing.record_update(record=record, acting_user=mentor, content="Autre chose")
    with pytest.raises(ValidationError):
        closing.record_task_add(record=record, acting_user=mentor, title="Trop tard")
    with pytest.raises(ValidationError):
        closing.record_validate(record=record, acting_user=mentor)
    record.refresh_from_db()
    assert record.content == "Le budget."


def test_stale_draft_instance_cannot_be_updated_after_validation(draft, mentor):
    stale = ClosingRecord.objects.get(pk=draft.pk)
    validate(draft, mentor)

    with pytest.raises(ValidationError):
        closing.record_update(record=stale, acting_user=mentor, content="Après coup")


def test_an_empty_record_is_not_validated(draft, mentor):
    with pytest.raises(ValidationError, match="vide"):
        closing.record_validate(record=draft, acting_user=mentor)


def test_validation_by_another_mentor_is_refused(draft, mentor, other_mentor):
    closing.record_update(record=draft, acting_user=mentor, content="x")

    with pytest.raises(PermissionDenied):
        closing.record_validate(record=draft, acting_user=other_mentor)


def test_snapshot_holds_the_next_booked_appointment(draft, mentor, beneficiary, seance):
    from tests.seances.conftest import AppointmentFactory

    later = AppointmentFactory(
        offer=seance.offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=seance.starts_at + datetime.timedelta(days=14),
    )
    AppointmentFactory(
        offer=seance.offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=seance.starts_at + datetime.timedelta(days=28),
    )

    record = validate(draft, mentor)

    appointment = record.snapshot["next_appointment"]
    assert appointment["mentor"] == mentor.get_full_name()
    assert appointment["time"] == later.starts_at.strftime("%H:%M")


# Corrections


def test_correction_creates_the_next_version(draft, mentor):
    closing.record_task_add(record=draft, acting_user=mentor, title="Tâche")
    v1 = validate(draft, mentor)
    snapshot = dict(v1.snapshot)

    v2 = closing.record_correct(record=v1, acting_user=mentor, reason="Mauvaise date")

    assert v2.version == 2
    assert v2.is_draft
    assert v2.previous == v1
    assert v2.correction_reason == "Mauvaise date"
    assert v2.content == "Le budget."
    assert v2.snapshot == {}
    v1.refresh_from_db()
    assert v1.is_validated
    assert v1.snapshot == snapshot
    closing.record_update(record=v2, acting_user=mentor, content="Corrigé")
    v2 = closing.record_validate(record=v2, acting_user=mentor)
    v1.refresh_from_db()
    assert v1.content == "Le budget."
    assert v2.snapshot["fields"]["content"] == "Corrigé"
    assert v2.snapshot["correction_reason"] == "Mauvaise date"
    assert list(
        ClosingRecord.objects.filter(seance=v1.seance).values_list("version", "status")
    ) == [(2, "validated"), (1, "validated")]


def test_one_correction_at_a_time(draft, mentor):
    v1 = validate(draft, mentor)
    closing.record_correct(record=v1, acting_user=mentor, reason="Une")

    with pytest.raises(ValidationError, match="déjà en cours"):
        closing.record_correct(record=v1, acting_user=mentor, reason="Deux")


def test_only_the_latest_version_is_corrected(draft, mentor):
    v1 = validate(draft, mentor)
    v2 = closing.record_correct(record=v1, acting_user=mentor, reason="Une")
    validate(v2, mentor)

    with pytest.raises(ValidationError, match="dernière version"):
        closing.record_correct(record=v1, acting_user=mentor, reason="Deux")


def test_a_draft_is_not_corrected_and_a_reason_is_needed(draft, mentor):
    with pytest.raises(ValidationError):
        closing.record_correct(record=draft, acting_user=mentor, reason="x")
    v1 = validate(draft, mentor)
    with pytest.raises(ValidationError):
        closing.record_correct(record=v1, acting_user=mentor, reason="  ")


def test_correction_by_the_coordinator_is_refused(draft, mentor, coordinator):
    v1 = validate(draft, mentor)

    with pytest.raises(PermissionDenied):
        closing.record_correct(record=v1, acting_user=coordinator, reason="x")


# Synthesis and comments


def test_beneficiary_writes_and_rewrites_their_synthesis(draft, mentor, beneficiary):
    record = validate(draft, mentor)

    first = closing.record_comment_add(
        record=record, author=beneficiary.user, kind=CommentKind.SYNTHESIS, body="Je retiens"
    )
    second = closing.record_comment_add(
        record=record, author=beneficiary.user, kind=CommentKind.SYNTHESIS, body="Finalement"
    )

    assert second.pk == first.pk
    assert record.comments.get().body == "Finalement"


def test_the_mentor_comments_but_writes_no_synthesis(draft, mentor):
    record = validate(draft, mentor)

    comment = closing.record_comment_add(
        record=record, author=mentor, kind=CommentKind.COMMENT, body="Bravo"
    )
    assert comment.kind == CommentKind.COMMENT
    with pytest.raises(PermissionDenied):
        closing.record_comment_add(
            record=record, author=mentor, kind=CommentKind.SYNTHESIS, body="À sa place"
        )


@pytest.mark.parametrize("persona", ["coordinator", "other_mentor", "other_beneficiary"])
def test_others_do_not_comment(request, draft, mentor, persona):
    record = validate(draft, mentor)
    person = request.getfixturevalue(persona)
    user = getattr(person, "user", person)

    with pytest.raises(PermissionDenied):
        closing.record_comment_add(record=record, author=user, kind="comment", body="x")


def test_no_comment_on_a_draft_nor_an_empty_one(draft, mentor, beneficiary):
    with pytest.raises(ValidationError):
        closing.record_comment_add(record=draft, author=mentor, kind="comment", body="x")
    record = validate(draft, mentor)
    with pytest.raises(ValidationError):
        closing.record_comment_add(record=record, author=beneficiary.user, kind="comment", body=" ")


def test_mark_read_only_by_the_beneficiary_and_once(draft, mentor, beneficiary):
    record = validate(draft, mentor)

    assert closing.record_mark_read(record=record, acting_user=mentor) is False
    assert closing.record_mark_read(record=record, acting_user=beneficiary.user) is True
    first = ClosingRecord.objects.get(pk=record.pk).read_by_beneficiary_at
    assert closing.record_mark_read(record=record, acting_user=beneficiary.user) is False
    assert ClosingRecord.objects.get(pk=record.pk).read_by_beneficiary_at == first


def test_earlier_open_tasks(draft, beneficiary, mentor, seance, individual_offer):
    earlier = SeanceFactory(
        offer=individual_offer, mentor=mentor, starts_at=seance.starts_at - datetime.timedelta(7)
    )
    later = SeanceFactory(
        offer=individual_offer, mentor=mentor, starts_at=seance.starts_at + datetime.timedelta(7)
    )
    AttendanceFactory(seance=earlier, beneficiary=beneficiary)
    open_task = ActionItemFactory(beneficiary=beneficiary, seance=earlier)
    loose = ActionItemFactory(beneficiary=beneficiary, seance=None)
    ActionItemFactory(beneficiary=beneficiary, seance=earlier, status=TaskStatus.DONE)
    ActionItemFactory(beneficiary=beneficiary, seance=later)
    ActionItemFactory(beneficiary=BeneficiaryFactory(), seance=earlier)

    assert set(closing.earlier_open_tasks(draft)) == {open_task, loose}

"""Corrections under concurrency: one draft per person and séance, unique versions, held by
the database (and serialised by a row lock on PostgreSQL)."""

import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from seances.enums import RecordStatus
from seances.models import ClosingRecord
from seances.services import closing


def validated_record(seance, beneficiary, mentor):
    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    closing.record_update(record=record, acting_user=mentor, content="Le contenu")
    return closing.record_validate(record=record, acting_user=mentor)


@pytest.mark.django_db
def test_the_database_holds_one_draft_per_person_and_seance(seance, beneficiary, mentor):
    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClosingRecord.objects.create(seance=seance, beneficiary=beneficiary, version=2)
    assert record.is_draft


@pytest.mark.django_db
def test_the_database_holds_unique_versions(seance, beneficiary, mentor):
    v1 = validated_record(seance, beneficiary, mentor)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClosingRecord.objects.create(
            seance=seance,
            beneficiary=beneficiary,
            version=v1.version,
            status="validated",
            validated_at=v1.validated_at,
        )


@pytest.mark.django_db
def test_a_lost_race_is_a_validation_error(seance, beneficiary, mentor):
    v1 = validated_record(seance, beneficiary, mentor)

    with (
        mock.patch.object(ClosingRecord.objects, "create", side_effect=IntegrityError),
        pytest.raises(ValidationError, match="déjà en cours"),
    ):
        closing.record_correct(record=v1, acting_user=mentor, reason="Course perdue")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_corrections_make_one_draft(seance, beneficiary, mentor):
    v1 = validated_record(seance, beneficiary, mentor)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def correct(reason):
        try:
            barrier.wait()
            closing.record_correct(record=v1, acting_user=mentor, reason=reason)
            outcomes.append("draft")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=correct, args=(r,)) for r in ("Une", "Deux")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["draft", "refused"]
    drafts = ClosingRecord.objects.filter(seance=seance, beneficiary=beneficiary, status="draft")
    assert drafts.count() == 1
    assert drafts.get().version == 2
    assert ClosingRecord.objects.get(pk=v1.pk).status == RecordStatus.VALIDATED

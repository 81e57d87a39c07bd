"""Erasure is all or nothing, and happens once even when two coordinators click together."""

import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from beneficiaires.models import ContactLog
from privacy.models import Anonymisation, AnonymisationReason
from privacy.services import beneficiary_anonymise


@pytest.mark.django_db
def test_a_failure_midway_leaves_everything_as_it_was(coordinator, filled):
    name = filled.name

    with (
        mock.patch("privacy.services.audit_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        beneficiary_anonymise(
            beneficiary=filled, acting_user=coordinator, reason=AnonymisationReason.REQUEST
        )

    filled.refresh_from_db()
    filled.user.refresh_from_db()
    assert filled.name == name
    assert filled.user.is_active
    assert ContactLog.objects.get(beneficiary=filled).outcome == "ALPHA appel 0"
    assert not Anonymisation.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_erasures_make_one_anonymisation(coordinator, beneficiary):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def erase():
        try:
            barrier.wait()
            beneficiary_anonymise(
                beneficiary=beneficiary,
                acting_user=coordinator,
                reason=AnonymisationReason.REQUEST,
            )
            outcomes.append("erased")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=erase) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["erased", "refused"]
    assert Anonymisation.objects.filter(beneficiary=beneficiary).count() == 1

"""Erasure by a coordinator: personal data gone for good, figures kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from beneficiaires.models import ContactLog, Enrollment
from evaluation.models import Answer
from notifications.models import Notification
from outreach.models import SupportRequest
from privacy.models import Anonymisation, AnonymisationReason
from privacy.services import beneficiary_anonymise
from seances.models import (
    Attendance,
    ClosingRecord,
    ClosingRecordComment,
    ConfidentialNote,
    LogbookEntry,
)

pytestmark = pytest.mark.django_db


def erase(client, beneficiary, **data):
    return client.post(
        reverse("privacy:erase", args=[beneficiary.public_id]),
        {"confirm": "on", "comment": "Demande du 3 novembre", **data},
    )


def test_erasure_clears_personal_data_and_keeps_figures(client, coordinator, filled, other_filled):
    client.force_login(coordinator)
    user = filled.user
    enrollments = Enrollment.objects.filter(beneficiary=filled).count()

    response = erase(client, filled)

    assert response.status_code == 302
    filled.refresh_from_db()
    user.refresh_from_db()
    assert filled.name == f"Personne anonymisée {filled.pk:04d}" or filled.name.endswith(
        f"{filled.pk:04d}"
    )
    assert (filled.email, filled.phone, filled.postal_code, filled.notes) == ("", "", "", "")
    assert not user.is_active
    assert user.email.endswith("@invalid.invalid")
    assert (user.first_name, user.last_name) == ("", "")
    assert not user.has_usable_password()
    assert set(ContactLog.objects.filter(beneficiary=filled).values_list("outcome", flat=True)) == {
        ""
    }
    assert not LogbookEntry.objects.filter(beneficiary=filled).exists()
    assert set(
        ConfidentialNote.objects.filter(beneficiary=filled).values_list("body", flat=True)
    ) == {""}
    record = ClosingRecord.objects.get(beneficiary=filled)
    assert record.content == ""
    assert "ALPHA" not in str(record.snapshot)
    assert not ClosingRecordComment.objects.filter(record__beneficiary=filled).exclude(body="")
    request = SupportRequest.objects.get(beneficiary=filled)
    assert (request.needs, request.phone) == ("", "")
    assert "alpha" not in request.email
    assert set(Notification.objects.filter(recipient=user).values_list("subject", flat=True)) == {
        ""
    }
    answers = Answer.objects.filter(response__beneficiary=filled)
    assert set(answers.values_list("value_text", flat=True)) == {""}
    assert 4 in set(answers.values_list("value_number", flat=True))
    # Figures kept.
    assert Enrollment.objects.filter(beneficiary=filled).count() == enrollments
    assert Attendance.objects.filter(beneficiary=filled).count() == 1
    anonymisation = Anonymisation.objects.get(beneficiary=filled)
    assert anonymisation.done_by == coordinator
    assert anonymisation.reason == AnonymisationReason.REQUEST
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_id=str(filled.public_id)
    ).exists()
    # The other person is untouched.
    other_filled.refresh_from_db()
    assert ContactLog.objects.get(beneficiary=other_filled).outcome == "BRAVO appel 0"


def test_without_confirmation_nothing_is_erased(client, coordinator, beneficiary):
    client.force_login(coordinator)
    name = beneficiary.name

    response = erase(client, beneficiary, confirm="")

    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    beneficiary.refresh_from_db()
    assert beneficiary.name == name
    assert not Anonymisation.objects.exists()


def test_erasing_twice_is_refused(coordinator, beneficiary):
    beneficiary_anonymise(
        beneficiary=beneficiary, acting_user=coordinator, reason=AnonymisationReason.REQUEST
    )

    with pytest.raises(ValidationError):
        beneficiary_anonymise(
            beneficiary=beneficiary, acting_user=coordinator, reason=AnonymisationReason.REQUEST
        )


def test_an_erased_record_shows_the_date_instead_of_the_form(client, coordinator, beneficiary):
    client.force_login(coordinator)
    erase(client, beneficiary)

    response = client.get(reverse("privacy:erase", args=[beneficiary.public_id]))

    assert response.status_code == 200
    assert 'name="confirm"' not in response.content.decode()


def test_another_organisation_gets_404_and_nothing_changes(
    client, other_organization_coordinator, beneficiary
):
    client.force_login(other_organization_coordinator)

    assert erase(client, beneficiary).status_code == 404
    assert not Anonymisation.objects.exists()


def test_the_mentor_may_not_erase(client, mentor, beneficiary):
    client.force_login(mentor)

    assert erase(client, beneficiary).status_code == 403
    assert not Anonymisation.objects.exists()

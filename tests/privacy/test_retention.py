"""Retention: inactive records get a 30-day notice to their coordinators, then anonymised;
new activity or « Keep » cancels the notice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaires.enums import ContactChannel, EnrollmentStatus
from beneficiaires.models import Beneficiary, ContactLog, Enrollment
from notifications.enums import NotificationKind, NotificationStatus
from notifications.models import Notification, NotificationPreference
from privacy.models import Anonymisation, AnonymisationReason, RetentionNotice
from privacy.services import inactive_beneficiaries, retention_scan
from privacy.tasks import apply_retention
from tests.factories import BeneficiaryFactory
from tests.seances.conftest import (
    GroupSessionFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=800)


@pytest.fixture
def dormant(beneficiary):
    """Beneficiary A: enrollment closed and everything older than 24 months."""
    Enrollment.objects.filter(beneficiary=beneficiary).update(status=EnrollmentStatus.COMPLETED)
    Beneficiary.objects.filter(pk=beneficiary.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
    beneficiary.user.last_login = LONG_AGO
    beneficiary.user.save()
    return beneficiary


def test_an_inactive_record_gets_a_notice_emailed_to_coordinators(
    dormant, other_beneficiary, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = retention_scan()

    assert result["notified"] == 1
    notice = RetentionNotice.objects.get()
    assert notice.beneficiary == dormant
    assert notice.due_on == timezone.localdate() + datetime.timedelta(days=30)
    row = Notification.objects.get(kind=NotificationKind.RETENTION_NOTICE)
    assert (row.recipient, row.to_address, row.status) == (
        coordinator,
        coordinator.email,
        NotificationStatus.SENT,
    )
    assert row.organization == dormant.organization
    assert dormant.name in row.body_text
    assert dormant.name in row.body_html
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert mail.outbox[0].subject == "Dossiers bientôt anonymisés"
    assert dormant.name in mail.outbox[0].body
    assert reverse("privacy:retention") in mail.outbox[0].body


def test_the_notice_cannot_be_muted(dormant, coordinator, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=coordinator, muted_kinds=[NotificationKind.RETENTION_NOTICE]
    )

    with django_capture_on_commit_callbacks(execute=True):
        retention_scan()

    assert Notification.objects.get().status == NotificationStatus.SENT
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_each_structure_gets_its_own_list(
    dormant, coordinator, other_organization_coordinator, django_capture_on_commit_callbacks
):
    elsewhere = BeneficiaryFactory(
        organization=other_organization_coordinator.memberships.get().organization
    )
    Beneficiary.objects.filter(pk=elsewhere.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)

    with django_capture_on_commit_callbacks(execute=True):
        retention_scan()

    sent = {tuple(m.to): m.body for m in mail.outbox}
    assert set(sent) == {(coordinator.email,), (other_organization_coordinator.email,)}
    assert dormant.name in sent[(coordinator.email,)]
    assert elsewhere.name not in sent[(coordinator.email,)]
    assert elsewhere.name in sent[(other_organization_coordinator.email,)]


def test_the_scan_is_idempotent(dormant, coordinator):
    retention_scan()
    retention_scan()

    assert RetentionNotice.objects.count() == 1
    assert Notification.objects.filter(kind=NotificationKind.RETENTION_NOTICE).count() == 1


def test_an_active_enrollment_or_recent_contact_keeps_the_record(dormant, other_beneficiary):
    assert list(inactive_beneficiaries(timezone.localdate())) == [dormant]
    ContactLog.objects.create(
        beneficiary=dormant,
        contacted_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome="Rappel",
    )

    assert not inactive_beneficiaries(timezone.localdate()).exists()


def test_a_recent_group_session_registration_keeps_the_record(dormant, individual_offer):
    RegistrationFactory(session=GroupSessionFactory(offer=individual_offer), beneficiary=dormant)

    assert not inactive_beneficiaries(timezone.localdate()).exists()


def test_new_activity_cancels_the_notice(dormant):
    retention_scan()
    ContactLog.objects.create(
        beneficiary=dormant,
        contacted_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome="Rappel",
    )

    result = retention_scan(today=timezone.localdate() + datetime.timedelta(days=31))

    assert result["cancelled"] == 1
    assert RetentionNotice.objects.get().cancelled_at is not None
    assert not Anonymisation.objects.exists()


def test_keep_cancels_the_notice_and_counts_as_activity(client, dormant, coordinator):
    retention_scan()
    client.force_login(coordinator)

    page = client.get(reverse("privacy:retention"))
    assert dormant.name in page.content.decode()
    response = client.post(reverse("privacy:retention_keep", args=[dormant.public_id]))

    assert response.status_code == 302
    notice = RetentionNotice.objects.get()
    assert notice.cancelled_by == coordinator
    later = timezone.localdate() + datetime.timedelta(days=31)
    assert retention_scan(today=later) == {"cancelled": 0, "notified": 0, "anonymised": 0}
    keep_url = reverse("privacy:retention_keep", args=[dormant.public_id])
    assert keep_url not in client.get(reverse("privacy:retention")).content.decode()


def test_the_record_is_anonymised_when_the_notice_is_due(dormant, other_beneficiary):
    retention_scan()

    early = retention_scan(today=timezone.localdate() + datetime.timedelta(days=29))
    due = retention_scan(today=timezone.localdate() + datetime.timedelta(days=30))

    assert early["anonymised"] == 0
    assert due["anonymised"] == 1
    anonymisation = Anonymisation.objects.get()
    assert anonymisation.beneficiary == dormant
    assert anonymisation.reason == AnonymisationReason.RETENTION
    assert anonymisation.done_by is None
    dormant.refresh_from_db()
    assert dormant.email == ""
    other_beneficiary.refresh_from_db()
    assert other_beneficiary.email


def test_the_retention_period_comes_from_the_settings(dormant, settings):
    settings.RETENTION_INACTIVE_MONTHS = 48

    assert not inactive_beneficiaries(timezone.localdate()).exists()


def test_the_task_and_the_command_run_the_scan(dormant, capsys):
    assert apply_retention.delay().get()["notified"] == 1

    call_command("apply_retention")

    assert "notified: 0" in capsys.readouterr().out


def test_the_retention_list_costs_the_same_with_1_or_30_rows(client, coordinator, organization):
    def notices(count):
        for _ in range(count):
            RetentionNotice.objects.create(
                beneficiary=BeneficiaryFactory(organization=organization),
                notified_at=timezone.now(),
                due_on=timezone.localdate(),
            )

    client.force_login(coordinator)
    notices(1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("privacy:retention"))
    notices(29)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(reverse("privacy:retention"))

    assert response.content.decode().count("/garder/") == 30
    assert len(thirty) == len(one)


def test_personal_pages_are_not_cached(client, beneficiary):
    client.force_login(beneficiary.user)

    response = client.get(reverse("privacy:my_data_json"))

    assert "no-store" in response["Cache-Control"]

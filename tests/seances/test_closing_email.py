"""On validation, a Celery task (after the commit) emails the report to the beneficiary."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.fixups.django import DjangoWorkerFixup
from django.core import mail

from accompagnement.celery import app
from seances.models import ClosingRecord
from seances.services import closing
from seances.tasks import email_closing_report
from tests.factories import BeneficiaryFactory, UserFactory
from tests.seances.conftest import AttendanceFactory
from tests.seances.test_emails import DOWN_BACKEND
from tests.seances.test_report_pdf import pdf_text


def start_and_fill(seance, beneficiary, mentor):
    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    closing.record_update(record=record, acting_user=mentor, next_step="Écrire aux élus")
    return record


@pytest.mark.django_db
def test_validation_emails_one_pdf_to_the_beneficiary(
    seance, mentor, beneficiary, django_capture_on_commit_callbacks
):
    record = start_and_fill(seance, beneficiary, mentor)

    with django_capture_on_commit_callbacks(execute=True):
        closing.record_validate(record=record, acting_user=mentor)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [beneficiary.email]
    assert seance.offer.programme.title in message.subject
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith("-v1.pdf")
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert "Écrire aux élus" in pdf_text(content)
    html = message.alternatives[0][0]
    assert str(record.public_id) in html  # the link to the record, to add a synthesis


@pytest.mark.django_db
def test_nothing_is_sent_before_the_commit(seance, mentor, beneficiary):
    record = start_and_fill(seance, beneficiary, mentor)

    closing.record_validate(record=record, acting_user=mentor)

    assert mail.outbox == []


@pytest.mark.django_db
def test_a_correction_is_emailed_again(
    seance, mentor, beneficiary, django_capture_on_commit_callbacks
):
    record = start_and_fill(seance, beneficiary, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        v1 = closing.record_validate(record=record, acting_user=mentor)
    v2 = closing.record_correct(record=v1, acting_user=mentor, reason="Date erronée")

    with django_capture_on_commit_callbacks(execute=True):
        closing.record_validate(record=v2, acting_user=mentor)

    assert len(mail.outbox) == 2
    assert mail.outbox[1].attachments[0][0].endswith("-v2.pdf")
    assert "Date erronée" in mail.outbox[1].body


@pytest.mark.django_db
def test_no_email_for_a_person_without_address(
    seance, mentor, organization, django_capture_on_commit_callbacks
):
    person = BeneficiaryFactory(organization=organization, email="")
    AttendanceFactory(seance=seance, beneficiary=person)
    record = start_and_fill(seance, person, mentor)

    with django_capture_on_commit_callbacks(execute=True):
        closing.record_validate(record=record, acting_user=mentor)

    assert mail.outbox == []


@pytest.mark.django_db
def test_account_email_is_used_when_the_record_has_none(
    seance, mentor, organization, django_capture_on_commit_callbacks
):
    person = BeneficiaryFactory(
        organization=organization, email="", user=UserFactory(email="compte@example.org")
    )
    AttendanceFactory(seance=seance, beneficiary=person)
    record = start_and_fill(seance, person, mentor)

    with django_capture_on_commit_callbacks(execute=True):
        closing.record_validate(record=record, acting_user=mentor)

    assert [m.to for m in mail.outbox] == [["compte@example.org"]]


@pytest.mark.django_db
def test_the_task_ignores_drafts_and_unknown_ids(seance, mentor, beneficiary):
    record = start_and_fill(seance, beneficiary, mentor)

    assert email_closing_report(record.pk) is False
    assert email_closing_report(10**9) is False
    assert mail.outbox == []


@pytest.fixture
def redis_worker(monkeypatch):
    # The worker runs as a thread of this process (see tests/core/test_celery_redis.py).
    monkeypatch.setattr(DjangoWorkerFixup, "on_worker_process_init", lambda self, **kw: None)
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=os.environ["REDIS_URL"], task_always_eager=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as w:
            yield w
    finally:
        app.conf.update(previous)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_report_email_is_delivered_by_a_worker(seance, mentor, beneficiary, redis_worker):
    record = start_and_fill(seance, beneficiary, mentor)

    closing.record_validate(record=record, acting_user=mentor)

    deadline = time.monotonic() + 30
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m.to for m in mail.outbox] == [[beneficiary.email]]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert ClosingRecord.objects.get(pk=record.pk).is_validated


# The outbox (issue 6): the report is a notification row naming the PDF's renderer.


@pytest.mark.django_db
def test_the_report_is_an_outbox_row_seen_in_the_coordinators_log(
    client, seance, mentor, beneficiary, coordinator, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from notifications.enums import NotificationKind, NotificationStatus
    from notifications.models import Notification

    record = start_and_fill(seance, beneficiary, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        record = closing.record_validate(record=record, acting_user=mentor)

    row = Notification.objects.get(kind=NotificationKind.CLOSING_REPORT)
    assert row.status == NotificationStatus.SENT
    assert row.to_address == beneficiary.email
    assert row.scheduled_for == record.validated_at
    programme = seance.offer.programme
    assert (row.programme, row.organization) == (programme, programme.organization)
    # The PDF is not in the row: a dotted path renders it when the row is sent.
    [attachment] = row.attachments
    assert "content" not in attachment
    assert attachment["render"] == "seances.documents.closing_report_attachment"
    assert attachment["mimetype"] == "application/pdf"
    [message] = mail.outbox
    assert message.subject == row.subject
    assert message.attachments[0][1].startswith(b"%PDF")

    client.force_login(coordinator)
    response = client.get(reverse("notifications:log"))
    assert row.pk in {item.pk for item in response.context["page"].object_list}


@pytest.mark.django_db
def test_the_task_sends_the_report_again_only_once(
    seance, mentor, beneficiary, django_capture_on_commit_callbacks
):
    record = start_and_fill(seance, beneficiary, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        record = closing.record_validate(record=record, acting_user=mentor)

    with django_capture_on_commit_callbacks(execute=True):
        assert email_closing_report(record.pk) is True

    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_send_of_the_report_is_retried_with_its_pdf(
    seance, mentor, beneficiary, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from notifications.enums import NotificationKind, NotificationStatus
    from notifications.models import Notification
    from notifications.services import Outcome, deliver

    settings.EMAIL_BACKEND = DOWN_BACKEND
    record = start_and_fill(seance, beneficiary, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        closing.record_validate(record=record, acting_user=mentor)
    row = Notification.objects.get(kind=NotificationKind.CLOSING_REPORT)
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 1
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver(row.pk) == Outcome.SENT
    [message] = mail.outbox
    assert message.attachments[0][1].startswith(b"%PDF")

"""Two scans at the same moment on PostgreSQL: each reminder is written once and sent once."""

import threading

import pytest
from django.core import mail
from django.db import connection

from notifications.models import Notification
from partners.notification_scans import scan_unanswered_referrals
from seances.notification_scans import scan_closing_record_reminders, scan_overdue_tasks_digest
from tests.factories import BeneficiaryFactory, EnrollmentFactory
from tests.notifications.test_scans_seances import days_ago, ended_ago
from tests.partners.conftest import ReferralFactory
from tests.partners.conftest import days_ago as days_before
from tests.seances.conftest import ActionItemFactory, AttendanceFactory

pytestmark = [
    pytest.mark.postgres,
    # Each scan thread has its own connection: it must see committed rows.
    pytest.mark.django_db(transaction=True),
]

SCANS = (scan_closing_record_reminders, scan_overdue_tasks_digest, scan_unanswered_referrals)


def test_two_scans_at_once_write_and_send_each_reminder_once(
    organization, offer, mentor, coordinator, partner
):
    for _ in range(15):
        beneficiary = BeneficiaryFactory(organization=organization)
        EnrollmentFactory(beneficiary=beneficiary, offer=offer, referent_mentor=mentor)
        seance = ended_ago(30, offer=offer, mentor=mentor)
        AttendanceFactory(seance=seance, beneficiary=beneficiary)
        ActionItemFactory(beneficiary=beneficiary, due_on=days_ago(2))
        ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_before(8))
    start = threading.Barrier(2)
    errors = []

    def scan() -> None:
        try:
            start.wait(10)
            for function in SCANS:
                function()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    # 15 séances and 15 referrals (to the coordinator), one digest for the mentor.
    assert Notification.objects.count() == 15 + 15 + 1
    assert len(mail.outbox) == 31
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 31

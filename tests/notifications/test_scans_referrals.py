"""The scan of referrals unanswered after 7 days: one row per referral and recipient."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from notifications.enums import NotificationKind, NotificationStatus
from notifications.models import Notification, NotificationPreference
from partners.enums import ReferralStatus
from partners.notification_scans import (
    PARIS,
    reminder_time,
    scan_unanswered_referrals,
    unanswered_referrals,
)
from tests.factories import BeneficiaryFactory, MembershipFactory
from tests.partners.conftest import ReferralFactory, days_ago

KIND = NotificationKind.REFERRAL_UNANSWERED


@pytest.fixture
def late(beneficiary, partner, mentor, programme):
    """Sent 8 days ago by the beneficiary's referent mentor, no answer yet."""
    return ReferralFactory(
        beneficiary=beneficiary,
        partner=partner,
        programme=programme,
        created_by=mentor,
        sent_on=days_ago(8),
    )


def test_reminder_goes_once_to_the_coordinators_and_the_author(
    late, coordinator, mentor, programme, partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert scan_unanswered_referrals() == 1
    with django_capture_on_commit_callbacks(execute=True):
        scan_unanswered_referrals()

    rows = Notification.objects.filter(kind=KIND)
    assert sorted(rows.values_list("recipient", flat=True)) == sorted([coordinator.pk, mentor.pk])
    for row in rows:
        assert (row.object_type, row.object_id) == ("partners.referral", str(late.public_id))
        assert row.scheduled_for == reminder_time(late)
        assert row.programme == programme
        assert row.status == NotificationStatus.SENT
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, mentor.email])
    message = mail.outbox[0]
    assert programme.title in message.subject
    assert partner.name in message.subject
    assert late.beneficiary.name in message.body
    assert f"/partenaires/orientations/{late.public_id}/reponse/" in message.body
    assert "/notifications/preferences/" in message.body
    assert "INVALID_VARIABLE" not in message.body + message.alternatives[0][0]


def test_reminder_time_is_nine_in_the_morning_seven_days_after_sending(late):
    expected = datetime.datetime.combine(
        late.sent_on + datetime.timedelta(days=7), datetime.time(9), tzinfo=PARIS
    )
    assert reminder_time(late) == expected


def test_answered_recent_and_old_referrals_are_ignored(beneficiary, partner, coordinator):
    ReferralFactory(
        beneficiary=beneficiary,
        partner=partner,
        sent_on=days_ago(10),
        status=ReferralStatus.ACCEPTED,
        answered_on=days_ago(2),
    )
    ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(3))
    ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(40))

    assert scan_unanswered_referrals() == 0
    assert not Notification.objects.filter(kind=KIND).exists()


def test_a_referral_of_seven_days_waits_for_nine_oclock(beneficiary, partner, coordinator):
    referral = ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(7))
    at = reminder_time(referral)

    assert scan_unanswered_referrals(at - datetime.timedelta(minutes=1)) == 0
    assert scan_unanswered_referrals(at) == 1
    assert scan_unanswered_referrals(at + datetime.timedelta(hours=5)) == 1
    assert Notification.objects.filter(kind=KIND, recipient=coordinator).count() == 1


def test_an_author_who_no_longer_follows_the_person_is_not_told(
    late, mentor, coordinator, organization
):
    mentor.memberships.update(is_active=False)
    inactive = MembershipFactory(organization=organization, role=Role.COORDINATOR).user
    inactive.is_active = False
    inactive.save()

    scan_unanswered_referrals()

    assert list(Notification.objects.filter(kind=KIND).values_list("recipient", flat=True)) == [
        coordinator.pk
    ]


def test_muted_reminder_is_skipped(late, coordinator, mentor, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=coordinator, muted_kinds=[KIND])

    with django_capture_on_commit_callbacks(execute=True):
        scan_unanswered_referrals()

    statuses = dict(Notification.objects.filter(kind=KIND).values_list("recipient", "status"))
    assert statuses == {
        coordinator.pk: NotificationStatus.SKIPPED,
        mentor.pk: NotificationStatus.SENT,
    }
    assert [m.to for m in mail.outbox] == [[mentor.email]]


def test_candidates_take_the_same_queries_for_1_or_20_referrals(
    organization, partner, coordinator, mentor
):
    now = timezone.now()

    def add(count: int) -> None:
        for _ in range(count):
            ReferralFactory(
                beneficiary=BeneficiaryFactory(organization=organization),
                partner=partner,
                created_by=mentor,
                sent_on=days_ago(9),
            )

    add(1)
    with CaptureQueriesContext(connection) as one:
        unanswered_referrals(now)
    add(19)
    with CaptureQueriesContext(connection) as twenty:
        referrals = unanswered_referrals(now)

    assert len(referrals) == 20
    assert len(one) == len(twenty)

"""The séance scans: closing records to write 24 h after a séance, the weekly digest of
overdue tasks. Each writes its rows once, skips what it should, and the rows are delivered."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.enums import Channel, NotificationKind, NotificationStatus
from notifications.models import Notification, NotificationPreference
from seances.enums import AttendanceStatus, RecordStatus, SeanceKind, TaskOwner, TaskStatus
from seances.notification_scans import (
    DIGEST_WINDOW,
    PARIS,
    digest_time,
    overdue_digests,
    scan_closing_record_reminders,
    scan_overdue_tasks_digest,
    seances_awaiting_record,
)
from tests.factories import BeneficiaryFactory, EnrollmentFactory, UserFactory
from tests.seances.conftest import (
    ActionItemFactory,
    AttendanceFactory,
    ClosingRecordFactory,
    SeanceFactory,
)

CLOSING = NotificationKind.CLOSING_RECORD_REMINDER
DIGEST = NotificationKind.OVERDUE_TASKS_DIGEST


def ended_ago(hours: float, **kwargs):
    """A séance of one hour that ended `hours` ago."""
    starts_at = timezone.now() - datetime.timedelta(hours=hours + 1)
    return SeanceFactory(starts_at=starts_at, duration_minutes=60, **kwargs)


@pytest.fixture
def held(offer, mentor, beneficiary):
    """An individual séance led by `mentor`, ended 30 hours ago, `beneficiary` present."""
    seance = ended_ago(30, offer=offer, mentor=mentor)
    AttendanceFactory(seance=seance, beneficiary=beneficiary)
    return seance


# (a) The closing record reminder


def test_closing_reminder_is_written_once_and_delivered_in_french(
    held, mentor, beneficiary, offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scan_closing_record_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        scan_closing_record_reminders()

    row = Notification.objects.get(kind=CLOSING)
    assert row.recipient == mentor
    assert row.channel == Channel.EMAIL
    assert (row.object_type, row.object_id) == ("seances.seance", str(held.public_id))
    assert row.scheduled_for == held.starts_at + datetime.timedelta(hours=25)
    assert row.programme == offer.programme
    assert row.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [mentor.email]
    assert offer.programme.title in message.subject
    assert message.subject.startswith("Compte rendu de clôture à rédiger")
    assert beneficiary.name in message.body
    assert f"/seances/{held.public_id}/" in message.body
    assert message.body.startswith("Bonjour")
    # Not essential: the message says where to stop it.
    assert "/notifications/preferences/" in message.body
    html = message.alternatives[0][0]
    assert f"/seances/{held.public_id}/" in html
    assert "INVALID_VARIABLE" not in message.body + html


def test_two_scans_at_once_write_one_row(held):
    """Two scans that computed the same candidates: the key makes the second a no-op."""
    now = timezone.now()
    scan_closing_record_reminders(now)
    scan_closing_record_reminders(now + datetime.timedelta(minutes=30))

    assert Notification.objects.filter(kind=CLOSING).count() == 1


def test_closing_reminder_ignores_what_needs_no_reminder(offer, mentor, beneficiary):
    validated = ended_ago(30, offer=offer, mentor=mentor)
    AttendanceFactory(seance=validated, beneficiary=beneficiary)
    ClosingRecordFactory(
        seance=validated,
        beneficiary=beneficiary,
        status=RecordStatus.VALIDATED,
        validated_at=timezone.now(),
    )
    too_recent = ended_ago(20, offer=offer, mentor=mentor)
    AttendanceFactory(seance=too_recent, beneficiary=beneficiary)
    too_old = ended_ago(24 * 20, offer=offer, mentor=mentor)
    AttendanceFactory(seance=too_old, beneficiary=beneficiary)
    nobody_came = ended_ago(30, offer=offer, mentor=mentor)
    AttendanceFactory(seance=nobody_came, beneficiary=beneficiary, status=AttendanceStatus.ABSENT)
    group = ended_ago(30, offer=offer, mentor=mentor, kind=SeanceKind.GROUP)
    AttendanceFactory(seance=group, beneficiary=beneficiary)

    scan_closing_record_reminders()

    assert not Notification.objects.filter(kind=CLOSING).exists()


def test_a_draft_record_still_needs_its_reminder(held, beneficiary):
    ClosingRecordFactory(seance=held, beneficiary=beneficiary)

    scan_closing_record_reminders()

    assert Notification.objects.filter(kind=CLOSING).count() == 1


def test_closing_reminder_names_only_participants_without_validated_record(
    held, beneficiary, organization
):
    done = BeneficiaryFactory(organization=organization, name="Les Amis du Parc")
    AttendanceFactory(seance=held, beneficiary=done)
    ClosingRecordFactory(
        seance=held, beneficiary=done, status=RecordStatus.VALIDATED, validated_at=timezone.now()
    )

    scan_closing_record_reminders()

    row = Notification.objects.get(kind=CLOSING)
    assert beneficiary.name in row.body_text
    assert "Les Amis du Parc" not in row.body_text


def test_muted_closing_reminder_is_recorded_as_skipped_and_not_sent(
    held, mentor, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=mentor, muted_kinds=[CLOSING])

    with django_capture_on_commit_callbacks(execute=True):
        scan_closing_record_reminders()

    assert Notification.objects.get(kind=CLOSING).status == NotificationStatus.SKIPPED
    assert mail.outbox == []


def test_a_mentor_who_chose_sms_gets_the_short_text(
    held, mentor, sms_outbox, django_capture_on_commit_callbacks
):
    mentor.phone = "0611223344"
    mentor.save()
    NotificationPreference.objects.create(user=mentor, email_enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        scan_closing_record_reminders()

    row = Notification.objects.get(kind=CLOSING)
    assert (row.channel, row.to_address, row.body_html) == (Channel.SMS, "0611223344", "")
    assert mail.outbox == []
    assert len(sms_outbox) == 1
    assert held.offer.programme.title in row.body_text


def _queries(function, *args) -> int:
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return len(captured)


def test_closing_candidates_take_the_same_queries_for_1_or_20_seances(offer, mentor):
    now = timezone.now()

    def add_seances(count: int) -> None:
        for _ in range(count):
            seance = ended_ago(30, offer=offer, mentor=mentor)
            for _ in range(2):
                AttendanceFactory(seance=seance)

    add_seances(1)
    one = _queries(seances_awaiting_record, now)
    add_seances(19)
    twenty = _queries(seances_awaiting_record, now)

    assert len(seances_awaiting_record(now)) == 20
    assert one == twenty


def test_closing_scan_queries_do_not_grow_with_participants(held, organization):
    one = _queries(scan_closing_record_reminders)
    Notification.objects.all().delete()
    for _ in range(19):
        AttendanceFactory(seance=held, beneficiary=BeneficiaryFactory(organization=organization))

    assert _queries(scan_closing_record_reminders) == one


# (b) The weekly digest of overdue tasks


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_digest_time_is_monday_8_am_in_paris():
    tuesday = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
    monday_early = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=PARIS)
    sunday_night = datetime.datetime(2026, 11, 29, 23, 30, tzinfo=PARIS)

    expected = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=PARIS)
    assert digest_time(tuesday) == expected
    assert digest_time(monday_early) == expected
    assert digest_time(sunday_night) == expected


def test_digest_goes_once_to_the_mentor_and_to_the_beneficiary(
    mentor, other_mentor, beneficiary, other_beneficiary, offer, django_capture_on_commit_callbacks
):
    late = ActionItemFactory(
        beneficiary=beneficiary, title="Déposer le dossier", due_on=days_ago(3)
    )
    ActionItemFactory(
        beneficiary=beneficiary, title="Tâche finie", due_on=days_ago(3), status=TaskStatus.DONE
    )
    ActionItemFactory(beneficiary=beneficiary, title="Tâche à venir", due_on=days_ago(-3))
    ActionItemFactory(beneficiary=beneficiary, title="Tâche sans date")
    ActionItemFactory(
        beneficiary=other_beneficiary, title="Tâche de quelqu'un d'autre", due_on=days_ago(5)
    )

    with django_capture_on_commit_callbacks(execute=True):
        scan_overdue_tasks_digest()
    with django_capture_on_commit_callbacks(execute=True):
        scan_overdue_tasks_digest()

    rows = Notification.objects.filter(kind=DIGEST)
    by_user = {row.recipient: row for row in rows}
    assert set(by_user) == {mentor, other_mentor, beneficiary.user, other_beneficiary.user}
    assert rows.count() == 4
    assert {row.scheduled_for for row in rows} == {digest_time(timezone.now())}
    for row in rows:
        assert (row.object_type, row.object_id) == ("accounts.user", str(row.recipient.public_id))
    # Each digest lists exactly its person's tasks.
    own = by_user[beneficiary.user].body_text
    assert late.title in own
    assert "Tâche de quelqu'un d'autre" not in own
    for ignored in ("Tâche finie", "Tâche à venir", "Tâche sans date"):
        assert ignored not in own
    assert "Tâche de quelqu'un d'autre" not in by_user[mentor].body_text
    assert late.title in by_user[mentor].body_text
    assert beneficiary.name in by_user[mentor].body_text
    # Delivered, naming the programme.
    assert len(mail.outbox) == 4
    to_beneficiary = next(m for m in mail.outbox if m.to == [beneficiary.user.email])
    assert offer.programme.title in to_beneficiary.subject
    assert late.title in to_beneficiary.body
    assert late.due_on.strftime("%Y") in to_beneficiary.body
    assert "/notifications/preferences/" in to_beneficiary.body
    assert "Tâche de quelqu'un d'autre" not in to_beneficiary.alternatives[0][0]
    assert "INVALID_VARIABLE" not in to_beneficiary.body + to_beneficiary.alternatives[0][0]


def test_digest_reaches_the_mentor_of_a_seance_the_person_attended(
    offer, beneficiary, organization
):
    seance_mentor = UserFactory()
    seance = SeanceFactory(offer=offer, mentor=seance_mentor)
    AttendanceFactory(seance=seance, beneficiary=beneficiary)
    co_mentor = UserFactory()
    seance.co_mentors.add(co_mentor)
    ActionItemFactory(beneficiary=beneficiary, due_on=days_ago(2), owner=TaskOwner.MENTOR)

    scan_overdue_tasks_digest()

    recipients = set(Notification.objects.filter(kind=DIGEST).values_list("recipient", flat=True))
    assert {seance_mentor.pk, co_mentor.pk} <= recipients


def test_nobody_without_overdue_tasks_gets_a_digest(mentor, beneficiary):
    ActionItemFactory(beneficiary=beneficiary, due_on=days_ago(3), status=TaskStatus.DROPPED)

    assert scan_overdue_tasks_digest() == 0
    assert not Notification.objects.filter(kind=DIGEST).exists()


def test_a_beneficiary_without_account_gets_no_digest_but_their_mentor_does(
    mentor, organization, offer
):
    no_account = BeneficiaryFactory(organization=organization)
    EnrollmentFactory(beneficiary=no_account, offer=offer, referent_mentor=mentor)
    ActionItemFactory(beneficiary=no_account, due_on=days_ago(3))

    scan_overdue_tasks_digest()

    assert list(Notification.objects.filter(kind=DIGEST).values_list("recipient", flat=True)) == [
        mentor.pk
    ]


def test_muted_digest_is_skipped(beneficiary, mentor, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=beneficiary.user, muted_kinds=[DIGEST])
    ActionItemFactory(beneficiary=beneficiary, due_on=days_ago(3))

    with django_capture_on_commit_callbacks(execute=True):
        scan_overdue_tasks_digest()

    statuses = dict(Notification.objects.filter(kind=DIGEST).values_list("recipient", "status"))
    assert statuses == {
        beneficiary.user.pk: NotificationStatus.SKIPPED,
        mentor.pk: NotificationStatus.SENT,
    }
    assert [m.to for m in mail.outbox] == [[mentor.email]]


def test_digest_queries_do_not_grow_with_tasks(mentor, beneficiary, other_beneficiary):
    today = timezone.localdate()
    ActionItemFactory(beneficiary=beneficiary, due_on=days_ago(3))
    one = _queries(overdue_digests, today)
    scan_one = _queries(scan_overdue_tasks_digest)
    Notification.objects.all().delete()
    for index in range(19):
        ActionItemFactory(beneficiary=beneficiary, due_on=days_ago(index + 1))

    assert _queries(overdue_digests, today) == one
    assert _queries(scan_overdue_tasks_digest) == scan_one


def test_with_a_window_the_digest_goes_out_only_on_monday_morning(beneficiary):
    ActionItemFactory(beneficiary=beneficiary, due_on=datetime.date(2026, 11, 2))
    monday = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=PARIS)

    before = monday - datetime.timedelta(minutes=1)
    assert scan_overdue_tasks_digest(before, window=DIGEST_WINDOW) == 0
    wednesday = monday + datetime.timedelta(days=2)
    assert scan_overdue_tasks_digest(wednesday, window=DIGEST_WINDOW) == 0
    assert not Notification.objects.filter(kind=DIGEST).exists()
    assert scan_overdue_tasks_digest(monday + datetime.timedelta(hours=1), window=DIGEST_WINDOW)
    assert {row.scheduled_for for row in Notification.objects.filter(kind=DIGEST)} == {monday}

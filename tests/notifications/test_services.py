"""Writing to the outbox: one row per key, preferences, rendering, cancellation."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from notifications.enums import Channel, NotificationKind, NotificationStatus
from notifications.models import Notification, NotificationPreference
from notifications.services import (
    Message,
    cancel_pending,
    channels_for,
    notify,
    notify_many,
    render_notification,
)
from tests.factories import ProgrammeFactory, UserFactory

REMINDER_AT = datetime(2026, 10, 12, 7, 0, tzinfo=UTC)


def test_same_key_twice_gives_one_row(make_notification):
    first = make_notification(object_id=42, scheduled_for=REMINDER_AT)
    second = make_notification(object_id="42", scheduled_for=REMINDER_AT, subject="Autre")

    assert second.pk == first.pk
    assert Notification.objects.count() == 1
    assert second.subject == "Rappel"


def test_other_address_or_time_gives_another_row(make_notification):
    make_notification(object_id=42, scheduled_for=REMINDER_AT)
    make_notification(object_id=42, scheduled_for=REMINDER_AT, to_address="mentor@example.org")
    make_notification(object_id=42, scheduled_for=REMINDER_AT - timedelta(hours=46))

    assert Notification.objects.count() == 3


def test_row_knows_its_programme_and_organization(make_notification):
    programme = ProgrammeFactory()

    notification = make_notification(programme=programme)

    assert notification.organization_id == programme.organization_id


def test_due_notification_is_sent_after_commit(
    make_notification, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = make_notification()
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert [m.to for m in mail.outbox] == [["ines@example.org"]]


def test_future_notification_waits_for_the_scan(
    make_notification, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_notification(scheduled_for=timezone.now() + timedelta(hours=2))

    assert callbacks == []
    assert mail.outbox == []


def test_muted_non_essential_kind_is_skipped(make_notification, django_capture_on_commit_callbacks):
    user = UserFactory()
    NotificationPreference.objects.create(
        user=user, muted_kinds=[NotificationKind.CLOSING_RECORD_REMINDER]
    )

    with django_capture_on_commit_callbacks(execute=True):
        notification = make_notification(
            kind=NotificationKind.CLOSING_RECORD_REMINDER, recipient=user
        )

    assert notification.status == NotificationStatus.SKIPPED
    assert mail.outbox == []


def test_essential_kind_is_sent_even_when_muted(
    make_notification, django_capture_on_commit_callbacks
):
    user = UserFactory()
    NotificationPreference.objects.create(
        user=user,
        email_enabled=False,
        muted_kinds=[NotificationKind.APPOINTMENT_REMINDER, NotificationKind.CLOSING_REPORT],
    )

    with django_capture_on_commit_callbacks(execute=True):
        reminder = make_notification(recipient=user)
        report = make_notification(kind=NotificationKind.CLOSING_REPORT, recipient=user)

    reminder.refresh_from_db()
    report.refresh_from_db()
    assert (reminder.status, report.status) == (NotificationStatus.SENT, NotificationStatus.SENT)
    assert len(mail.outbox) == 2


def test_disabled_channel_skips_non_essential_kinds(make_notification):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, email_enabled=False)

    notification = make_notification(kind=NotificationKind.OVERDUE_TASKS_DIGEST, recipient=user)

    assert notification.status == NotificationStatus.SKIPPED


@pytest.mark.django_db
def test_phone_only_person_gets_sms():
    user = UserFactory(email="sans-email@example.org", phone="0601020304")
    NotificationPreference.objects.create(user=user, email_enabled=False)

    assert channels_for(user, kind=NotificationKind.APPOINTMENT_REMINDER) == [
        (Channel.SMS, "0601020304")
    ]


@pytest.mark.django_db
def test_essential_kind_keeps_a_channel_when_all_are_disabled():
    user = UserFactory(email="ines@example.org", phone="")
    NotificationPreference.objects.create(user=user, email_enabled=False, sms_enabled=False)

    assert channels_for(user, kind=NotificationKind.APPOINTMENT_CONFIRMED) == [
        (Channel.EMAIL, "ines@example.org")
    ]
    assert channels_for(user, kind=NotificationKind.OVERDUE_TASKS_DIGEST) == []


def test_cancel_pending_leaves_sent_rows_alone(make_notification):
    future = timezone.now() + timedelta(days=2)
    sent = make_notification(object_id=7, kind=NotificationKind.APPOINTMENT_CONFIRMED)
    Notification.objects.filter(pk=sent.pk).update(status=NotificationStatus.SENT)
    reminder = make_notification(object_id=7, scheduled_for=future)
    other = make_notification(object_id=8, scheduled_for=future)

    cancelled = cancel_pending(
        object_type="seances.appointment",
        object_id=7,
        kinds=[NotificationKind.APPOINTMENT_REMINDER],
    )

    assert cancelled == 1
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert statuses == {
        sent.pk: NotificationStatus.SENT,
        reminder.pk: NotificationStatus.CANCELLED,
        other.pk: NotificationStatus.PENDING,
    }


def test_reminder_renders_in_french_with_the_programme_name():
    rendered = render_notification(
        NotificationKind.APPOINTMENT_REMINDER,
        {
            "recipient_name": "Inès Martin",
            "programme_name": "Cap Asso",
            "start": datetime(2026, 10, 13, 8, 30, tzinfo=UTC),
            "with_name": "Paul Durand",
            "location": "12 rue des Pentes, Lyon",
            "appointment_url": "https://example.org/rdv/abc",
        },
    )

    for part in (rendered.subject, rendered.body_text, rendered.body_html, rendered.sms_text):
        assert "Cap Asso" in part
        assert "INVALID_VARIABLE" not in part
    # Shown in Europe/Paris, with French day and month names.
    assert "mardi 13 octobre" in rendered.subject
    assert "10:30" in rendered.body_text
    assert "\n" not in rendered.subject
    assert "12 rue des Pentes" in rendered.body_html
    # An essential message carries no opt-out link.
    assert "preferences" not in rendered.body_text.lower()


def test_closing_record_reminder_carries_a_preferences_link():
    rendered = render_notification(
        NotificationKind.CLOSING_RECORD_REMINDER,
        {
            "recipient_name": "Paul Durand",
            "programme_name": "Cap Asso",
            "seance_date": datetime(2026, 10, 13, 8, 30, tzinfo=UTC),
            "beneficiary_name": "Les Amis du Parc",
            "record_url": "https://example.org/seances/abc/compte-rendu",
            "preferences_url": "https://example.org/preferences",
        },
    )

    assert "https://example.org/preferences" in rendered.body_text
    assert 'href="https://example.org/preferences"' in rendered.body_html
    assert "Les Amis du Parc" in rendered.body_html
    assert "INVALID_VARIABLE" not in rendered.body_html + rendered.body_text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_insert_gives_one_row():
    """Two transactions write the same key at once: the second waits, then finds the row."""
    first_inserted = threading.Event()
    results, errors = [], []

    def write(delay_commit: bool) -> None:
        try:
            with transaction.atomic():
                notification = notify(
                    kind=NotificationKind.APPOINTMENT_REMINDER,
                    channel=Channel.EMAIL,
                    to_address="ines@example.org",
                    subject="Rappel",
                    body_text="Votre rendez-vous",
                    object_type="seances.appointment",
                    object_id=1,
                    scheduled_for=REMINDER_AT,
                )
                if delay_commit:
                    first_inserted.set()
                    # The other insert now blocks on the unique index until this commits.
                    threading.Event().wait(0.5)
            results.append(notification.pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=write, args=(True,))
    first.start()
    assert first_inserted.wait(10)
    second = threading.Thread(target=write, args=(False,))
    second.start()
    first.join(10)
    second.join(10)

    assert errors == []
    assert len(results) == 2
    assert len(set(results)) == 1
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_notify_many_writes_an_event_in_three_queries_and_delivers_new_due_rows_once(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    ines, malik = UserFactory(email="ines@example.org"), UserFactory(email="malik@example.org")
    NotificationPreference.objects.create(
        user=malik, muted_kinds=[NotificationKind.OVERDUE_TASKS_DIGEST]
    )
    now = timezone.now()

    def messages():
        return [
            Message(
                kind=kind,
                channel=Channel.EMAIL,
                to_address=user.email,
                subject="Sujet",
                body_text="Texte",
                object_type="tests.thing",
                object_id=7,
                scheduled_for=when,
                recipient=user,
            )
            for user in (ines, malik)
            for kind, when in [
                (NotificationKind.OVERDUE_TASKS_DIGEST, now),
                (NotificationKind.APPOINTMENT_REMINDER, now + timedelta(days=1)),
                (NotificationKind.APPOINTMENT_REMINDER, now + timedelta(days=2)),
            ]
        ]

    # The preferences, one INSERT, one SELECT back: however many rows.
    with django_capture_on_commit_callbacks() as delivered, django_assert_num_queries(3):
        ids = notify_many(messages())

    rows = Notification.objects.in_bulk(ids)
    assert len(rows) == 6
    statuses = {(rows[pk].to_address, rows[pk].kind): rows[pk].status for pk in ids}
    digest = NotificationKind.OVERDUE_TASKS_DIGEST
    assert statuses[("malik@example.org", digest)] == NotificationStatus.SKIPPED
    assert statuses[("ines@example.org", digest)] == NotificationStatus.PENDING
    # Only Inès's digest was due and allowed: one delivery, after the commit.
    assert len(delivered) == 1

    # The same event again: the same rows, nothing delivered twice.
    with django_capture_on_commit_callbacks() as again:
        assert notify_many(messages()) == ids
    assert again == []
    assert Notification.objects.count() == 6

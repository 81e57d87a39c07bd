"""The coordinator's notification log: their organisations' rows only, masked, filterable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.enums import Channel, NotificationKind, NotificationStatus
from notifications.models import Notification
from notifications.selectors import mask_address
from tests.factories import ProgrammeFactory

_counter = iter(range(1, 1_000_000))


def log_row(**fields) -> Notification:
    values = {
        "kind": NotificationKind.APPOINTMENT_REMINDER,
        "channel": Channel.EMAIL,
        "to_address": "sophie.martin@example.org",
        "object_type": "seances.appointment",
        "object_id": str(next(_counter)),
        "scheduled_for": timezone.now() - timedelta(hours=1),
        "subject": "Rappel",
        "body_text": "Votre rendez-vous",
        "status": NotificationStatus.SENT,
    }
    values.update(fields)
    return Notification.objects.create(**values)


def test_mask_address_keeps_the_first_letter_and_the_domain():
    assert mask_address("sophie@example.org") == "s•••••@example.org"
    assert mask_address("+33 6 12 34 56 78") == "••••••••••78"


def test_coordinator_sees_their_organizations_rows_never_another(
    client, coordinator, organization, other_organization, programme
):
    mine = log_row(organization=organization, to_address="mine.person@example.org")
    by_programme = log_row(programme=programme, to_address="prog.person@example.org")
    theirs = log_row(organization=other_organization, to_address="theirs.person@example.org")
    client.force_login(coordinator)

    response = client.get(reverse("notifications:log"))

    rows = list(response.context["page"].object_list)
    assert {row.pk for row in rows} == {mine.pk, by_programme.pk}
    assert theirs.pk not in {row.pk for row in rows}
    content = response.content.decode()
    assert "theirs" not in content
    # Addresses are masked: a coordinator sees it went, not the address.
    assert "mine.person@example.org" not in content
    assert "m••••••••••@example.org" in content


def test_other_organization_coordinator_sees_none_of_these_rows(
    client, other_organization_coordinator, organization
):
    log_row(organization=organization)
    client.force_login(other_organization_coordinator)

    response = client.get(reverse("notifications:log"))

    assert response.context["page"].paginator.count == 0


def test_newest_first_and_status_counts(client, coordinator, organization):
    now = timezone.now()
    old = log_row(organization=organization, scheduled_for=now - timedelta(days=3))
    new = log_row(organization=organization, scheduled_for=now - timedelta(hours=1))
    log_row(
        organization=organization,
        status=NotificationStatus.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: down",
        scheduled_for=now - timedelta(days=5),
    )
    log_row(
        organization=organization,
        status=NotificationStatus.PENDING,
        attempts=2,
        scheduled_for=now - timedelta(days=6),
    )
    client.force_login(coordinator)

    response = client.get(reverse("notifications:log"))

    rows = list(response.context["page"].object_list)
    assert rows[0].pk == new.pk
    assert rows[1].pk == old.pk
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts == {
        "pending": 0,
        "retrying": 1,
        "sent": 2,
        "failed": 1,
        "cancelled": 0,
        "skipped": 0,
    }
    content = response.content.decode()
    assert "SMTPServerDisconnected: down" in content
    assert "Retrying" in content or "Nouvel essai" in content or "En cours" in content


@pytest.mark.parametrize(
    ("status", "expected"),
    [("retrying", "retrying"), ("pending", "waiting"), ("failed", "failed"), ("sent", "sent")],
)
def test_filter_by_status(client, coordinator, organization, status, expected):
    rows = {
        "retrying": log_row(organization=organization, status="pending", attempts=1),
        "waiting": log_row(organization=organization, status="pending", attempts=0),
        "failed": log_row(organization=organization, status="failed", attempts=5),
        "sent": log_row(organization=organization, status="sent", attempts=1),
    }
    client.force_login(coordinator)

    response = client.get(reverse("notifications:log"), {"status": status})

    assert [row.pk for row in response.context["page"].object_list] == [rows[expected].pk]


def test_filter_by_kind_channel_programme_and_period(client, coordinator, organization, programme):
    now = timezone.now()
    other_programme = ProgrammeFactory(organization=organization)
    target = log_row(
        organization=organization,
        programme=programme,
        kind=NotificationKind.CLOSING_RECORD_REMINDER,
        channel=Channel.SMS,
        to_address="+33612345678",
        scheduled_for=now - timedelta(days=2),
    )
    log_row(organization=organization, programme=programme, scheduled_for=now - timedelta(days=2))
    log_row(
        organization=organization,
        programme=other_programme,
        kind=NotificationKind.CLOSING_RECORD_REMINDER,
        channel=Channel.SMS,
        scheduled_for=now - timedelta(days=2),
    )
    log_row(
        organization=organization,
        programme=programme,
        kind=NotificationKind.CLOSING_RECORD_REMINDER,
        channel=Channel.SMS,
        scheduled_for=now - timedelta(days=20),
    )
    client.force_login(coordinator)
    day = timezone.localdate(now - timedelta(days=2)).isoformat()

    response = client.get(
        reverse("notifications:log"),
        {
            "kind": "closing_record_reminder",
            "channel": "sms",
            "programme": programme.pk,
            "since": day,
            "until": day,
        },
    )

    assert [row.pk for row in response.context["page"].object_list] == [target.pk]
    assert "+33612345678" not in response.content.decode()


def test_programme_filter_offers_only_coordinated_programmes(
    client, coordinator, other_organization, programme
):
    foreign = ProgrammeFactory(organization=other_organization)
    client.force_login(coordinator)

    response = client.get(reverse("notifications:log"))

    choices = response.context["filter"].form.fields["programme"].queryset
    assert programme in choices
    assert foreign not in choices


@pytest.mark.parametrize("rows", [1, 30])
def test_log_query_count_does_not_grow_with_rows(
    client, coordinator, organization, programme, django_assert_num_queries, rows, beneficiary
):
    for _ in range(rows):
        log_row(organization=organization, programme=programme, recipient=beneficiary.user)
    client.force_login(coordinator)
    url = reverse("notifications:log")
    client.get(url)  # warm the session and the user

    # session, user, memberships, count, page, status counts, programme choices
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["page"].object_list) == rows


def test_resend_puts_a_failed_row_back_in_the_queue_and_keeps_the_filters(
    client, coordinator, organization, django_capture_on_commit_callbacks, mailoutbox
):
    row = log_row(
        organization=organization,
        status=NotificationStatus.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected",
        scheduled_for=timezone.now() - timedelta(hours=2),
    )
    client.force_login(coordinator)
    back = reverse("notifications:log") + "?status=failed&kind=appointment_reminder"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:resend", args=[row.pk]), {"next": back})

    assert response.status_code == 302
    assert response.url == back
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert len(mailoutbox) == 1


def test_resend_of_a_sent_row_changes_nothing(client, coordinator, organization):
    row = log_row(organization=organization, status=NotificationStatus.SENT)
    client.force_login(coordinator)

    response = client.post(reverse("notifications:resend", args=[row.pk]))

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT


def test_resend_refuses_an_outside_next_url(client, coordinator, organization):
    row = log_row(organization=organization, status=NotificationStatus.FAILED)
    client.force_login(coordinator)

    response = client.post(
        reverse("notifications:resend", args=[row.pk]), {"next": "https://evil.example/"}
    )

    assert response.url == reverse("notifications:log")


def test_resend_of_another_organizations_row_is_404(
    client, other_organization_coordinator, organization
):
    row = log_row(organization=organization, status=NotificationStatus.FAILED)
    client.force_login(other_organization_coordinator)

    response = client.post(reverse("notifications:resend", args=[row.pk]))

    assert response.status_code == 404
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED


@pytest.mark.parametrize("persona", ["mentor", "beneficiary"])
def test_resend_by_a_mentor_or_beneficiary_is_403(client, request, persona, organization):
    row = log_row(organization=organization, status=NotificationStatus.FAILED)
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona == "beneficiary" else value)

    response = client.post(reverse("notifications:resend", args=[row.pk]))

    assert response.status_code == 403
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED

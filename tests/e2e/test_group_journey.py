"""Issue 4's group journey: a full workshop session, one more person on its waitlist, a seat
given up, and the first person waiting takes it."""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from seances.enums import RegistrationStatus
from seances.models import GroupSession, Registration
from seances.services.groups import SEAT_STATUSES, registrable_beneficiaries
from tests.e2e.conftest import assert_accessible, follow_nav, log_in

COORDINATOR = "coordinatrice@example.org"


def full_session_with_waitlist() -> GroupSession:
    return (
        GroupSession.objects.filter(
            starts_at__gt=timezone.now(), registrations__status=RegistrationStatus.WAITLISTED
        )
        .select_related("offer")
        .distinct()
        .order_by("starts_at")
        .first()
    )


def seats_taken(session: GroupSession) -> int:
    return session.registrations.filter(status__in=SEAT_STATUSES).count()


def waiting(session: GroupSession) -> list[Registration]:
    return list(
        session.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .select_related("beneficiary")
        .order_by("registered_at", "pk")
    )


def test_group_session_fills_and_its_waitlist_promotes(page, demo):
    session = full_session_with_waitlist()
    assert session is not None, "the demo has no full session with a waitlist"
    assert seats_taken(session) == session.capacity
    first_waiting, second_waiting = waiting(session)
    coordinator = User.objects.get(email=COORDINATOR)
    active = session.registrations.exclude(status=RegistrationStatus.CANCELLED)
    newcomer = (
        registrable_beneficiaries(session, coordinator)
        .exclude(pk__in=active.values("beneficiary_id"))
        .first()
    )
    assert newcomer is not None
    # The first person seated gives up (the demo beneficiary on SQLite; on PostgreSQL the
    # seed's order_by("-user") seats the people without an account first).
    leaving = (
        session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("beneficiary")
        .order_by("registered_at", "pk")
        .first()
    )
    log_in(page, demo, COORDINATOR)
    page.on("dialog", lambda dialog: dialog.accept())  # "Cancel the registration of …?"

    # 1. From the list of group sessions to the full session's page.
    follow_nav(page, reverse("seances:group_sessions"))
    assert_accessible(page)
    detail = reverse("seances:group_session_detail", args=[session.public_id])
    page.locator(f"main a[href='{detail}']").first.click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    assert_accessible(page)
    seat_rows = page.locator("section[aria-labelledby=participants-heading] tbody tr")
    wait_rows = page.locator("section[aria-labelledby=waitlist-heading] tbody tr")
    expect(seat_rows).to_have_count(session.capacity)
    expect(wait_rows).to_have_count(2)

    # 2. Register one more person on their behalf: the session is full, they wait third.
    page.locator("#behalf-beneficiary").select_option(str(newcomer.public_id))
    page.locator(
        f"form[action='{reverse('seances:group_session_register', args=[session.public_id])}'] "
        "button[type=submit]"
    ).click()
    expect(wait_rows).to_have_count(3)
    expect(wait_rows.nth(2)).to_contain_text(newcomer.name)
    expect(wait_rows.nth(2).locator("td").first).to_have_text("3")
    added = session.registrations.exclude(status=RegistrationStatus.CANCELLED).get(
        beneficiary=newcomer
    )
    assert added.status == RegistrationStatus.WAITLISTED
    assert seats_taken(session) == session.capacity
    assert_accessible(page)

    # 3. A registered person gives up her seat: the first person waiting takes it.
    cancel = reverse("seances:group_registration_cancel", args=[leaving.public_id])
    page.locator(f"form[action='{cancel}'] button[type=submit]").click()
    expect(wait_rows).to_have_count(2)
    leaving.refresh_from_db()
    first_waiting.refresh_from_db()
    assert leaving.status == RegistrationStatus.CANCELLED
    assert first_waiting.status == RegistrationStatus.REGISTERED
    assert first_waiting.promoted_at is not None
    assert [r.pk for r in waiting(session)] == [second_waiting.pk, added.pk]
    assert seats_taken(session) == session.capacity

    expect(seat_rows).to_have_count(session.capacity)
    expect(seat_rows.filter(has_text=first_waiting.beneficiary.name)).to_have_count(1)
    expect(seat_rows.filter(has_text=leaving.beneficiary.name)).to_have_count(0)
    expect(wait_rows.nth(0)).to_contain_text(second_waiting.beneficiary.name)
    expect(wait_rows.nth(1)).to_contain_text(newcomer.name)
    expect(wait_rows.nth(1).locator("td").first).to_have_text("2")
    assert_accessible(page)

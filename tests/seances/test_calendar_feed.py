"""The private calendar feed (calendrier/<token>.ics) and the page that manages it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from seances.enums import AppointmentStatus
from seances.links import calendar_feed_for
from seances.models import CalendarFeed
from tests.seances.conftest import AppointmentFactory, GroupSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def soon(days: int) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)


def make_appointment(days: int, **kwargs):
    return AppointmentFactory(
        starts_at=soon(days), ends_at=soon(days) + datetime.timedelta(hours=1), **kwargs
    )


def feed_url(user) -> str:
    return reverse("seances:calendar_feed", args=[calendar_feed_for(user).token])


def uids_in(response) -> set[str]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def test_feed_answers_without_login_with_the_right_headers(client, mentor):
    response = client.get(feed_url(mentor))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    Calendar.from_ical(response.content)


def test_feed_lists_the_person_own_appointments_only(
    client, offer, mentor, other_mentor, beneficiary, other_beneficiary
):
    mine = make_appointment(2, offer=offer, mentor=mentor, beneficiary=beneficiary)
    cancelled = make_appointment(
        3,
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        status=AppointmentStatus.CANCELLED,
    )
    not_mine = make_appointment(4, offer=offer, mentor=other_mentor, beneficiary=other_beneficiary)

    assert uids_in(client.get(feed_url(mentor))) == {mine.ics_uid, cancelled.ics_uid}
    assert uids_in(client.get(feed_url(beneficiary.user))) == {mine.ics_uid, cancelled.ics_uid}
    assert uids_in(client.get(feed_url(other_mentor))) == {not_mine.ics_uid}
    assert mine.ics_uid not in uids_in(client.get(feed_url(other_beneficiary.user)))


def test_unknown_token_is_404(client, mentor):
    calendar_feed_for(mentor)

    assert client.get(reverse("seances:calendar_feed", args=["not-a-token"])).status_code == 404


def test_revoked_token_is_404_and_the_new_one_works(client, mentor):
    old_url = feed_url(mentor)
    client.force_login(mentor)

    response = client.post(reverse("seances:calendar_settings"))

    assert response.status_code == 302
    assert response.url == reverse("seances:calendar_settings")
    client.logout()
    assert client.get(old_url).status_code == 404
    new_url = feed_url(mentor)
    assert new_url != old_url
    assert client.get(new_url).status_code == 200


def test_inactive_person_feed_is_404(client, mentor):
    url = feed_url(mentor)
    mentor.is_active = False
    mentor.save()

    assert client.get(url).status_code == 404


def test_feed_refuses_post(client, mentor):
    assert client.post(feed_url(mentor)).status_code == 405


def test_settings_page_shows_the_feed_url_and_creates_the_feed_once(client, mentor):
    client.force_login(mentor)

    response = client.get(reverse("seances:calendar_settings"))

    assert response.status_code == 200
    feed = CalendarFeed.objects.get(user=mentor)
    content = response.content.decode()
    assert reverse("seances:calendar_feed", args=[feed.token]) in content
    assert "webcal://" in content
    assert "js/calendar.js" in content
    client.get(reverse("seances:calendar_settings"))
    assert CalendarFeed.objects.get(user=mentor).token == feed.token


def test_settings_page_has_no_inline_script(client, beneficiary):
    client.force_login(beneficiary.user)

    content = client.get(reverse("seances:calendar_settings")).content.decode()

    assert "onclick=" not in content
    assert "<script>" not in content


def test_profile_links_to_the_calendar_page(client, mentor):
    client.force_login(mentor)

    response = client.get(reverse("accounts:profile"))

    assert reverse("seances:calendar_settings") in response.content.decode()


def feed_queries(client, user) -> int:
    url = feed_url(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("rows", [1, 30])
def test_feed_query_count_does_not_grow(client, offer, programme, mentor, beneficiary, rows):
    for day in range(rows):
        make_appointment(day + 1, offer=offer, mentor=mentor, beneficiary=beneficiary)
        session = GroupSessionFactory(
            offer__programme=programme,
            organiser=mentor,
            starts_at=soon(day + 1) + datetime.timedelta(hours=3),
            ends_at=soon(day + 1) + datetime.timedelta(hours=5),
        )
        RegistrationFactory(session=session, beneficiary=beneficiary)

    mentor_queries = feed_queries(client, mentor)
    beneficiary_queries = feed_queries(client, beneficiary.user)

    assert len(uids_in(client.get(feed_url(mentor)))) == 2 * rows
    assert len(uids_in(client.get(feed_url(beneficiary.user)))) == 2 * rows
    # The feed lookup, the appointments, the group sessions.
    assert mentor_queries == 3
    assert beneficiary_queries == 3

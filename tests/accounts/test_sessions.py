"""Sessions end after SESSION_IDLE_TIMEOUT of inactivity and SESSION_COOKIE_AGE after login."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.middleware import LAST_ACTIVITY_KEY, LOGIN_AT_KEY


def shift(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.mark.django_db
def test_login_starts_both_clocks(client, coordinator):
    client.force_login(coordinator)

    assert LOGIN_AT_KEY in client.session
    assert LAST_ACTIVITY_KEY in client.session
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_idle_session_sends_to_the_login_page_saying_why(client, coordinator, settings):
    client.force_login(coordinator)
    shift(client, LAST_ACTIVITY_KEY, settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=" in response.url
    assert "_auth_user_id" not in client.session
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(texts) == 1
    assert "inactiv" in texts[0]


@pytest.mark.django_db
def test_active_session_still_ends_after_the_absolute_lifetime(client, coordinator, settings):
    client.force_login(coordinator)
    shift(client, LOGIN_AT_KEY, settings.SESSION_COOKIE_AGE + 5)  # activity is fresh

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_activity_within_the_idle_timeout_keeps_the_session(client, coordinator, settings):
    client.force_login(coordinator)
    shift(client, LAST_ACTIVITY_KEY, settings.SESSION_IDLE_TIMEOUT - 60)

    assert client.get(reverse("accounts:profile")).status_code == 200
    # The request renewed the stamp: the session is fresh again.
    session = client.session
    assert session[LOGIN_AT_KEY] - session[LAST_ACTIVITY_KEY] <= 1


@pytest.mark.django_db
def test_idle_timeout_is_configurable(client, coordinator, settings):
    settings.SESSION_IDLE_TIMEOUT = 10
    client.force_login(coordinator)
    shift(client, LAST_ACTIVITY_KEY, 11)

    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_expired_session_on_the_api_answers_403_not_a_redirect(client, coordinator, settings):
    client.force_login(coordinator)
    shift(client, LAST_ACTIVITY_KEY, settings.SESSION_IDLE_TIMEOUT + 5)

    assert client.get(reverse("programme-list")).status_code == 403

"""django-axes: repeated failures lock one email from one address, on the page and the API."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.forms import EmailAuthenticationForm

PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture(autouse=True)
def _no_api_throttle():
    # The token view's DRF throttle (10/minute) counts in the cache: start each test afresh.
    cache.clear()


def fail(client, email, times):
    for _ in range(times):
        response = client.post(reverse("accounts:login"), {"username": email, "password": "faux"})
    return response


@pytest.mark.django_db
def test_fifth_failure_locks_the_email_with_a_french_message(client, coordinator, settings):
    assert settings.AXES_ENABLED
    response = fail(client, coordinator.email, 4)
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.text

    response = fail(client, coordinator.email, 1)

    assert response.status_code == 429
    assert escape(EmailAuthenticationForm.locked_out_message()) in response.text
    assert "15" in EmailAuthenticationForm.locked_out_message()
    assert 'name="username"' in response.text  # the login page, not a bare error page


@pytest.mark.django_db
def test_locked_email_is_refused_even_with_the_right_password(client, coordinator):
    fail(client, coordinator.email, 5)

    response = client.post(
        reverse("accounts:login"), {"username": coordinator.email, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_is_per_email_and_address(client, coordinator, mentor):
    fail(client, coordinator.email, 5)

    response = client.post(
        reverse("accounts:login"), {"username": mentor.email, "password": PASSWORD}
    )
    assert response.status_code == 302

    other_address = client.post(
        reverse("accounts:login"),
        {"username": coordinator.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other_address.status_code == 302


@pytest.mark.django_db
def test_lock_ends_after_the_cool_off(client, coordinator, settings):
    fail(client, coordinator.email, 5)
    # Move the failures back in time beyond AXES_COOLOFF_TIME (15 minutes).
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)

    response = client.post(
        reverse("accounts:login"), {"username": coordinator.email, "password": PASSWORD}
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_success_resets_the_failure_count(client, coordinator):
    fail(client, coordinator.email, 4)
    client.post(reverse("accounts:login"), {"username": coordinator.email, "password": PASSWORD})
    client.post(reverse("accounts:logout"))

    response = fail(client, coordinator.email, 4)

    assert response.status_code == 200  # four new failures: not locked yet


@pytest.mark.django_db
def test_api_token_view_is_locked_too(coordinator):
    api = APIClient()
    url = reverse("api-token")
    for _ in range(5):
        response = api.post(url, {"username": coordinator.email, "password": "faux"})
    assert response.status_code == 429
    assert response.json()["detail"] == EmailAuthenticationForm.locked_out_message()

    response = api.post(url, {"username": coordinator.email, "password": PASSWORD})
    assert response.status_code == 429

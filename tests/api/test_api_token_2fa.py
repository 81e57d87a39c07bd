"""The token door and two-factor authentication: an account with a confirmed authenticator
gets a token only with its current code in `otp_token`."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tests.accounts.test_two_factor import code_of, confirmed_device

PASSWORD = "un-mot-de-passe-solide"

pytestmark = pytest.mark.django_db


def obtain(api_client, user, **extra):
    data = {"username": user.email, "password": PASSWORD, **extra}
    return api_client.post(reverse("api-token"), data, format="json")


def test_with_a_device_the_password_alone_gets_no_token(api_client, coordinator):
    confirmed_device(coordinator)

    response = obtain(api_client, coordinator)

    assert response.status_code == 400
    [message] = response.json()["otp_token"]
    assert "otp_token" in message  # where to put the code
    assert not Token.objects.exists()


def test_with_a_device_a_wrong_code_gets_no_token(api_client, coordinator):
    confirmed_device(coordinator)

    response = obtain(api_client, coordinator, otp_token="000000")

    assert response.status_code == 400
    assert set(response.json()) == {"otp_token"}
    assert "code" in response.json()["otp_token"][0]
    assert not Token.objects.exists()


@pytest.mark.parametrize("code", ["abcdef", "12", " ", "1" * 16])
def test_with_a_device_a_malformed_code_is_a_400(api_client, coordinator, code):
    confirmed_device(coordinator)

    assert obtain(api_client, coordinator, otp_token=code).status_code == 400


def test_with_a_device_the_current_code_gets_the_token(api_client, coordinator):
    device = confirmed_device(coordinator)

    response = obtain(api_client, coordinator, otp_token=code_of(device))

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=coordinator).key}


def test_a_code_works_once(api_client, coordinator):
    device = confirmed_device(coordinator)
    code = code_of(device)
    assert obtain(api_client, coordinator, otp_token=code).status_code == 200

    assert obtain(api_client, coordinator, otp_token=code).status_code == 400


def test_a_device_not_yet_confirmed_asks_for_no_code(api_client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=False)

    assert obtain(api_client, coordinator).status_code == 200


def test_without_a_device_a_code_sent_anyway_is_ignored(api_client, mentor):
    assert obtain(api_client, mentor, otp_token="123456").status_code == 200


def test_a_wrong_password_says_nothing_about_the_code(api_client, coordinator):
    confirmed_device(coordinator)

    response = api_client.post(
        reverse("api-token"),
        {"username": coordinator.email, "password": "pas-le-bon", "otp_token": "000000"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"non_field_errors"}


def test_guessing_codes_locks_the_account_out(api_client, coordinator):
    """Wrong codes count as failed logins for django-axes (5 lock the email from this address),
    even with the right password; the lock-out holds the right code back too."""
    device = confirmed_device(coordinator)
    codes = []
    for _ in range(6):
        device.throttle_reset()  # django-otp's own delay after a failure is not what is tested
        codes.append(obtain(api_client, coordinator, otp_token="000000").status_code)

    assert codes == [400] * 4 + [429] * 2
    device.throttle_reset()
    assert obtain(api_client, coordinator, otp_token=code_of(device)).status_code == 429


def test_the_schema_declares_the_code_field(api_client, coordinator):
    api_client.force_login(coordinator)

    schema = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()

    request = schema["components"]["schemas"]["EmailAuthTokenRequest"]
    assert "otp_token" in request["properties"]
    assert "otp_token" not in request.get("required", [])

"""Token authentication: POST /api/v1/token/ with the email (as `username`) and password."""

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = "un-mot-de-passe-solide"


def obtain(api_client, username, password):
    return api_client.post(
        reverse("api-token"), {"username": username, "password": password}, format="json"
    )


def test_token_is_given_for_email_and_password(api_client, coordinator):
    response = obtain(api_client, coordinator.email, PASSWORD)

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=coordinator).key}


def test_email_is_matched_without_case(api_client, coordinator):
    assert obtain(api_client, coordinator.email.upper(), PASSWORD).status_code == 200


def test_same_token_until_deleted(api_client, coordinator):
    first = obtain(api_client, coordinator.email, PASSWORD).json()["token"]
    second = obtain(api_client, coordinator.email, PASSWORD).json()["token"]

    assert first == second


def test_wrong_password_is_400_without_token(api_client, coordinator):
    response = obtain(api_client, coordinator.email, "pas-le-bon-mot-de-passe")

    assert response.status_code == 400
    assert set(response.json()) == {"non_field_errors"}
    assert not Token.objects.exists()


def test_unknown_email_is_the_same_400(api_client, db):
    response = obtain(api_client, "personne@example.org", PASSWORD)

    assert response.status_code == 400
    assert set(response.json()) == {"non_field_errors"}


def test_inactive_account_gets_no_token(api_client, coordinator):
    coordinator.is_active = False
    coordinator.save()

    assert obtain(api_client, coordinator.email, PASSWORD).status_code == 400


def test_token_works_for_a_get(api_client, coordinator, beneficiary):
    token = obtain(api_client, coordinator.email, PASSWORD).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api_client.get(reverse("beneficiary-list"))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(beneficiary.public_id)]


def test_token_writes_without_csrf(api_client, coordinator):
    """A token is not a browser session: no CSRF token is needed (nor possible)."""
    token = obtain(api_client, coordinator.email, PASSWORD).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    api_client.enforce_csrf_checks = True

    response = api_client.post(reverse("beneficiary-list"), {"name": "Par jeton"}, format="json")

    assert response.status_code == 201


def test_session_writes_need_csrf(coordinator):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post(reverse("beneficiary-list"), {"name": "Sans CSRF"}, format="json")

    assert response.status_code == 403


def test_a_wrong_token_is_403(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")

    assert api_client.get(reverse("programme-list")).status_code == 403


def test_a_deleted_token_stops_working(api_client, coordinator):
    token = obtain(api_client, coordinator.email, PASSWORD).json()["token"]
    Token.objects.filter(user=coordinator).delete()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api_client.get(reverse("programme-list")).status_code == 403


def test_password_guessing_is_throttled(api_client, coordinator, settings):
    settings.AXES_FAILURE_LIMIT = 20  # the lock-out has its own test: this one is DRF's throttle
    codes = [obtain(api_client, coordinator.email, "mauvais").status_code for _ in range(11)]

    assert codes == [400] * 10 + [429]
    # Even the right password waits now.
    assert obtain(api_client, coordinator.email, PASSWORD).status_code == 429


def test_password_guessing_locks_the_account_out_first(api_client, coordinator):
    """Five failures for one email from one address lock that pair out (django-axes)."""
    codes = [obtain(api_client, coordinator.email, "mauvais").status_code for _ in range(6)]

    assert codes == [400] * 4 + [429] * 2
    assert obtain(api_client, coordinator.email, PASSWORD).status_code == 429


def test_token_with_a_form_post_is_accepted(api_client, coordinator):
    """Scripts often send a form (curl -d): the token door accepts it."""
    response = api_client.post(
        reverse("api-token"),
        {"username": coordinator.email, "password": PASSWORD},
        format="multipart",
    )

    assert response.status_code == 200

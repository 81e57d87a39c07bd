"""Optional TOTP for coordinators, mentors and administrators (django-otp)."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "un-mot-de-passe-solide"


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def password_login(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


@pytest.mark.django_db
def test_setup_shows_a_qr_code_and_the_secret(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("accounts:two_factor_setup"))

    assert response.status_code == 200
    assert "<svg" in response.text
    assert response.context["secret"] in response.text
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()


@pytest.mark.django_db
def test_a_first_code_confirms_the_device(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=coordinator)

    response = client.post(reverse("accounts:two_factor_setup"), {"code": code_of(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["000000", "abcdef", "12", ""])
def test_a_wrong_code_confirms_nothing(client, coordinator, code):
    client.force_login(coordinator)
    client.get(reverse("accounts:two_factor_setup"))

    response = client.post(reverse("accounts:two_factor_setup"), {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()


@pytest.mark.django_db
def test_login_with_a_device_asks_for_the_code_before_any_page(client, coordinator):
    device = confirmed_device(coordinator)

    response = password_login(client, coordinator)
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("accounts:two_factor_verify"))
    assert client.get(reverse("programme-list")).status_code == 403  # the API too

    password_login(client, coordinator)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": "000000", "next": "/"})
    assert response.status_code == 200
    assert client.get(reverse("core:home")).status_code == 302

    device.throttle_reset()  # a failure makes django-otp wait before the next try
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_of(device), "next": "/profil/"}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_verify_ignores_a_foreign_next(client, coordinator):
    device = confirmed_device(coordinator)
    password_login(client, coordinator)

    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"code": code_of(device), "next": "https://evil.example.com/"},
    )

    assert response.url == reverse("core:home")


@pytest.mark.django_db
def test_login_without_a_device_needs_no_code(client, mentor):
    password_login(client, mentor)

    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_disable_needs_a_valid_code(client, coordinator):
    device = confirmed_device(coordinator)
    client.force_login(coordinator)
    # force_login marks the session as pending: verify first.
    client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device)})

    refused = client.post(reverse("accounts:two_factor_disable"), {"code": "123456"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=coordinator).exists()

    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1  # the code used to verify may be the current one: allow it again
    device.save()
    done = client.post(reverse("accounts:two_factor_disable"), {"code": code_of(device)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


@pytest.mark.django_db
def test_beneficiaries_do_not_get_two_factor(client, beneficiary):
    client.force_login(beneficiary.user)

    assert client.get(reverse("accounts:two_factor_setup")).status_code == 403
    profile = client.get(reverse("accounts:profile"))
    assert reverse("accounts:two_factor_setup") not in profile.text


@pytest.mark.django_db
def test_superuser_with_a_device_reaches_the_admin_after_the_code(client, admin):
    device = confirmed_device(admin)
    client.force_login(admin)

    assert client.get("/admin/").status_code == 302
    client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_superuser_without_a_device_reaches_the_admin(client, admin):
    client.force_login(admin)

    assert client.get("/admin/").status_code == 200

"""A coordinator turns two-factor authentication on, then logs in with password and code."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, assert_accessible, log_in

EMAIL = "coordinatrice@example.org"


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_coordinator_enables_totp_and_logs_in_with_a_code(page, demo):
    log_in(page, demo, EMAIL)
    page.goto(f"{demo.url}/compte/profil/")
    page.locator("a[href='/compte/double-authentification/']").click()
    expect(page.locator("svg.segno")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7=]+", secret)
    assert_accessible(page)

    device = TOTPDevice.objects.get(user__email=EMAIL, confirmed=False)
    page.locator("#id_code").fill(current_code(device))
    page.locator("#id_code").press("Enter")
    expect(page).to_have_url(f"{demo.url}/compte/profil/")
    assert TOTPDevice.objects.filter(user__email=EMAIL, confirmed=True).exists()

    # Log out (the menu's button posts to the logout view; dropping the cookie is the same).
    page.context.clear_cookies()

    log_in(page, demo, EMAIL, DEMO_PASSWORD)
    # Not fully logged in yet: the code page, whichever page is asked for.
    expect(page).to_have_url(re.compile(r"/compte/connexion/code/"))
    page.goto(f"{demo.url}/programmes/")
    expect(page).to_have_url(re.compile(r"/compte/connexion/code/"))
    assert_accessible(page)

    device.refresh_from_db()
    device.last_t = -1  # the confirming code may still be the current one
    device.save(update_fields=["last_t"])
    page.locator("#id_code").fill(current_code(device))
    page.locator("#id_code").press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/programmes/"))

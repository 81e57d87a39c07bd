"""The support-request pages pass axe-core at phone and desktop widths (empty form, form with
errors, thank-you page, week of slots, confirmation, thank-you page with the appointment)."""

import pytest
from django.urls import reverse

from outreach.antispam import antispam_post_data
from outreach.models import SupportRequest
from tests.e2e.conftest import assert_accessible
from tests.outreach.requests_fixtures import *  # noqa: F403 (fixtures)

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_request_pages_are_accessible(page, live_server, width, published, link_offer):
    page.set_viewport_size(WIDTHS[width])
    form = f"{live_server.url}{reverse('outreach:support_request', args=[published.slug])}"
    page.goto(form)
    assert_accessible(page)
    # Errors: sent empty, then sent with a missing contact (after the minimum fill time).
    page.locator("main form[method=post] button[type=submit]").click()
    assert_accessible(page)
    page.locator("#id_name").fill("Camille Martin")
    page.locator("#id_needs").fill("Un jardin partagé.")
    page.locator("input[name=form_started]").evaluate(
        "(el, value) => el.value = value", antispam_post_data()["form_started"]
    )
    page.locator("main form[method=post] button[type=submit]").click()
    assert_accessible(page)
    page.locator("#id_email").fill("camille@example.org")
    page.locator("#id_consent_contact").check()
    page.locator("main form[method=post] button[type=submit]").click()
    request = SupportRequest.objects.get()
    assert_accessible(page)
    page.goto(
        f"{live_server.url}"
        f"{reverse('outreach:support_request_book', args=[published.slug, request.public_id])}"
    )
    assert_accessible(page)
    page.locator("button[name=creneau]").first.click()
    assert_accessible(page)
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)

"""axe-core on the RGPD pages: the public statements at phone and desktop widths, « My data »
with its form errors, the erasure confirmation and the retention list; a phone shows no
horizontal scroll."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import RetentionNotice
from tests.e2e.conftest import assert_accessible, log_in

PASSWORD = "un-mot-de-passe-solide"  # tests.factories.UserFactory's password
WIDTHS = [390, 1280]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_public_privacy_pages_pass_axe(browser, live_server, width):
    page = browser.new_context(
        viewport={"width": width, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    ).new_page()
    for path in (reverse("privacy:privacy"), reverse("privacy:accessibility")):
        page.goto(f"{live_server.url}{path}")
        assert page.get_by_role("heading", level=1).is_visible()
        assert_accessible(page)
        assert no_horizontal_scroll(page)
    page.context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_my_data_passes_axe_with_errors(browser, live_server, beneficiary, width):
    page = browser.new_context(
        viewport={"width": width, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    ).new_page()
    log_in(page, live_server, beneficiary.user.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('privacy:my_data')}")
    assert_accessible(page)
    assert no_horizontal_scroll(page)
    page.locator("#id_postal_code").fill("ABC")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("5 chiffres").first.is_visible()
    assert_accessible(page)
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_coordinator_privacy_pages_pass_axe(page, live_server, beneficiary, coordinator):
    RetentionNotice.objects.create(
        beneficiary=beneficiary,
        notified_at=timezone.now(),
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    log_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('privacy:retention')}")
    assert_accessible(page)
    page.goto(f"{live_server.url}{reverse('privacy:erase', args=[beneficiary.public_id])}")
    assert_accessible(page)
    # Sent without the confirmation box: a French error, nothing erased.
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ce champ est obligatoire.").first.is_visible()
    assert_accessible(page)

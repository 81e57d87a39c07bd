"""The access journal in a browser: reached from the account menu, readable on a phone (the
table scrolls inside its own box), no serious axe-core violation."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_accessible, log_in


@pytest.mark.parametrize("width", [375, 1280])
def test_the_journal_from_the_account_menu(page, demo, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, demo, "coordinatrice@example.org")

    if not page.get_by_role("button", name="Mon compte :").is_visible():
        page.locator(".navbar-toggler").click()
    page.get_by_role("button", name="Mon compte :").click()
    page.locator(f"a[href='{reverse('audit:journal')}']").click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(reverse("audit:journal"))
    assert page.locator(".table-responsive table tbody tr").count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)

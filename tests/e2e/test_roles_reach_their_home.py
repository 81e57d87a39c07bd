"""Each demo role logs in and reaches its home; the pages visited pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in

ROLES = [
    ("coordinatrice@example.org", "Mes programmes", ["Programmes", "Bénéficiaires"]),
    ("accompagnant@example.org", "Mes bénéficiaires", ["Mes bénéficiaires"]),
    ("beneficiaire@example.org", "Mon programme", []),
]


@pytest.mark.parametrize(("email", "heading", "nav_links"), ROLES)
def test_demo_role_logs_in_and_reaches_its_home(page, demo, email, heading, nav_links):
    page.goto(demo.url)
    expect(page).to_have_url(re.compile(r"/compte/connexion/"))
    assert_accessible(page)

    log_in(page, demo, email)

    expect(page).to_have_url(f"{demo.url}/")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    nav = page.get_by_role("navigation", name="Navigation principale")
    for link in nav_links:
        expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    assert_accessible(page)


def test_coordinator_walks_from_home_to_a_beneficiary(page, demo):
    log_in(page, demo, "coordinatrice@example.org")

    page.get_by_role("link", name="Bénéficiaires", exact=True).first.click()
    expect(page.get_by_role("heading", name="Bénéficiaires", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator("#id_stage").select_option("enrolled")
    expect(page).to_have_url(re.compile(r"stage=enrolled"))
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name="Inscriptions")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Programmes", exact=True).first.click()
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name="Offres")).to_be_visible()
    assert_accessible(page)


def test_beneficiary_cannot_open_the_beneficiary_list(page, demo):
    log_in(page, demo, "beneficiaire@example.org")

    response = page.goto(f"{demo.url}/beneficiaires/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()


def test_home_works_on_a_phone(browser, demo):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR")
    page = context.new_page()
    log_in(page, demo, "coordinatrice@example.org")

    page.get_by_role("button", name="Afficher ou masquer le menu").click()
    expect(page.get_by_role("link", name="Bénéficiaires", exact=True)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "no horizontal scrolling on a phone"
    context.close()

"""In Chromium: a visitor finds a programme on the public catalogue, sends a support request
and books a first appointment on a phone, without an account; the coordinator then finds the
person in the outreach list, at the stage « À contacter », from « Demande d'accompagnement ».

The anti-spam minimum fill time is real: the visitor takes a few seconds to write."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from outreach.models import SupportRequest
from tests.e2e.conftest import assert_accessible, log_in
from tests.outreach.requests_fixtures import *  # noqa: F403 (fixtures)

PASSWORD = "un-mot-de-passe-solide"  # tests.factories.UserFactory's password
NEEDS = "Avec des voisines, nous voulons ouvrir une bibliothèque de rue."


def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.mark.django_db(transaction=True)
def test_a_visitor_sends_a_request_books_and_the_coordinator_sees_it(
    browser, page, live_server, published, link_offer, coordinator
):
    # The visitor, on a phone, finds the programme in the catalogue, reads its public page
    # and asks for support.
    phone = phone_page(browser)
    phone.goto(f"{live_server.url}{reverse('outreach:catalogue')}")
    phone.locator("#id_q").fill(published.title)
    phone.locator("main form[method=get] [type=submit]").click()
    phone.get_by_role("link", name=published.title).click()
    expect(phone).to_have_url(
        f"{live_server.url}{reverse('outreach:catalogue_programme', args=[published.slug])}"
    )
    phone.locator(f"a[href='{reverse('outreach:support_request', args=[published.slug])}']").click()
    assert_accessible(phone)
    phone.locator("#id_name").fill("Inès Benali")
    phone.locator("#id_email").fill("ines.benali@example.org")
    phone.locator("#id_postal_code").fill("69008")
    phone.locator("#id_situation_2").check()  # "I have an idea and I want to act…"
    phone.locator("#id_needs").fill(NEEDS)
    phone.locator("#id_consent_contact").check()
    phone.wait_for_timeout(3_200)  # the anti-spam minimum fill time
    phone.locator("main form[method=post] button[type=submit]").click()

    # The thank-you page says what happens next and offers a first appointment.
    request = SupportRequest.objects.get()
    done = reverse("outreach:support_request_done", args=[published.slug, request.public_id])
    expect(phone).to_have_url(f"{live_server.url}{done}")
    expect(phone.locator("main")).to_contain_text("ines.benali@example.org")
    assert_accessible(phone)
    book = reverse("outreach:support_request_book", args=[published.slug, request.public_id])
    phone.locator(f"a[href='{book}']").click()
    assert_accessible(phone)
    phone.locator("button[name=creneau]").first.click()
    assert_accessible(phone)
    phone.locator("main form[method=post] button[type=submit]").click()
    expect(phone).to_have_url(f"{live_server.url}{done}")
    expect(phone.locator("main a[href*='/rendez-vous/lien/']")).to_be_visible()
    assert_accessible(phone)
    request.refresh_from_db()
    assert request.appointment is not None
    phone.context.close()

    # The coordinator finds the person in the outreach list, filtered on « À contacter ».
    log_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('beneficiaires:list')}")
    page.get_by_label("Étape", exact=True).select_option(label="À contacter")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_role("row", name="Inès Benali")
    expect(row).to_be_visible()
    row.get_by_role("link", name="Inès Benali").click()
    expect(page.locator("main")).to_contain_text("Demande d'accompagnement")
    expect(page.locator("main")).to_contain_text(NEEDS)
    assert_accessible(page)

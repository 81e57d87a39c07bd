"""In Chromium: a project card reaches the network showcase only while its holder consents,
and disappears the moment she withdraws her consent. The pages pass axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, follow_nav, log_in
from tests.factories import MembershipFactory

PASSWORD = "un-mot-de-passe-solide"  # tests.factories.UserFactory's password
TITLE = "Un café-réparation au pied des immeubles"


@pytest.mark.django_db(transaction=True)
def test_a_card_shows_with_consent_and_goes_when_it_is_withdrawn(
    browser, page, live_server, mentor, beneficiary, programme
):
    network_mentor = MembershipFactory(role="mentor").user  # another structure of the network

    # Her mentor writes the card from her page: hidden, there is no consent yet.
    log_in(page, live_server, mentor.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('beneficiaires:detail', args=[beneficiary.public_id])}")
    page.get_by_role("link", name="Rédiger une fiche projet").click()
    assert_accessible(page)
    page.get_by_label("Titre du projet").fill(TITLE)
    page.get_by_label("Le projet en quelques lignes").fill(
        "Un atelier mensuel où les habitant·es réparent ensemble."
    )
    page.get_by_label("Partenaires recherchés").fill("Un bailleur pour un local.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").first).to_contain_text("Elle reste masquée")

    other = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    other.set_default_timeout(10_000)
    log_in(other, live_server, network_mentor.email, PASSWORD)
    follow_nav(other, reverse("outreach:showcase"))
    expect(other.locator("main")).not_to_contain_text(TITLE)

    # She agrees from her own space: the card reaches the network at once.
    mine = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    ).new_page()
    mine.set_default_timeout(10_000)
    log_in(mine, live_server, beneficiary.user.email, PASSWORD)
    mine.goto(f"{live_server.url}{reverse('outreach:my_project')}")
    assert_accessible(mine)
    mine.get_by_role("button", name="J'accepte que mon projet soit relayé").click()
    expect(mine.get_by_text("Présenté dans le réseau")).to_be_visible()

    other.reload()
    other.get_by_role("link", name=TITLE).click()
    assert_accessible(other)
    expect(other.locator("main")).to_contain_text("Un bailleur pour un local.")
    expect(other.locator("main")).not_to_contain_text(beneficiary.name)

    # She withdraws it: gone from the network, and its page answers 404.
    card_url = other.url
    mine.get_by_role("button", name="Retirer mon accord").click()
    expect(mine.get_by_text("Masquée")).to_be_visible()
    gone = other.goto(card_url)
    assert gone.status == 404
    other.goto(f"{live_server.url}{reverse('outreach:showcase')}")
    expect(other.locator("main")).not_to_contain_text(TITLE)
    other.context.close()
    mine.context.close()

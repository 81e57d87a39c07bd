"""axe-core on the network showcase's pages: the public ones at phone and desktop widths, the
network list and the coordinators' contact requests."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaires.enums import ConsentPurpose
from beneficiaires.models import Consent
from outreach.models import ShowcaseContact
from outreach.services.showcase import card_save
from tests.e2e.conftest import assert_accessible, log_in

PASSWORD = "un-mot-de-passe-solide"  # tests.factories.UserFactory's password
WIDTHS = [390, 1280]


@pytest.fixture
def card(beneficiary, programme, mentor, themes):
    card = card_save(
        beneficiary=beneficiary,
        programme=programme,
        title="Jardin partagé des Pentes",
        summary="Un jardin cultivé par les habitant·es du quartier.",
        territory="Lyon 1er",
        themes=themes[:2],
        needs_partners="Un bailleur social.",
        needs_skills="Un·e maraîcher·e.",
        is_public=True,
        acting_user=mentor,
    )
    Consent.objects.create(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.NETWORK_SHARING,
        given_at=timezone.now() - datetime.timedelta(days=1),
    )
    ShowcaseContact.objects.create(
        card=card,
        sender_name="Association Relais",
        sender_email="contact@relais.example.org",
        message="Nous pouvons prêter des outils.",
    )
    return card


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_public_showcase_pages_pass_axe(browser, live_server, card, width):
    page = browser.new_context(
        viewport={"width": width, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    ).new_page()
    for path in (
        reverse("outreach:catalogue_projects"),
        reverse("outreach:catalogue_project", args=[card.public_id]),
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    # A form sent empty shows its French field errors, accessible too.
    page.get_by_role("button", name="Envoyer à la coordination").click()
    assert page.get_by_text("Ce champ est obligatoire.").first.is_visible()
    assert_accessible(page)
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_network_showcase_pages_pass_axe(page, live_server, card, coordinator):
    log_in(page, live_server, coordinator.email, PASSWORD)
    for path in (
        reverse("outreach:showcase"),
        reverse("outreach:showcase_card", args=[card.public_id]),
        reverse("outreach:showcase_contacts"),
        reverse("outreach:card_edit", args=[card.beneficiary.public_id, card.public_id]),
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)

"""The campaign pages pass axe-core: the coordinators' pages at desktop width, the public
pages of the messages (unsubscribe, unknown link) at phone and desktop widths."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services as outbox
from outreach.models import CampaignRecipient
from outreach.services.campaigns import campaign_create, campaign_send, unsubscribe_token
from tests.e2e.conftest import assert_accessible, log_in
from tests.outreach.campaigns_fixtures import *  # noqa: F403 (fixtures)

PASSWORD = "un-mot-de-passe-solide"
WIDTHS = [(390, 844), (1280, 900)]


@pytest.fixture
def sent(campaign, coordinator):
    other = campaign_create(
        programme=campaign.programme,
        kind=campaign.kind,
        subject="Déjà partie",
        body="Texte de la campagne envoyée.",
        filters=campaign.filters,
        acting_user=coordinator,
    )
    campaign_send(campaign=other, acting_user=coordinator)
    outbox.deliver_many(outbox.due_notification_ids())
    return other


@pytest.mark.django_db(transaction=True)
def test_coordinator_pages(page, live_server, coordinator, campaign, sent):
    log_in(page, live_server, coordinator.email, PASSWORD)
    for url in [
        reverse("outreach:campaign_list"),
        reverse("outreach:campaign_new"),
        reverse("outreach:campaign_detail", args=[campaign.public_id]),
        reverse("outreach:campaign_edit", args=[campaign.public_id]),
        reverse("outreach:campaign_send", args=[campaign.public_id]),
        reverse("outreach:campaign_detail", args=[sent.public_id]),
    ]:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert_accessible(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_public_pages(browser, live_server, sent, width, height):
    mail.outbox.clear()
    recipient = CampaignRecipient.objects.filter(campaign=sent).first()
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    unsubscribe_url = reverse("outreach:campaign_unsubscribe", args=[unsubscribe_token(recipient)])

    page.goto(f"{live_server.url}{unsubscribe_url}")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    response = page.goto(f"{live_server.url}{reverse('outreach:campaign_link', args=['x'])}")
    assert response.status == 404
    assert_accessible(page)
    context.close()

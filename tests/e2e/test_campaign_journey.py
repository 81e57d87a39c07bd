"""In Chromium: a coordinator writes a campaign, narrows the selection, sends it; the outbox
delivers it; a recipient opens the link on her phone; the campaign page shows the figures."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from beneficiaires.enums import OutreachStage
from notifications.enums import NotificationStatus
from notifications.models import Notification
from outreach.enums import CampaignStatus
from outreach.models import Campaign
from tests.e2e.conftest import assert_accessible, log_in
from tests.outreach.campaigns_fixtures import *  # noqa: F403 (fixtures)

PASSWORD = "un-mot-de-passe-solide"  # tests.factories.UserFactory's password
SUBJECT = "La Fabrique vous ouvre ses portes"


def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def figure(page, row: int) -> str:
    cells = page.locator("[data-testid=campaign-figures] tbody tr").nth(row).locator("td")
    return cells.first.inner_text().strip()


@pytest.mark.django_db(transaction=True)
def test_a_campaign_written_sent_delivered_opened_and_counted(
    browser, page, live_server, coordinator, published_programme, listed
):
    mail.outbox.clear()
    log_in(page, live_server, coordinator.email, PASSWORD)

    # The coordinator writes the campaign and narrows the selection to the people to contact.
    page.goto(f"{live_server.url}{reverse('outreach:campaign_list')}")
    assert_accessible(page)
    page.locator(f"a[href='{reverse('outreach:campaign_new')}']").first.click()
    page.locator("#id_programme").select_option(str(published_programme.public_id))
    page.locator("#id_kind_0").check()
    page.locator("#id_subject").fill(SUBJECT)
    page.locator("#id_body").fill("Un programme gratuit pour vos projets de quartier.")
    page.locator("#id_per_minute").fill("1")
    page.locator("#id_selection-stage").select_option(OutreachStage.TO_CONTACT)
    page.locator("button[name=action][value=preview]").click()
    expect(page.get_by_test_id("recipient-count")).to_contain_text("2")
    assert_accessible(page)
    page.locator("button[name=action][value=save]").click()
    campaign = Campaign.objects.get(subject=SUBJECT)
    expect(page).to_have_url(
        re.compile(re.escape(reverse("outreach:campaign_detail", args=[campaign.public_id])))
    )
    assert campaign.filters == {"stage": OutreachStage.TO_CONTACT}
    assert_accessible(page)

    # The confirmation says how many people, and how long the spreading takes (1 a minute).
    page.locator(
        f"a[href='{reverse('outreach:campaign_send', args=[campaign.public_id])}']"
    ).click()
    expect(page.get_by_test_id("recipient-count")).to_contain_text("2")
    expect(page.locator("main")).to_contain_text("1")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT

    # The first message left at once; the minute scan sends the second when it is due.
    assert len(mail.outbox) == 1
    # A minute later (moved back in time here), the second one is due.
    Notification.objects.filter(status=NotificationStatus.PENDING).update(
        scheduled_for=campaign.sent_at
    )
    call_command("send_due_notifications", "--no-scans", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(m.to[0] for m in mail.outbox) == ["ines@example.org", "paul@example.org"]

    # Inès opens the link of her email on her phone, without an account.
    message = next(m for m in mail.outbox if m.to == ["ines@example.org"])
    token = re.search(r"/c/([\w-]+)/", message.body).group(1)
    phone = phone_page(browser)
    phone.goto(f"{live_server.url}{reverse('outreach:campaign_link', args=[token])}")
    expect(phone).to_have_url(
        re.compile(
            re.escape(reverse("outreach:catalogue_programme", args=[published_programme.slug]))
        )
    )
    phone.context.close()

    # The campaign page shows both sent and one opened.
    page.goto(f"{live_server.url}{reverse('outreach:campaign_detail', args=[campaign.public_id])}")
    assert figure(page, 0) == "2"  # sent
    assert figure(page, 3) == "1"  # opened
    assert_accessible(page)

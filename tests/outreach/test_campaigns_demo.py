"""The campaigns' demo data: a sent campaign with openings and a reply, and a draft; running
it twice changes nothing."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from core.demo.campaigns import DRAFT_SUBJECT, SENT_SUBJECT, seed_campaigns
from outreach.enums import CampaignStatus, RequestOrigin
from outreach.models import Campaign, CampaignRecipient, SupportRequest, Unsubscription
from outreach.selectors import campaign_figures


@pytest.mark.django_db
def test_seed_campaigns_is_idempotent_and_shows_figures():
    call_command("seed_demo", stdout=io.StringIO())
    seed_campaigns()
    counts = (
        Campaign.objects.count(),
        CampaignRecipient.objects.count(),
        SupportRequest.objects.filter(campaign__isnull=False).count(),
        Unsubscription.objects.count(),
    )

    seed_campaigns(stdout=io.StringIO())

    assert counts == (
        Campaign.objects.count(),
        CampaignRecipient.objects.count(),
        SupportRequest.objects.filter(campaign__isnull=False).count(),
        Unsubscription.objects.count(),
    )
    sent = campaign_figures(Campaign.objects.filter(subject=SENT_SUBJECT)).get()
    assert sent.status == CampaignStatus.SENT
    assert sent.recipients_count > 5
    assert sent.sent_count == sent.recipients_count
    assert sent.opened_count >= 1
    assert sent.replies_count == 1
    assert sent.unsubscribed_count == 1
    assert SupportRequest.objects.get(campaign=sent).origin == RequestOrigin.CAMPAIGN
    assert Campaign.objects.get(subject=DRAFT_SUBJECT).status == CampaignStatus.DRAFT
    # The demo's messages are marked sent: none leaves.
    assert not [m for m in mail.outbox if m.subject == SENT_SUBJECT]

"""Exactly once under concurrency: two sends of the same campaign at once write one set of
recipients and outbox rows (the campaign row lock, on PostgreSQL)."""

import threading
import time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from notifications.enums import NotificationKind
from notifications.models import Notification
from outreach.models import CampaignRecipient
from outreach.services import campaigns as service
from tests.outreach.campaigns_fixtures import *  # noqa: F403 (fixtures)


@pytest.mark.django_db
def test_the_database_holds_one_recipient_per_campaign_and_address(campaign):
    CampaignRecipient.objects.create(campaign=campaign, email="a@example.org", token_hash="1" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignRecipient.objects.create(
            campaign=campaign, email="a@example.org", token_hash="2" * 64
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_write_each_message_once(campaign, coordinator):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    original = service.campaign_selection

    def slow_selection(locked):
        # The first sender holds the lock a while: the second one waits on it.
        time.sleep(0.3)
        return original(locked)

    def send():
        try:
            barrier.wait()
            service.campaign_send(campaign=campaign, acting_user=coordinator)
            outcomes.append("sent")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    with mock.patch.object(service, "campaign_selection", side_effect=slow_selection):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(outcomes) == ["refused", "sent"]
    assert CampaignRecipient.objects.filter(campaign=campaign).count() == 2
    assert Notification.objects.filter(kind=NotificationKind.CAMPAIGN_MESSAGE).count() == 2

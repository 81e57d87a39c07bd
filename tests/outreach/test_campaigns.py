"""Information campaigns: the selection, sending through the outbox (spread, exactly once),
the tracked link, unsubscribing, the needs survey and the figures."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from beneficiaires.enums import OutreachStage
from diagnostics.models import DiagnosticInvitation
from notifications import services as outbox
from notifications.enums import NotificationKind, NotificationStatus
from notifications.models import Notification
from outreach.enums import CampaignKind, CampaignStatus, RequestOrigin
from outreach.models import Campaign, CampaignRecipient, SupportRequest, Unsubscription
from outreach.selectors import campaign_figures
from outreach.services.campaigns import (
    campaign_create,
    campaign_email_headers,
    campaign_selection,
    campaign_send,
    campaign_update,
    recipient_for_link,
    spreading_minutes,
    survey_token,
    unsubscribe,
)
from tests.factories import BeneficiaryFactory, UserFactory
from tests.outreach.campaigns_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def sent_tokens() -> list[str]:
    """The raw tokens of the tracked links in the emails sent."""
    prefix = "/c/"
    tokens = []
    for message in mail.outbox:
        for line in message.body.splitlines():
            if prefix in line and "desabonnement" not in line:
                tokens.append(line.split(prefix, 1)[1].strip("/").split("/")[0])
    return tokens


def french(msgid: str) -> str:
    """The French text of a msgid (the English one until the catalogue is compiled)."""
    with translation.override("fr"):
        return gettext(msgid)


def deliver_due() -> None:
    outbox.deliver_many(outbox.due_notification_ids())


# The selection


def test_selection_keeps_the_filtered_people_with_an_email_once(campaign, listed):
    selection = campaign_selection(campaign)

    assert selection.selected == 3  # the three people at stage "to contact"
    assert selection.without_email == 1
    assert [person for _address, person in selection.recipients] == [
        listed["ines"],
        listed["paul"],
    ]
    assert [address for address, _person in selection.recipients] == [
        "ines@example.org",
        "paul@example.org",
    ]


def test_selection_writes_once_to_an_address_listed_twice(campaign, listed, coordinator):
    campaign = campaign_update(
        campaign=campaign,
        programme=campaign.programme,
        kind=campaign.kind,
        subject=campaign.subject,
        body=campaign.body,
        filters={"stage": OutreachStage.CONTACTED},
        per_minute=30,
        acting_user=coordinator,
    )

    selection = campaign_selection(campaign)

    assert selection.count == 1
    assert selection.duplicates == 1


def test_selection_stays_in_the_programme_and_its_structure(
    campaign, listed, organization, other_organization, published_programme
):
    BeneficiaryFactory(organization=organization, programme=None, stage=OutreachStage.TO_CONTACT)
    BeneficiaryFactory(organization=other_organization, stage=OutreachStage.TO_CONTACT)

    assert campaign_selection(campaign).selected == 3


def test_unsubscribed_address_is_excluded_and_counted(campaign, listed, organization):
    Unsubscription.objects.create(organization=organization, email="INES@example.org")

    selection = campaign_selection(campaign)

    assert selection.unsubscribed == 1
    assert [address for address, _person in selection.recipients] == ["paul@example.org"]


# Writing


def test_meeting_needs_an_upcoming_session_of_the_programme(published_programme, coordinator):
    with pytest.raises(ValidationError) as error:
        campaign_create(
            programme=published_programme,
            kind=CampaignKind.MEETING,
            subject="Réunion",
            body="Venez",
            filters={},
            acting_user=coordinator,
        )
    assert "group_session" in error.value.message_dict


def test_an_unpublished_programme_cannot_send_an_information_email(programme, coordinator):
    with pytest.raises(ValidationError) as error:
        campaign_create(
            programme=programme,
            kind=CampaignKind.INFORMATION,
            subject="Info",
            body="Texte",
            filters={},
            acting_user=coordinator,
        )
    assert "programme" in error.value.message_dict
    assert not Campaign.objects.exists()


def test_another_structure_cannot_write_a_campaign(
    published_programme, other_organization_coordinator
):
    with pytest.raises(PermissionDenied):
        campaign_create(
            programme=published_programme,
            kind=CampaignKind.INFORMATION,
            subject="Info",
            body="Texte",
            filters={},
            acting_user=other_organization_coordinator,
        )


# Sending


def test_send_writes_one_recipient_and_one_outbox_row_per_address(campaign, coordinator):
    count = campaign_send(campaign=campaign, acting_user=coordinator)

    campaign.refresh_from_db()
    assert count == 2
    assert campaign.status == CampaignStatus.SENT
    assert campaign.sent_by == coordinator
    recipients = list(campaign.recipients.select_related("notification"))
    assert [r.email for r in recipients] == ["ines@example.org", "paul@example.org"]
    for recipient in recipients:
        assert len(recipient.token_hash) == 64
        assert recipient.notification.kind == NotificationKind.CAMPAIGN_MESSAGE
        assert recipient.notification.to_address == recipient.email
        assert recipient.notification.object_id == str(recipient.pk)
        assert "/c/" in recipient.notification.body_text
        assert "desabonnement" in recipient.notification.body_text


def test_send_spreads_the_messages_per_minute(campaign, coordinator, organization, listed):
    for n in range(5):
        BeneficiaryFactory(
            organization=organization,
            programme=campaign.programme,
            email=f"extra{n}@example.org",
            stage=OutreachStage.TO_CONTACT,
        )
    Campaign.objects.filter(pk=campaign.pk).update(per_minute=3)
    campaign.refresh_from_db()

    campaign_send(campaign=campaign, acting_user=coordinator)

    times = list(
        Notification.objects.filter(kind=NotificationKind.CAMPAIGN_MESSAGE)
        .order_by("scheduled_for", "pk")
        .values_list("scheduled_for", flat=True)
    )
    start = times[0]
    offsets = [round((t - start).total_seconds() / 60) for t in times]
    assert offsets == [0, 0, 0, 1, 1, 1, 2]
    assert spreading_minutes(7, 3) == 2
    # Only the first minute's messages are due now.
    assert Notification.objects.due().filter(kind=NotificationKind.CAMPAIGN_MESSAGE).count() == 3


def test_a_second_send_is_refused(campaign, coordinator):
    campaign_send(campaign=campaign, acting_user=coordinator)

    with pytest.raises(ValidationError):
        campaign_send(campaign=campaign, acting_user=coordinator)

    assert CampaignRecipient.objects.count() == 2
    assert Notification.objects.filter(kind=NotificationKind.CAMPAIGN_MESSAGE).count() == 2


def test_an_empty_selection_is_refused_and_nothing_is_written(campaign, coordinator, listed):
    Campaign.objects.filter(pk=campaign.pk).update(filters={"q": "personne-de-ce-nom"})
    campaign.refresh_from_db()

    with pytest.raises(ValidationError):
        campaign_send(campaign=campaign, acting_user=coordinator)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert not CampaignRecipient.objects.exists()


def test_a_mentor_cannot_send(campaign, mentor):
    with pytest.raises(PermissionDenied):
        campaign_send(campaign=campaign, acting_user=mentor)


def test_a_person_who_muted_campaigns_is_skipped_by_the_outbox(campaign, coordinator, listed):
    from notifications.models import NotificationPreference

    user = UserFactory()
    listed["ines"].user = user
    listed["ines"].save(update_fields=["user"])
    NotificationPreference.objects.create(
        user=user, muted_kinds=[NotificationKind.CAMPAIGN_MESSAGE]
    )

    campaign_send(campaign=campaign, acting_user=coordinator)

    row = CampaignRecipient.objects.get(email="ines@example.org").notification
    assert row.status == NotificationStatus.SKIPPED
    assert row.recipient == user


def test_the_email_has_the_message_the_link_and_the_unsubscribe_link(campaign, coordinator):
    campaign_send(campaign=campaign, acting_user=coordinator)
    deliver_due()

    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject == "Découvrez la Fabrique"
    assert "Un programme pour vos initiatives." in message.body
    assert french("Unsubscribe") in message.alternatives[0][0]
    assert len(sent_tokens()) == 2


def test_the_list_unsubscribe_headers_allow_a_one_click_unsubscribe(campaign, coordinator):
    campaign_send(campaign=campaign, acting_user=coordinator)
    recipient = CampaignRecipient.objects.get(email="paul@example.org")

    headers = campaign_email_headers(recipient.notification)

    url = headers["List-Unsubscribe"].strip("<>")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The mail provider posts without a CSRF token (RFC 8058).
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(urlsplit(url).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Unsubscription.objects.filter(email="paul@example.org").exists()


# The link


def test_the_link_counts_the_first_opening_sets_the_session_and_redirects(
    campaign, coordinator, client
):
    campaign_send(campaign=campaign, acting_user=coordinator)
    deliver_due()
    token = sent_tokens()[0]

    response = client.get(reverse("outreach:campaign_link", args=[token]))

    recipient = recipient_for_link(token)
    first_opening = recipient.opened_at
    assert first_opening is not None
    assert response.status_code == 302
    assert response.url == reverse("outreach:catalogue_programme", args=[campaign.programme.slug])
    assert client.session["outreach_campaign_id"] == campaign.pk

    client.get(reverse("outreach:campaign_link", args=[token]))
    recipient.refresh_from_db()
    assert recipient.opened_at == first_opening


def test_an_unknown_link_is_a_french_404(client):
    response = client.get(reverse("outreach:campaign_link", args=["inconnu"]))

    assert response.status_code == 404
    assert french("Link not found") in response.content.decode()


def test_a_meeting_link_leads_to_the_open_event_page(
    published_programme, coordinator, listed, meeting, client
):
    campaign = campaign_create(
        programme=published_programme,
        kind=CampaignKind.MEETING,
        group_session=meeting,
        subject="Réunion d'information",
        body="Venez",
        filters={"stage": OutreachStage.TO_CONTACT},
        acting_user=coordinator,
    )
    campaign_send(campaign=campaign, acting_user=coordinator)
    deliver_due()

    response = client.get(reverse("outreach:campaign_link", args=[sent_tokens()[0]]))

    assert response.url == reverse("outreach:catalogue_event", args=[meeting.public_id])
    assert "Réunion d'information" in mail.outbox[0].body


def test_a_needs_survey_gives_each_person_a_questionnaire_link(
    published_programme, coordinator, listed, client
):
    campaign = campaign_create(
        programme=published_programme,
        kind=CampaignKind.NEEDS_SURVEY,
        subject="Vos besoins",
        body="Dites-nous",
        filters={"stage": OutreachStage.TO_CONTACT},
        acting_user=coordinator,
    )
    campaign_send(campaign=campaign, acting_user=coordinator)
    deliver_due()
    token = sent_tokens()[0]

    assert DiagnosticInvitation.objects.count() == 2
    invitation = DiagnosticInvitation.objects.get(sent_to="ines@example.org")
    assert invitation.diagnostic.beneficiary == listed["ines"]
    response = client.get(reverse("outreach:campaign_link", args=[token]))
    assert response.url.endswith(reverse("diagnostics:questionnaire", args=[survey_token(token)]))
    questionnaire = client.get(response.url)
    assert questionnaire.status_code == 200


# Unsubscribing


def test_unsubscribe_asks_then_records_once_and_the_next_campaign_skips_the_address(
    campaign, coordinator, client, published_programme, organization
):
    campaign_send(campaign=campaign, acting_user=coordinator)
    deliver_due()
    body = next(m.body for m in mail.outbox if m.to == ["paul@example.org"])
    url = next(line for line in body.splitlines() if "desabonnement" in line)
    path = urlsplit(url.strip()).path

    page = client.get(path)
    assert page.status_code == 200
    assert not Unsubscription.objects.exists()
    assert french("Yes, unsubscribe me") in page.content.decode()

    client.post(path)
    client.post(path)
    unsubscription = Unsubscription.objects.get()
    assert unsubscription.email == "paul@example.org"
    assert unsubscription.campaign == campaign
    assert unsubscription.organization == organization

    second = campaign_create(
        programme=published_programme,
        kind=CampaignKind.INFORMATION,
        subject="Deuxième",
        body="Encore",
        filters={"stage": OutreachStage.TO_CONTACT},
        acting_user=coordinator,
    )
    selection = campaign_selection(second)
    assert selection.unsubscribed == 1
    campaign_send(campaign=second, acting_user=coordinator)
    assert list(second.recipients.values_list("email", flat=True)) == ["ines@example.org"]


def test_unsubscribing_twice_keeps_one_row(campaign, coordinator):
    campaign_send(campaign=campaign, acting_user=coordinator)
    recipient = CampaignRecipient.objects.first()

    first = unsubscribe(recipient=recipient)
    second = unsubscribe(recipient=recipient)

    assert first == second
    assert Unsubscription.objects.count() == 1


def test_unsubscribing_cancels_the_messages_still_queued(campaign, coordinator):
    campaign.per_minute = 1  # the second recipient's message waits a minute
    campaign.save(update_fields=["per_minute"])
    campaign_send(campaign=campaign, acting_user=coordinator)
    first, second = CampaignRecipient.objects.order_by("pk")[:2]

    unsubscribe(recipient=second)

    second.notification.refresh_from_db()
    first.notification.refresh_from_db()
    assert second.notification.status == NotificationStatus.CANCELLED
    assert first.notification.status == NotificationStatus.PENDING


# Figures


def figures(campaign):
    return campaign_figures(Campaign.objects.filter(pk=campaign.pk)).get()


def test_figures_follow_the_delivery_openings_replies_and_unsubscriptions(
    campaign, coordinator, client, organization
):
    campaign_send(campaign=campaign, acting_user=coordinator)
    before = figures(campaign)
    assert (before.recipients_count, before.sent_count, before.pending_count) == (2, 0, 2)

    deliver_due()
    client.get(reverse("outreach:campaign_link", args=[sent_tokens()[0]]))
    SupportRequest.objects.create(
        programme=campaign.programme,
        campaign=campaign,
        origin=RequestOrigin.CAMPAIGN,
        name="Inès Martin",
        email="ines@example.org",
        needs="Monter une association",
        consent_contact=True,
    )
    unsubscribe(recipient=CampaignRecipient.objects.get(email="paul@example.org"))
    Notification.objects.filter(to_address="paul@example.org").update(
        status=NotificationStatus.FAILED
    )

    after = figures(campaign)
    assert after.sent_count == 1
    assert after.failed_count == 1
    assert after.pending_count == 0
    assert after.opened_count == 1
    assert after.replies_count == 1
    assert after.unsubscribed_count == 1


def test_figures_of_a_draft_are_zero(campaign):
    row = figures(campaign)
    assert (row.recipients_count, row.sent_count, row.opened_count, row.replies_count) == (
        0,
        0,
        0,
        0,
    )


def test_the_scheduled_rows_go_out_when_due(campaign, coordinator, organization):
    for n in range(3):
        BeneficiaryFactory(
            organization=organization,
            programme=campaign.programme,
            email=f"plus{n}@example.org",
            stage=OutreachStage.TO_CONTACT,
        )
    Campaign.objects.filter(pk=campaign.pk).update(per_minute=2)
    campaign.refresh_from_db()
    campaign_send(campaign=campaign, acting_user=coordinator)

    deliver_due()
    assert len(mail.outbox) == 2
    later = timezone.now() + datetime.timedelta(minutes=3)
    Notification.objects.filter(status=NotificationStatus.PENDING).update(
        scheduled_for=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert later > timezone.now()
    deliver_due()
    assert len(mail.outbox) == 5
    assert figures(campaign).sent_count == 5


def test_the_sent_email_carries_the_list_unsubscribe_header(campaign, coordinator):
    campaign_send(campaign=campaign, acting_user=coordinator)
    deliver_due()

    message = next(m for m in mail.outbox if m.to == ["ines@example.org"])
    assert "/desabonnement/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

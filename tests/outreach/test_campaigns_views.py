"""The coordinators' campaign pages: the form (counting the selection, French errors, nothing
saved on bad input), the detail, the confirmation and sending, the list's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from beneficiaires.enums import OutreachStage
from outreach.enums import CampaignKind, CampaignStatus
from outreach.models import Campaign, CampaignRecipient
from outreach.services.campaigns import campaign_create, campaign_send
from tests.outreach.campaigns_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def french(msgid: str) -> str:
    with translation.override("fr"):
        return gettext(msgid)


def form_data(for_programme, **overrides):
    data = {
        "programme": str(for_programme.public_id),
        "kind": CampaignKind.INFORMATION,
        "group_session": "",
        "subject": "Réunion de rentrée",
        "body": "Bonjour à toutes et à tous.",
        "per_minute": "20",
        "selection-stage": OutreachStage.TO_CONTACT,
        "action": "save",
    }
    data.update(overrides)
    return data


def test_counting_the_selection_saves_nothing(client, coordinator, published_programme, listed):
    client.force_login(coordinator)

    response = client.post(
        reverse("outreach:campaign_new"), form_data(published_programme, action="preview")
    )

    assert response.status_code == 200
    assert response.context["preview"]["selection"].count == 2
    assert response.context["preview"]["selection"].without_email == 1
    assert not Campaign.objects.exists()


def test_saving_writes_a_draft_with_the_selection(client, coordinator, published_programme, listed):
    client.force_login(coordinator)

    response = client.post(reverse("outreach:campaign_new"), form_data(published_programme))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("outreach:campaign_detail", args=[campaign.public_id])
    assert campaign.filters == {"stage": OutreachStage.TO_CONTACT}
    assert campaign.per_minute == 20
    assert campaign.created_by == coordinator
    assert campaign.status == CampaignStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"per_minute": "0"}, "per_minute"),
        ({"kind": CampaignKind.MEETING}, "group_session"),
        ({"kind": "spam"}, "kind"),
        ({"programme": "00000000-0000-0000-0000-000000000000"}, "programme"),
    ],
)
def test_bad_input_gets_field_errors_and_saves_nothing(
    client, coordinator, published_programme, listed, overrides, field
):
    client.force_login(coordinator)

    response = client.post(
        reverse("outreach:campaign_new"), form_data(published_programme, **overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_a_bad_selection_value_is_a_field_error(client, coordinator, published_programme):
    client.force_login(coordinator)

    response = client.post(
        reverse("outreach:campaign_new"),
        form_data(published_programme, **{"selection-stage": "nowhere"}),
    )

    assert response.status_code == 200
    assert "stage" in response.context["selection"].form.errors
    assert not Campaign.objects.exists()


def test_another_structures_programme_is_not_offered(
    client, other_organization_coordinator, published_programme
):
    client.force_login(other_organization_coordinator)

    response = client.post(reverse("outreach:campaign_new"), form_data(published_programme))

    assert "programme" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_detail_shows_the_message_the_selection_and_the_link_to_the_list(
    client, coordinator, campaign
):
    client.force_login(coordinator)

    response = client.get(reverse("outreach:campaign_detail", args=[campaign.public_id]))

    content = response.content.decode()
    assert "Un programme pour vos initiatives." in content
    assert response.context["preview"]["selection"].count == 2
    list_url = response.context["outreach_list_url"]
    assert list_url.startswith(reverse("beneficiaires:list") + "?")
    assert f"programme={campaign.programme.public_id}" in list_url
    assert "stage=to_contact" in list_url
    # The outreach list shows the same records.
    listed_page = client.get(list_url)
    assert listed_page.context["page"].paginator.count == 3


def test_confirmation_then_sending(client, coordinator, campaign):
    client.force_login(coordinator)
    url = reverse("outreach:campaign_send", args=[campaign.public_id])

    confirmation = client.get(url)
    assert confirmation.context["preview"]["selection"].count == 2
    assert confirmation.context["preview"]["minutes"] == 0
    assert not CampaignRecipient.objects.exists()

    response = client.post(url)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert CampaignRecipient.objects.count() == 2

    again = client.post(url)
    assert again.status_code == 302
    assert CampaignRecipient.objects.count() == 2


def test_a_sent_campaign_cannot_be_edited(client, coordinator, campaign):
    campaign_send(campaign=campaign, acting_user=coordinator)
    client.force_login(coordinator)

    response = client.post(
        reverse("outreach:campaign_edit", args=[campaign.public_id]),
        form_data(campaign.programme, subject="Changé"),
    )

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.subject == "Découvrez la Fabrique"


def test_a_sent_campaign_shows_its_figures(client, coordinator, campaign):
    campaign_send(campaign=campaign, acting_user=coordinator)
    client.force_login(coordinator)

    response = client.get(reverse("outreach:campaign_detail", args=[campaign.public_id]))

    rows = {row["label"]: row["value"] for row in response.context["figure_rows"]}
    assert rows[french("Waiting in the outbox")] + rows[french("Emails sent")] == 2
    assert response.context["preview"] is None


def make_campaigns(programme, coordinator, n):
    for index in range(n):
        campaign = campaign_create(
            programme=programme,
            kind=CampaignKind.INFORMATION,
            subject=f"Campagne {index}",
            body="Texte",
            filters={"stage": OutreachStage.TO_CONTACT},
            acting_user=coordinator,
        )
        if index % 2:
            Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENT)


def test_list_query_count_does_not_grow_with_the_campaigns(
    client, coordinator, published_programme, listed
):
    client.force_login(coordinator)
    url = reverse("outreach:campaign_list")
    make_campaigns(published_programme, coordinator, 1)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    make_campaigns(published_programme, coordinator, 29)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(url)

    assert len(response.context["page"].object_list) == 25
    assert len(thirty) == len(one)


def test_list_shows_only_the_coordinators_campaigns(
    client, other_organization_coordinator, campaign
):
    client.force_login(other_organization_coordinator)

    response = client.get(reverse("outreach:campaign_list"))

    assert list(response.context["page"].object_list) == []

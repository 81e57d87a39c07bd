"""Who reaches the campaign pages: the coordinators of the programme's structure write and
send; mentors and beneficiaries get 403; another structure's campaign is a 404; the links
of the messages are public."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services as outbox
from outreach.models import CampaignRecipient
from outreach.services.campaigns import campaign_create, campaign_send, unsubscribe_token
from tests.outreach.campaigns_fixtures import *  # noqa: F403 (fixtures)

PERSONAS = [
    "anonymous",
    "beneficiary",
    "other_beneficiary",
    "mentor",
    "other_mentor",
    "coordinator",
    "other_organization_coordinator",
    "admin",
]

COORDINATORS_ONLY = [302, 403, 403, 403, 403, 200, 200, 200]
OWN_CAMPAIGN = [302, 403, 403, 403, 403, 200, 404, 200]
# URL name → expected status per persona, in PERSONAS order (GET).
MATRIX = {
    "outreach:campaign_list": COORDINATORS_ONLY,
    "outreach:campaign_new": COORDINATORS_ONLY,
    "outreach:campaign_detail": OWN_CAMPAIGN,
    "outreach:campaign_edit": OWN_CAMPAIGN,
    "outreach:campaign_send": OWN_CAMPAIGN,
    # Public: the link redirects to its target, the unsubscribe page asks for a confirmation.
    "outreach:campaign_link": [302] * 8,
    "outreach:campaign_unsubscribe": [200] * 8,
}


def persona_user(request, persona):
    if persona == "anonymous":
        return None
    value = request.getfixturevalue(persona)
    return value.user if persona in {"beneficiary", "other_beneficiary"} else value


def url_for(name, campaign, sent_campaign_token, recipient):
    if name in {"outreach:campaign_list", "outreach:campaign_new"}:
        return reverse(name)
    if name == "outreach:campaign_link":
        return reverse(name, args=[sent_campaign_token])
    if name == "outreach:campaign_unsubscribe":
        return reverse(name, args=[unsubscribe_token(recipient)])
    return reverse(name, args=[campaign.public_id])


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(
    client, request, name, persona, campaign, coordinator, beneficiary, other_beneficiary
):
    sent = campaign_create(
        programme=campaign.programme,
        kind=campaign.kind,
        subject="Déjà envoyée",
        body="Texte",
        filters=campaign.filters,
        acting_user=coordinator,
    )
    campaign_send(campaign=sent, acting_user=coordinator)
    recipient = CampaignRecipient.objects.filter(campaign=sent).first()
    outbox.deliver_many(outbox.due_notification_ids())
    token = mail.outbox[0].body.split("/c/", 1)[1].split("/", 1)[0]
    user = persona_user(request, persona)
    if user is not None:
        client.force_login(user)
    url = url_for(name, campaign, token, recipient)

    response = client.get(url)

    expected = MATRIX[name][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302 and persona == "anonymous" and name != "outreach:campaign_link":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("mentor", 403), ("beneficiary", 403), ("other_organization_coordinator", 404)],
)
def test_sending_is_refused_to_others(client, request, persona, expected, campaign):
    client.force_login(persona_user(request, persona))

    response = client.post(reverse("outreach:campaign_send", args=[campaign.public_id]))

    assert response.status_code == expected
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    assert not CampaignRecipient.objects.exists()


# The read-only API: anonymous 403 (no WWW-Authenticate with session auth), like the pages.
API_MATRIX = {
    "campaign-list": [403, 403, 403, 403, 403, 200, 200, 200],
    "campaign-detail": [403, 403, 403, 403, 403, 200, 404, 200],
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", API_MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_access_matrix(client, request, name, persona, campaign, beneficiary):
    user = persona_user(request, persona)
    if user is not None:
        client.force_login(user)
    args = [campaign.public_id] if name == "campaign-detail" else []

    response = client.get(reverse(name, args=args))

    assert response.status_code == API_MATRIX[name][PERSONAS.index(persona)], persona

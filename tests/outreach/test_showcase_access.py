"""Who reaches the network showcase pages.

The network (coordinators and mentors of any structure) browses the cards; who follows the
person writes them; the programme's coordinators read the contact requests; the person
manages their own consent; the public reads the public cards. Another structure's records:
404 (existence not revealed); a role without the page: 403."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaires.enums import ConsentPurpose
from beneficiaires.models import Consent
from outreach.models import ShowcaseContact
from outreach.services.showcase import card_save

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

# URL name → expected status per persona, in PERSONAS order (GET unless in POSTED).
MATRIX = {
    "outreach:showcase": [302, 403, 403, 200, 200, 200, 200, 200],
    "outreach:showcase_card": [302, 403, 403, 200, 200, 200, 200, 200],
    "outreach:showcase_contacts": [302, 403, 403, 403, 403, 200, 200, 200],
    "outreach:showcase_contact_handled": [302, 404, 404, 404, 404, 302, 404, 302],
    # Beneficiary A's card: A's referent mentor and the structure's coordinators.
    "outreach:card_new": [302, 403, 404, 200, 404, 200, 404, 200],
    "outreach:card_edit": [302, 403, 404, 200, 404, 200, 404, 200],
    "outreach:card_delete": [302, 403, 404, 302, 404, 302, 404, 302],
    "outreach:my_project": [302, 200, 200, 403, 403, 403, 403, 403],
    "outreach:catalogue_projects": [200, 200, 200, 200, 200, 200, 200, 200],
    "outreach:catalogue_project": [200, 200, 200, 200, 200, 200, 200, 200],
}
POSTED = {"outreach:showcase_contact_handled", "outreach:card_delete"}


def persona_user(request, persona):
    if persona == "anonymous":
        return None
    value = request.getfixturevalue(persona)
    return value.user if persona in {"beneficiary", "other_beneficiary"} else value


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, request, name, persona, programme, beneficiary, mentor):
    card = card_save(
        beneficiary=beneficiary,
        programme=programme,
        title="Jardin partagé",
        summary="Un jardin cultivé par les habitants.",
        is_public=True,
        acting_user=mentor,
    )
    Consent.objects.create(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.NETWORK_SHARING,
        given_at=timezone.now() - datetime.timedelta(days=1),
    )
    contact = ShowcaseContact.objects.create(
        card=card, sender_name="A", sender_email="a@example.org", message="Bonjour"
    )
    args = {
        "outreach:showcase_card": [card.public_id],
        "outreach:showcase_contact_handled": [contact.pk],
        "outreach:card_new": [beneficiary.public_id],
        "outreach:card_edit": [beneficiary.public_id, card.public_id],
        "outreach:card_delete": [beneficiary.public_id, card.public_id],
        "outreach:catalogue_project": [card.public_id],
    }.get(name, [])
    user = persona_user(request, persona)
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=args)

    response = client.post(url) if name in POSTED else client.get(url)

    assert response.status_code == MATRIX[name][PERSONAS.index(persona)], persona

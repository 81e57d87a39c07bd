"""Who reaches which outreach page or action: every beneficiaires:* URL, every persona.

The target record is beneficiary A (referent: `mentor`). Anonymous → login; a record out of
sight → 404; a role without the page or action → 403; another organisation's ids in a bulk
action → 400."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from beneficiaires.enums import ConsentPurpose
from beneficiaires.models import Consent
from tests.test_access_matrix import PERSONAS, login_as

# page → expected status per persona, in PERSONAS order:
# anonymous, beneficiary, other_beneficiary, mentor, other_mentor, coordinator,
# other_organization_coordinator, admin
GET_MATRIX = {
    "beneficiaires:list": [302, 403, 403, 200, 200, 200, 200, 200],
    "beneficiaires:board": [302, 403, 403, 200, 200, 200, 200, 200],
    "beneficiaires:export": [302, 403, 403, 403, 403, 200, 200, 200],
    "beneficiaires:create": [302, 403, 403, 403, 403, 200, 200, 200],
    "beneficiaires:import": [302, 403, 403, 403, 403, 200, 200, 200],
    "beneficiaires:import_template": [302, 403, 403, 403, 403, 200, 200, 200],
    # Nothing waiting for confirmation: back to the upload page.
    "beneficiaires:import_preview": [302, 403, 403, 403, 403, 302, 302, 302],
    "beneficiaires:detail": [302, 200, 404, 200, 404, 200, 404, 200],
    "beneficiaires:edit": [302, 403, 404, 403, 404, 200, 404, 200],
    "beneficiaires:merge": [302, 403, 404, 403, 404, 200, 404, 200],
}

POST_MATRIX = {
    # htmx answers: 200 with the updated control
    "beneficiaires:set_stage": [302, 403, 404, 200, 404, 200, 404, 200],
    "beneficiaires:set_priority": [302, 403, 404, 403, 404, 200, 404, 200],
    # forms: 302 back to the record once saved
    "beneficiaires:contact_add": [302, 403, 404, 302, 404, 302, 404, 302],
    "beneficiaires:consent_add": [302, 403, 404, 302, 404, 302, 404, 302],
    "beneficiaires:consent_withdraw": [302, 403, 404, 302, 404, 302, 404, 302],
    # another organisation's record in the selection: refused as a whole
    "beneficiaires:bulk": [302, 403, 403, 403, 403, 302, 400, 302],
    "beneficiaires:import_confirm": [302, 403, 403, 403, 403, 302, 302, 302],
}


def url_of(name, beneficiary):
    if name == "beneficiaires:consent_withdraw":
        return reverse(name, args=[beneficiary.public_id, ConsentPurpose.SUPPORT])
    if name in {
        "beneficiaires:detail",
        "beneficiaires:edit",
        "beneficiaires:merge",
        "beneficiaires:set_stage",
        "beneficiaires:set_priority",
        "beneficiaires:contact_add",
        "beneficiaires:consent_add",
    }:
        return reverse(name, args=[beneficiary.public_id])
    return reverse(name)


def post_data(name, beneficiary):
    now = timezone.localtime()
    return {
        "beneficiaires:set_stage": {"stage": "contacted", "view": "stage"},
        "beneficiaires:set_priority": {"priority": "1", "view": "priority"},
        "beneficiaires:contact_add": {
            "contacted_at": now.strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "outcome": "Premier appel",
        },
        "beneficiaires:consent_add": {
            "purpose": ConsentPurpose.CONTACT,
            "given_on": now.date().isoformat(),
        },
        "beneficiaires:consent_withdraw": {},
        "beneficiaires:bulk": {
            "action": "change_stage",
            "stage": "contacted",
            "ids": [str(beneficiary.public_id)],
        },
        "beneficiaires:import_confirm": {"token": "nothing-pending"},
    }[name]


@pytest.mark.parametrize("page", GET_MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_outreach_pages_access_matrix(
    client, request, page, persona, programme, beneficiary, other_beneficiary
):
    login_as(client, request, persona)
    url = url_of(page, beneficiary)

    response = client.get(url)

    expected = GET_MATRIX[page][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302 and persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    elif expected == 302:
        assert response.url == reverse("beneficiaires:import")


@pytest.mark.parametrize("action", POST_MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_outreach_actions_access_matrix(
    client, request, action, persona, programme, beneficiary, other_beneficiary, coordinator
):
    Consent.objects.create(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.SUPPORT,
        given_at=timezone.now(),
        recorded_by=coordinator,
    )
    login_as(client, request, persona)
    url = url_of(action, beneficiary)

    response = client.post(url, post_data(action, beneficiary), HTTP_HX_REQUEST="true")

    expected = POST_MATRIX[action][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302 and persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "action", ["beneficiaires:set_stage", "beneficiaires:contact_add", "beneficiaires:bulk"]
)
def test_refused_actions_change_nothing(
    client, other_organization_coordinator, beneficiary, action
):
    stage = beneficiary.stage
    client.force_login(other_organization_coordinator)

    client.post(url_of(action, beneficiary), post_data(action, beneficiary))

    beneficiary.refresh_from_db()
    assert beneficiary.stage == stage
    assert not beneficiary.contact_logs.exists()


def test_a_mentor_who_no_longer_follows_the_person_cannot_move_them(client, mentor, beneficiary):
    beneficiary.enrollments.update(status="completed")
    client.force_login(mentor)

    response = client.post(
        url_of("beneficiaires:set_stage", beneficiary), {"stage": "closed"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 403
    assert mentor.memberships.filter(role=Role.MENTOR).exists()

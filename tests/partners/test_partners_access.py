"""Who reaches which partner-network page: every URL name of "partners", every persona.

Partner information is shared by the whole network (every coordinator and mentor reads the
directory); referrals are internal: the structure that sent them and the beneficiary's
referent mentors, never the beneficiary.
"""

import pytest
from django.urls import reverse

from tests.partners.conftest import ReferralFactory

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

# URL name → expected status per persona, in PERSONAS order
MATRIX = {
    "partners:list": [302, 403, 403, 200, 200, 200, 200, 200],
    "partners:detail": [302, 403, 403, 200, 200, 200, 200, 200],
    "partners:create": [302, 403, 403, 403, 403, 200, 200, 200],
    "partners:edit": [302, 403, 403, 403, 403, 200, 403, 200],
    "partners:referrals": [302, 403, 403, 200, 200, 200, 200, 200],
    # beneficiary A is followed by `mentor`; `other_mentor` and the other structure do not see A
    "partners:referral_create": [302, 403, 403, 200, 404, 200, 404, 200],
    "partners:referral_update": [302, 403, 403, 200, 404, 200, 404, 200],
}


def page_url(name, partner, beneficiary, referral):
    args = {
        "partners:detail": [partner.public_id],
        "partners:edit": [partner.public_id],
        "partners:referral_create": [beneficiary.public_id],
        "partners:referral_update": [referral.public_id],
    }.get(name, [])
    return reverse(name, args=args)


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    user = value.user if persona in {"beneficiary", "other_beneficiary"} else value
    client.force_login(user)


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_partners_access_matrix(
    client, request, name, persona, partner, beneficiary, other_beneficiary
):
    referral = ReferralFactory(beneficiary=beneficiary, partner=partner)
    login_as(client, request, persona)
    url = page_url(name, partner, beneficiary, referral)

    response = client.get(url)

    expected = MATRIX[name][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302:
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["anonymous", "beneficiary", "other_mentor"])
def test_posting_a_referral_is_refused_like_reading(client, request, persona, beneficiary, partner):
    login_as(client, request, persona)
    url = reverse("partners:referral_create", args=[beneficiary.public_id])

    response = client.post(url, {"partner": partner.pk, "reason": "x", "sent_on": "2026-01-05"})

    assert (
        response.status_code == {"anonymous": 302, "beneficiary": 403, "other_mentor": 404}[persona]
    )
    assert not beneficiary.referrals.exists()


def test_support_organization_is_not_a_partner_page(client, coordinator, other_organization):
    client.force_login(coordinator)

    for name in ("partners:detail", "partners:edit"):
        response = client.get(reverse(name, args=[other_organization.public_id]))
        assert response.status_code == 404


def test_referral_of_another_structure_is_404_for_a_coordinator(
    client, other_organization_coordinator, beneficiary, partner
):
    referral = ReferralFactory(beneficiary=beneficiary, partner=partner)
    client.force_login(other_organization_coordinator)

    response = client.post(
        reverse("partners:referral_update", args=[referral.public_id]),
        {"status": "accepted", "answered_on": referral.sent_on.isoformat()},
    )

    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_former_mentor_no_longer_reaches_the_referral(client, mentor, beneficiary, partner):
    referral = ReferralFactory(beneficiary=beneficiary, partner=partner)
    mentor.memberships.update(is_active=False)
    client.force_login(mentor)

    response = client.get(reverse("partners:referral_update", args=[referral.public_id]))

    assert response.status_code == 403

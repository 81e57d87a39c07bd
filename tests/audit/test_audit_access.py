"""Who opens the access journal: coordinators (their organisations' entries), superusers (all).

Mentors, beneficiaries and partner staff get 403; anonymous people go to the login page."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

URL_NAMES = ["audit:journal", "audit:journal_export"]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.fixture
def partner_staff(db, organization):
    partner = OrganizationFactory(partner=True, steward=organization)
    return MembershipFactory(organization=partner, role=Role.MENTOR).user


@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("persona", ["beneficiary", "mentor", "other_mentor", "partner_staff"])
def test_other_roles_get_403(client, request, name, persona, entry_a):
    value = request.getfixturevalue(persona)
    client.force_login(getattr(value, "user", value))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", URL_NAMES)
def test_coordinator_sees_their_organisation_only(client, coordinator, entry_a, entry_b, name):
    client.force_login(coordinator)
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = body(response)
    assert "lecture-structure-A" in text
    assert "lecture-structure-B" not in text


@pytest.mark.parametrize("name", URL_NAMES)
def test_other_organisation_coordinator_sees_none_of_a(
    client, other_organization_coordinator, entry_a, entry_b, name
):
    client.force_login(other_organization_coordinator)
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = body(response)
    assert "lecture-structure-A" not in text
    assert "lecture-structure-B" in text


@pytest.mark.parametrize("name", URL_NAMES)
def test_superuser_sees_every_organisation(client, admin, entry_a, entry_b, name):
    client.force_login(admin)
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = body(response)
    assert "lecture-structure-A" in text
    assert "lecture-structure-B" in text


def test_an_entry_without_organisation_is_for_superusers_only(client, coordinator, admin, mentor):
    from audit.models import AuditAction
    from audit.services import audit_record

    audit_record(actor=mentor, action=AuditAction.READ, obj=mentor, summary="sans-structure")
    client.force_login(coordinator)
    assert "sans-structure" not in body(client.get(reverse("audit:journal")))
    client.force_login(admin)
    assert "sans-structure" in body(client.get(reverse("audit:journal")))


def test_coordinators_find_the_journal_in_their_menu(client, coordinator, mentor):
    client.force_login(coordinator)
    assert reverse("audit:journal") in body(client.get(reverse("core:home")))
    client.force_login(mentor)
    assert reverse("audit:journal") not in body(client.get(reverse("core:home")))

"""Writes through the API go through the pages' services, with their rules and messages."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.enums import OrganizationKind, Role
from accounts.models import Organization
from beneficiaires.enums import EnrollmentStatus, OutreachStage
from beneficiaires.models import Beneficiary, Enrollment
from diagnostics.models import NeedsDiagnostic
from programmes.enums import ProgrammeStatus
from tests.api.conftest import PERSONAS
from tests.factories import BeneficiaryFactory, MembershipFactory, OfferFactory


def message(response, msgid):
    """`msgid` as the service wrote it, in the language of the response."""
    with translation.override(response["Content-Language"]):
        return gettext(msgid)


# --- Beneficiaries -------------------------------------------------------------------------


def test_coordinator_creates_a_beneficiary(api_client, coordinator, organization, programme):
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("beneficiary-list"),
        {
            "name": "Collectif des Pentes",
            "kind": "residents_collective",
            "email": "collectif@example.org",
            "situation": "wants_to_act",
            "programme": str(programme.public_id),
            "stage": OutreachStage.CONTACTED,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    created = Beneficiary.objects.get(public_id=response.json()["id"])
    assert created.organization == organization
    assert created.created_by == coordinator
    assert created.programme == programme
    assert created.stage == OutreachStage.CONTACTED
    assert created.stage_changed_at is not None
    assert response.json()["organization"] == str(organization.public_id)
    assert response.json()["stage"] == OutreachStage.CONTACTED


def test_beneficiary_create_needs_a_name(api_client, coordinator, organization):
    api_client.force_login(coordinator)

    response = api_client.post(reverse("beneficiary-list"), {"email": "x@example.org"})

    assert response.status_code == 400
    assert set(response.json()) == {"name"}
    assert not Beneficiary.objects.filter(email="x@example.org").exists()


def test_beneficiary_create_in_another_structure_is_400(
    api_client, coordinator, other_organization
):
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("beneficiary-list"),
        {"name": "Quelqu'un", "organization": str(other_organization.public_id)},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"organization"}
    assert not Beneficiary.objects.filter(name="Quelqu'un").exists()


def test_coordinator_of_several_structures_names_the_structure(
    api_client, coordinator, organization, other_organization
):
    MembershipFactory(user=coordinator, organization=other_organization, role=Role.COORDINATOR)
    api_client.force_login(coordinator)
    url = reverse("beneficiary-list")

    missing = api_client.post(url, {"name": "Quelqu'un"}, format="json")
    named = api_client.post(
        url, {"name": "Quelqu'un", "organization": str(other_organization.public_id)}
    )

    assert missing.status_code == 400
    assert set(missing.json()) == {"organization"}
    assert named.status_code == 201
    assert Beneficiary.objects.get(name="Quelqu'un").organization == other_organization


# POST beneficiary-list, per persona: who may create a record.
CREATE_BENEFICIARY = [403, 403, 403, 403, 403, 201, 201, 400]


@pytest.mark.parametrize("persona", PERSONAS)
def test_beneficiary_create_matrix(
    api_client, login, persona, beneficiary, other_beneficiary, other_organization
):
    login(persona)

    response = api_client.post(reverse("beneficiary-list"), {"name": "Nouvelle personne"})

    # The administrator coordinates no structure: they must name one (400 without it).
    assert response.status_code == CREATE_BENEFICIARY[PERSONAS.index(persona)]


def test_coordinator_updates_a_beneficiary(api_client, coordinator, beneficiary):
    api_client.force_login(coordinator)

    response = api_client.patch(
        reverse("beneficiary-detail", args=[beneficiary.public_id]),
        {"phone": "04 78 00 00 00", "stage": OutreachStage.DIAGNOSED, "priority": 1},
        format="json",
    )

    assert response.status_code == 200, response.json()
    beneficiary.refresh_from_db()
    assert beneficiary.phone == "04 78 00 00 00"
    assert beneficiary.stage == OutreachStage.DIAGNOSED
    assert beneficiary.stage_changed_at is not None
    assert beneficiary.priority == 1
    assert response.json()["phone"] == "04 78 00 00 00"


def test_beneficiary_update_cannot_move_the_record_to_another_structure(
    api_client, coordinator, beneficiary, other_organization, organization
):
    api_client.force_login(coordinator)

    response = api_client.patch(
        reverse("beneficiary-detail", args=[beneficiary.public_id]),
        {"organization": str(other_organization.public_id)},
        format="json",
    )

    assert response.status_code == 200
    beneficiary.refresh_from_db()
    assert beneficiary.organization == organization


def test_beneficiary_update_with_an_invalid_email_is_400(api_client, coordinator, beneficiary):
    api_client.force_login(coordinator)

    response = api_client.patch(
        reverse("beneficiary-detail", args=[beneficiary.public_id]),
        {"email": "pas-un-email"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"email"}


# PATCH beneficiary-detail of beneficiary A, per persona.
UPDATE_BENEFICIARY = [403, 403, 404, 403, 404, 200, 404, 200]


@pytest.mark.parametrize("persona", PERSONAS)
def test_beneficiary_update_matrix(api_client, login, persona, beneficiary, other_beneficiary):
    login(persona)

    response = api_client.patch(
        reverse("beneficiary-detail", args=[beneficiary.public_id]),
        {"territory": "Croix-Rousse"},
        format="json",
    )

    assert response.status_code == UPDATE_BENEFICIARY[PERSONAS.index(persona)]
    beneficiary.refresh_from_db()
    assert (beneficiary.territory == "Croix-Rousse") is (response.status_code == 200)


def test_a_beneficiary_does_not_read_the_teams_outreach_data(
    api_client, beneficiary, mentor, coordinator
):
    url = reverse("beneficiary-detail", args=[beneficiary.public_id])
    beneficiary.notes = "Hésite à s'engager."
    beneficiary.save()

    api_client.force_login(beneficiary.user)
    own = api_client.get(url).json()
    api_client.force_login(mentor)
    as_mentor = api_client.get(url).json()

    assert own["name"] == beneficiary.name
    assert not {"stage", "priority", "notes", "source"} & set(own)
    assert as_mentor["notes"] == "Hésite à s'engager."


# --- Enrollments ---------------------------------------------------------------------------


@pytest.fixture
def newcomer(organization):
    """A beneficiary of the structure, not enrolled yet."""
    return BeneficiaryFactory(organization=organization)


def test_coordinator_enrolls_through_the_service(api_client, coordinator, newcomer, offer, mentor):
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("enrollment-list"),
        {
            "beneficiary": str(newcomer.public_id),
            "offer": str(offer.public_id),
            "referent_mentor": str(mentor.public_id),
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    enrollment = Enrollment.objects.get(public_id=response.json()["id"])
    assert (enrollment.beneficiary, enrollment.offer) == (newcomer, offer)
    assert enrollment.referent_mentor == mentor
    assert enrollment.created_by == coordinator
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert response.json()["programme"] == str(offer.programme.public_id)


def test_duplicate_enrollment_is_400_with_the_services_message(
    api_client, coordinator, beneficiary, offer
):
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("enrollment-list"),
        {"beneficiary": str(beneficiary.public_id), "offer": str(offer.public_id)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            message(response, "This beneficiary is already enrolled in this offer.")
        ]
    }
    assert beneficiary.enrollments.count() == 1


def test_enrollment_in_a_closed_programme_is_400(
    api_client, coordinator, newcomer, offer, programme
):
    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("enrollment-list"),
        {"beneficiary": str(newcomer.public_id), "offer": str(offer.public_id)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        message(response, "This programme is closed: no new enrollment is possible.")
    ]


def test_referencing_a_beneficiary_of_another_organisation_is_400(
    api_client, coordinator, offer, other_organization
):
    stranger = BeneficiaryFactory(organization=other_organization)
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("enrollment-list"),
        {"beneficiary": str(stranger.public_id), "offer": str(offer.public_id)},
        format="json",
    )

    assert response.status_code == 400
    # The same answer as for an id that exists nowhere: nothing leaks.
    assert set(response.json()) == {"beneficiary"}
    assert str(stranger.public_id) in response.json()["beneficiary"][0]
    assert not stranger.enrollments.exists()


def test_referencing_an_offer_of_another_organisation_is_400(
    api_client, coordinator, newcomer, other_organization
):
    foreign_offer = OfferFactory(programme__organization=other_organization)
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("enrollment-list"),
        {"beneficiary": str(newcomer.public_id), "offer": str(foreign_offer.public_id)},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"offer"}


def test_an_id_that_is_not_a_uuid_is_400(api_client, coordinator, offer):
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("enrollment-list"),
        {"beneficiary": "42", "offer": str(offer.public_id)},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"beneficiary"}


def test_mentor_cannot_enroll(api_client, mentor, newcomer, offer):
    api_client.force_login(mentor)

    response = api_client.post(
        reverse("enrollment-list"),
        {"beneficiary": str(newcomer.public_id), "offer": str(offer.public_id)},
        format="json",
    )

    assert response.status_code == 403
    assert not newcomer.enrollments.exists()


def test_mentor_cannot_enroll_even_a_person_they_follow(api_client, mentor, beneficiary):
    other_offer = OfferFactory(programme=beneficiary.enrollments.get().offer.programme)
    api_client.force_login(mentor)

    response = api_client.post(
        reverse("enrollment-list"),
        {"beneficiary": str(beneficiary.public_id), "offer": str(other_offer.public_id)},
        format="json",
    )

    assert response.status_code == 403
    assert beneficiary.enrollments.count() == 1


def test_enrollment_with_a_mentor_of_another_structure_is_400(
    api_client, coordinator, newcomer, offer, other_organization
):
    outsider = MembershipFactory(organization=other_organization, role=Role.MENTOR).user
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("enrollment-list"),
        {
            "beneficiary": str(newcomer.public_id),
            "offer": str(offer.public_id),
            "referent_mentor": str(outsider.public_id),
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"referent_mentor"}


# POST enrollment-list with a newcomer of `organization`, per persona.
CREATE_ENROLLMENT = [403, 403, 403, 403, 403, 201, 400, 201]


@pytest.mark.parametrize("persona", PERSONAS)
def test_enrollment_create_matrix(api_client, login, persona, newcomer, offer, beneficiary):
    login(persona)

    response = api_client.post(
        reverse("enrollment-list"),
        {"beneficiary": str(newcomer.public_id), "offer": str(offer.public_id)},
        format="json",
    )

    # Another structure's coordinator does not see the newcomer: 400 "does not exist".
    assert response.status_code == CREATE_ENROLLMENT[PERSONAS.index(persona)]


# --- Diagnostics ---------------------------------------------------------------------------


def test_referent_mentor_records_a_diagnostic_with_needs(api_client, mentor, beneficiary, themes):
    api_client.force_login(mentor)

    response = api_client.post(
        reverse("diagnostic-list"),
        {
            "beneficiary": str(beneficiary.public_id),
            "method": "interview",
            "held_on": "2026-10-01",
            "expectations": "Monter une association de quartier.",
            "needs": [
                {"theme": themes[0].name, "priority": 1, "description": "Statuts"},
                {"theme": themes[2].name},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    diagnostic = NeedsDiagnostic.objects.get(public_id=response.json()["id"])
    assert diagnostic.beneficiary == beneficiary
    assert diagnostic.conducted_by == mentor
    assert {(n.theme, n.priority) for n in diagnostic.needs.all()} == {
        (themes[0], 1),
        (themes[2], 2),
    }
    assert [need["theme"] for need in response.json()["needs"]] == [
        themes[0].name,
        themes[2].name,
    ]


def test_diagnostic_with_an_unknown_theme_is_400(api_client, coordinator, beneficiary, themes):
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("diagnostic-list"),
        {
            "beneficiary": str(beneficiary.public_id),
            "method": "survey",
            "held_on": "2026-10-01",
            "needs": [{"theme": themes[0].name}, {"theme": "N'existe pas"}],
        },
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()["needs"]
    assert errors[0] == {}
    assert set(errors[1]) == {"theme"}
    assert not NeedsDiagnostic.objects.exists()


def test_diagnostic_conducted_by_someone_outside_the_structure_is_400(
    api_client, coordinator, beneficiary, other_organization
):
    # A person of another structure the coordinator also belongs to.
    MembershipFactory(user=coordinator, organization=other_organization, role=Role.MENTOR)
    outsider = MembershipFactory(organization=other_organization, role=Role.MENTOR).user
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("diagnostic-list"),
        {
            "beneficiary": str(beneficiary.public_id),
            "method": "interview",
            "held_on": "2026-10-01",
            "conducted_by": str(outsider.public_id),
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"conducted_by"}


# POST diagnostic-list for beneficiary A, per persona: the structure's coordinators and the
# referent mentor; other_mentor does not see A (400 "does not exist"), nor does the other
# structure's coordinator.
CREATE_DIAGNOSTIC = [403, 403, 403, 201, 400, 201, 400, 201]


@pytest.mark.parametrize("persona", PERSONAS)
def test_diagnostic_create_matrix(api_client, login, persona, beneficiary, other_beneficiary):
    login(persona)

    response = api_client.post(
        reverse("diagnostic-list"),
        {"beneficiary": str(beneficiary.public_id), "method": "survey", "held_on": "2026-10-01"},
        format="json",
    )

    assert response.status_code == CREATE_DIAGNOSTIC[PERSONAS.index(persona)]


def test_coordinator_of_enrolling_programme_sees_but_may_not_diagnose(
    api_client, other_organization_coordinator, other_organization, beneficiary, mentor
):
    """A coordinator sees a person enrolled in their programme, but diagnosing is for the
    person's own structure: 403, not 400."""
    from tests.factories import EnrollmentFactory

    EnrollmentFactory(beneficiary=beneficiary, offer__programme__organization=other_organization)
    api_client.force_login(other_organization_coordinator)

    response = api_client.post(
        reverse("diagnostic-list"),
        {"beneficiary": str(beneficiary.public_id), "method": "survey", "held_on": "2026-10-01"},
        format="json",
    )

    assert response.status_code == 403


# --- Partners ------------------------------------------------------------------------------


def test_coordinator_adds_a_partner_for_their_structure(api_client, coordinator, organization):
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("partner-list"),
        {"name": "Mission locale", "partner_kind": "public_service", "territory": "Lyon"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    partner = Organization.objects.get(public_id=response.json()["id"])
    assert partner.kind == OrganizationKind.PARTNER
    assert partner.steward == organization
    assert response.json()["steward"] == str(organization.public_id)


def test_partner_with_a_name_already_used_is_400(api_client, coordinator, partner):
    api_client.force_login(coordinator)

    response = api_client.post(
        reverse("partner-list"),
        {"name": partner.name.upper(), "partner_kind": "association"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"name"}


# POST partner-list, per persona.
CREATE_PARTNER = [403, 403, 403, 403, 403, 201, 201, 400]


@pytest.mark.parametrize("persona", PERSONAS)
def test_partner_create_matrix(
    api_client, login, persona, beneficiary, other_beneficiary, other_organization
):
    login(persona)

    response = api_client.post(
        reverse("partner-list"),
        {"name": f"Partenaire de {persona}", "partner_kind": "association"},
        format="json",
    )

    # The administrator keeps no entry of their own: they name the steward (400 without it).
    assert response.status_code == CREATE_PARTNER[PERSONAS.index(persona)]


# PATCH partner-detail of a partner kept by `organization`, per persona.
UPDATE_PARTNER = [403, 403, 403, 403, 403, 200, 403, 200]


@pytest.mark.parametrize("persona", PERSONAS)
def test_partner_update_matrix(
    api_client, login, persona, partner, themes, beneficiary, other_beneficiary
):
    partner.partner_themes.add(themes[0])
    login(persona)

    response = api_client.patch(
        reverse("partner-detail", args=[partner.public_id]),
        {"contact_name": "Awa Diallo"},
        format="json",
    )

    assert response.status_code == UPDATE_PARTNER[PERSONAS.index(persona)]
    partner.refresh_from_db()
    assert (partner.contact_name == "Awa Diallo") is (response.status_code == 200)
    # Themes are not set through the API: a PATCH keeps them.
    assert list(partner.partner_themes.all()) == [themes[0]]

"""Bulk actions on the table: all the selected rows, or none."""

import pytest
from django.urls import reverse

from beneficiaires.enums import OutreachStage
from beneficiaires.models import Beneficiary, Enrollment
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def post(client, **data):
    return client.post(reverse("beneficiaires:bulk"), data)


def test_change_stage_of_the_selection(client, coordinator, organization):
    records = BeneficiaryFactory.create_batch(3, organization=organization)
    untouched = BeneficiaryFactory(organization=organization)
    client.force_login(coordinator)

    response = post(
        client,
        action="change_stage",
        stage="declined",
        ids=[str(r.public_id) for r in records],
        next=reverse("beneficiaires:list") + "?stage=to_contact",
    )

    assert response.status_code == 302
    assert response.url == reverse("beneficiaires:list") + "?stage=to_contact"
    assert set(
        Beneficiary.objects.filter(pk__in=[r.pk for r in records]).values_list("stage", flat=True)
    ) == {OutreachStage.DECLINED}
    assert Beneficiary.objects.get(pk=untouched.pk).stage == OutreachStage.TO_CONTACT


def test_ids_of_another_organisation_are_refused_and_nothing_changes(
    client, coordinator, organization, other_organization
):
    mine = BeneficiaryFactory(organization=organization)
    foreign = BeneficiaryFactory(organization=other_organization)
    client.force_login(coordinator)

    response = post(
        client,
        action="change_stage",
        stage="closed",
        ids=[str(mine.public_id), str(foreign.public_id)],
    )

    assert response.status_code == 400
    assert Beneficiary.objects.get(pk=mine.pk).stage == OutreachStage.TO_CONTACT
    assert Beneficiary.objects.get(pk=foreign.pk).stage == OutreachStage.TO_CONTACT


def test_unknown_ids_are_refused(client, coordinator, organization):
    mine = BeneficiaryFactory(organization=organization)
    client.force_login(coordinator)

    response = post(
        client,
        action="change_stage",
        stage="closed",
        ids=[str(mine.public_id), "00000000-0000-0000-0000-000000000000"],
    )

    assert response.status_code == 400
    assert Beneficiary.objects.get(pk=mine.pk).stage == OutreachStage.TO_CONTACT


def test_a_redirect_target_outside_the_site_is_ignored(client, coordinator, beneficiary):
    client.force_login(coordinator)

    response = post(
        client,
        action="change_stage",
        stage="closed",
        ids=[str(beneficiary.public_id)],
        next="https://evil.example.com/",
    )

    assert response.url == reverse("beneficiaires:list")


def test_assign_a_referent_mentor(
    client, coordinator, beneficiary, other_beneficiary, other_mentor
):
    client.force_login(coordinator)

    response = post(
        client,
        action="assign_mentor",
        mentor=str(other_mentor.public_id),
        ids=[str(beneficiary.public_id), str(other_beneficiary.public_id)],
    )

    assert response.status_code == 302
    assert set(
        Enrollment.objects.filter(beneficiary__in=[beneficiary, other_beneficiary]).values_list(
            "referent_mentor", flat=True
        )
    ) == {other_mentor.pk}


def test_assign_without_a_mentor_changes_nothing(client, coordinator, beneficiary, mentor):
    client.force_login(coordinator)

    response = post(client, action="assign_mentor", ids=[str(beneficiary.public_id)])

    assert response.status_code == 302
    assert Enrollment.objects.get(beneficiary=beneficiary).referent_mentor == mentor


def test_a_mentor_of_another_structure_is_not_offered(
    client, coordinator, beneficiary, mentor, other_organization
):
    from accounts.enums import Role
    from tests.factories import MembershipFactory

    outsider = MembershipFactory(organization=other_organization, role=Role.MENTOR).user
    client.force_login(coordinator)

    post(
        client,
        action="assign_mentor",
        mentor=str(outsider.public_id),
        ids=[str(beneficiary.public_id)],
    )

    assert Enrollment.objects.get(beneficiary=beneficiary).referent_mentor == mentor


def test_export_the_selection(client, coordinator, organization):
    chosen = BeneficiaryFactory(organization=organization, name="Choisi")
    BeneficiaryFactory(organization=organization, name="Pas choisi")
    client.force_login(coordinator)

    response = post(client, action="export", ids=[str(chosen.public_id)])

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Choisi" in body
    assert "Pas choisi" not in body


def test_mentors_cannot_use_bulk_actions(client, mentor, beneficiary):
    client.force_login(mentor)

    response = post(client, action="change_stage", stage="closed", ids=[str(beneficiary.public_id)])

    assert response.status_code == 403
    assert Beneficiary.objects.get(pk=beneficiary.pk).stage == OutreachStage.TO_CONTACT

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import OrganizationKind, Role
from accounts.models import Organization
from partners.enums import ReferralStatus
from partners.models import Referral
from partners.services import (
    partner_create,
    partner_update,
    referral_create,
    referral_record_answer,
)
from tests.factories import MembershipFactory, ProgrammeFactory, ThemeFactory
from tests.partners.conftest import ReferralFactory, days_ago

pytestmark = pytest.mark.django_db


# Referrals: creation


def test_coordinator_refers_a_beneficiary_on_behalf_of_their_structure(
    coordinator, beneficiary, partner, programme
):
    referral = referral_create(
        beneficiary=beneficiary,
        partner=partner,
        programme=programme,
        reason="  Besoin d'un local associatif.  ",
        acting_user=coordinator,
    )

    referral.refresh_from_db()
    assert referral.referring_organization_id == beneficiary.organization_id
    assert referral.status == ReferralStatus.SENT
    assert referral.sent_on == timezone.localdate()
    assert referral.answered_on is None
    assert referral.reason == "Besoin d'un local associatif."
    assert referral.created_by == coordinator
    assert referral.programme == programme


def test_referent_mentor_may_refer_the_beneficiary_they_follow(mentor, beneficiary, partner):
    referral = referral_create(
        beneficiary=beneficiary,
        partner=partner,
        reason="Orientation vers un accompagnement juridique.",
        sent_on=days_ago(2),
        acting_user=mentor,
    )

    assert referral.sent_on == days_ago(2)
    assert referral.referring_organization_id == beneficiary.organization_id


@pytest.mark.parametrize("persona", ["other_mentor", "other_organization_coordinator"])
def test_who_does_not_follow_the_beneficiary_may_not_refer_them(
    request, persona, beneficiary, partner
):
    with pytest.raises(PermissionDenied):
        referral_create(
            beneficiary=beneficiary,
            partner=partner,
            reason="x",
            acting_user=request.getfixturevalue(persona),
        )
    assert not Referral.objects.exists()


def test_the_beneficiary_may_not_refer_themself(beneficiary, partner):
    with pytest.raises(PermissionDenied):
        referral_create(
            beneficiary=beneficiary, partner=partner, reason="x", acting_user=beneficiary.user
        )


def test_a_former_mentor_may_not_refer(mentor, beneficiary, partner):
    mentor.memberships.update(is_active=False)

    with pytest.raises(PermissionDenied):
        referral_create(beneficiary=beneficiary, partner=partner, reason="x", acting_user=mentor)


def test_referral_to_a_support_structure_is_refused(coordinator, beneficiary, other_organization):
    with pytest.raises(ValidationError) as error:
        referral_create(
            beneficiary=beneficiary,
            partner=other_organization,
            reason="x",
            acting_user=coordinator,
        )
    assert "partner" in error.value.message_dict


def test_programme_of_another_structure_is_refused(
    coordinator, beneficiary, partner, other_organization
):
    foreign = ProgrammeFactory(organization=other_organization)

    with pytest.raises(ValidationError) as error:
        referral_create(
            beneficiary=beneficiary,
            partner=partner,
            programme=foreign,
            reason="x",
            acting_user=coordinator,
        )
    assert "programme" in error.value.message_dict


def test_a_referral_cannot_be_sent_in_the_future(coordinator, beneficiary, partner):
    with pytest.raises(ValidationError) as error:
        referral_create(
            beneficiary=beneficiary,
            partner=partner,
            reason="x",
            sent_on=days_ago(-1),
            acting_user=coordinator,
        )
    assert "sent_on" in error.value.message_dict


def test_a_second_pending_referral_to_the_same_partner_is_refused(
    coordinator, beneficiary, partner
):
    ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(10))

    with pytest.raises(ValidationError) as error:
        referral_create(
            beneficiary=beneficiary, partner=partner, reason="x", acting_user=coordinator
        )
    assert "partner" in error.value.message_dict
    assert Referral.objects.count() == 1


def test_after_an_answer_the_beneficiary_may_be_referred_again(coordinator, beneficiary, partner):
    ReferralFactory(
        beneficiary=beneficiary,
        partner=partner,
        sent_on=days_ago(30),
        status=ReferralStatus.DECLINED,
        answered_on=days_ago(20),
    )

    referral_create(beneficiary=beneficiary, partner=partner, reason="x", acting_user=coordinator)

    assert Referral.objects.count() == 2


# Referrals: the partner's answer


def test_coordinator_records_an_acceptance(coordinator, referral):
    referral_record_answer(
        referral=referral,
        status=ReferralStatus.ACCEPTED,
        answer_notes=" Premier rendez-vous le 12. ",
        acting_user=coordinator,
    )

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.answered_on == timezone.localdate()
    assert referral.answer_notes == "Premier rendez-vous le 12."


def test_referent_mentor_records_that_no_answer_came(mentor, referral):
    referral_record_answer(
        referral=referral,
        status=ReferralStatus.NO_ANSWER,
        answered_on=referral.sent_on,
        acting_user=mentor,
    )

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NO_ANSWER
    assert referral.answered_on == referral.sent_on


def test_an_answer_before_the_referral_was_sent_is_refused(coordinator, referral):
    with pytest.raises(ValidationError) as error:
        referral_record_answer(
            referral=referral,
            status=ReferralStatus.ACCEPTED,
            answered_on=days_ago(4),
            acting_user=coordinator,
        )

    assert "answered_on" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.answered_on is None


def test_an_answer_in_the_future_is_refused(coordinator, referral):
    with pytest.raises(ValidationError) as error:
        referral_record_answer(
            referral=referral,
            status=ReferralStatus.DECLINED,
            answered_on=days_ago(-1),
            acting_user=coordinator,
        )
    assert "answered_on" in error.value.message_dict


def test_sent_is_not_an_answer(coordinator, referral):
    with pytest.raises(ValidationError) as error:
        referral_record_answer(
            referral=referral, status=ReferralStatus.SENT, acting_user=coordinator
        )
    assert "status" in error.value.message_dict


def test_database_refuses_an_answer_before_sending(referral):
    referral.answered_on = days_ago(4)
    with pytest.raises(IntegrityError), transaction.atomic():
        referral.save()


@pytest.mark.parametrize(
    "persona", ["other_mentor", "other_organization_coordinator", "beneficiary"]
)
def test_who_does_not_see_the_referral_may_not_answer(request, persona, referral):
    value = request.getfixturevalue(persona)
    user = value.user if persona == "beneficiary" else value

    with pytest.raises(PermissionDenied):
        referral_record_answer(referral=referral, status=ReferralStatus.ACCEPTED, acting_user=user)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


# Partner entries


def test_coordinator_adds_a_partner_kept_by_their_structure(coordinator, organization, themes):
    partner = partner_create(
        name=" Maison de l'emploi ",
        partner_kind="public_service",
        steward=organization,
        territory="Villeurbanne",
        themes=themes[:2],
        acting_user=coordinator,
    )

    partner.refresh_from_db()
    assert partner.kind == OrganizationKind.PARTNER
    assert partner.name == "Maison de l'emploi"
    assert partner.steward == organization
    assert set(partner.partner_themes.all()) == set(themes[:2])


def test_a_partner_name_already_in_the_network_is_refused_whatever_the_case(
    coordinator, organization, partner
):
    with pytest.raises(ValidationError) as error:
        partner_create(
            name=partner.name.upper(),
            partner_kind="association",
            steward=organization,
            acting_user=coordinator,
        )
    assert "name" in error.value.message_dict
    assert Organization.objects.filter(name__iexact=partner.name).count() == 1


def test_mentor_may_not_add_a_partner(mentor, organization):
    with pytest.raises(PermissionDenied):
        partner_create(
            name="Nouveau", partner_kind="company", steward=organization, acting_user=mentor
        )


def test_coordinator_may_not_give_a_partner_to_another_structure(coordinator, other_organization):
    with pytest.raises(PermissionDenied):
        partner_create(
            name="Nouveau",
            partner_kind="company",
            steward=other_organization,
            acting_user=coordinator,
        )


def test_themes_of_another_structure_are_refused(coordinator, organization, other_organization):
    foreign = ThemeFactory(organization=other_organization)

    with pytest.raises(ValidationError) as error:
        partner_create(
            name="Nouveau",
            partner_kind="company",
            steward=organization,
            themes=[foreign],
            acting_user=coordinator,
        )
    assert "themes" in error.value.message_dict


def test_editing_keeps_the_themes_other_structures_gave(
    coordinator, partner, themes, other_organization
):
    foreign = ThemeFactory(organization=other_organization, name="Emploi")
    partner.partner_themes.set([themes[0], foreign])

    partner_update(
        partner=partner,
        name="Centre social des Pentes",
        partner_kind="association",
        description="Nouvelle description",
        themes=[themes[1]],
        acting_user=coordinator,
    )

    partner.refresh_from_db()
    assert partner.description == "Nouvelle description"
    assert set(partner.partner_themes.all()) == {themes[1], foreign}


def test_only_the_steward_coordinators_edit_a_partner(other_organization_coordinator, partner):
    with pytest.raises(PermissionDenied):
        partner_update(
            partner=partner,
            name="Autre nom",
            partner_kind="association",
            acting_user=other_organization_coordinator,
        )


def test_a_coordinator_of_two_structures_chooses_the_steward(coordinator, other_organization):
    MembershipFactory(user=coordinator, organization=other_organization, role=Role.COORDINATOR)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)

    partner = partner_create(
        name="Fondation locale",
        partner_kind="funder",
        steward=other_organization,
        acting_user=coordinator,
    )

    assert partner.steward == other_organization


def test_editing_keeps_an_inactive_theme(coordinator, partner, themes):
    themes[0].is_active = False
    themes[0].save()
    partner.partner_themes.set([themes[0]])

    partner_update(
        partner=partner,
        name=partner.name,
        partner_kind="association",
        themes=[themes[1]],
        acting_user=coordinator,
    )

    assert set(partner.partner_themes.all()) == {themes[0], themes[1]}

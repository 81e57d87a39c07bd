import pytest

from partners.enums import ReferralStatus
from partners.models import Referral
from partners.selectors import unanswered_referrals_for
from tests.factories import BeneficiaryFactory, ProgrammeFactory
from tests.partners.conftest import ReferralFactory, days_ago

pytestmark = pytest.mark.django_db


def test_six_days_is_not_yet_unanswered(coordinator, beneficiary, partner):
    ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(6))

    assert list(unanswered_referrals_for(coordinator)) == []


def test_seven_days_without_answer_is_flagged(coordinator, beneficiary, partner):
    referral = ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(7))

    assert list(unanswered_referrals_for(coordinator)) == [referral]
    assert referral.is_unanswered
    assert referral.days_waiting == 7


def test_an_answered_referral_is_not_flagged(coordinator, beneficiary, partner):
    ReferralFactory(
        beneficiary=beneficiary,
        partner=partner,
        sent_on=days_ago(20),
        status=ReferralStatus.DECLINED,
        answered_on=days_ago(15),
    )

    assert list(unanswered_referrals_for(coordinator)) == []


def test_referrals_of_another_structure_are_not_visible(coordinator, other_organization, partner):
    stranger = BeneficiaryFactory(organization=other_organization)
    ReferralFactory(beneficiary=stranger, partner=partner, sent_on=days_ago(10))

    assert list(unanswered_referrals_for(coordinator)) == []


def test_oldest_first_with_beneficiary_and_partner_loaded(
    coordinator, beneficiary, other_beneficiary, partner, django_assert_num_queries
):
    recent = ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(8))
    old = ReferralFactory(beneficiary=other_beneficiary, partner=partner, sent_on=days_ago(12))
    coordinator.organization_ids_with_role("coordinator")
    coordinator.organization_ids_with_role("mentor")

    with django_assert_num_queries(1):
        rows = [
            (r, r.beneficiary.name, r.partner.name) for r in unanswered_referrals_for(coordinator)
        ]

    assert [row[0] for row in rows] == [old, recent]


def test_a_mentor_sees_only_the_beneficiaries_they_follow(
    mentor, beneficiary, other_beneficiary, partner
):
    mine = ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(9))
    ReferralFactory(beneficiary=other_beneficiary, partner=partner, sent_on=days_ago(9))

    assert list(unanswered_referrals_for(mentor)) == [mine]


def test_a_beneficiary_never_sees_referrals(beneficiary, partner):
    ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(9))

    assert list(unanswered_referrals_for(beneficiary.user)) == []
    assert not Referral.objects.visible_to(beneficiary.user).exists()


def test_by_programme(coordinator, organization, beneficiary, partner, programme):
    other_programme = ProgrammeFactory(organization=organization)
    mine = ReferralFactory(
        beneficiary=beneficiary, partner=partner, programme=programme, sent_on=days_ago(9)
    )
    ReferralFactory(
        beneficiary=beneficiary,
        partner=partner,
        programme=other_programme,
        sent_on=days_ago(9),
    )

    assert list(unanswered_referrals_for(coordinator, programme=programme)) == [mine]
    assert unanswered_referrals_for(coordinator).count() == 2


def test_a_referent_in_two_enrollments_sees_each_referral_once(mentor, beneficiary, partner):
    from tests.factories import EnrollmentFactory, OfferFactory

    second_offer = OfferFactory(programme=beneficiary.enrollments.get().offer.programme)
    EnrollmentFactory(beneficiary=beneficiary, offer=second_offer, referent_mentor=mentor)
    ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(9))

    assert unanswered_referrals_for(mentor).count() == 1

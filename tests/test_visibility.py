"""visible_to(user) on each QuerySet: the rule every page and endpoint starts from."""

import pytest
from django.contrib.auth.models import AnonymousUser

from beneficiaires.models import Beneficiary, Enrollment
from programmes.models import Offer, Programme
from tests.factories import OfferFactory, ProgrammeFactory


@pytest.fixture
def foreign_programme(other_organization):
    return ProgrammeFactory(organization=other_organization)


@pytest.mark.django_db
def test_coordinator_sees_only_their_organisation_programmes(
    coordinator, programme, foreign_programme
):
    assert list(Programme.objects.visible_to(coordinator)) == [programme]


@pytest.mark.django_db
def test_mentor_sees_programmes_they_take_part_in(mentor, programme, foreign_programme):
    ProgrammeFactory(organization=programme.organization)  # same structure, not involved
    OfferFactory(programme=programme).mentors.add(mentor)
    assert list(Programme.objects.visible_to(mentor)) == [programme]


@pytest.mark.django_db
def test_beneficiary_sees_only_the_programme_they_are_enrolled_in(
    beneficiary, programme, foreign_programme
):
    ProgrammeFactory(organization=programme.organization)
    assert list(Programme.objects.visible_to(beneficiary.user)) == [programme]
    assert list(Offer.objects.visible_to(beneficiary.user)) == list(programme.offers.all())


@pytest.mark.django_db
def test_mentor_sees_only_the_beneficiaries_they_follow(mentor, beneficiary, other_beneficiary):
    assert list(Beneficiary.objects.visible_to(mentor)) == [beneficiary]
    assert [e.beneficiary for e in Enrollment.objects.visible_to(mentor)] == [beneficiary]


@pytest.mark.django_db
def test_beneficiary_sees_only_themselves(beneficiary, other_beneficiary):
    assert list(Beneficiary.objects.visible_to(beneficiary.user)) == [beneficiary]
    assert [e.beneficiary for e in Enrollment.objects.visible_to(beneficiary.user)] == [beneficiary]


@pytest.mark.django_db
def test_coordinator_sees_the_beneficiaries_of_their_structure(
    coordinator, other_organization_coordinator, beneficiary, other_beneficiary
):
    assert set(Beneficiary.objects.visible_to(coordinator)) == {beneficiary, other_beneficiary}
    assert not Beneficiary.objects.visible_to(other_organization_coordinator).exists()


@pytest.mark.django_db
def test_anonymous_sees_nothing(programme, beneficiary):
    anonymous = AnonymousUser()
    assert not Programme.objects.visible_to(anonymous).exists()
    assert not Beneficiary.objects.visible_to(anonymous).exists()
    assert not Enrollment.objects.visible_to(anonymous).exists()


@pytest.mark.django_db
def test_an_inactive_membership_gives_no_access(coordinator, programme):
    coordinator.memberships.update(is_active=False)
    coordinator.refresh_from_db()
    assert not Programme.objects.visible_to(coordinator).exists()

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.enums import Role
from beneficiaires.enums import EnrollmentStatus
from beneficiaires.models import Enrollment
from beneficiaires.services import enrollment_create
from programmes.enums import ProgrammeStatus
from tests.factories import BeneficiaryFactory, EnrollmentFactory, MembershipFactory


@pytest.mark.django_db
def test_database_refuses_a_second_active_enrollment_in_the_same_offer(beneficiary, offer):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrollmentFactory(beneficiary=beneficiary, offer=offer)


@pytest.mark.django_db
def test_a_withdrawn_enrollment_does_not_block_a_new_one(beneficiary, offer):
    Enrollment.objects.filter(beneficiary=beneficiary).update(status=EnrollmentStatus.WITHDRAWN)

    EnrollmentFactory(beneficiary=beneficiary, offer=offer)

    assert Enrollment.objects.filter(beneficiary=beneficiary).count() == 2


@pytest.mark.django_db
def test_database_refuses_an_enrollment_ending_before_it_starts(beneficiary, offer):
    enrollment = Enrollment.objects.get(beneficiary=beneficiary)
    enrollment.ended_on = enrollment.started_on.replace(year=enrollment.started_on.year - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        enrollment.save()


@pytest.mark.django_db
def test_coordinator_enrolls_a_beneficiary_with_a_referent(
    coordinator, organization, offer, mentor
):
    person = BeneficiaryFactory(organization=organization)

    enrollment = enrollment_create(
        beneficiary=person, offer=offer, referent_mentor=mentor, acting_user=coordinator
    )

    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.created_by == coordinator
    assert enrollment.referent_mentor == mentor


@pytest.mark.django_db
def test_enrolling_twice_is_a_clear_error(coordinator, beneficiary, offer):
    with pytest.raises(ValidationError) as excinfo:
        enrollment_create(beneficiary=beneficiary, offer=offer, acting_user=coordinator)
    assert excinfo.value.code == "duplicate"


@pytest.mark.django_db
def test_coordinator_of_another_organisation_cannot_enroll(
    other_organization_coordinator, organization, offer
):
    person = BeneficiaryFactory(organization=organization)
    with pytest.raises(PermissionDenied):
        enrollment_create(
            beneficiary=person, offer=offer, acting_user=other_organization_coordinator
        )


@pytest.mark.django_db
def test_mentor_cannot_enroll(mentor, organization, offer):
    person = BeneficiaryFactory(organization=organization)
    with pytest.raises(PermissionDenied):
        enrollment_create(beneficiary=person, offer=offer, acting_user=mentor)


@pytest.mark.django_db
def test_no_enrollment_in_a_closed_programme(coordinator, organization, offer):
    offer.programme.status = ProgrammeStatus.CLOSED
    offer.programme.save()
    person = BeneficiaryFactory(organization=organization)
    with pytest.raises(ValidationError):
        enrollment_create(beneficiary=person, offer=offer, acting_user=coordinator)


@pytest.mark.django_db
def test_referent_must_be_a_mentor_of_the_structure(
    coordinator, organization, offer, other_organization
):
    outsider = MembershipFactory(organization=other_organization, role=Role.MENTOR).user
    person = BeneficiaryFactory(organization=organization)
    with pytest.raises(ValidationError):
        enrollment_create(
            beneficiary=person, offer=offer, referent_mentor=outsider, acting_user=coordinator
        )


@pytest.mark.django_db
def test_beneficiary_of_another_structure_cannot_be_enrolled(
    coordinator, offer, other_organization
):
    person = BeneficiaryFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        enrollment_create(beneficiary=person, offer=offer, acting_user=coordinator)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrollments_of_one_person_give_exactly_one(coordinator, organization, offer):
    """Two coordinators click "enrol" at the same moment: the database keeps one."""
    person = BeneficiaryFactory(organization=organization)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def enroll():
        try:
            barrier.wait()
            enrollment_create(beneficiary=person, offer=offer, acting_user=coordinator)
            outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=enroll) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "refused"]
    assert Enrollment.objects.filter(beneficiary=person, offer=offer).count() == 1

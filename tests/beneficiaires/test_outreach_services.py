"""Outreach writes: stage changes, contact log, consents, bulk actions, merge."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from beneficiaires.enums import (
    ConsentPurpose,
    ContactChannel,
    EnrollmentStatus,
    OutreachStage,
    Priority,
)
from beneficiaires.models import Beneficiary, BeneficiaryMerge, Consent, ContactLog, Enrollment
from beneficiaires.services import (
    beneficiaries_bulk_assign_mentor,
    beneficiaries_bulk_change_stage,
    beneficiary_change_stage,
    beneficiary_create,
    beneficiary_merge,
    beneficiary_set_priority,
    consent_record,
    consent_withdraw,
    contact_log_add,
)
from diagnostics.enums import DiagnosticMethod
from diagnostics.models import NeedsDiagnostic
from partners.models import Referral
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Stage and priority ----------------------------------------------------------------------


def test_coordinator_moves_a_record_and_the_date_is_kept(coordinator, beneficiary):
    before = timezone.now()

    beneficiary_change_stage(
        beneficiary=beneficiary, stage=OutreachStage.DIAGNOSED, acting_user=coordinator
    )

    beneficiary.refresh_from_db()
    assert beneficiary.stage == OutreachStage.DIAGNOSED
    assert beneficiary.stage_changed_at >= before


def test_moving_to_the_same_stage_keeps_the_date(coordinator, beneficiary):
    beneficiary_change_stage(
        beneficiary=beneficiary, stage=OutreachStage.CONTACTED, acting_user=coordinator
    )
    first = Beneficiary.objects.get(pk=beneficiary.pk).stage_changed_at

    beneficiary_change_stage(
        beneficiary=beneficiary, stage=OutreachStage.CONTACTED, acting_user=coordinator
    )

    assert Beneficiary.objects.get(pk=beneficiary.pk).stage_changed_at == first


def test_the_referent_mentor_may_move_their_beneficiary(mentor, beneficiary):
    beneficiary_change_stage(
        beneficiary=beneficiary, stage=OutreachStage.CLOSED, acting_user=mentor
    )

    assert Beneficiary.objects.get(pk=beneficiary.pk).stage == OutreachStage.CLOSED


@pytest.mark.parametrize("persona", ["other_mentor", "other_organization_coordinator"])
def test_others_may_not_move_a_record(request, beneficiary, persona):
    with pytest.raises(PermissionDenied):
        beneficiary_change_stage(
            beneficiary=beneficiary,
            stage=OutreachStage.CLOSED,
            acting_user=request.getfixturevalue(persona),
        )


def test_the_beneficiary_may_not_move_themselves(beneficiary):
    with pytest.raises(PermissionDenied):
        beneficiary_change_stage(
            beneficiary=beneficiary, stage=OutreachStage.CLOSED, acting_user=beneficiary.user
        )


def test_an_unknown_stage_is_refused(coordinator, beneficiary):
    with pytest.raises(ValidationError):
        beneficiary_change_stage(beneficiary=beneficiary, stage="lost", acting_user=coordinator)


def test_priority_is_the_coordinators_call(coordinator, mentor, beneficiary):
    beneficiary_set_priority(
        beneficiary=beneficiary, priority=Priority.HIGH, acting_user=coordinator
    )
    assert Beneficiary.objects.get(pk=beneficiary.pk).priority == Priority.HIGH

    with pytest.raises(PermissionDenied):
        beneficiary_set_priority(beneficiary=beneficiary, priority=Priority.LOW, acting_user=mentor)


# --- Contact log -----------------------------------------------------------------------------


def test_a_first_contact_moves_to_contact_to_contacted(coordinator, organization):
    record = BeneficiaryFactory(organization=organization, stage=OutreachStage.TO_CONTACT)

    entry = contact_log_add(
        beneficiary=record,
        contacted_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome="Intéressée, rappeler en octobre",
        acting_user=coordinator,
    )

    record.refresh_from_db()
    assert record.stage == OutreachStage.CONTACTED
    assert record.stage_changed_at is not None
    assert entry.author == coordinator
    assert record.contact_logs.count() == 1


def test_a_contact_does_not_move_a_record_further_along(coordinator, organization):
    record = BeneficiaryFactory(organization=organization, stage=OutreachStage.DIAGNOSED)

    contact_log_add(
        beneficiary=record,
        contacted_at=timezone.now(),
        channel=ContactChannel.EMAIL,
        outcome="Relance",
        acting_user=coordinator,
    )

    record.refresh_from_db()
    assert record.stage == OutreachStage.DIAGNOSED


def test_a_contact_in_the_future_is_refused(coordinator, beneficiary):
    with pytest.raises(ValidationError):
        contact_log_add(
            beneficiary=beneficiary,
            contacted_at=timezone.now() + datetime.timedelta(days=1),
            channel=ContactChannel.PHONE,
            outcome="?",
            acting_user=coordinator,
        )
    assert not ContactLog.objects.exists()


def test_the_referent_mentor_logs_contacts_others_do_not(mentor, other_mentor, beneficiary):
    contact_log_add(
        beneficiary=beneficiary,
        contacted_at=timezone.now(),
        channel=ContactChannel.IN_PERSON,
        outcome="Rencontre",
        acting_user=mentor,
    )
    with pytest.raises(PermissionDenied):
        contact_log_add(
            beneficiary=beneficiary,
            contacted_at=timezone.now(),
            channel=ContactChannel.IN_PERSON,
            outcome="Rencontre",
            acting_user=other_mentor,
        )
    assert beneficiary.contact_logs.count() == 1


# --- Consents --------------------------------------------------------------------------------


def test_consent_is_recorded_with_who_recorded_it(coordinator, beneficiary):
    consent = consent_record(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.SUPPORT,
        given_at=timezone.now(),
        acting_user=coordinator,
    )

    assert consent.recorded_by == coordinator
    assert consent.withdrawn_at is None


def test_a_second_current_consent_for_a_purpose_is_a_clear_error(coordinator, beneficiary):
    consent_record(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.SUPPORT,
        given_at=timezone.now(),
        acting_user=coordinator,
    )

    with pytest.raises(ValidationError) as excinfo:
        consent_record(
            beneficiary=beneficiary,
            purpose=ConsentPurpose.SUPPORT,
            given_at=timezone.now(),
            acting_user=coordinator,
        )

    assert excinfo.value.error_dict["purpose"][0].code == "duplicate"
    assert beneficiary.consents.count() == 1


def test_after_a_withdrawal_a_new_consent_can_be_recorded(coordinator, beneficiary):
    consent_record(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.CONTACT,
        given_at=timezone.now() - datetime.timedelta(days=30),
        acting_user=coordinator,
    )

    withdrawn = consent_withdraw(
        beneficiary=beneficiary, purpose=ConsentPurpose.CONTACT, acting_user=coordinator
    )
    consent_record(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.CONTACT,
        given_at=timezone.now(),
        acting_user=coordinator,
    )

    assert withdrawn.withdrawn_at is not None
    assert beneficiary.consents.filter(withdrawn_at__isnull=True).count() == 1
    assert beneficiary.consents.count() == 2


def test_withdrawing_a_consent_that_does_not_exist_is_an_error(coordinator, beneficiary):
    with pytest.raises(ValidationError):
        consent_withdraw(
            beneficiary=beneficiary, purpose=ConsentPurpose.STATISTICS, acting_user=coordinator
        )


def test_another_organisation_cannot_record_a_consent(other_organization_coordinator, beneficiary):
    with pytest.raises(PermissionDenied):
        consent_record(
            beneficiary=beneficiary,
            purpose=ConsentPurpose.SUPPORT,
            given_at=timezone.now(),
            acting_user=other_organization_coordinator,
        )


# --- Create ----------------------------------------------------------------------------------


def test_coordinator_creates_a_record_in_their_structure(coordinator, organization, programme):
    record = beneficiary_create(
        organization=organization,
        acting_user=coordinator,
        name="Collectif des Pentes",
        kind="residents_collective",
        programme=programme,
    )

    assert record.created_by == coordinator
    assert record.stage == OutreachStage.TO_CONTACT


def test_a_record_cannot_be_created_in_another_structure(coordinator, other_organization):
    with pytest.raises(PermissionDenied):
        beneficiary_create(organization=other_organization, acting_user=coordinator, name="X")


def test_a_programme_of_another_structure_is_refused(coordinator, organization, other_organization):
    from tests.factories import ProgrammeFactory

    foreign = ProgrammeFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        beneficiary_create(
            organization=organization, acting_user=coordinator, name="X", programme=foreign
        )


# --- Bulk actions ----------------------------------------------------------------------------


def test_bulk_stage_change_moves_every_record(coordinator, organization):
    records = BeneficiaryFactory.create_batch(3, organization=organization)

    moved = beneficiaries_bulk_change_stage(
        beneficiaries=records, stage=OutreachStage.CONTACTED, acting_user=coordinator
    )

    assert moved == 3
    assert set(
        Beneficiary.objects.filter(pk__in=[r.pk for r in records]).values_list("stage", flat=True)
    ) == {OutreachStage.CONTACTED}


def test_bulk_action_with_one_foreign_record_changes_nothing(
    coordinator, organization, other_organization
):
    mine = BeneficiaryFactory(organization=organization)
    foreign = BeneficiaryFactory(organization=other_organization)

    with pytest.raises(PermissionDenied):
        beneficiaries_bulk_change_stage(
            beneficiaries=[mine, foreign], stage=OutreachStage.CLOSED, acting_user=coordinator
        )

    assert Beneficiary.objects.get(pk=mine.pk).stage == OutreachStage.TO_CONTACT


def test_mentors_cannot_use_bulk_actions(mentor, beneficiary):
    with pytest.raises(PermissionDenied):
        beneficiaries_bulk_change_stage(
            beneficiaries=[beneficiary], stage=OutreachStage.CLOSED, acting_user=mentor
        )


def test_bulk_assign_mentor_sets_the_referent_of_active_enrollments(
    coordinator, beneficiary, other_beneficiary, other_mentor, offer
):
    finished = EnrollmentFactory(
        beneficiary=beneficiary,
        offer=OfferFactory(programme=offer.programme),
        status=EnrollmentStatus.COMPLETED,
    )

    changed = beneficiaries_bulk_assign_mentor(
        beneficiaries=[beneficiary, other_beneficiary], mentor=other_mentor, acting_user=coordinator
    )

    assert changed == 2
    assert set(
        Enrollment.objects.active()
        .filter(beneficiary__in=[beneficiary, other_beneficiary])
        .values_list("referent_mentor", flat=True)
    ) == {other_mentor.pk}
    finished.refresh_from_db()
    assert finished.referent_mentor is None


def test_bulk_assign_refuses_a_mentor_of_another_structure(
    coordinator, beneficiary, other_organization, mentor
):
    from accounts.enums import Role
    from tests.factories import MembershipFactory

    outsider = MembershipFactory(organization=other_organization, role=Role.MENTOR).user

    with pytest.raises(ValidationError):
        beneficiaries_bulk_assign_mentor(
            beneficiaries=[beneficiary], mentor=outsider, acting_user=coordinator
        )

    assert Enrollment.objects.get(beneficiary=beneficiary).referent_mentor == mentor


# --- Merge -----------------------------------------------------------------------------------


@pytest.fixture
def duplicate(organization, programme, coordinator, partner):
    """A second record of beneficiary A's organisation, with history of every kind."""
    record = BeneficiaryFactory(
        organization=organization,
        name="Amicale des Lilas (doublon)",
        email="",
        phone="04 78 00 00 00",
        territory="Lyon 3e",
        notes="Rencontrée au forum",
        stage=OutreachStage.CONTACTED,
        priority=Priority.HIGH,
        user=UserFactory(),
    )
    ContactLog.objects.create(
        beneficiary=record,
        contacted_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome="Premier appel",
        author=coordinator,
    )
    Consent.objects.create(
        beneficiary=record, purpose=ConsentPurpose.STATISTICS, given_at=timezone.now()
    )
    NeedsDiagnostic.objects.create(
        beneficiary=record, method=DiagnosticMethod.INTERVIEW, held_on=timezone.localdate()
    )
    Referral.objects.create(
        beneficiary=record,
        partner=partner,
        referring_organization=organization,
        reason="Conseil juridique",
        sent_on=timezone.localdate(),
    )
    return record


def test_merge_keeps_all_history(coordinator, beneficiary, duplicate, offer):
    other_offer = OfferFactory(programme=offer.programme)
    moved_enrollment = EnrollmentFactory(beneficiary=duplicate, offer=other_offer)
    removed_id, removed_public_id = duplicate.pk, duplicate.public_id
    account = duplicate.user

    merge = beneficiary_merge(keep=beneficiary, remove=duplicate, acting_user=coordinator)

    beneficiary.refresh_from_db()
    assert not Beneficiary.objects.filter(pk=removed_id).exists()
    assert set(beneficiary.enrollments.values_list("offer", flat=True)) == {
        offer.pk,
        other_offer.pk,
    }
    assert Enrollment.objects.get(pk=moved_enrollment.pk).beneficiary == beneficiary
    assert beneficiary.contact_logs.count() == 1
    assert beneficiary.consents.filter(purpose=ConsentPurpose.STATISTICS).count() == 1
    assert beneficiary.diagnostics.count() == 1
    assert beneficiary.referrals.count() == 1
    # blank fields filled, notes kept, the more advanced stage and the higher priority
    assert beneficiary.phone == "04 78 00 00 00"
    assert beneficiary.territory == "Lyon 3e"
    assert "Rencontrée au forum" in beneficiary.notes
    assert beneficiary.priority == Priority.HIGH
    # the kept record had an account already: it keeps its own
    assert beneficiary.user != account
    assert merge.kept == beneficiary
    assert merge.merged_public_id == removed_public_id
    assert merge.merged_name == "Amicale des Lilas (doublon)"
    assert merge.merged_by == coordinator
    assert merge.snapshot["record"]["phone"] == "04 78 00 00 00"
    assert BeneficiaryMerge.objects.count() == 1


def test_merge_moves_the_account_when_only_the_removed_record_has_one(
    coordinator, organization, duplicate
):
    keep = BeneficiaryFactory(organization=organization)
    account = duplicate.user

    beneficiary_merge(keep=keep, remove=duplicate, acting_user=coordinator)

    keep.refresh_from_db()
    assert keep.user == account
    assert keep.stage == OutreachStage.CONTACTED


def test_merge_with_conflicting_active_enrollments_withdraws_the_removed_ones(
    coordinator, beneficiary, duplicate, offer
):
    conflicting = EnrollmentFactory(beneficiary=duplicate, offer=offer)
    kept_enrollment = Enrollment.objects.get(beneficiary=beneficiary, offer=offer)

    beneficiary_merge(keep=beneficiary, remove=duplicate, acting_user=coordinator)

    conflicting.refresh_from_db()
    assert conflicting.beneficiary == beneficiary
    assert conflicting.status == EnrollmentStatus.WITHDRAWN
    assert conflicting.ended_on is not None
    assert Enrollment.objects.get(pk=kept_enrollment.pk).status == EnrollmentStatus.ACTIVE
    assert beneficiary.enrollments.active().filter(offer=offer).count() == 1


def test_merge_with_the_same_current_consent_closes_the_removed_one(
    coordinator, beneficiary, duplicate
):
    kept_consent = Consent.objects.create(
        beneficiary=beneficiary, purpose=ConsentPurpose.STATISTICS, given_at=timezone.now()
    )

    beneficiary_merge(keep=beneficiary, remove=duplicate, acting_user=coordinator)

    current = beneficiary.consents.filter(purpose=ConsentPurpose.STATISTICS, withdrawn_at=None)
    assert list(current) == [kept_consent]
    assert beneficiary.consents.count() == 2


def test_merge_across_organisations_is_refused(coordinator, beneficiary, other_organization):
    foreign = BeneficiaryFactory(organization=other_organization)

    with pytest.raises((PermissionDenied, ValidationError)):
        beneficiary_merge(keep=beneficiary, remove=foreign, acting_user=coordinator)

    assert Beneficiary.objects.filter(pk=foreign.pk).exists()
    assert not BeneficiaryMerge.objects.exists()


def test_admin_cannot_merge_records_of_two_organisations(admin, beneficiary, other_organization):
    foreign = BeneficiaryFactory(organization=other_organization)

    with pytest.raises(ValidationError):
        beneficiary_merge(keep=beneficiary, remove=foreign, acting_user=admin)

    assert Beneficiary.objects.filter(pk=foreign.pk).exists()


def test_mentors_cannot_merge(mentor, beneficiary, duplicate):
    with pytest.raises(PermissionDenied):
        beneficiary_merge(keep=beneficiary, remove=duplicate, acting_user=mentor)


def test_a_record_cannot_be_merged_with_itself(coordinator, beneficiary):
    with pytest.raises(ValidationError):
        beneficiary_merge(keep=beneficiary, remove=beneficiary, acting_user=coordinator)

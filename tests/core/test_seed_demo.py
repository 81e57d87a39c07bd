"""The `seed_demo` command: idempotent, and the demo logins work."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from accounts.enums import OrganizationKind, Role
from accounts.models import Membership, Organization
from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES, BeneficiaryKind, Situation
from beneficiaires.models import Beneficiary, Consent, Enrollment
from programmes.enums import GROUP_KINDS, OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme

DEMO_PASSWORD = "demo-accompagnement"
DEMO_LOGINS = [
    "admin@example.org",
    "coordinatrice@example.org",
    "coordinateur.val@example.org",
    "accompagnant@example.org",
    "beneficiaire@example.org",
]


def counts() -> dict[str, int]:
    from seances.models import ActionItem, ClosingRecord, Seance

    return {
        "organizations": Organization.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "programmes": Programme.objects.count(),
        "offers": Offer.objects.count(),
        "offer_mentors": Offer.mentors.through.objects.count(),
        "beneficiaries": Beneficiary.objects.count(),
        "consents": Consent.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "seances": Seance.objects.count(),
        "records": ClosingRecord.objects.count(),
        "tasks": ActionItem.objects.count(),
    }


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def test_running_twice_gives_the_same_data(seeded):
    first = counts()
    enrollments = set(
        Enrollment.objects.values_list("beneficiary__name", "offer__title", "status", "started_on")
    )

    seed()

    assert counts() == first
    assert (
        set(
            Enrollment.objects.values_list(
                "beneficiary__name", "offer__title", "status", "started_on"
            )
        )
        == enrollments
    )


def test_organisations_and_programmes(seeded):
    assert Organization.objects.filter(kind=OrganizationKind.SUPPORT).count() == 2
    assert Organization.objects.filter(kind=OrganizationKind.PARTNER).count() == 3
    assert Programme.objects.count() == 3
    assert Programme.objects.filter(status=ProgrammeStatus.OPEN).count() == 2
    for programme in Programme.objects.all():
        assert programme.coordinators.exists()
        assert programme.partner_organizations.exists()
        assert programme.confidentiality_statement


def test_offers_cover_every_kind_with_consistent_mode_and_mentors(seeded):
    assert set(Offer.objects.values_list("kind", flat=True)) == set(OfferKind.values)
    for offer in Offer.objects.select_related("programme"):
        if offer.kind in GROUP_KINDS:
            assert offer.mode == OfferMode.GROUP
            assert 6 <= offer.capacity <= 12
        else:
            assert offer.mode == OfferMode.INDIVIDUAL
            assert offer.capacity == 1
        mentors = list(offer.mentors.all())
        assert 1 <= len(mentors) <= 3
        for mentor in mentors:
            assert mentor.memberships.filter(
                organization=offer.programme.organization, role=Role.MENTOR
            ).exists()


def test_people(seeded):
    User = get_user_model()
    mentors = User.objects.filter(memberships__role=Role.MENTOR).distinct().count()
    assert 8 <= mentors <= 12
    assert 55 <= Beneficiary.objects.count() <= 80
    # Blank: people who registered for an open event, or asked for support without saying.
    situations = set(Beneficiary.objects.values_list("situation", flat=True)) - {""}
    assert situations == set(Situation.values)
    structures = Beneficiary.objects.exclude(kind=BeneficiaryKind.INDIVIDUAL)
    assert structures.count() >= 15
    assert not structures.filter(contact_name="").exists()
    assert Beneficiary.objects.filter(email="").exclude(phone="").exists()
    assert Beneficiary.objects.filter(user__isnull=False).count() == 1
    # everyone with an enrollment has consented to the support; actors only identified have not
    enrolled = Beneficiary.objects.filter(enrollments__isnull=False).distinct()
    assert not enrolled.exclude(consents__purpose="support").exists()


def test_the_outreach_pipeline_and_the_network_are_populated(seeded):
    from beneficiaires.models import ContactLog
    from diagnostics.models import NeedsDiagnostic
    from partners.models import Referral
    from programmes.models import Theme

    stages = set(Beneficiary.objects.values_list("stage", flat=True))
    assert {"to_contact", "contacted", "diagnosed", "enrolled", "declined"} <= stages
    assert ContactLog.objects.exists()
    assert NeedsDiagnostic.objects.filter(needs__isnull=False).exists()
    assert Referral.objects.unanswered().exists()
    assert Theme.objects.filter(offers__isnull=False, mentors__isnull=False).exists()
    assert not Offer.objects.filter(themes__isnull=True).exists()
    assert Enrollment.objects.filter(referent_mentor__isnull=True, status="pending").count() == 4


def test_enrollments_are_followed_by_a_mentor_of_the_offer(seeded):
    enrollments = Enrollment.objects.select_related("offer__programme", "beneficiary")
    assert enrollments.filter(status__in=ACTIVE_ENROLLMENT_STATUSES).count() > 40
    for enrollment in enrollments:
        assert enrollment.offer.programme.status == ProgrammeStatus.OPEN
        assert enrollment.beneficiary.organization_id == enrollment.offer.programme.organization_id
        if enrollment.referent_mentor_id is None:
            # a few pending enrollments wait for the coordinator to assign a referent
            assert enrollment.status == "pending"
            continue
        assert enrollment.offer.mentors.filter(pk=enrollment.referent_mentor_id).exists()
    followed_by_julien = (
        enrollments.filter(referent_mentor__email="accompagnant@example.org")
        .values("beneficiary")
        .distinct()
    )
    assert followed_by_julien.count() >= 3


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_demo_logins_authenticate(seeded, email):
    user = authenticate(username=email, password=DEMO_PASSWORD)
    assert user is not None
    assert user.email == email


def test_logins_still_work_after_a_second_run(seeded):
    seed()
    for email in DEMO_LOGINS:
        assert authenticate(username=email, password=DEMO_PASSWORD) is not None


def test_demo_roles(seeded):
    admin = authenticate(username="admin@example.org", password=DEMO_PASSWORD)
    assert admin.is_superuser
    assert admin.is_staff
    claire = authenticate(username="coordinatrice@example.org", password=DEMO_PASSWORD)
    assert claire.get_full_name() == "Claire Martin"
    assert claire.is_coordinator
    karim = authenticate(username="coordinateur.val@example.org", password=DEMO_PASSWORD)
    assert karim.is_coordinator
    assert claire.organization_ids_with_role(Role.COORDINATOR) != karim.organization_ids_with_role(
        Role.COORDINATOR
    )
    julien = authenticate(username="accompagnant@example.org", password=DEMO_PASSWORD)
    assert julien.is_mentor


def test_demo_beneficiary(seeded):
    user = authenticate(username="beneficiaire@example.org", password=DEMO_PASSWORD)
    profile = user.beneficiary_profile
    assert profile.kind == BeneficiaryKind.INDIVIDUAL
    assert profile.name == "Sophie Lambert"
    enrollments = profile.enrollments.select_related("referent_mentor", "offer__programme")
    assert enrollments.count() == 3
    for enrollment in enrollments:
        assert enrollment.referent_mentor.email == "accompagnant@example.org"
        assert enrollment.offer.programme.organization.name == "Maison des initiatives citoyennes"
        assert enrollment.offer.programme.status == ProgrammeStatus.OPEN


def test_summary_lists_the_logins(seeded):
    assert "Coordinatrice : coordinatrice@example.org / demo-accompagnement" in seeded
    assert "Bénéficiaires : 73" in seeded


def test_the_agenda_is_populated(seeded):
    from seances.models import Appointment, Availability, GroupSession, Registration

    assert Availability.objects.exists()
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert {"attended", "no_show", "excused", "cancelled", "booked"} <= statuses
    sophie = Beneficiary.objects.get(user__email="beneficiaire@example.org")
    assert sophie.appointments.filter(status="booked").exists()
    assert GroupSession.objects.exists()
    assert Registration.objects.filter(status="waitlisted").exists()


def test_the_work_done_in_seances_is_populated(seeded):
    """Every séance feature has something to show: records in each state, a corrected
    version, overdue tasks, a confidential note, a finished co-development séance, logbook
    entries private and shared, hotline, practice analysis and tutoring."""
    from django.utils import timezone

    from seances.enums import RecordStatus, SeanceKind
    from seances.models import (
        ActionItem,
        ClosingRecord,
        ConfidentialNote,
        LogbookEntry,
        Seance,
    )

    assert set(Seance.objects.values_list("kind", flat=True)) == set(SeanceKind.values)
    sophie = Beneficiary.objects.get(user__email="beneficiaire@example.org")
    records = ClosingRecord.objects.filter(beneficiary=sophie)
    assert records.filter(status=RecordStatus.VALIDATED, version=2).exists()
    assert records.filter(comments__kind="synthesis").exists()
    assert ClosingRecord.objects.filter(status=RecordStatus.DRAFT).exists()
    assert ActionItem.objects.filter(beneficiary=sophie).overdue(timezone.localdate()).exists()
    assert ConfidentialNote.objects.filter(beneficiary=sophie).exists()
    codev = Seance.objects.get(kind=SeanceKind.CODEVELOPMENT)
    assert codev.codev_step == 7
    assert codev.attendances.filter(beneficiary=sophie).exists()
    entries = LogbookEntry.objects.filter(author=sophie.user)
    assert set(entries.values_list("shared_with_mentor", flat=True)) == {True, False}
    julien = get_user_model().objects.get(email="accompagnant@example.org")
    assert Seance.objects.filter(mentor=julien, records=None, attendances__status="present")


def test_reaching_the_public_is_populated(seeded):
    """The catalogue, support requests, campaigns and the showcase have something to show."""
    from outreach.enums import CampaignStatus, RequestOrigin
    from outreach.models import Campaign, ProjectCard, ShowcaseContact, SupportRequest
    from programmes.models import Programme
    from seances.models import GroupSession

    published = Programme.objects.filter(is_published=True, status=ProgrammeStatus.OPEN)
    assert published.count() == 2
    assert not published.filter(slug__isnull=True).exists()
    assert GroupSession.objects.filter(is_open_event=True).count() >= 2
    requests = SupportRequest.objects.all()
    assert requests.filter(appointment__isnull=False).exists()
    assert requests.filter(origin=RequestOrigin.CAMPAIGN).exists()
    assert set(requests.values_list("beneficiary__source", flat=True)) <= {
        "support_request",
        "manual",
        "import",
        "event",
        "partner",
        "word_of_mouth",
    }
    assert Campaign.objects.filter(status=CampaignStatus.SENT).exists()
    assert Campaign.objects.filter(status=CampaignStatus.DRAFT).exists()
    shown = ProjectCard.objects.with_consent()
    assert shown.filter(is_public=True).exists()
    assert ProjectCard.objects.exclude(pk__in=shown.values("pk")).exists()  # one hidden
    assert ShowcaseContact.objects.exists()

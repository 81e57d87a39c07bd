"""Logbook services: the author writes, shares, unshares and deletes; at least one of
learnings, feelings, progress; an entry about a séance needs the author to have attended."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seances.enums import AttendanceStatus
from seances.models import LogbookEntry
from seances.services import codev, logbook
from tests.factories import OfferFactory
from tests.seances.conftest import AttendanceFactory, SeanceFactory
from tests.seances.test_codev_fixtures import run_to_step

pytest_plugins = ["tests.seances.test_codev_fixtures"]
pytestmark = pytest.mark.django_db


def write(author, **kwargs):
    values = {"title": "Ce que je retiens", "learnings": "Déléguer, c'est faire confiance."}
    return logbook.logbook_entry_create(author=author, **{**values, **kwargs})


def test_an_entry_is_private_by_default_and_belongs_to_the_author(beneficiary, offer):
    entry = write(beneficiary.user, offer=offer)

    assert entry.author == beneficiary.user
    assert entry.beneficiary == beneficiary
    assert entry.offer == offer
    assert entry.shared_with_mentor is False
    assert entry.shared_at is None


def test_an_entry_about_a_seance_takes_its_offer(codev_seance, beneficiary):
    entry = write(beneficiary.user, seance=codev_seance)
    assert entry.seance == codev_seance
    assert entry.offer == codev_seance.offer


def test_an_entry_about_a_seance_the_author_did_not_attend_is_refused(
    codev_seance, beneficiary, organization
):
    excused = AttendanceFactory(
        seance=SeanceFactory(offer=codev_seance.offer),
        beneficiary=beneficiary,
        status=AttendanceStatus.EXCUSED,
    ).seance
    stranger = SeanceFactory(offer=codev_seance.offer)
    for seance in (excused, stranger):
        with pytest.raises(ValidationError) as error:
            write(beneficiary.user, seance=seance)
        assert "seance" in error.value.error_dict
    assert not LogbookEntry.objects.exists()


def test_an_offer_the_author_is_not_in_is_refused(beneficiary, organization):
    with pytest.raises(ValidationError) as error:
        write(beneficiary.user, offer=OfferFactory())
    assert "offer" in error.value.error_dict


@pytest.mark.parametrize("blank", ["", "   "])
def test_at_least_one_of_learnings_feelings_progress(beneficiary, blank):
    with pytest.raises(ValidationError) as error:
        write(beneficiary.user, learnings=blank, feelings=blank, progress=blank)
    assert "__all__" in error.value.error_dict
    assert not LogbookEntry.objects.exists()


def test_feelings_alone_are_enough(beneficiary):
    entry = write(beneficiary.user, learnings="", feelings="Fier de moi")
    assert entry.pk


def test_the_database_check_becomes_a_form_error(beneficiary):
    """Should a write bypass the cleaning, the check constraint's refusal is still a
    ValidationError, not a server error."""
    entry = write(beneficiary.user)
    entry.learnings = ""
    with pytest.raises(ValidationError):
        logbook._save(entry)


def test_staff_have_no_logbook_to_write_in(mentor, coordinator):
    for user in (mentor, coordinator):
        with pytest.raises(PermissionDenied):
            write(user)


def test_sharing_sets_the_date_and_unsharing_clears_it(beneficiary):
    entry = write(beneficiary.user)

    logbook.logbook_entry_share(entry=entry, shared=True, acting_user=beneficiary.user)
    entry.refresh_from_db()
    assert entry.shared_with_mentor
    assert entry.shared_at is not None
    first = entry.shared_at

    logbook.logbook_entry_share(entry=entry, shared=True, acting_user=beneficiary.user)
    entry.refresh_from_db()
    assert entry.shared_at == first

    logbook.logbook_entry_share(entry=entry, shared=False, acting_user=beneficiary.user)
    entry.refresh_from_db()
    assert not entry.shared_with_mentor
    assert entry.shared_at is None


def test_creating_shared(beneficiary):
    entry = write(beneficiary.user, shared_with_mentor=True)
    assert entry.shared_with_mentor
    assert entry.shared_at is not None


def test_update_rewrites_and_may_share(beneficiary):
    entry = write(beneficiary.user)
    logbook.logbook_entry_update(
        entry=entry,
        acting_user=beneficiary.user,
        title="Nouveau titre",
        learnings="",
        progress="J'ai délégué le budget.",
        shared_with_mentor=True,
    )
    entry.refresh_from_db()
    assert entry.title == "Nouveau titre"
    assert entry.learnings == ""
    assert entry.progress == "J'ai délégué le budget."
    assert entry.shared_with_mentor


def test_update_keeps_the_not_empty_rule(beneficiary):
    entry = write(beneficiary.user)
    with pytest.raises(ValidationError):
        logbook.logbook_entry_update(entry=entry, acting_user=beneficiary.user, title="T")
    entry.refresh_from_db()
    assert entry.learnings


@pytest.mark.parametrize("persona", ["mentor", "other_beneficiary", "coordinator", "admin"])
def test_only_the_author_changes_shares_or_deletes(request, beneficiary, persona):
    entry = write(beneficiary.user, shared_with_mentor=True)
    value = request.getfixturevalue(persona)
    user = value.user if persona == "other_beneficiary" else value
    with pytest.raises(PermissionDenied):
        logbook.logbook_entry_update(entry=entry, acting_user=user, title="X", learnings="Y")
    with pytest.raises(PermissionDenied):
        logbook.logbook_entry_share(entry=entry, shared=False, acting_user=user)
    with pytest.raises(PermissionDenied):
        logbook.logbook_entry_delete(entry=entry, acting_user=user)
    entry.refresh_from_db()
    assert entry.shared_with_mentor
    assert entry.title == "Ce que je retiens"


def test_the_author_deletes(beneficiary):
    entry = write(beneficiary.user)
    logbook.logbook_entry_delete(entry=entry, acting_user=beneficiary.user)
    assert not LogbookEntry.objects.exists()


# Who reads what: LogbookEntry.objects.visible_to


def test_a_private_entry_is_read_by_its_author_only(
    beneficiary, mentor, other_mentor, coordinator, admin, other_beneficiary
):
    entry = write(beneficiary.user)
    assert LogbookEntry.objects.visible_to(beneficiary.user).filter(pk=entry.pk).exists()
    for user in (mentor, other_mentor, coordinator, admin, other_beneficiary.user):
        assert not LogbookEntry.objects.visible_to(user).filter(pk=entry.pk).exists()


def test_a_shared_entry_reaches_the_referent_mentor_and_unsharing_hides_it_again(
    beneficiary, mentor, other_mentor, coordinator, admin
):
    entry = write(beneficiary.user, shared_with_mentor=True)
    assert LogbookEntry.objects.visible_to(mentor).filter(pk=entry.pk).exists()
    for user in (other_mentor, coordinator, admin):
        assert not LogbookEntry.objects.visible_to(user).filter(pk=entry.pk).exists()

    logbook.logbook_entry_share(entry=entry, shared=False, acting_user=beneficiary.user)

    assert not LogbookEntry.objects.visible_to(mentor).filter(pk=entry.pk).exists()


def test_a_shared_entry_about_a_seance_reaches_its_facilitator(
    codev_seance, other_beneficiary, mentor, other_mentor
):
    """B's referent is `other_mentor`; `mentor` led the séance the entry is about."""
    entry = write(other_beneficiary.user, seance=codev_seance, shared_with_mentor=True)
    assert LogbookEntry.objects.visible_to(other_mentor).filter(pk=entry.pk).exists()
    assert LogbookEntry.objects.visible_to(mentor).filter(pk=entry.pk).exists()


# Step 6 invitations


def test_step_six_invites_every_present_participant_until_they_write(
    codev_seance, mentor, beneficiary, other_beneficiary
):
    run_to_step(codev_seance, mentor, beneficiary, 5)
    assert not logbook.pending_invitations(beneficiary.user).exists()

    codev.codev_next_step(seance=codev_seance, notes="", acting_user=mentor)
    assert list(logbook.pending_invitations(beneficiary.user)) == [codev_seance]
    assert list(logbook.pending_invitations(other_beneficiary.user)) == [codev_seance]

    write(beneficiary.user, seance=codev_seance)

    assert not logbook.pending_invitations(beneficiary.user).exists()
    assert list(logbook.pending_invitations(other_beneficiary.user)) == [codev_seance]


def test_no_invitation_for_the_excused_or_for_staff(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    excused = codev_seance.attendances.get(status=AttendanceStatus.EXCUSED).beneficiary
    assert not logbook.pending_invitations(excused.user).exists()
    assert not logbook.pending_invitations(mentor).exists()


def test_an_entry_about_no_seance_does_not_hide_the_invitations(codev_seance, mentor, beneficiary):
    write(beneficiary.user)
    run_to_step(codev_seance, mentor, beneficiary, 7)
    assert list(logbook.pending_invitations(beneficiary.user)) == [codev_seance]

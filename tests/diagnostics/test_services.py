import datetime
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from beneficiaires.enums import EnrollmentStatus, OutreachStage, Priority
from beneficiaires.models import Enrollment
from diagnostics import services
from diagnostics.enums import DiagnosticMethod, DiagnosticStatus, NeedSource
from diagnostics.models import DiagnosticInvitation, Need, hash_token
from diagnostics.services import (
    InvitationUnavailable,
    NeedInput,
    diagnostic_complete,
    diagnostic_create,
    diagnostic_enroll,
    diagnostic_invite,
    diagnostic_update,
    questionnaire_answer,
)
from tests.diagnostics.conftest import NeedFactory, make_invitation
from tests.factories import OfferFactory, ThemeFactory


def fields(**overrides):
    values = {
        "method": DiagnosticMethod.WORKSHOP,
        "held_on": datetime.date(2026, 11, 2),
        "expectations": "Trouver des bénévoles.",
        "notes": "",
    }
    return values | overrides


# --- create and update -------------------------------------------------------------------------


@pytest.mark.django_db
def test_referent_mentor_starts_a_diagnostic_with_needs(beneficiary, mentor, themes):
    diagnostic = diagnostic_create(
        beneficiary=beneficiary,
        conducted_by=mentor,
        needs=[NeedInput(theme=themes[0], priority=Priority.HIGH, description="Statuts")],
        acting_user=mentor,
        **fields(),
    )

    assert diagnostic.status == DiagnosticStatus.DRAFT
    need = diagnostic.needs.get()
    assert (need.theme, need.priority, need.source) == (themes[0], Priority.HIGH, NeedSource.MENTOR)


@pytest.mark.django_db
def test_mentor_who_does_not_follow_the_beneficiary_cannot_start_one(beneficiary, other_mentor):
    with pytest.raises(PermissionDenied):
        diagnostic_create(beneficiary=beneficiary, acting_user=other_mentor, **fields())


@pytest.mark.django_db
def test_coordinator_of_another_structure_cannot_start_one(
    beneficiary, other_organization_coordinator
):
    with pytest.raises(PermissionDenied):
        diagnostic_create(
            beneficiary=beneficiary, acting_user=other_organization_coordinator, **fields()
        )


@pytest.mark.django_db
def test_a_theme_of_another_structure_is_refused(beneficiary, coordinator, other_organization):
    foreign = ThemeFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        diagnostic_create(
            beneficiary=beneficiary,
            needs=[NeedInput(theme=foreign, priority=Priority.LOW)],
            acting_user=coordinator,
            **fields(),
        )


@pytest.mark.django_db
def test_update_makes_the_needs_exactly_the_ones_given(diagnostic, coordinator, themes):
    kept = NeedFactory(diagnostic=diagnostic, theme=themes[0], priority=Priority.LOW)
    NeedFactory(diagnostic=diagnostic, theme=themes[1])

    diagnostic_update(
        diagnostic=diagnostic,
        needs=[
            NeedInput(theme=themes[0], priority=Priority.HIGH, description="Urgent"),
            NeedInput(theme=themes[2], priority=Priority.MEDIUM),
        ],
        acting_user=coordinator,
        **fields(method=DiagnosticMethod.SURVEY),
    )

    needs = {need.theme_id: need for need in diagnostic.needs.all()}
    assert set(needs) == {themes[0].pk, themes[2].pk}
    assert needs[themes[0].pk].pk == kept.pk
    assert needs[themes[0].pk].priority == Priority.HIGH
    assert needs[themes[0].pk].description == "Urgent"
    diagnostic.refresh_from_db()
    assert diagnostic.method == DiagnosticMethod.SURVEY


# --- complete ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [OutreachStage.TO_CONTACT, OutreachStage.CONTACTED])
def test_completing_moves_an_actor_being_contacted_to_diagnosed(diagnostic, coordinator, stage):
    diagnostic.beneficiary.stage = stage
    diagnostic.beneficiary.save()

    diagnostic_complete(diagnostic=diagnostic, acting_user=coordinator)

    diagnostic.refresh_from_db()
    assert diagnostic.status == DiagnosticStatus.COMPLETED
    assert diagnostic.completed_at is not None
    beneficiary = diagnostic.beneficiary
    beneficiary.refresh_from_db()
    assert beneficiary.stage == OutreachStage.DIAGNOSED
    assert beneficiary.stage_changed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [OutreachStage.ENROLLED, OutreachStage.DECLINED])
def test_completing_leaves_a_later_stage_alone(diagnostic, coordinator, stage):
    diagnostic.beneficiary.stage = stage
    diagnostic.beneficiary.save()

    diagnostic_complete(diagnostic=diagnostic, acting_user=coordinator)

    diagnostic.beneficiary.refresh_from_db()
    assert diagnostic.beneficiary.stage == stage


@pytest.mark.django_db
def test_completing_twice_is_a_clear_error(diagnostic, mentor):
    diagnostic_complete(diagnostic=diagnostic, acting_user=mentor)
    with pytest.raises(ValidationError) as excinfo:
        diagnostic_complete(diagnostic=diagnostic, acting_user=mentor)
    assert excinfo.value.code == "completed"


@pytest.mark.django_db
def test_other_mentor_cannot_complete(diagnostic, other_mentor):
    with pytest.raises(PermissionDenied):
        diagnostic_complete(diagnostic=diagnostic, acting_user=other_mentor)
    diagnostic.refresh_from_db()
    assert diagnostic.status == DiagnosticStatus.DRAFT


# --- invitation --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invite_stores_only_the_hash_and_emails_the_link(
    diagnostic, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw_token = diagnostic_invite(
            diagnostic=diagnostic, email="porteur@example.org", acting_user=coordinator
        )

    assert len(raw_token) >= 40
    assert invitation.token_hash == hash_token(raw_token) != raw_token
    stored = list(DiagnosticInvitation.objects.values_list())
    assert raw_token not in repr(stored)
    remaining = invitation.expires_at - timezone.now()
    assert datetime.timedelta(days=13, hours=23) < remaining <= datetime.timedelta(days=14)
    assert invitation.created_by == coordinator
    [message] = mail.outbox
    assert message.to == ["porteur@example.org"]
    assert f"/diagnostics/questionnaire/{raw_token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"/diagnostics/questionnaire/{raw_token}/" in html
    assert diagnostic.beneficiary.organization.name in message.subject


@pytest.mark.django_db
def test_invite_without_email_sends_nothing(
    diagnostic, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _ = diagnostic_invite(diagnostic=diagnostic, email="", acting_user=coordinator)
    assert mail.outbox == []
    assert invitation.sent_to == ""


@pytest.mark.django_db
def test_two_invitations_have_different_tokens(diagnostic, coordinator):
    _, first = diagnostic_invite(diagnostic=diagnostic, acting_user=coordinator)
    _, second = diagnostic_invite(diagnostic=diagnostic, acting_user=coordinator)
    assert first != second


@pytest.mark.django_db
def test_beneficiary_cannot_invite(diagnostic, beneficiary):
    with pytest.raises(PermissionDenied):
        diagnostic_invite(diagnostic=diagnostic, email="", acting_user=beneficiary.user)


# --- questionnaire ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_questionnaire_is_answered_once(diagnostic, themes):
    make_invitation(diagnostic, token="un-jeton")
    answer = [NeedInput(theme=themes[1], priority=Priority.HIGH, description="Trouver des fonds")]

    invitation = questionnaire_answer(raw_token="un-jeton", needs=answer, expectations="")

    assert invitation.answered_at is not None
    need = diagnostic.needs.get()
    assert (need.theme, need.priority, need.source) == (
        themes[1],
        Priority.HIGH,
        NeedSource.BENEFICIARY,
    )
    assert need.description == "Trouver des fonds"
    with pytest.raises(InvitationUnavailable) as excinfo:
        questionnaire_answer(raw_token="un-jeton", needs=answer, expectations="encore")
    assert excinfo.value.reason == "answered"
    assert diagnostic.needs.count() == 1


@pytest.mark.django_db
def test_expired_link_is_refused(diagnostic, themes):
    make_invitation(diagnostic, token="perime", expires_in=-1)
    with pytest.raises(InvitationUnavailable) as excinfo:
        questionnaire_answer(raw_token="perime", needs=[], expectations="Bonjour")
    assert excinfo.value.reason == "expired"
    diagnostic.refresh_from_db()
    assert "Bonjour" not in diagnostic.expectations


@pytest.mark.django_db
def test_unknown_link_is_refused(diagnostic):
    make_invitation(diagnostic, token="le-bon")
    with pytest.raises(InvitationUnavailable) as excinfo:
        questionnaire_answer(raw_token="un-autre", needs=[], expectations="")
    assert excinfo.value.reason == "unknown"


@pytest.mark.django_db
def test_beneficiary_words_are_merged_into_the_team_need(diagnostic, themes):
    team_need = NeedFactory(
        diagnostic=diagnostic,
        theme=themes[0],
        priority=Priority.LOW,
        description="Le bureau ne se réunit plus.",
    )
    make_invitation(diagnostic, token="fusion")

    questionnaire_answer(
        raw_token="fusion",
        needs=[
            NeedInput(theme=themes[0], priority=Priority.HIGH, description="Refaire nos statuts")
        ],
        expectations="Être aidés pour l'assemblée générale",
    )

    team_need.refresh_from_db()
    assert team_need.priority == Priority.LOW
    assert team_need.source == NeedSource.MENTOR
    assert team_need.description.startswith("Le bureau ne se réunit plus.")
    assert "Refaire nos statuts" in team_need.description
    diagnostic.refresh_from_db()
    assert diagnostic.expectations.startswith("Savoir par où commencer.")
    assert diagnostic.expectations.endswith("Être aidés pour l'assemblée générale")


@pytest.mark.django_db
def test_questionnaire_refuses_a_theme_of_another_structure(diagnostic, other_organization):
    make_invitation(diagnostic, token="autre")
    foreign = ThemeFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        questionnaire_answer(
            raw_token="autre", needs=[NeedInput(theme=foreign, priority=Priority.LOW)]
        )
    assert DiagnosticInvitation.objects.get().answered_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_record_one_answer(diagnostic, themes, monkeypatch):
    """Two tabs submit at the same moment: the row lock lets exactly one through."""
    make_invitation(diagnostic, token="concurrent")
    merge = services._merge_beneficiary_needs

    def slow_merge(*args, **kwargs):
        merge(*args, **kwargs)
        time.sleep(0.3)  # hold the lock long enough for the other submission to arrive

    monkeypatch.setattr(services, "_merge_beneficiary_needs", slow_merge)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(words):
        try:
            barrier.wait()
            questionnaire_answer(
                raw_token="concurrent",
                needs=[NeedInput(theme=themes[0], priority=Priority.HIGH, description=words)],
                expectations=words,
            )
            outcomes.append("ok")
        except InvitationUnavailable as unavailable:
            outcomes.append(f"refused: {unavailable.reason}")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(w,)) for w in ("premier", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok", "refused: answered"]
    need = Need.objects.get(diagnostic=diagnostic)
    assert need.description in {"premier", "second"}
    diagnostic.refresh_from_db()
    assert diagnostic.expectations.count("premier") + diagnostic.expectations.count("second") == 1


# --- enroll ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enrolling_from_a_diagnostic_moves_the_actor_to_enrolled(
    diagnostic, coordinator, programme, other_mentor
):
    new_offer = OfferFactory(programme=programme)

    enrollment = diagnostic_enroll(
        diagnostic=diagnostic,
        offer=new_offer,
        referent_mentor=other_mentor,
        acting_user=coordinator,
    )

    assert enrollment.referent_mentor == other_mentor
    assert enrollment.status == EnrollmentStatus.ACTIVE
    diagnostic.beneficiary.refresh_from_db()
    assert diagnostic.beneficiary.stage == OutreachStage.ENROLLED
    assert diagnostic.beneficiary.stage_changed_at is not None


@pytest.mark.django_db
def test_a_refused_enrollment_leaves_the_stage_alone(diagnostic, coordinator, offer):
    with pytest.raises(ValidationError):
        diagnostic_enroll(diagnostic=diagnostic, offer=offer, acting_user=coordinator)
    diagnostic.beneficiary.refresh_from_db()
    assert diagnostic.beneficiary.stage == OutreachStage.TO_CONTACT
    assert Enrollment.objects.filter(beneficiary=diagnostic.beneficiary).count() == 1


@pytest.mark.django_db
def test_mentor_cannot_enroll(diagnostic, mentor, programme):
    with pytest.raises(PermissionDenied):
        diagnostic_enroll(
            diagnostic=diagnostic, offer=OfferFactory(programme=programme), acting_user=mentor
        )

"""invitation_create and invitations_send: one-time links, written with their outbox rows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from diagnostics.models import hash_token
from evaluation.enums import Phase, Purpose, SendMoment
from evaluation.models import Invitation
from evaluation.services.invitations import invitation_create, invitations_send
from notifications.enums import Channel, NotificationKind, NotificationStatus
from notifications.models import Notification, NotificationPreference
from tests.evaluation.factories import QuestionnaireFactory
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory
from tests.seances.conftest import SeanceFactory


@pytest.fixture
def questionnaire(programme):
    return QuestionnaireFactory(programme=programme, title="Votre avis")


def test_invitation_stores_only_the_hash_and_writes_the_email(
    settings, questionnaire, beneficiary, coordinator
):
    settings.SITE_URL = "https://accompagnement.example.org"
    invitation, token = invitation_create(
        questionnaire=questionnaire,
        beneficiary=beneficiary,
        moment=SendMoment.MANUAL,
        acting_user=coordinator,
    )
    assert len(token) >= 43  # 32 bytes, URL-safe
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert invitation.created_by == coordinator
    validity = invitation.expires_at - invitation.created_at
    assert abs(validity - datetime.timedelta(days=30)) < datetime.timedelta(minutes=1)

    notification = Notification.objects.get()
    link = "https://accompagnement.example.org" + reverse("evaluation:answer_link", args=[token])
    assert notification.kind == NotificationKind.EVALUATION_INVITATION
    assert notification.channel == Channel.EMAIL
    assert notification.to_address == beneficiary.email
    assert notification.recipient == beneficiary.user
    assert notification.object_type == "evaluation.invitation"
    assert notification.object_id == str(invitation.pk)
    assert notification.scheduled_for == invitation.created_at
    assert notification.programme == questionnaire.programme
    assert link in notification.body_text
    assert link in notification.body_html
    assert questionnaire.programme.title in notification.subject
    # Not an essential message: it carries the way to stop it.
    assert "https://accompagnement.example.org/" in notification.body_text.split("--")[-1]


def test_phone_only_person_gets_a_text_message(questionnaire, organization, offer):
    person = BeneficiaryFactory(organization=organization, email="", phone="0612345678")
    EnrollmentFactory(beneficiary=person, offer=offer)
    _invitation, token = invitation_create(
        questionnaire=questionnaire, beneficiary=person, moment=SendMoment.MANUAL
    )
    notification = Notification.objects.get()
    assert notification.channel == Channel.SMS
    assert notification.to_address == "0612345678"
    assert notification.body_html == ""
    assert reverse("evaluation:answer_link", args=[token]) in notification.body_text


def test_person_who_muted_the_kind_gets_a_skipped_row(questionnaire, beneficiary):
    NotificationPreference.objects.create(
        user=beneficiary.user, muted_kinds=[NotificationKind.EVALUATION_INVITATION]
    )
    invitation_create(questionnaire=questionnaire, beneficiary=beneficiary, moment="manual")
    assert Invitation.objects.count() == 1
    assert not Notification.objects.filter(status=NotificationStatus.PENDING).exists()


def test_same_seance_twice_gives_one_invitation(questionnaire, offer, beneficiary):
    seance = SeanceFactory(offer=offer)
    first, token = invitation_create(
        questionnaire=questionnaire,
        beneficiary=beneficiary,
        moment=SendMoment.AFTER_SEANCE,
        seance=seance,
    )
    again, no_token = invitation_create(
        questionnaire=questionnaire,
        beneficiary=beneficiary,
        moment=SendMoment.AFTER_SEANCE,
        seance=seance,
    )
    assert again == first
    assert token
    assert no_token == ""
    assert Invitation.objects.count() == 1
    assert Notification.objects.count() == 1


def test_same_phase_twice_gives_one_invitation_but_another_phase_another(
    questionnaire, beneficiary
):
    for phase in (Phase.START, Phase.START, Phase.END):
        invitation_create(
            questionnaire=questionnaire,
            beneficiary=beneficiary,
            moment=SendMoment.MANUAL,
            phase=phase,
        )
    assert sorted(Invitation.objects.values_list("phase", flat=True)) == [Phase.END, Phase.START]


def test_templates_and_inactive_questionnaires_are_not_sent(organization, programme, beneficiary):
    template = QuestionnaireFactory(programme=None, organization=organization)
    inactive = QuestionnaireFactory(programme=programme, is_active=False)
    for questionnaire in (template, inactive):
        with pytest.raises(ValidationError):
            invitation_create(
                questionnaire=questionnaire, beneficiary=beneficiary, moment=SendMoment.MANUAL
            )
    assert not Invitation.objects.exists()


def test_coordinator_sends_to_a_selection(
    questionnaire, beneficiary, other_beneficiary, coordinator
):
    sent = invitations_send(
        questionnaire=questionnaire,
        beneficiaries=[beneficiary, other_beneficiary],
        acting_user=coordinator,
    )
    assert sent == 2
    again = invitations_send(
        questionnaire=questionnaire, beneficiaries=[beneficiary], acting_user=coordinator
    )
    assert again == 0
    assert Invitation.objects.filter(moment=SendMoment.MANUAL).count() == 2


def test_progress_questionnaire_is_sent_per_phase(programme, beneficiary, coordinator):
    questionnaire = QuestionnaireFactory(programme=programme, purpose=Purpose.PROGRESS)
    for phase in (Phase.START, Phase.MIDWAY):
        invitations_send(
            questionnaire=questionnaire,
            beneficiaries=[beneficiary],
            phase=phase,
            acting_user=coordinator,
        )
    assert Invitation.objects.count() == 2


@pytest.mark.parametrize("persona", ["mentor", "other_organization_coordinator", "beneficiary"])
def test_only_the_programme_coordinators_send(request, questionnaire, beneficiary, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)
    with pytest.raises(PermissionDenied):
        invitations_send(questionnaire=questionnaire, beneficiaries=[beneficiary], acting_user=user)


def test_people_outside_the_programme_are_refused(questionnaire, organization, coordinator):
    elsewhere = BeneficiaryFactory(organization=organization)
    EnrollmentFactory(beneficiary=elsewhere, offer=OfferFactory())
    with pytest.raises(ValidationError):
        invitations_send(
            questionnaire=questionnaire, beneficiaries=[elsewhere], acting_user=coordinator
        )
    assert not Invitation.objects.exists()


def test_mentor_assessment_is_not_sent(programme, beneficiary, coordinator):
    questionnaire = QuestionnaireFactory(programme=programme, purpose=Purpose.MENTOR_ASSESSMENT)
    with pytest.raises(ValidationError):
        invitations_send(
            questionnaire=questionnaire, beneficiaries=[beneficiary], acting_user=coordinator
        )

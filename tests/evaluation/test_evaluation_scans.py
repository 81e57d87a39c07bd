"""scan_evaluation_invitations: questionnaires sent at their moments, once."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from beneficiaires.enums import EnrollmentStatus
from evaluation.enums import Phase, SendMoment
from evaluation.models import Invitation
from evaluation.notification_scans import scan_evaluation_invitations
from notifications.enums import NotificationKind
from notifications.models import Notification
from seances.enums import AttendanceStatus
from seances.models import Seance
from tests.evaluation.factories import QuestionnaireFactory
from tests.evaluation.factories_answers import satisfaction_questionnaire
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory
from tests.seances.conftest import AttendanceFactory, SeanceFactory

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def now():
    return timezone.now()


def seance_ended(offer, now, ago, *people, status=AttendanceStatus.PRESENT):
    """A one-hour séance that ended `ago` before `now`, with these participants."""
    seance = SeanceFactory(offer=offer, starts_at=now - ago - HOUR, duration_minutes=60)
    for person in people:
        AttendanceFactory(seance=seance, beneficiary=person, status=status)
    return seance


# After each séance


def test_present_participants_are_invited_after_the_seance(
    programme, offer, beneficiary, other_beneficiary, now
):
    questionnaire, _scale = satisfaction_questionnaire(programme)
    seance = seance_ended(offer, now, 2 * HOUR, beneficiary)
    AttendanceFactory(seance=seance, beneficiary=other_beneficiary, status=AttendanceStatus.ABSENT)

    assert scan_evaluation_invitations(now) == 1

    invitation = Invitation.objects.get()
    assert invitation.questionnaire == questionnaire
    assert invitation.beneficiary == beneficiary
    assert invitation.seance == seance
    assert invitation.moment == SendMoment.AFTER_SEANCE
    notification = Notification.objects.get()
    assert notification.kind == NotificationKind.EVALUATION_INVITATION
    assert notification.object_id == str(invitation.pk)


def test_scan_run_twice_writes_once(programme, offer, beneficiary, now):
    satisfaction_questionnaire(programme)
    seance_ended(offer, now, 2 * HOUR, beneficiary)
    assert scan_evaluation_invitations(now) == 1
    assert scan_evaluation_invitations(now + HOUR) == 0
    assert Invitation.objects.count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("ago", [30 * datetime.timedelta(minutes=1), 8 * DAY])
def test_seances_too_recent_or_too_old_are_left(programme, offer, beneficiary, now, ago):
    satisfaction_questionnaire(programme)
    seance_ended(offer, now, ago, beneficiary)
    assert scan_evaluation_invitations(now) == 0


def test_seance_recorded_before_the_questionnaire_is_left(programme, offer, beneficiary, now):
    seance = seance_ended(offer, now, 2 * HOUR, beneficiary)
    satisfaction_questionnaire(programme)
    Seance.objects.filter(pk=seance.pk).update(created_at=now - 2 * DAY)
    assert scan_evaluation_invitations(now) == 0


def test_inactive_questionnaires_templates_and_other_programmes_are_left(
    organization, programme, offer, beneficiary, now
):
    satisfaction_questionnaire(programme, is_active=False)
    QuestionnaireFactory(
        programme=None, organization=organization, send_moment=SendMoment.AFTER_SEANCE
    )
    satisfaction_questionnaire(OfferFactory().programme)
    satisfaction_questionnaire(programme, send_moment=SendMoment.MANUAL)
    seance_ended(offer, now, 2 * HOUR, beneficiary)
    assert scan_evaluation_invitations(now) == 0


# 30 days after the last séance


def test_invited_30_days_after_the_last_seance(
    organization, programme, offer, beneficiary, other_beneficiary, now
):
    questionnaire = QuestionnaireFactory(
        programme=programme, send_moment=SendMoment.AFTER_LAST_SEANCE
    )
    seance_ended(offer, now, 33 * DAY, beneficiary, other_beneficiary)
    seance_ended(offer, now, 10 * DAY, other_beneficiary)  # came back since
    long_ago = BeneficiaryFactory(organization=organization)
    seance_ended(offer, now, 40 * DAY, long_ago)

    assert scan_evaluation_invitations(now) == 1
    invitation = Invitation.objects.get()
    assert invitation.questionnaire == questionnaire
    assert invitation.beneficiary == beneficiary
    assert invitation.phase == Phase.END
    assert invitation.seance is None
    assert scan_evaluation_invitations(now + DAY) == 0


def test_last_seance_less_than_30_days_ago_waits(programme, offer, beneficiary, now):
    QuestionnaireFactory(programme=programme, send_moment=SendMoment.AFTER_LAST_SEANCE)
    seance_ended(offer, now, 29 * DAY, beneficiary)
    assert scan_evaluation_invitations(now) == 0
    assert scan_evaluation_invitations(now + 2 * DAY) == 1


# At the end of the programme


def test_enrolled_people_are_invited_when_the_programme_ends(
    organization, programme, offer, beneficiary, other_beneficiary, now
):
    programme.end_date = timezone.localdate(now) - 3 * DAY
    programme.save()
    QuestionnaireFactory(programme=programme, send_moment=SendMoment.PROGRAMME_END)
    withdrawn = BeneficiaryFactory(organization=organization)
    EnrollmentFactory(beneficiary=withdrawn, offer=offer, status=EnrollmentStatus.WITHDRAWN)

    assert scan_evaluation_invitations(now) == 2
    assert set(Invitation.objects.values_list("beneficiary", flat=True)) == {
        beneficiary.pk,
        other_beneficiary.pk,
    }
    assert set(Invitation.objects.values_list("phase", "moment")) == {
        (Phase.END, SendMoment.PROGRAMME_END)
    }
    assert scan_evaluation_invitations(now) == 0


@pytest.mark.parametrize("days", [-5, 20])
def test_programme_not_ending_now_sends_nothing(programme, offer, beneficiary, now, days):
    programme.end_date = timezone.localdate(now) - days * DAY
    programme.save()
    QuestionnaireFactory(programme=programme, send_moment=SendMoment.PROGRAMME_END)
    assert scan_evaluation_invitations(now) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_write_each_invitation_once(programme, offer, organization, now):
    satisfaction_questionnaire(programme)
    people = [BeneficiaryFactory(organization=organization) for _ in range(10)]
    seance_ended(offer, now, 2 * HOUR, *people)
    barrier = threading.Barrier(4)
    counts, errors = [], []

    def scan():
        try:
            barrier.wait(timeout=30)
            counts.append(scan_evaluation_invitations(now))
        except Exception as exc:  # any failure fails the test below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(counts) == 10
    assert Invitation.objects.count() == 10
    assert Notification.objects.count() == 10

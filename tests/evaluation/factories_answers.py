"""Builders for the answering and sending tests: questionnaires of every kind, diagnosed needs,
invitations whose raw token the test knows."""

import datetime
import secrets

from django.utils import timezone

from diagnostics.enums import DiagnosticStatus
from diagnostics.models import Need, NeedsDiagnostic, hash_token
from evaluation.enums import Purpose, QuestionKind, SendMoment
from evaluation.models import Invitation
from tests.evaluation.factories import QuestionFactory, QuestionnaireFactory

OPTIONS = ["Rendez-vous individuels", "Ateliers collectifs", "Orientation partenaire"]


def full_questionnaire(programme, **kwargs):
    """A programme questionnaire with one question of each kind, all required but the text."""
    questionnaire = QuestionnaireFactory(programme=programme, **kwargs)
    questions = {
        "scale": QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.SCALE),
        "nps": QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.NPS),
        "yes_no": QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.YES_NO),
        "single": QuestionFactory(
            questionnaire=questionnaire, kind=QuestionKind.SINGLE, choices=OPTIONS
        ),
        "multiple": QuestionFactory(
            questionnaire=questionnaire, kind=QuestionKind.MULTIPLE, choices=OPTIONS
        ),
        "text": QuestionFactory(
            questionnaire=questionnaire, kind=QuestionKind.TEXT, required=False
        ),
    }
    return questionnaire, questions


def valid_answers(questions) -> dict:
    return {
        f"q{questions['scale'].pk}": 4,
        f"q{questions['nps'].pk}": 9,
        f"q{questions['yes_no'].pk}": "yes",
        f"q{questions['single'].pk}": OPTIONS[0],
        f"q{questions['multiple'].pk}": [OPTIONS[2], OPTIONS[0]],
        f"q{questions['text'].pk}": "  Très utile, merci.  ",
    }


def satisfaction_questionnaire(programme, **kwargs):
    """Two questions: a required scale and an optional text."""
    kwargs.setdefault("send_moment", SendMoment.AFTER_SEANCE)
    questionnaire = QuestionnaireFactory(
        programme=programme, purpose=Purpose.SATISFACTION, **kwargs
    )
    scale = QuestionFactory(
        questionnaire=questionnaire, kind=QuestionKind.SCALE, code="satisfaction_overall"
    )
    QuestionFactory(
        questionnaire=questionnaire,
        kind=QuestionKind.TEXT,
        required=False,
        code="satisfaction_comment",
    )
    return questionnaire, scale


def per_need_questionnaire(programme, *, purpose=Purpose.PROGRESS):
    questionnaire = QuestionnaireFactory(programme=programme, purpose=purpose)
    question = QuestionFactory(
        questionnaire=questionnaire, kind=QuestionKind.SCALE, per_need=True, code="need_progress"
    )
    return questionnaire, question


def diagnose(beneficiary, themes, *, completed=True, held_on=datetime.date(2026, 10, 1)):
    """A diagnostic of the beneficiary with one need per theme."""
    diagnostic = NeedsDiagnostic.objects.create(
        beneficiary=beneficiary,
        method="interview",
        held_on=held_on,
        status=DiagnosticStatus.COMPLETED if completed else DiagnosticStatus.DRAFT,
        completed_at=timezone.now() if completed else None,
    )
    for theme in themes:
        Need.objects.create(diagnostic=diagnostic, theme=theme)
    return diagnostic


def invite(questionnaire, beneficiary, *, expired=False, answered=False, **kwargs):
    """An invitation and its raw token."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        questionnaire=questionnaire,
        beneficiary=beneficiary,
        moment=kwargs.pop("moment", SendMoment.MANUAL),
        token_hash=hash_token(token),
        expires_at=now - datetime.timedelta(days=1) if expired else now + datetime.timedelta(30),
        answered_at=now if answered else None,
        **kwargs,
    )
    return invitation, token

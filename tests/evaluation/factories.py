"""Factories of the evaluation models (shared by the tests of tests/evaluation/)."""

import datetime
import secrets

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from diagnostics.models import hash_token
from evaluation.enums import EntryMode, Purpose, QuestionKind, SendMoment
from evaluation.models import Answer, Invitation, Question, Questionnaire, Response
from tests.factories import BeneficiaryFactory, ProgrammeFactory


class QuestionnaireFactory(DjangoModelFactory):
    class Meta:
        model = Questionnaire

    programme = factory.SubFactory(ProgrammeFactory)
    organization = factory.LazyAttribute(
        lambda o: o.programme.organization if o.programme else None
    )
    title = factory.Sequence(lambda n: f"Questionnaire {n}")
    purpose = Purpose.SATISFACTION
    send_moment = SendMoment.MANUAL


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.SCALE
    label = factory.Sequence(lambda n: f"Question {n} ?")


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    moment = SendMoment.MANUAL
    token_hash = factory.LazyFunction(lambda: hash_token(secrets.token_urlsafe(32)))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    programme = factory.LazyAttribute(lambda o: o.questionnaire.programme)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    entry_mode = EntryMode.LINK
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory, questionnaire=factory.SelfAttribute("..response.questionnaire")
    )
    value_number = 4

"""Builders of evaluation data for the statistics and dashboard tests: people enrolled in a
programme, séances they attended, and their answers to the shipped questionnaires' codes."""

import datetime

from django.utils import timezone

from evaluation.enums import Phase, Purpose, QuestionKind
from tests.evaluation.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)
from tests.factories import BeneficiaryFactory, EnrollmentFactory
from tests.seances.conftest import ActionItemFactory, AttendanceFactory, SeanceFactory


class Kit:
    """A programme's questionnaires with the shipped questions' codes, made once per test."""

    def __init__(self, programme):
        self.programme = programme
        self.satisfaction = QuestionnaireFactory(
            programme=programme, purpose=Purpose.SATISFACTION, title="Satisfaction"
        )
        self.overall = QuestionFactory(
            questionnaire=self.satisfaction,
            code="satisfaction_overall",
            label="Overall, how satisfied are you with this séance?",
        )
        self.useful = QuestionFactory(
            questionnaire=self.satisfaction,
            code="satisfaction_useful",
            label="How useful was this séance for your project?",
        )
        self.comment = QuestionFactory(
            questionnaire=self.satisfaction,
            code="satisfaction_comment",
            kind=QuestionKind.TEXT,
            required=False,
            label="What would you like to tell us about this séance?",
        )
        self.progress = QuestionnaireFactory(
            programme=programme, purpose=Purpose.PROGRESS, title="Progress"
        )
        self.need_progress = QuestionFactory(
            questionnaire=self.progress,
            code="need_progress",
            per_need=True,
            label="Where do you stand today on this need?",
        )
        self.end = QuestionnaireFactory(
            programme=programme, purpose=Purpose.END_OF_PROGRAMME, title="End"
        )
        self.nps = QuestionFactory(
            questionnaire=self.end,
            code="nps",
            kind=QuestionKind.NPS,
            label="How likely are you to recommend this programme?",
        )


def enrolled(offer, *, mentor=None, **fields):
    """A beneficiary of the offer's structure enrolled in it, `mentor` as referent."""
    person = BeneficiaryFactory(organization=offer.programme.organization, **fields)
    EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
    return person


def held_seance(offer, mentor, people, *, status="present", minutes=60, days_ago=10):
    seance = SeanceFactory(
        offer=offer,
        mentor=mentor,
        duration_minutes=minutes,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    for person in people:
        AttendanceFactory(seance=seance, beneficiary=person, status=status)
    return seance


def satisfaction(kit: Kit, person, seance, *, overall=4, useful=5, comment=""):
    response = ResponseFactory(
        questionnaire=kit.satisfaction,
        beneficiary=person,
        seance=seance,
        mentor=seance.mentor if seance else None,
    )
    AnswerFactory(response=response, question=kit.overall, value_number=overall)
    AnswerFactory(response=response, question=kit.useful, value_number=useful)
    if comment:
        AnswerFactory(
            response=response, question=kit.comment, value_number=None, value_text=comment
        )
    return response


def progress(kit: Kit, person, phase, values: dict, *, mentor=None, days_ago=0):
    """A progress self-assessment: `values` maps a theme to the 1–5 answer."""
    response = ResponseFactory(
        questionnaire=kit.progress,
        beneficiary=person,
        phase=phase,
        mentor=mentor,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    for theme, value in values.items():
        AnswerFactory(
            response=response, question=kit.need_progress, theme=theme, value_number=value
        )
    return response


def nps(kit: Kit, person, score):
    response = ResponseFactory(questionnaire=kit.end, beneficiary=person)
    AnswerFactory(response=response, question=kit.nps, value_number=score)
    return response


def tasks(person, *, done=0, todo=0):
    for _ in range(done):
        ActionItemFactory(beneficiary=person, status="done")
    for _ in range(todo):
        ActionItemFactory(beneficiary=person, status="todo")


def full_person(kit: Kit, offer, mentor, themes, *, before=2, after=4):
    """A beneficiary with a séance, a satisfaction answer, a before/after pair, an NPS answer
    and two tasks (one done): what one more row of the dashboard costs."""
    person = enrolled(offer, mentor=mentor, territory="Lyon 8e")
    seance = held_seance(offer, mentor, [person])
    satisfaction(kit, person, seance, comment="Très utile")
    progress(kit, person, Phase.START, dict.fromkeys(themes, before), mentor=mentor, days_ago=20)
    progress(kit, person, Phase.END, dict.fromkeys(themes, after), mentor=mentor, days_ago=1)
    nps(kit, person, 9)
    tasks(person, done=1, todo=1)
    return person

"""response_submit: every answer validated per kind, the link answered once, the mentor set."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from evaluation.enums import EntryMode, Phase, QuestionKind
from evaluation.models import Answer, Response
from evaluation.services.responses import response_submit
from tests.evaluation.factories import QuestionFactory, QuestionnaireFactory
from tests.evaluation.factories_answers import (
    OPTIONS,
    diagnose,
    full_questionnaire,
    invite,
    per_need_questionnaire,
    valid_answers,
)
from tests.seances.conftest import AttendanceFactory, SeanceFactory


def submit(questionnaire, beneficiary, answers, **kwargs):
    kwargs.setdefault("entry_mode", EntryMode.LINK)
    return response_submit(
        questionnaire=questionnaire, beneficiary=beneficiary, answers=answers, **kwargs
    )


def test_valid_answers_are_recorded_per_kind(programme, beneficiary, mentor):
    questionnaire, questions = full_questionnaire(programme)
    response = submit(questionnaire, beneficiary, valid_answers(questions))

    assert response.programme == programme
    assert response.mentor == mentor  # the referent of the enrollment
    answers = {answer.question_id: answer for answer in response.answers.all()}
    assert answers[questions["scale"].pk].value_number == 4
    assert answers[questions["nps"].pk].value_number == 9
    assert answers[questions["yes_no"].pk].value_number == 1
    assert answers[questions["single"].pk].value_choices == [OPTIONS[0]]
    # Kept in the questionnaire's order.
    assert answers[questions["multiple"].pk].value_choices == [OPTIONS[0], OPTIONS[2]]
    assert answers[questions["text"].pk].value_text == "Très utile, merci."


def test_no_is_recorded_as_zero(programme, beneficiary):
    questionnaire, questions = full_questionnaire(programme)
    answers = valid_answers(questions) | {f"q{questions['yes_no'].pk}": False}
    response = submit(questionnaire, beneficiary, answers)
    assert response.answers.get(question=questions["yes_no"]).value_number == 0


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("scale", 0),
        ("scale", 6),
        ("scale", "beaucoup"),
        ("scale", True),
        ("nps", 11),
        ("nps", -1),
        ("yes_no", "peut-être"),
        ("single", "Autre chose"),
        ("single", ["Ateliers collectifs"]),
        ("multiple", ["Autre chose"]),
        ("text", "x" * 2001),
        ("text", 12),
    ],
)
def test_invalid_answer_is_refused_under_its_key(programme, beneficiary, kind, value):
    questionnaire, questions = full_questionnaire(programme)
    key = f"q{questions[kind].pk}"
    with pytest.raises(ValidationError) as error:
        submit(questionnaire, beneficiary, valid_answers(questions) | {key: value})
    assert list(error.value.message_dict) == [key]
    assert not Response.objects.exists()


def test_required_answers_must_be_present(programme, beneficiary):
    questionnaire, questions = full_questionnaire(programme)
    answers = valid_answers(questions)
    del answers[f"q{questions['nps'].pk}"]
    answers[f"q{questions['single'].pk}"] = "  "
    del answers[f"q{questions['text'].pk}"]  # optional
    with pytest.raises(ValidationError) as error:
        submit(questionnaire, beneficiary, answers)
    assert set(error.value.message_dict) == {
        f"q{questions['nps'].pk}",
        f"q{questions['single'].pk}",
    }


def test_optional_question_left_empty_writes_no_answer(programme, beneficiary):
    questionnaire, questions = full_questionnaire(programme)
    answers = valid_answers(questions) | {f"q{questions['text'].pk}": ""}
    response = submit(questionnaire, beneficiary, answers)
    assert not response.answers.filter(question=questions["text"]).exists()


def test_unknown_key_is_refused(programme, beneficiary):
    questionnaire, questions = full_questionnaire(programme)
    other = QuestionFactory()
    with pytest.raises(ValidationError) as error:
        submit(questionnaire, beneficiary, valid_answers(questions) | {f"q{other.pk}": 3})
    assert f"q{other.pk}" in error.value.message_dict


def test_per_need_question_is_answered_for_each_need_of_the_latest_completed_diagnostic(
    programme, beneficiary, themes
):
    questionnaire, question = per_need_questionnaire(programme)
    diagnose(beneficiary, themes[:1])
    diagnose(beneficiary, themes[1:])  # the latest completed one
    diagnose(beneficiary, themes[:1], completed=False)  # a draft does not count
    answers = {f"q{question.pk}_t{themes[1].pk}": 2}
    with pytest.raises(ValidationError) as error:
        submit(questionnaire, beneficiary, answers)
    assert list(error.value.message_dict) == [f"q{question.pk}_t{themes[2].pk}"]

    answers[f"q{question.pk}_t{themes[2].pk}"] = 5
    response = submit(questionnaire, beneficiary, answers, phase=Phase.START)
    assert response.phase == Phase.START
    assert sorted(response.answers.values_list("theme_id", "value_number")) == sorted(
        [(themes[1].pk, 2), (themes[2].pk, 5)]
    )


def test_per_need_question_without_diagnostic_asks_nothing(programme, beneficiary):
    questionnaire, _question = per_need_questionnaire(programme)
    yes_no = QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.YES_NO)
    response = submit(questionnaire, beneficiary, {f"q{yes_no.pk}": "no"})
    assert response.answers.count() == 1


def test_template_questionnaire_is_not_answered(organization, beneficiary):
    template = QuestionnaireFactory(programme=None, organization=organization)
    with pytest.raises(ValidationError):
        submit(template, beneficiary, {})


def test_invitation_is_answered_once(programme, beneficiary):
    questionnaire, questions = full_questionnaire(programme)
    invitation, _token = invite(questionnaire, beneficiary, phase=Phase.MIDWAY)
    response = submit(questionnaire, beneficiary, valid_answers(questions), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.answered_at == response.submitted_at
    assert response.invitation == invitation
    assert response.phase == Phase.MIDWAY

    with pytest.raises(ValidationError) as error:
        submit(questionnaire, beneficiary, valid_answers(questions), invitation=invitation)
    assert error.value.code == "answered"
    assert Response.objects.count() == 1


def test_expired_invitation_is_refused(programme, beneficiary):
    questionnaire, questions = full_questionnaire(programme)
    invitation, _token = invite(questionnaire, beneficiary, expired=True)
    with pytest.raises(ValidationError) as error:
        submit(questionnaire, beneficiary, valid_answers(questions), invitation=invitation)
    assert error.value.code == "expired"


def test_invitation_of_another_person_is_refused(programme, beneficiary, other_beneficiary):
    questionnaire, questions = full_questionnaire(programme)
    invitation, _token = invite(questionnaire, other_beneficiary)
    with pytest.raises(ValidationError):
        submit(questionnaire, beneficiary, valid_answers(questions), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_invalid_answers_leave_the_invitation_open(programme, beneficiary):
    questionnaire, _questions = full_questionnaire(programme)
    invitation, _token = invite(questionnaire, beneficiary)
    with pytest.raises(ValidationError):
        submit(questionnaire, beneficiary, {}, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.answered_at is None
    assert not Answer.objects.exists()


def test_mentor_is_the_seance_mentor_when_about_a_seance(programme, offer, beneficiary, mentor):
    questionnaire, questions = full_questionnaire(programme)
    seance = SeanceFactory(offer=offer)
    AttendanceFactory(seance=seance, beneficiary=beneficiary)
    invitation, _token = invite(questionnaire, beneficiary, seance=seance)
    response = submit(questionnaire, beneficiary, valid_answers(questions), invitation=invitation)
    assert response.seance == seance
    assert response.mentor == seance.mentor != mentor


def test_on_behalf_entry_keeps_who_entered_it(programme, beneficiary, mentor):
    questionnaire, questions = full_questionnaire(programme)
    response = submit(
        questionnaire,
        beneficiary,
        valid_answers(questions),
        entry_mode=EntryMode.ON_BEHALF,
        entered_by=mentor,
    )
    assert response.entry_mode == EntryMode.ON_BEHALF
    assert response.entered_by == mentor


def run_together(actions):
    barrier = threading.Barrier(len(actions))
    successes, refusals, errors = [], [], []
    lock = threading.Lock()

    def worker(action):
        try:
            barrier.wait(timeout=30)
            result = action()
        except ValidationError as exc:
            with lock:
                refusals.append(exc)
        except Exception as exc:  # any other failure fails the test below
            with lock:
                errors.append(repr(exc))
        else:
            with lock:
                successes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return successes, refusals, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_link_give_one_response(programme, beneficiary):
    questionnaire, questions = full_questionnaire(programme)
    invitation, _token = invite(questionnaire, beneficiary)
    answers = valid_answers(questions)

    def answer():
        return submit(questionnaire, beneficiary, answers, invitation=invitation)

    successes, refusals, errors = run_together([answer for _ in range(10)])

    assert errors == []
    assert len(successes) == 1
    assert len(refusals) == 9
    assert {refusal.code for refusal in refusals} == {"answered"}
    assert Response.objects.filter(invitation=invitation).count() == 1

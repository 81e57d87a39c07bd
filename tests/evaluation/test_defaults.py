"""The four shipped questionnaires: created once, found again by their key, kept up to date."""

import pytest

from evaluation.defaults import DEFAULT_QUESTIONNAIRES, ensure_default_questionnaires
from evaluation.enums import CHOICE_KINDS, Purpose, QuestionKind, SendMoment
from evaluation.models import Question, Questionnaire

pytestmark = pytest.mark.django_db

EXPECTED_CODES = {
    "satisfaction": ["satisfaction_overall", "satisfaction_useful", "satisfaction_comment"],
    "progress": ["need_progress", "progress_comment"],
    "end_of_programme": ["nps", "objectives_met", "most_useful", "strengths", "improvements"],
    "mentor_assessment": ["mentor_need_progress", "mentor_comment"],
}


@pytest.fixture
def no_defaults():
    """Start from an empty table, whether or not a data migration created them already."""
    Question.objects.filter(questionnaire__default_key__gt="").delete()
    Questionnaire.objects.exclude(default_key="").delete()


def defaults() -> dict[str, Questionnaire]:
    return {q.default_key: q for q in Questionnaire.objects.exclude(default_key="")}


def test_creates_the_four_defaults_with_their_codes(no_defaults):
    created = ensure_default_questionnaires(Questionnaire, Question)

    assert created == 4
    found = defaults()
    assert set(found) == set(EXPECTED_CODES)
    for key, codes in EXPECTED_CODES.items():
        questionnaire = found[key]
        assert questionnaire.is_default
        assert questionnaire.organization_id is None
        assert questionnaire.programme_id is None
        assert list(questionnaire.questions.values_list("code", flat=True)) == codes


def test_defaults_have_the_purposes_moments_and_kinds_others_rely_on(no_defaults):
    ensure_default_questionnaires(Questionnaire, Question)
    found = defaults()

    assert found["satisfaction"].purpose == Purpose.SATISFACTION
    assert found["satisfaction"].send_moment == SendMoment.AFTER_SEANCE
    assert found["progress"].purpose == Purpose.PROGRESS
    assert found["progress"].send_moment == SendMoment.MANUAL
    assert found["end_of_programme"].send_moment == SendMoment.PROGRAMME_END
    assert found["mentor_assessment"].purpose == Purpose.MENTOR_ASSESSMENT
    kinds = dict(
        Question.objects.filter(questionnaire__default_key__gt="").values_list("code", "kind")
    )
    assert kinds["satisfaction_overall"] == QuestionKind.SCALE
    assert kinds["nps"] == QuestionKind.NPS
    assert kinds["objectives_met"] == QuestionKind.YES_NO
    assert kinds["most_useful"] == QuestionKind.SINGLE
    assert kinds["satisfaction_comment"] == QuestionKind.TEXT
    per_need = set(
        Question.objects.filter(per_need=True, questionnaire__default_key__gt="").values_list(
            "code", flat=True
        )
    )
    assert per_need == {"need_progress", "mentor_need_progress"}
    assert not Question.objects.get(code="satisfaction_comment").required


def test_defaults_are_french_and_choice_questions_have_options(no_defaults):
    ensure_default_questionnaires(Questionnaire, Question)

    overall = Question.objects.get(code="satisfaction_overall")
    assert overall.label == "Dans l'ensemble, êtes-vous satisfait·e de cette séance ?"
    for question in Question.objects.filter(questionnaire__default_key__gt=""):
        if question.kind in CHOICE_KINDS:
            assert len(question.choices) >= 2
        else:
            assert question.choices == []


def test_running_again_creates_nothing_and_restores_edits(no_defaults):
    ensure_default_questionnaires(Questionnaire, Question)
    satisfaction = Questionnaire.objects.get(default_key="satisfaction")
    Questionnaire.objects.filter(pk=satisfaction.pk).update(title="Changé à la main")
    Question.objects.filter(code="satisfaction_useful").update(label="Autre", position=9)
    Question.objects.create(questionnaire=satisfaction, kind=QuestionKind.TEXT, label="Vieille")
    Question.objects.filter(code="nps").delete()

    created = ensure_default_questionnaires(Questionnaire, Question)

    assert created == 0
    assert Questionnaire.objects.exclude(default_key="").count() == 4
    satisfaction.refresh_from_db()
    assert satisfaction.title == DEFAULT_QUESTIONNAIRES[0]["title"]
    assert list(satisfaction.questions.values_list("code", "position")) == [
        ("satisfaction_overall", 0),
        ("satisfaction_useful", 1),
        ("satisfaction_comment", 2),
    ]
    assert Question.objects.get(code="satisfaction_useful").label.startswith("Cette séance")
    assert Question.objects.filter(code="nps").count() == 1

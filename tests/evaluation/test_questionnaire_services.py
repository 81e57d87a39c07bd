"""The questionnaire builder's services: who may write, what is valid, what answered
questionnaires keep."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.defaults import ensure_default_questionnaires
from evaluation.enums import Purpose, QuestionKind, SendMoment
from evaluation.models import Question, Questionnaire
from evaluation.services.questionnaires import (
    question_add,
    question_delete,
    question_move,
    question_update,
    questionnaire_copy,
    questionnaire_create,
    questionnaire_delete,
    questionnaire_update,
)
from tests.evaluation.factories import (
    InvitationFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def satisfaction_default():
    ensure_default_questionnaires(Questionnaire, Question)
    return Questionnaire.objects.get(default_key="satisfaction")


@pytest.fixture
def questionnaire(programme):
    return QuestionnaireFactory(programme=programme)


def scale(questionnaire, coordinator, label="Note ?"):
    return question_add(
        questionnaire=questionnaire, kind=QuestionKind.SCALE, label=label, acting_user=coordinator
    )


# --- Questionnaires ---------------------------------------------------------------------------


def test_coordinator_creates_a_programme_questionnaire(coordinator, programme):
    questionnaire = questionnaire_create(
        title=" Satisfaction ",
        programme=programme,
        purpose=Purpose.SATISFACTION,
        send_moment=SendMoment.AFTER_SEANCE,
        acting_user=coordinator,
    )

    assert questionnaire.title == "Satisfaction"
    assert questionnaire.programme == programme
    assert questionnaire.organization == programme.organization
    assert questionnaire.created_by == coordinator
    assert not questionnaire.is_template


def test_coordinator_creates_a_template_of_their_structure(coordinator, organization):
    questionnaire = questionnaire_create(
        title="Modèle", organization=organization, acting_user=coordinator
    )

    assert questionnaire.is_template
    assert not questionnaire.is_default


def test_a_template_needs_a_structure(coordinator):
    with pytest.raises(ValidationError) as error:
        questionnaire_create(title="Modèle", acting_user=coordinator)

    assert "organization" in error.value.error_dict


@pytest.mark.parametrize("persona", ["mentor", "other_organization_coordinator"])
def test_others_cannot_create_in_the_programme(request, persona, programme):
    with pytest.raises(PermissionDenied):
        questionnaire_create(
            title="X", programme=programme, acting_user=request.getfixturevalue(persona)
        )


def test_other_coordinator_cannot_create_a_template_of_another_structure(
    other_organization_coordinator, organization
):
    with pytest.raises(PermissionDenied):
        questionnaire_create(
            title="X", organization=organization, acting_user=other_organization_coordinator
        )


def test_defaults_are_read_only(coordinator, admin, satisfaction_default):
    for user in (coordinator, admin):
        with pytest.raises(PermissionDenied):
            questionnaire_update(
                questionnaire=satisfaction_default, title="Changé", acting_user=user
            )
        with pytest.raises(PermissionDenied):
            scale(satisfaction_default, user)
        with pytest.raises(PermissionDenied):
            question_delete(question=satisfaction_default.questions.first(), acting_user=user)


def test_update_changes_the_settings(coordinator, questionnaire, programme):
    questionnaire_update(
        questionnaire=questionnaire,
        title="Nouveau titre",
        programme=programme,
        introduction="Bonjour",
        purpose=Purpose.END_OF_PROGRAMME,
        send_moment=SendMoment.PROGRAMME_END,
        is_active=False,
        acting_user=coordinator,
    )

    questionnaire.refresh_from_db()
    assert questionnaire.title == "Nouveau titre"
    assert questionnaire.send_moment == SendMoment.PROGRAMME_END
    assert not questionnaire.is_active


def test_a_sent_questionnaire_stays_with_its_programme(coordinator, questionnaire, organization):
    InvitationFactory(questionnaire=questionnaire)
    other_programme = ProgrammeFactory(organization=organization)

    with pytest.raises(ValidationError) as error:
        questionnaire_update(
            questionnaire=questionnaire,
            title=questionnaire.title,
            programme=other_programme,
            acting_user=coordinator,
        )

    assert "programme" in error.value.error_dict


def test_a_questionnaire_cannot_move_to_another_structure(
    coordinator, questionnaire, other_organization
):
    with pytest.raises((PermissionDenied, ValidationError)):
        questionnaire_update(
            questionnaire=questionnaire,
            title="X",
            programme=ProgrammeFactory(organization=other_organization),
            acting_user=coordinator,
        )


def test_delete_refuses_a_sent_questionnaire(coordinator, questionnaire):
    ResponseFactory(questionnaire=questionnaire)

    with pytest.raises(ValidationError):
        questionnaire_delete(questionnaire=questionnaire, acting_user=coordinator)


def test_delete_removes_an_unsent_questionnaire(coordinator, questionnaire):
    questionnaire_delete(questionnaire=questionnaire, acting_user=coordinator)

    assert not Questionnaire.objects.filter(pk=questionnaire.pk).exists()


# --- Copies -----------------------------------------------------------------------------------


def test_copy_a_default_into_a_programme_keeps_questions_and_codes(
    coordinator, programme, satisfaction_default
):
    copy = questionnaire_copy(
        source=satisfaction_default, programme=programme, acting_user=coordinator
    )

    assert copy.programme == programme
    assert copy.organization == programme.organization
    assert copy.copied_from == satisfaction_default
    assert copy.title == satisfaction_default.title
    assert copy.purpose == Purpose.SATISFACTION
    assert copy.send_moment == SendMoment.AFTER_SEANCE
    assert copy.default_key == ""
    assert list(copy.questions.values_list("code", "kind", "label", "required")) == list(
        satisfaction_default.questions.values_list("code", "kind", "label", "required")
    )


def test_copy_into_the_structure_templates(coordinator, organization, satisfaction_default):
    copy = questionnaire_copy(
        source=satisfaction_default,
        organization=organization,
        title="Notre satisfaction",
        acting_user=coordinator,
    )

    assert copy.is_template
    assert copy.organization == organization
    assert copy.title == "Notre satisfaction"


def test_cannot_copy_another_structure_template(coordinator, programme, other_organization):
    foreign = QuestionnaireFactory(programme=None, organization=other_organization)

    with pytest.raises(PermissionDenied):
        questionnaire_copy(source=foreign, programme=programme, acting_user=coordinator)


def test_cannot_copy_into_another_structure_programme(
    other_organization_coordinator, programme, satisfaction_default
):
    with pytest.raises(PermissionDenied):
        questionnaire_copy(
            source=satisfaction_default,
            programme=programme,
            acting_user=other_organization_coordinator,
        )


# --- Questions --------------------------------------------------------------------------------


def test_questions_are_added_at_the_end(coordinator, questionnaire):
    first = scale(questionnaire, coordinator, "Un ?")
    second = question_add(
        questionnaire=questionnaire,
        kind=QuestionKind.MULTIPLE,
        label="Deux ?",
        choices=[" Oui ", "Non", ""],
        acting_user=coordinator,
    )

    assert (first.position, second.position) == (0, 1)
    assert second.choices == ["Oui", "Non"]


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        (QuestionKind.SINGLE, []),
        (QuestionKind.SINGLE, ["Seule"]),
        (QuestionKind.MULTIPLE, ["A", "A"]),
        (QuestionKind.SCALE, ["A", "B"]),
        (QuestionKind.TEXT, ["A"]),
    ],
)
def test_options_must_suit_the_kind(coordinator, questionnaire, kind, choices):
    with pytest.raises(ValidationError) as error:
        question_add(
            questionnaire=questionnaire,
            kind=kind,
            label="Question ?",
            choices=choices,
            acting_user=coordinator,
        )

    assert "choices" in error.value.error_dict


def test_unknown_kind_and_empty_label_are_refused(coordinator, questionnaire):
    with pytest.raises(ValidationError):
        question_add(
            questionnaire=questionnaire, kind="slider", label="Q ?", acting_user=coordinator
        )
    with pytest.raises(ValidationError):
        question_add(
            questionnaire=questionnaire, kind=QuestionKind.TEXT, label="  ", acting_user=coordinator
        )


def test_mentor_cannot_add_a_question(mentor, questionnaire):
    with pytest.raises(PermissionDenied):
        scale(questionnaire, mentor)


def test_without_responses_everything_changes(coordinator, questionnaire):
    question = scale(questionnaire, coordinator)

    question_update(
        question=question,
        kind=QuestionKind.SINGLE,
        label="Laquelle ?",
        choices=["A", "B"],
        per_need=True,
        required=False,
        acting_user=coordinator,
    )

    question.refresh_from_db()
    assert question.kind == QuestionKind.SINGLE
    assert question.choices == ["A", "B"]
    assert question.per_need
    assert not question.required


def test_with_responses_labels_change_but_not_kinds(coordinator, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.SCALE)
    ResponseFactory(questionnaire=questionnaire)

    question_update(
        question=question,
        kind=QuestionKind.SCALE,
        label="Mieux formulée ?",
        help_text="1 = non, 5 = oui",
        acting_user=coordinator,
    )
    question.refresh_from_db()
    assert question.label == "Mieux formulée ?"

    with pytest.raises(ValidationError) as error:
        question_update(
            question=question, kind=QuestionKind.NPS, label="Q ?", acting_user=coordinator
        )
    assert "kind" in error.value.error_dict
    question.refresh_from_db()
    assert question.kind == QuestionKind.SCALE


def test_with_responses_options_are_only_added(coordinator, questionnaire):
    question = QuestionFactory(
        questionnaire=questionnaire, kind=QuestionKind.SINGLE, choices=["A", "B"]
    )
    ResponseFactory(questionnaire=questionnaire)

    question_update(
        question=question,
        kind=QuestionKind.SINGLE,
        label=question.label,
        choices=["A", "B", "C"],
        acting_user=coordinator,
    )
    with pytest.raises(ValidationError):
        question_update(
            question=question,
            kind=QuestionKind.SINGLE,
            label=question.label,
            choices=["A", "Bé"],
            acting_user=coordinator,
        )


def test_with_responses_questions_cannot_be_deleted(coordinator, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire)
    ResponseFactory(questionnaire=questionnaire)

    with pytest.raises(ValidationError):
        question_delete(question=question, acting_user=coordinator)

    assert Question.objects.filter(pk=question.pk).exists()


def test_delete_a_question(coordinator, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire)

    question_delete(question=question, acting_user=coordinator)

    assert not Question.objects.filter(pk=question.pk).exists()


def test_move_up_and_down(coordinator, questionnaire):
    a, b, c = (scale(questionnaire, coordinator, label) for label in ("A ?", "B ?", "C ?"))

    def order():
        return list(questionnaire.questions.order_by("position").values_list("label", flat=True))

    question_move(question=c, direction="up", acting_user=coordinator)
    assert order() == ["A ?", "C ?", "B ?"]
    question_move(question=a, direction="down", acting_user=coordinator)
    assert order() == ["C ?", "A ?", "B ?"]
    question_move(question=b, direction="down", acting_user=coordinator)  # already last
    assert order() == ["C ?", "A ?", "B ?"]
    with pytest.raises(ValidationError):
        question_move(question=b, direction="sideways", acting_user=coordinator)


def test_codes_are_unique_within_a_questionnaire(coordinator, questionnaire):
    question_add(
        questionnaire=questionnaire,
        kind=QuestionKind.SCALE,
        label="Q ?",
        code="satisfaction_overall",
        acting_user=coordinator,
    )

    with pytest.raises(ValidationError):
        question_add(
            questionnaire=questionnaire,
            kind=QuestionKind.SCALE,
            label="Q2 ?",
            code="satisfaction_overall",
            acting_user=coordinator,
        )

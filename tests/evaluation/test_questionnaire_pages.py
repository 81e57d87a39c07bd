"""The questionnaire builder's pages: list, preview, forms, copy, move and delete."""

import pytest
from django.urls import reverse

from evaluation.defaults import ensure_default_questionnaires
from evaluation.enums import Purpose, QuestionKind, SendMoment
from evaluation.models import Question, Questionnaire
from tests.evaluation.factories import QuestionFactory, QuestionnaireFactory, ResponseFactory
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def questionnaire(programme):
    return QuestionnaireFactory(programme=programme, title="Satisfaction du programme")


def detail_url(questionnaire) -> str:
    return reverse("evaluation:questionnaire_detail", args=[questionnaire.public_id])


def assert_clean(response):
    assert b"INVALID_VARIABLE" not in response.content


def test_list_groups_defaults_templates_and_programmes(
    logged_in, programme, organization, other_organization, questionnaire
):
    ensure_default_questionnaires(Questionnaire, Question)
    template = QuestionnaireFactory(programme=None, organization=organization)
    QuestionnaireFactory(programme=None, organization=other_organization)
    QuestionFactory.create_batch(3, questionnaire=questionnaire)

    response = logged_in.get(reverse("evaluation:questionnaire_list"))

    assert_clean(response)
    context = response.context
    assert {q.default_key for q in context["defaults"]} >= {
        "satisfaction",
        "progress",
        "end_of_programme",
        "mentor_assessment",
    }
    assert [q.pk for q in context["templates"]] == [template.pk]
    (group,) = context["by_programme"]
    assert group["programme"] == programme
    assert [q.question_count for q in group["questionnaires"]] == [3]
    assert reverse("evaluation:questionnaire_copy", args=[template.public_id]) in (
        response.content.decode()
    )


def test_detail_previews_each_kind(logged_in, questionnaire):
    QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.NPS, label="Recommanderiez ?")
    QuestionFactory(
        questionnaire=questionnaire,
        kind=QuestionKind.MULTIPLE,
        label="Lesquels ?",
        choices=["Ateliers", "Rendez-vous"],
    )
    QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.TEXT, label="Un mot ?")
    QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.YES_NO, label="Content ?")

    response = logged_in.get(detail_url(questionnaire))

    assert_clean(response)
    page = response.content.decode()
    for text in ("Recommanderiez ?", "Lesquels ?", "Ateliers", "Rendez-vous", "Un mot ?"):
        assert text in page
    nps = response.context["rows"][0]
    assert nps["values"] == list(range(11))
    assert 'type="checkbox"' in page
    assert reverse("evaluation:question_new", args=[questionnaire.public_id]) in page


def test_default_detail_is_read_only_with_a_copy_action(logged_in):
    ensure_default_questionnaires(Questionnaire, Question)
    default = Questionnaire.objects.get(default_key="end_of_programme")

    response = logged_in.get(detail_url(default))

    assert_clean(response)
    page = response.content.decode()
    assert not response.context["can_manage"]
    assert reverse("evaluation:questionnaire_edit", args=[default.public_id]) not in page
    assert reverse("evaluation:questionnaire_copy", args=[default.public_id]) in page
    assert "Rendez-vous individuels" in page


def test_create_a_programme_questionnaire(logged_in, programme, coordinator):
    response = logged_in.post(
        reverse("evaluation:questionnaire_new"),
        {
            "title": "Après l'atelier",
            "introduction": "Merci !",
            "programme": programme.pk,
            "purpose": Purpose.SATISFACTION,
            "send_moment": SendMoment.AFTER_SEANCE,
            "is_active": "on",
        },
    )

    questionnaire = Questionnaire.objects.get(title="Après l'atelier")
    assert response.status_code == 302
    assert response.url == detail_url(questionnaire)
    assert questionnaire.programme == programme
    assert questionnaire.created_by == coordinator


def test_create_a_template_without_programme(logged_in, organization):
    logged_in.post(
        reverse("evaluation:questionnaire_new"),
        {"title": "Modèle maison", "purpose": Purpose.OTHER, "send_moment": SendMoment.MANUAL},
    )

    template = Questionnaire.objects.get(title="Modèle maison")
    assert template.is_template
    assert template.organization == organization


def test_programmes_offered_are_those_the_coordinator_runs(
    logged_in, programme, other_organization
):
    foreign = ProgrammeFactory(organization=other_organization)

    response = logged_in.post(
        reverse("evaluation:questionnaire_new"),
        {
            "title": "Intrus",
            "programme": foreign.pk,
            "purpose": Purpose.OTHER,
            "send_moment": SendMoment.MANUAL,
        },
    )

    assert response.status_code == 200
    assert_clean(response)
    form = response.context["form"]
    assert "programme" in form.errors
    assert list(form.fields["programme"].queryset) == [programme]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Questionnaire.objects.filter(title="Intrus").exists()


def test_edit_a_questionnaire(logged_in, questionnaire, programme):
    url = reverse("evaluation:questionnaire_edit", args=[questionnaire.public_id])
    assert_clean(logged_in.get(url))

    response = logged_in.post(
        url,
        {
            "title": "Renommé",
            "programme": programme.pk,
            "purpose": Purpose.END_OF_PROGRAMME,
            "send_moment": SendMoment.PROGRAMME_END,
        },
    )

    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.title == "Renommé"
    assert not questionnaire.is_active


def test_copy_a_default_into_a_programme(logged_in, programme):
    ensure_default_questionnaires(Questionnaire, Question)
    default = Questionnaire.objects.get(default_key="satisfaction")
    url = reverse("evaluation:questionnaire_copy", args=[default.public_id])
    assert_clean(logged_in.get(url))

    response = logged_in.post(url, {"title": "Satisfaction", "programme": programme.pk})

    copy = Questionnaire.objects.get(copied_from=default, programme=programme)
    assert response.url == detail_url(copy)
    assert list(copy.questions.values_list("code", flat=True)) == [
        "satisfaction_overall",
        "satisfaction_useful",
        "satisfaction_comment",
    ]


def test_add_a_choice_question_with_one_option_per_line(logged_in, questionnaire):
    url = reverse("evaluation:question_new", args=[questionnaire.public_id])
    assert_clean(logged_in.get(url))

    response = logged_in.post(
        url,
        {
            "kind": QuestionKind.SINGLE,
            "label": "Quel format ?",
            "choices": "Atelier\r\n\r\n Rendez-vous \r\n",
            "required": "on",
        },
    )

    assert response.status_code == 302
    question = questionnaire.questions.get()
    assert question.choices == ["Atelier", "Rendez-vous"]
    assert question.required


def test_a_choice_question_with_one_option_is_refused(logged_in, questionnaire):
    response = logged_in.post(
        reverse("evaluation:question_new", args=[questionnaire.public_id]),
        {"kind": QuestionKind.MULTIPLE, "label": "Lesquels ?", "choices": "Seul"},
    )

    assert response.status_code == 200
    assert "choices" in response.context["form"].errors
    assert not questionnaire.questions.exists()


def test_edit_a_question_shows_its_options(logged_in, questionnaire):
    question = QuestionFactory(
        questionnaire=questionnaire, kind=QuestionKind.SINGLE, choices=["A", "B"]
    )
    url = reverse("evaluation:question_edit", args=[questionnaire.public_id, question.pk])

    response = logged_in.get(url)
    assert_clean(response)
    assert response.context["form"].initial["choices"] == "A\nB"

    logged_in.post(url, {"kind": QuestionKind.SINGLE, "label": "Reformulée ?", "choices": "A\nB"})
    question.refresh_from_db()
    assert question.label == "Reformulée ?"


def test_changing_the_kind_of_an_answered_question_shows_the_reason(logged_in, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.SCALE)
    ResponseFactory(questionnaire=questionnaire)

    response = logged_in.post(
        reverse("evaluation:question_edit", args=[questionnaire.public_id, question.pk]),
        {"kind": QuestionKind.TEXT, "label": "Autre ?"},
    )

    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    question.refresh_from_db()
    assert question.kind == QuestionKind.SCALE


def test_move_a_question_up(logged_in, questionnaire):
    first = QuestionFactory(questionnaire=questionnaire, position=0)
    second = QuestionFactory(questionnaire=questionnaire, position=1)

    response = logged_in.post(
        reverse("evaluation:question_move", args=[questionnaire.public_id, second.pk]),
        {"direction": "up"},
    )

    assert response.url == f"{detail_url(questionnaire)}#question-{second.pk}"
    assert list(questionnaire.questions.order_by("position")) == [second, first]


def test_move_is_post_only(logged_in, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire)

    response = logged_in.get(
        reverse("evaluation:question_move", args=[questionnaire.public_id, question.pk])
    )

    assert response.status_code == 405


def test_delete_asks_then_deletes(logged_in, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire)
    url = reverse("evaluation:question_delete", args=[questionnaire.public_id, question.pk])

    confirmation = logged_in.get(url)
    assert_clean(confirmation)
    assert question.label in confirmation.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()

    response = logged_in.post(url)
    assert response.url == detail_url(questionnaire)
    assert not Question.objects.filter(pk=question.pk).exists()


def test_delete_of_an_answered_question_is_refused_on_the_page(logged_in, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire)
    ResponseFactory(questionnaire=questionnaire)

    response = logged_in.post(
        reverse("evaluation:question_delete", args=[questionnaire.public_id, question.pk])
    )

    assert response.status_code == 200
    assert response.context["error"]
    assert Question.objects.filter(pk=question.pk).exists()

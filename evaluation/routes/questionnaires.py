"""Routes of the evaluation app (questionnaires): included by evaluation/urls.py."""

from django.urls import path

from evaluation.views import questionnaires as views

urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/nouveau/", views.questionnaire_new, name="questionnaire_new"),
    path(
        "questionnaires/<uuid:public_id>/",
        views.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "questionnaires/<uuid:public_id>/modifier/",
        views.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "questionnaires/<uuid:public_id>/copier/",
        views.questionnaire_copy,
        name="questionnaire_copy",
    ),
    path(
        "questionnaires/<uuid:public_id>/questions/nouvelle/",
        views.question_new,
        name="question_new",
    ),
    path(
        "questionnaires/<uuid:public_id>/questions/<int:question_id>/modifier/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "questionnaires/<uuid:public_id>/questions/<int:question_id>/supprimer/",
        views.question_delete,
        name="question_delete",
    ),
    path(
        "questionnaires/<uuid:public_id>/questions/<int:question_id>/deplacer/",
        views.question_move,
        name="question_move",
    ),
]

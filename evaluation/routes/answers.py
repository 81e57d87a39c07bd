"""Routes of the evaluation app (answers): included by evaluation/urls.py."""

from django.urls import path

from evaluation.views import answers

urlpatterns = [
    path("r/<str:token>/", answers.answer_link_view, name="answer_link"),
    path("mes-questionnaires/", answers.my_questionnaires_view, name="my_questionnaires"),
    path(
        "mes-questionnaires/<uuid:public_id>/",
        answers.my_answer_view,
        name="my_answer",
    ),
    path(
        "beneficiaires/<uuid:beneficiary_id>/saisie/",
        answers.entry_choose_view,
        name="entry_choose",
    ),
    path(
        "beneficiaires/<uuid:beneficiary_id>/saisie/<uuid:questionnaire_id>/",
        answers.entry_view,
        {"assessment": False},
        name="entry_on_behalf",
    ),
    path(
        "beneficiaires/<uuid:beneficiary_id>/appreciation/<uuid:questionnaire_id>/",
        answers.entry_view,
        {"assessment": True},
        name="entry_assessment",
    ),
    path(
        "questionnaires/<uuid:public_id>/envoyer/",
        answers.invitation_send_view,
        name="invitation_send",
    ),
    path(
        "questionnaires/<uuid:public_id>/invitations/",
        answers.invitation_list_view,
        name="invitation_list",
    ),
    path("reponses/<uuid:public_id>/", answers.response_detail_view, name="response_detail"),
]

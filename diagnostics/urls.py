from django.urls import path

from diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path(
        "beneficiaire/<uuid:public_id>/nouveau/",
        views.diagnostic_create_view,
        name="create",
    ),
    path("<uuid:public_id>/", views.diagnostic_detail_view, name="detail"),
    path("<uuid:public_id>/modifier/", views.diagnostic_edit_view, name="edit"),
    path("<uuid:public_id>/terminer/", views.diagnostic_complete_view, name="complete"),
    path("<uuid:public_id>/lien-questionnaire/", views.diagnostic_invite_view, name="invite"),
    path("<uuid:public_id>/inscrire/", views.diagnostic_enroll_view, name="enroll"),
    # Public: the token is the credential (see diagnostics.services.invitation_for_token).
    path("questionnaire/<str:token>/", views.questionnaire_view, name="questionnaire"),
]

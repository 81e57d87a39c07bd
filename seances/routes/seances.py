"""URLs of the séances area "seances" (issue 5): the list, recording a séance, a séance's
page and its sections, tutoring pairs."""

from django.urls import path

from seances.views import seances as views

urlpatterns = [
    path("seances/", views.seance_list, name="seance_list"),
    path("seances/nouvelle/", views.seance_new, name="seance_new"),
    path(
        "seances/depuis-rendez-vous/<uuid:public_id>/",
        views.seance_from_appointment,
        name="seance_from_appointment",
    ),
    path(
        "seances/depuis-session/<uuid:public_id>/",
        views.seance_from_group_session,
        name="seance_from_group_session",
    ),
    path("seances/<uuid:public_id>/", views.seance_detail, name="seance_detail"),
    path(
        "seances/<uuid:public_id>/presences/",
        views.seance_attendance,
        name="seance_attendance",
    ),
    path(
        "seances/<uuid:public_id>/participants/",
        views.seance_participant_add,
        name="seance_participant_add",
    ),
    path(
        "seances/<uuid:public_id>/notes-confidentielles/",
        views.confidential_note_add,
        name="confidential_note_add",
    ),
    path("seances/<uuid:public_id>/appel/", views.hotline_update, name="hotline_update"),
    path(
        "seances/<uuid:public_id>/observation/",
        views.observation_update,
        name="observation_update",
    ),
    path("seances/<uuid:public_id>/objectifs/", views.goal_review, name="goal_review"),
    path("tutorat/", views.tutoring_pairs, name="tutoring_pairs"),
    path("tutorat/nouveau/", views.tutoring_pair_create, name="tutoring_pair_create"),
    path("tutorat/<uuid:public_id>/", views.tutoring_pair_detail, name="tutoring_pair_detail"),
    path(
        "tutorat/<uuid:public_id>/objectifs/",
        views.learning_goal_add,
        name="learning_goal_add",
    ),
    path(
        "tutorat/<uuid:public_id>/terminer/",
        views.tutoring_pair_end,
        name="tutoring_pair_end",
    ),
]

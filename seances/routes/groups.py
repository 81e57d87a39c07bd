"""Group sessions: list, page, scheduling, registration and waitlist, attendance."""

from django.urls import path

from seances.views import groups

urlpatterns = [
    path("sessions-collectives/", groups.group_session_list, name="group_sessions"),
    path(
        "sessions-collectives/nouvelle/",
        groups.group_session_create,
        name="group_session_create",
    ),
    path(
        "sessions-collectives/<uuid:public_id>/",
        groups.group_session_detail,
        name="group_session_detail",
    ),
    path(
        "sessions-collectives/<uuid:public_id>/modifier/",
        groups.group_session_edit,
        name="group_session_edit",
    ),
    path(
        "sessions-collectives/<uuid:public_id>/annuler/",
        groups.group_session_cancel,
        name="group_session_cancel",
    ),
    path(
        "sessions-collectives/<uuid:public_id>/inscription/",
        groups.group_session_register,
        name="group_session_register",
    ),
    path(
        "sessions-collectives/<uuid:public_id>/presences/",
        groups.group_session_attendance,
        name="group_session_attendance",
    ),
    path(
        "sessions-collectives/<uuid:public_id>/calendrier.ics",
        groups.group_session_ics,
        name="group_session_ics",
    ),
    path(
        "sessions-collectives/inscriptions/<uuid:public_id>/annuler/",
        groups.group_registration_cancel,
        name="group_registration_cancel",
    ),
]

"""Self-service booking and the appointment's pages ("rendez-vous/")."""

from django.urls import path

from seances.views import booking

urlpatterns = [
    path("rendez-vous/", booking.book, name="book"),
    path("rendez-vous/offre/<uuid:public_id>/", booking.book_mentor, name="book_mentor"),
    path("rendez-vous/offre/<uuid:public_id>/creneaux/", booking.book_slots, name="book_slots"),
    path(
        "rendez-vous/offre/<uuid:public_id>/confirmer/",
        booking.book_confirm,
        name="book_confirm",
    ),
    path(
        "rendez-vous/<uuid:public_id>/",
        booking.appointment_detail,
        name="appointment_detail",
    ),
    path(
        "rendez-vous/<uuid:public_id>/rendez-vous.ics",
        booking.appointment_ics_download,
        name="appointment_ics",
    ),
    path(
        "rendez-vous/<uuid:public_id>/annuler/",
        booking.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "rendez-vous/<uuid:public_id>/deplacer/",
        booking.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path(
        "rendez-vous/<uuid:public_id>/deplacer/confirmer/",
        booking.appointment_reschedule_confirm,
        name="appointment_reschedule_confirm",
    ),
    path(
        "rendez-vous/<uuid:public_id>/bilan/",
        booking.appointment_status,
        name="appointment_status",
    ),
    path("rendez-vous/lien/<str:token>/", booking.appointment_manage, name="appointment_manage"),
    path(
        "rendez-vous/lien/<str:token>/annuler/",
        booking.appointment_manage_cancel,
        name="appointment_manage_cancel",
    ),
    path(
        "rendez-vous/lien/<str:token>/deplacer/",
        booking.appointment_manage_reschedule,
        name="appointment_manage_reschedule",
    ),
    path(
        "rendez-vous/lien/<str:token>/deplacer/confirmer/",
        booking.appointment_manage_reschedule_confirm,
        name="appointment_manage_reschedule_confirm",
    ),
]

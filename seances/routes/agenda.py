"""The mentor's agenda and availability, the coordinators' mentors and attendance pages,
booking on a beneficiary's behalf."""

from django.urls import path

from seances.views import agenda

urlpatterns = [
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/accompagnants/", agenda.mentors, name="mentors"),
    path("agenda/assiduite/", agenda.attendance, name="attendance"),
    path("agenda/disponibilites/", agenda.availability, name="availability"),
    path(
        "agenda/disponibilites/ajouter/",
        agenda.availability_create,
        name="availability_create",
    ),
    path(
        "agenda/disponibilites/<int:pk>/modifier/",
        agenda.availability_edit,
        name="availability_edit",
    ),
    path(
        "agenda/disponibilites/<int:pk>/supprimer/",
        agenda.availability_delete,
        name="availability_delete",
    ),
    path(
        "agenda/indisponibilites/ajouter/",
        agenda.exception_create,
        name="exception_create",
    ),
    path(
        "agenda/indisponibilites/<int:pk>/supprimer/",
        agenda.exception_delete,
        name="exception_delete",
    ),
    path(
        "agenda/rendez-vous/<uuid:public_id>/presence/",
        agenda.appointment_mark,
        name="appointment_mark",
    ),
    path("agenda/pour-le-compte/", agenda.book_on_behalf, name="book_on_behalf"),
    path(
        "agenda/pour-le-compte/<uuid:public_id>/confirmation/",
        agenda.behalf_confirmation,
        name="behalf_confirmation",
    ),
]

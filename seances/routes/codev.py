"""Co-development: the facilitator mode (the six steps, timer, notes, the client's action
plan) and the séance's summary."""

from django.urls import path

from seances.views import codev

urlpatterns = [
    path(
        "seances/<uuid:public_id>/codeveloppement/",
        codev.codev_facilitate,
        name="codev_facilitate",
    ),
    path(
        "seances/<uuid:public_id>/codeveloppement/synthese/",
        codev.codev_summary,
        name="codev_summary",
    ),
    path(
        "seances/<uuid:public_id>/codeveloppement/preparer/",
        codev.codev_prepare,
        name="codev_prepare",
    ),
    path(
        "seances/<uuid:public_id>/codeveloppement/etape-suivante/",
        codev.codev_step_next,
        name="codev_step_next",
    ),
    path(
        "seances/<uuid:public_id>/codeveloppement/notes/",
        codev.codev_step_notes,
        name="codev_step_notes",
    ),
    path(
        "seances/<uuid:public_id>/codeveloppement/plan-d-action/",
        codev.codev_action_add,
        name="codev_action_add",
    ),
]

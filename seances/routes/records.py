"""Closing records ("clotures/"), their report, and the action plan ("plan-d-action/")."""

from django.urls import path

from seances.views import records

urlpatterns = [
    path(
        "seances/<uuid:seance_id>/cloture/<uuid:beneficiary_id>/",
        records.record_start,
        name="record_start",
    ),
    path("clotures/<uuid:public_id>/", records.record_detail, name="record_detail"),
    path("clotures/<uuid:public_id>/modifier/", records.record_edit, name="record_edit"),
    path("clotures/<uuid:public_id>/valider/", records.record_validate, name="record_validate"),
    path("clotures/<uuid:public_id>/corriger/", records.record_correct, name="record_correct"),
    path(
        "clotures/<uuid:public_id>/commentaires/",
        records.record_comment,
        name="record_comment",
    ),
    path("clotures/<uuid:public_id>/rapport.pdf", records.record_pdf, name="record_pdf"),
    path("plan-d-action/", records.action_plan, name="action_plan"),
    path(
        "plan-d-action/taches/<uuid:public_id>/statut/",
        records.task_status,
        name="task_status",
    ),
]

"""Routes of the evaluation app (dashboard): included by evaluation/urls.py."""

from django.urls import path

from evaluation.views import dashboard

urlpatterns = [
    path(
        "programmes/<uuid:public_id>/tableau-de-bord/",
        dashboard.programme_evaluation,
        name="programme_dashboard",
    ),
    path(
        "programmes/<uuid:public_id>/tableau-de-bord/export.csv",
        dashboard.programme_export_csv,
        name="programme_export_csv",
    ),
    path(
        "programmes/<uuid:public_id>/tableau-de-bord/export.xlsx",
        dashboard.programme_export_xlsx,
        name="programme_export_xlsx",
    ),
    path(
        "programmes/<uuid:public_id>/tableau-de-bord/rapport.pdf",
        dashboard.programme_report,
        name="programme_report",
    ),
    path(
        "beneficiaires/<uuid:public_id>/suivi/",
        dashboard.beneficiary_follow_up_page,
        name="beneficiary_follow_up",
    ),
]

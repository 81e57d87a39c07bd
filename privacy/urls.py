"""Personal data rights: export, erasure, retention, the privacy and accessibility pages."""

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/export.json", views.my_data_json, name="my_data_json"),
    path("mes-donnees/export.pdf", views.my_data_pdf, name="my_data_pdf"),
    path("beneficiaires/<uuid:public_id>/effacer/", views.erase, name="erase"),
    path("donnees/conservation/", views.retention, name="retention"),
    path(
        "donnees/conservation/<uuid:public_id>/garder/",
        views.retention_keep_view,
        name="retention_keep",
    ),
    path("confidentialite/", views.privacy_policy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]

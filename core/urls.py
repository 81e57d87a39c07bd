from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "programmes/<uuid:public_id>/pilotage/",
        views.programme_dashboard,
        name="programme_dashboard",
    ),
]

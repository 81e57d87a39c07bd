from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("journal/", views.journal, name="journal"),
    path("journal/export.csv", views.journal_export, name="journal_export"),
]

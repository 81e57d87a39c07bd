from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("journal/", views.log, name="log"),
    path("journal/<int:pk>/renvoyer/", views.resend, name="resend"),
]

from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<uuid:public_id>/", views.programme_detail, name="detail"),
]

from django.urls import path

from beneficiaires import views

app_name = "beneficiaires"

urlpatterns = [
    path("", views.beneficiary_list, name="list"),
    path("<uuid:public_id>/", views.beneficiary_detail, name="detail"),
]

from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("nouveau/", views.partner_create, name="create"),
    path("<uuid:public_id>/", views.partner_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.partner_edit, name="edit"),
    path("orientations/", views.referral_list, name="referrals"),
    path(
        "orientations/beneficiaire/<uuid:public_id>/nouvelle/",
        views.referral_create,
        name="referral_create",
    ),
    path("orientations/<uuid:public_id>/reponse/", views.referral_update, name="referral_update"),
]

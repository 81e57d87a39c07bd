"""URL patterns of the campaigns part of outreach (issue 8)."""

from django.urls import path

from outreach.views import campaigns as views

urlpatterns = [
    path("campagnes/", views.campaign_list, name="campaign_list"),
    path("campagnes/nouvelle/", views.campaign_new, name="campaign_new"),
    path("campagnes/<uuid:public_id>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<uuid:public_id>/modifier/", views.campaign_edit, name="campaign_edit"),
    path("campagnes/<uuid:public_id>/envoyer/", views.campaign_send_view, name="campaign_send"),
    # Public: the token of the message is the credential.
    path("c/<str:token>/", views.campaign_link, name="campaign_link"),
    path("c/<str:token>/desabonnement/", views.campaign_unsubscribe, name="campaign_unsubscribe"),
]

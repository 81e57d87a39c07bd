"""URL patterns of the requests part of outreach (issue 8): the public support request and
its first appointment."""

from django.urls import path

from outreach.views import requests

urlpatterns = [
    path(
        "catalogue/<slug:slug>/demande/",
        requests.support_request,
        name="support_request",
    ),
    path(
        "catalogue/<slug:slug>/demande/<uuid:public_id>/merci/",
        requests.support_request_done,
        name="support_request_done",
    ),
    path(
        "catalogue/<slug:slug>/demande/<uuid:public_id>/rendez-vous/",
        requests.support_request_book,
        name="support_request_book",
    ),
]

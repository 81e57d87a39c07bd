"""URL patterns of the catalogue part of outreach (issue 8): public, no login.

/catalogue/<slug>/ comes last: "projets" and "evenements" are reserved slugs
(programmes.services.RESERVED_SLUGS), so the showcase and events keep their paths."""

from django.urls import path

from outreach.views import catalogue

urlpatterns = [
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path(
        "catalogue/evenements/<uuid:public_id>/",
        catalogue.catalogue_event,
        name="catalogue_event",
    ),
    path(
        "catalogue/evenements/<uuid:public_id>/inscription/",
        catalogue.catalogue_event_register,
        name="catalogue_event_register",
    ),
    path(
        "catalogue/evenements/<uuid:public_id>/inscription/<uuid:registration_id>/merci/",
        catalogue.catalogue_event_registered,
        name="catalogue_event_registered",
    ),
    path(
        "catalogue/<slug:slug>/",
        catalogue.catalogue_programme_page,
        name="catalogue_programme",
    ),
]

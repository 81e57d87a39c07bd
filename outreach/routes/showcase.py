"""URL patterns of the network showcase (issue 8, item 4)."""

from django.urls import path

from outreach.views import showcase as views

urlpatterns = [
    path("reseau/projets/", views.showcase_list, name="showcase"),
    path("reseau/projets/<uuid:public_id>/", views.showcase_card, name="showcase_card"),
    path("reseau/demandes-de-contact/", views.showcase_contacts, name="showcase_contacts"),
    path(
        "reseau/demandes-de-contact/<int:pk>/traitee/",
        views.showcase_contact_handled,
        name="showcase_contact_handled",
    ),
    path(
        "beneficiaires/<uuid:beneficiary_public_id>/projet/",
        views.card_edit,
        name="card_new",
    ),
    path(
        "beneficiaires/<uuid:beneficiary_public_id>/projet/<uuid:card_public_id>/",
        views.card_edit,
        name="card_edit",
    ),
    path(
        "beneficiaires/<uuid:beneficiary_public_id>/projet/<uuid:card_public_id>/supprimer/",
        views.card_remove,
        name="card_delete",
    ),
    path("mon-projet/", views.my_project, name="my_project"),
    path("catalogue/projets/", views.catalogue_projects, name="catalogue_projects"),
    path("catalogue/projets/<uuid:public_id>/", views.catalogue_project, name="catalogue_project"),
]

"""The logbook (carnet de bord): one's own entries, writing and sharing them; for mentors, the
entries shared with them."""

from django.urls import path

from seances.views import logbook

urlpatterns = [
    path("carnet-de-bord/", logbook.logbook, name="logbook"),
    path("carnet-de-bord/nouvelle/", logbook.logbook_entry_create, name="logbook_entry_create"),
    path("carnet-de-bord/partages/", logbook.logbook_shared, name="logbook_shared"),
    path(
        "carnet-de-bord/<uuid:public_id>/",
        logbook.logbook_entry_detail,
        name="logbook_entry_detail",
    ),
    path(
        "carnet-de-bord/<uuid:public_id>/modifier/",
        logbook.logbook_entry_edit,
        name="logbook_entry_edit",
    ),
    path(
        "carnet-de-bord/<uuid:public_id>/partage/",
        logbook.logbook_entry_share,
        name="logbook_entry_share",
    ),
    path(
        "carnet-de-bord/<uuid:public_id>/supprimer/",
        logbook.logbook_entry_delete,
        name="logbook_entry_delete",
    ),
]

"""Public catalogue, support requests, campaigns and the network showcase (issue 8).

The showcase comes first: its public list lives under /catalogue/projets/, which the
catalogue's /catalogue/<slug>/ would otherwise take."""

from outreach.routes import campaigns, catalogue, requests, showcase

app_name = "outreach"

urlpatterns = [
    *showcase.urlpatterns,
    *requests.urlpatterns,
    *campaigns.urlpatterns,
    *catalogue.urlpatterns,
]

"""The outreach API's URL patterns, included in /api/v1/ before the router."""

from outreach import api_campaigns, api_catalogue, api_requests

urlpatterns = [
    *api_catalogue.urlpatterns,
    *api_requests.urlpatterns,
    *api_campaigns.urlpatterns,
]

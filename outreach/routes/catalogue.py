"""URL patterns of the catalogue part of outreach (issue 8)."""

urlpatterns: list = []

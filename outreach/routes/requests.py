"""URL patterns of the requests part of outreach (issue 8)."""

urlpatterns: list = []

"""URL patterns of the campaigns part of outreach (issue 8)."""

urlpatterns: list = []

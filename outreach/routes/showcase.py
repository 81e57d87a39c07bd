"""URL patterns of the showcase part of outreach (issue 8)."""

urlpatterns: list = []

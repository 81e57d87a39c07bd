"""API of the requests part of outreach (issue 8): its URL patterns, included under /api/v1/."""

urlpatterns: list = []

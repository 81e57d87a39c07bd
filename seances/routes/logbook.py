"""URLs of the séances area \"logbook\" (issue 5)."""

urlpatterns: list = []

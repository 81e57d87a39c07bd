"""URLs of the séances area \"seances\" (issue 5)."""

urlpatterns: list = []

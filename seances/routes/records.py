"""URLs of the séances area \"records\" (issue 5)."""

urlpatterns: list = []

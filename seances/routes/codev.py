"""URLs of the séances area \"codev\" (issue 5)."""

urlpatterns: list = []

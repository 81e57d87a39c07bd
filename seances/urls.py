"""The agenda's URLs, one module per area (seances/routes/), under one namespace."""

from seances.routes import agenda, booking, calendars, groups

app_name = "seances"

urlpatterns = [
    *booking.urlpatterns,
    *agenda.urlpatterns,
    *groups.urlpatterns,
    *calendars.urlpatterns,
]

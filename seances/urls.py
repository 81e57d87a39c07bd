"""The agenda's and séances' URLs, one module per area (seances/routes/), under one namespace."""

from seances.routes import agenda, booking, calendars, codev, groups, logbook, records, seances

app_name = "seances"

urlpatterns = [
    *booking.urlpatterns,
    *agenda.urlpatterns,
    *groups.urlpatterns,
    *calendars.urlpatterns,
    *seances.urlpatterns,
    *records.urlpatterns,
    *codev.urlpatterns,
    *logbook.urlpatterns,
]

"""Private calendar feeds: the secret ICS URL and the page that shows and revokes it."""

from django.urls import path

from seances.views import calendars

urlpatterns = [
    path("calendrier/", calendars.calendar_settings, name="calendar_settings"),
    path("calendrier/<str:token>.ics", calendars.calendar_feed, name="calendar_feed"),
]

"""Secret links: signed links to manage an appointment from an email without logging in, and
the private calendar feed's token."""

import datetime

from django.core import signing
from django.db import transaction

from seances.models import Appointment, CalendarFeed, new_feed_token

SALT = "seances.appointment"
MAX_AGE = datetime.timedelta(days=60)


def appointment_token(appointment: Appointment) -> str:
    """A signed, URL-safe token naming the appointment; valid for 60 days."""
    return signing.dumps(str(appointment.public_id), salt=SALT)


def appointment_from_token(token: str) -> Appointment:
    """The appointment a token names.

    Raises signing.BadSignature (SignatureExpired after 60 days) for a tampered or old token,
    and Appointment.DoesNotExist when the appointment is gone."""
    public_id = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    return Appointment.objects.select_related(
        "offer__programme__organization", "mentor", "beneficiary__user"
    ).get(public_id=public_id)


def calendar_feed_for(user) -> CalendarFeed:
    """The person's calendar feed, created with a fresh secret the first time."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user) -> CalendarFeed:
    """Revoke the person's feed URL: a new secret replaces the old one, which stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token", "created_at"])
    return feed

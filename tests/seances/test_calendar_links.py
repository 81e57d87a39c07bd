"""Secret links: the signed appointment link of the emails, and the calendar feed's token."""

import time
from unittest import mock

import pytest
from django.core import signing

from seances.links import (
    appointment_from_token,
    appointment_token,
    calendar_feed_for,
    calendar_feed_rotate,
)
from seances.models import Appointment, CalendarFeed
from tests.seances.conftest import AppointmentFactory

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


@pytest.fixture
def appointment(offer, mentor, beneficiary):
    return AppointmentFactory(offer=offer, mentor=mentor, beneficiary=beneficiary)


def token_made_days_ago(appointment, days: int) -> str:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - days * DAY):
        return appointment_token(appointment)


def test_valid_token_gives_the_appointment(appointment):
    assert appointment_from_token(appointment_token(appointment)) == appointment


def test_token_is_url_safe(appointment):
    token = appointment_token(appointment)

    assert "/" not in token
    assert all(c.isalnum() or c in "-_:" for c in token)


def test_tampered_token_is_refused(appointment):
    token = appointment_token(appointment)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    with pytest.raises(signing.BadSignature):
        appointment_from_token(tampered)


def test_token_signed_for_something_else_is_refused(appointment):
    other_purpose = signing.dumps(str(appointment.public_id), salt="another.purpose")

    with pytest.raises(signing.BadSignature):
        appointment_from_token(other_purpose)


def test_token_works_for_sixty_days_then_expires(appointment):
    assert appointment_from_token(token_made_days_ago(appointment, 59)) == appointment

    with pytest.raises(signing.SignatureExpired):
        appointment_from_token(token_made_days_ago(appointment, 61))


def test_token_of_a_deleted_appointment_is_not_found(appointment):
    token = appointment_token(appointment)
    appointment.delete()

    with pytest.raises(Appointment.DoesNotExist):
        appointment_from_token(token)


def test_feed_is_created_once(mentor):
    first = calendar_feed_for(mentor)

    assert calendar_feed_for(mentor) == first
    assert len(first.token) >= 40
    assert CalendarFeed.objects.filter(user=mentor).count() == 1


def test_rotating_replaces_the_token(mentor):
    old = calendar_feed_for(mentor).token

    new = calendar_feed_rotate(user=mentor).token

    assert new != old
    assert not CalendarFeed.objects.filter(token=old).exists()
    assert CalendarFeed.objects.get(user=mentor).token == new

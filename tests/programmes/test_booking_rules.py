"""Booking rules on the offer form (issue 4): fields, defaults, checks, and the programme page."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.urls import reverse

from programmes.enums import BookingAudience, OfferKind, OfferMode
from programmes.forms import BOOKING_RULE_FIELDS, OfferForm
from programmes.models import Offer
from programmes.services import OFFER_FIELDS
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def offer_data(**overrides):
    data = {
        "kind": OfferKind.COACHING,
        "title": "Coaching de porteurs de projet",
        "mode": OfferMode.INDIVIDUAL,
        "channels": ["channel_in_person", "channel_phone"],
        "duration_minutes": "60",
        "is_active": "on",
    }
    return data | overrides


RULES = {
    "min_notice_hours": "48",
    "horizon_days": "28",
    "booking_audience": BookingAudience.LINK,
    "cancel_allowed": "true",
    "cancel_until_hours": "12",
    "reschedule_allowed": "false",
    "reschedule_until_hours": "72",
    "max_active_bookings": "3",
}


def test_the_form_has_the_booking_rules_in_their_own_fieldset(programme):
    form = OfferForm(programme=programme)

    assert set(BOOKING_RULE_FIELDS) <= set(form.fields)
    html = render_crispy_form(form)
    assert 'id="booking-rules"' in html
    for name in BOOKING_RULE_FIELDS:
        assert f'name="{name}"' in html


def test_a_new_offer_starts_from_the_default_rules(programme):
    form = OfferForm(programme=programme)

    assert form.fields["min_notice_hours"].initial == 24
    assert form.fields["horizon_days"].initial == 56
    assert form.fields["booking_audience"].initial == BookingAudience.ENROLLED
    assert form.fields["cancel_allowed"].initial == "true"
    assert form.fields["max_active_bookings"].initial == 2


def test_the_rules_are_cleaned(programme):
    form = OfferForm(offer_data(**RULES), programme=programme)

    assert form.is_valid(), form.errors
    rules = {name: form.cleaned_data[name] for name in BOOKING_RULE_FIELDS}
    assert rules == {
        "min_notice_hours": 48,
        "horizon_days": 28,
        "booking_audience": BookingAudience.LINK,
        "cancel_allowed": True,
        "cancel_until_hours": 12,
        "reschedule_allowed": False,
        "reschedule_until_hours": 72,
        "max_active_bookings": 3,
    }


def test_rules_left_out_keep_the_offers_current_values(programme):
    offer = OfferFactory(programme=programme, min_notice_hours=2, cancel_allowed=False)

    form = OfferForm(offer_data(), instance=offer, programme=programme)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["min_notice_hours"] == 2
    assert form.cleaned_data["cancel_allowed"] is False
    assert form.cleaned_data["horizon_days"] == 56


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("horizon_days", "0"),
        ("max_active_bookings", "0"),
        ("min_notice_hours", "-1"),
        ("cancel_until_hours", "-4"),
        ("booking_audience", "everyone"),
        ("cancel_allowed", "maybe"),
    ],
)
def test_impossible_rules_are_refused(programme, field, value):
    form = OfferForm(offer_data(**{field: value}), programme=programme)

    assert not form.is_valid()
    assert field in form.errors


def test_the_notice_must_leave_room_before_the_horizon(programme):
    form = OfferForm(offer_data(min_notice_hours="168", horizon_days="7"), programme=programme)

    assert not form.is_valid()
    assert list(form.errors) == ["min_notice_hours"]


def test_rules_reach_the_service(programme):
    form = OfferForm(offer_data(**RULES), programme=programme)
    assert form.is_valid(), form.errors

    kwargs = form.service_kwargs()

    assert set(kwargs) <= OFFER_FIELDS | {"mentors", "themes"}


def test_coordinator_saves_the_rules(client, coordinator, programme):
    client.force_login(coordinator)

    response = client.post(
        reverse("programmes:offer_create", args=[programme.public_id]), offer_data(**RULES)
    )

    assert response.status_code == 302
    offer = Offer.objects.get(programme=programme)
    assert (offer.min_notice_hours, offer.horizon_days, offer.booking_audience) == (
        48,
        28,
        BookingAudience.LINK,
    )
    assert (offer.reschedule_allowed, offer.max_active_bookings) == (False, 3)


def test_programme_page_shows_the_rules_of_individual_offers(client, mentor, programme):
    OfferFactory(
        programme=programme,
        title="Coaching",
        min_notice_hours=48,
        cancel_allowed=False,
    ).mentors.add(mentor)
    OfferFactory(programme=programme, title="Atelier", group=True)
    client.force_login(mentor)

    response = client.get(reverse("programmes:detail", args=[programme.public_id]))

    content = response.content.decode()
    assert content.count("<details") == 1
    assert "48" in content
    assert "INVALID_VARIABLE" not in content

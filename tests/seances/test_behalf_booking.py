"""Booking on behalf of a phone-only beneficiary, and the printable confirmation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.enums import ProgrammeStatus
from seances.enums import AppointmentStatus, Weekday
from seances.models import Appointment
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory
from tests.seances.conftest import PARIS, AppointmentFactory, AvailabilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone_only(organization, offer, mentor):
    """Someone without an account nor an email, followed by `mentor` in `offer`."""
    person = BeneficiaryFactory(
        organization=organization, name="Odette Martin", email="", phone="06 12 34 56 78"
    )
    EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
    return person


@pytest.fixture
def tuesday_mornings(offer, mentor):
    return AvailabilityFactory(
        mentor=mentor,
        offer=offer,
        weekday=Weekday.TUESDAY,
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        location="Maison des projets, 3 rue Neuve",
    )


def next_week() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)


def tuesday_at(hour: int) -> datetime.datetime:
    day = next_week() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


def flow_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("seances:book_on_behalf") + (f"?{query}" if query else "")


def test_first_step_lists_people_enrolled_in_an_individual_offer(
    client, coordinator, phone_only, organization, programme
):
    workshop_only = BeneficiaryFactory(organization=organization, name="Seulement Atelier")
    EnrollmentFactory(
        beneficiary=workshop_only, offer=OfferFactory(programme=programme, group=True)
    )
    client.force_login(coordinator)

    response = client.get(flow_url())

    assert response.status_code == 200
    assert phone_only in list(response.context["beneficiaries"])
    assert workshop_only not in list(response.context["beneficiaries"])


def test_a_closed_programme_is_not_bookable(client, coordinator, phone_only, programme):
    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    client.force_login(coordinator)

    response = client.get(flow_url(beneficiary=phone_only.public_id))

    assert response.status_code == 404


def test_offer_and_referent_are_chosen_by_default(
    client, coordinator, phone_only, offer, mentor, tuesday_mornings
):
    client.force_login(coordinator)

    response = client.get(flow_url(beneficiary=phone_only.public_id, week=next_week()))

    assert response.context["offer"] == offer
    assert response.context["mentor"] == mentor
    assert response.context["is_phone_only"] is True
    tuesday = response.context["slots_by_day"][1]
    assert [s["starts_at"] for s in tuesday["slots"]] == [
        tuesday_at(9),
        tuesday_at(10),
        tuesday_at(11),
    ]


def test_coordinator_books_for_a_phone_only_beneficiary(
    client, coordinator, phone_only, offer, mentor, tuesday_mornings, organization
):
    organization.phone = "04 72 00 00 00"
    organization.save()
    client.force_login(coordinator)

    response = client.post(
        flow_url(),
        {
            "beneficiary": phone_only.public_id,
            "offer": offer.public_id,
            "mentor": mentor.public_id,
            "week": next_week().isoformat(),
            "starts_at": tuesday_at(10).isoformat(),
            "reason": "  Monter le dossier de subvention  ",
        },
    )

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("seances:behalf_confirmation", args=[appointment.public_id])
    assert appointment.booked_on_behalf is True
    assert appointment.booked_by == coordinator
    assert (appointment.beneficiary, appointment.mentor, appointment.starts_at) == (
        phone_only,
        mentor,
        tuesday_at(10),
    )
    assert appointment.reason == "Monter le dossier de subvention"

    confirmation = client.get(response.url)
    content = confirmation.content.decode()
    assert "04 72 00 00 00" in content
    assert "Maison des projets, 3 rue Neuve" in content
    assert "print-confirmation.css" in content
    assert "data-print" in content
    assert "INVALID_VARIABLE" not in content


def test_referent_mentor_books_on_behalf_too(client, mentor, phone_only, offer, tuesday_mornings):
    client.force_login(mentor)

    client.post(
        flow_url(),
        {
            "beneficiary": phone_only.public_id,
            "offer": offer.public_id,
            "mentor": mentor.public_id,
            "week": next_week().isoformat(),
            "starts_at": tuesday_at(9).isoformat(),
        },
    )

    assert Appointment.objects.get().booked_by == mentor


def test_a_slot_taken_meanwhile_is_refused_with_a_message(
    client, coordinator, phone_only, beneficiary, offer, mentor, tuesday_mornings
):
    AppointmentFactory(
        offer=offer, mentor=mentor, beneficiary=beneficiary, starts_at=tuesday_at(10)
    )
    client.force_login(coordinator)

    response = client.post(
        flow_url(),
        {
            "beneficiary": phone_only.public_id,
            "offer": offer.public_id,
            "mentor": mentor.public_id,
            "week": next_week().isoformat(),
            "starts_at": tuesday_at(10).isoformat(),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Appointment.objects.filter(beneficiary=phone_only).count() == 0
    # The taken slot is no longer offered.
    tuesday = response.context["slots_by_day"][1]
    assert tuesday_at(10) not in [s["starts_at"] for s in tuesday["slots"]]


def test_no_slot_chosen_is_an_error(
    client, coordinator, phone_only, offer, mentor, tuesday_mornings
):
    client.force_login(coordinator)

    response = client.post(
        flow_url(),
        {
            "beneficiary": phone_only.public_id,
            "offer": offer.public_id,
            "mentor": mentor.public_id,
            "week": next_week().isoformat(),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Appointment.objects.exists()


def test_week_navigation_keeps_the_choices(client, coordinator, phone_only, offer, mentor):
    client.force_login(coordinator)

    response = client.get(flow_url(beneficiary=phone_only.public_id, week=next_week()))

    following = next_week() + datetime.timedelta(days=7)
    assert f"week={following.isoformat()}" in response.context["week_urls"]["next"]
    assert f"mentor={mentor.public_id}" in response.context["week_urls"]["next"]


def test_confirmation_of_a_cancelled_appointment_says_so(
    client, coordinator, phone_only, offer, mentor
):
    appointment = AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=phone_only,
        status=AppointmentStatus.CANCELLED,
        starts_at=tuesday_at(9),
    )
    client.force_login(coordinator)

    response = client.get(reverse("seances:behalf_confirmation", args=[appointment.public_id]))

    assert response.context["is_cancelled"] is True

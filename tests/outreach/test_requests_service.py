"""Support requests: the service (outreach.services.requests)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beneficiaires.enums import BeneficiaryKind, ConsentPurpose, OutreachStage, Source
from beneficiaires.models import Beneficiary, Consent
from notifications.enums import Channel, NotificationKind
from notifications.models import Notification
from outreach.enums import RequestOrigin
from outreach.models import Campaign, SupportRequest
from outreach.services.requests import (
    first_appointment_offer,
    support_request_book,
    support_request_create,
)
from programmes.enums import ProgrammeStatus
from seances.enums import AppointmentStatus
from seances.slots import first_available
from tests.factories import BeneficiaryFactory, OfferFactory
from tests.outreach.requests_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.requests_fixtures import service_data

pytestmark = pytest.mark.django_db


def test_a_request_creates_a_record_to_contact_with_its_source(published, coordinator):
    request = support_request_create(programme=published, **service_data())

    beneficiary = request.beneficiary
    assert beneficiary.organization_id == published.organization_id
    assert beneficiary.stage == OutreachStage.TO_CONTACT
    assert beneficiary.source == Source.SUPPORT_REQUEST
    assert beneficiary.source_detail == "Catalogue"
    assert beneficiary.programme == published
    assert beneficiary.email == "camille.martin@example.org"
    assert request.origin == RequestOrigin.CATALOGUE
    assert Consent.objects.filter(
        beneficiary=beneficiary, purpose=ConsentPurpose.CONTACT, withdrawn_at__isnull=True
    ).exists()


def test_the_acknowledgement_and_the_coordinators_notice_are_written(published, coordinator):
    request = support_request_create(programme=published, **service_data())

    ack = Notification.objects.get(kind=NotificationKind.SUPPORT_REQUEST_ACK)
    assert ack.channel == Channel.EMAIL
    assert ack.to_address == "camille.martin@example.org"
    assert published.title in ack.subject
    assert " 5 " in ack.body_text  # within CONTACT_WITHIN_DAYS working days
    assert "contact@maison.example.org" in ack.body_text
    new = Notification.objects.get(kind=NotificationKind.SUPPORT_REQUEST_NEW)
    assert new.to_address == coordinator.email
    assert str(request.beneficiary.public_id) in new.body_text


def test_a_phone_only_request_is_acknowledged_by_text_message(published, coordinator):
    support_request_create(
        programme=published,
        **service_data(email="", phone="06 12 34 56 78", preferred_channel="sms"),
    )

    ack = Notification.objects.get(kind=NotificationKind.SUPPORT_REQUEST_ACK)
    assert ack.channel == Channel.SMS
    assert ack.to_address == "06 12 34 56 78"
    assert len(ack.body_text) < 320


def test_an_existing_record_is_linked_and_keeps_its_stage(published, organization):
    existing = BeneficiaryFactory(
        organization=organization, email="Camille.Martin@example.org", stage="contacted"
    )

    request = support_request_create(programme=published, **service_data())

    assert request.beneficiary == existing
    existing.refresh_from_db()
    assert existing.stage == OutreachStage.CONTACTED
    assert Beneficiary.objects.count() == 1


def test_an_existing_record_is_found_by_phone(published, organization):
    existing = BeneficiaryFactory(organization=organization, email="", phone="0612345678")

    request = support_request_create(
        programme=published,
        **service_data(email="", phone="06 12 34 56 78", preferred_channel="phone"),
    )

    assert request.beneficiary == existing


def test_a_record_of_another_organisation_is_not_linked(published, other_organization):
    BeneficiaryFactory(organization=other_organization, email="camille.martin@example.org")

    request = support_request_create(programme=published, **service_data())

    assert request.beneficiary.organization_id == published.organization_id
    assert Beneficiary.objects.count() == 2


def test_a_structure_gives_a_contact_person(published):
    with pytest.raises(ValidationError) as exc:
        support_request_create(
            programme=published, **service_data(requester_kind=BeneficiaryKind.ASSOCIATION)
        )
    assert "contact_name" in exc.value.error_dict

    request = support_request_create(
        programme=published,
        **service_data(
            requester_kind=BeneficiaryKind.ASSOCIATION,
            name="Les Jardins du 3e",
            contact_name="Camille Martin",
        ),
    )
    assert request.beneficiary.kind == BeneficiaryKind.ASSOCIATION
    assert request.beneficiary.contact_name == "Camille Martin"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "", "phone": ""}, "email"),
        ({"preferred_channel": "sms"}, "phone"),
        ({"email": "", "phone": "0612345678", "preferred_channel": "email"}, "email"),
        ({"needs": "   "}, "needs"),
        ({"needs": "x" * 3001}, "needs"),
        ({"consent_contact": False}, "consent_contact"),
        ({"phone": "12", "preferred_channel": "phone"}, "phone"),
    ],
)
def test_bad_data_saves_nothing(published, coordinator, overrides, field):
    with pytest.raises(ValidationError) as exc:
        support_request_create(programme=published, **service_data(**overrides))

    assert field in exc.value.error_dict
    assert not Beneficiary.objects.exists()
    assert not SupportRequest.objects.exists()
    assert not Notification.objects.exists()


def test_an_offer_of_another_programme_is_refused(published):
    other = OfferFactory()
    with pytest.raises(ValidationError) as exc:
        support_request_create(programme=published, **service_data(offer=other))
    assert "offer" in exc.value.error_dict


def test_an_unpublished_or_closed_programme_takes_no_request(published):
    published.status = ProgrammeStatus.CLOSED
    published.save()
    with pytest.raises(ValidationError):
        support_request_create(programme=published, **service_data())
    assert not SupportRequest.objects.exists()


def test_a_campaign_reply_names_the_campaign(published, coordinator):
    campaign = Campaign.objects.create(
        programme=published, subject="Portes ouvertes", body="Venez", created_by=coordinator
    )

    request = support_request_create(
        programme=published, origin=RequestOrigin.CAMPAIGN, campaign=campaign, **service_data()
    )

    assert request.campaign == campaign
    assert request.origin == RequestOrigin.CAMPAIGN
    assert request.beneficiary.source_detail.endswith("Portes ouvertes")


def test_a_campaign_of_another_programme_is_ignored(published, coordinator):
    other_offer = OfferFactory()
    campaign = Campaign.objects.create(
        programme=other_offer.programme, subject="Ailleurs", body="…", created_by=coordinator
    )

    request = support_request_create(
        programme=published, origin=RequestOrigin.CAMPAIGN, campaign=campaign, **service_data()
    )

    assert request.campaign is None
    assert request.origin == RequestOrigin.CATALOGUE


def _first_slot(offer):
    today = timezone.localdate()
    return first_available(offer=offer, start=today, end=today + datetime.timedelta(days=14))[0]


def test_the_first_appointment_is_booked_once(published, link_offer, mentor):
    request = support_request_create(programme=published, **service_data())
    assert first_appointment_offer(request) == link_offer
    slot = _first_slot(link_offer)

    appointment = support_request_book(
        support_request=request, mentor=slot.mentor, starts_at=slot.starts_at
    )

    request.refresh_from_db()
    assert request.appointment == appointment
    assert appointment.beneficiary == request.beneficiary
    assert appointment.status == AppointmentStatus.BOOKED
    confirmation = Notification.objects.get(
        kind=NotificationKind.APPOINTMENT_CONFIRMED, to_address="camille.martin@example.org"
    )
    assert confirmation.attachments
    assert confirmation.attachments[0]["filename"].endswith(".ics")
    later = _first_slot(link_offer)
    with pytest.raises(ValidationError) as exc:
        support_request_book(
            support_request=request, mentor=later.mentor, starts_at=later.starts_at
        )
    assert exc.value.code == "already"


def test_a_taken_slot_is_refused(published, link_offer, mentor):
    first = support_request_create(programme=published, **service_data())
    second = support_request_create(
        programme=published, **service_data(email="dominique@example.org", name="Dominique")
    )
    slot = _first_slot(link_offer)
    support_request_book(support_request=first, mentor=slot.mentor, starts_at=slot.starts_at)

    with pytest.raises(ValidationError):
        support_request_book(support_request=second, mentor=slot.mentor, starts_at=slot.starts_at)
    second.refresh_from_db()
    assert second.appointment is None


def test_a_slot_too_soon_is_refused(published, link_offer, mentor):
    request = support_request_create(programme=published, **service_data())
    with pytest.raises(ValidationError) as exc:
        support_request_book(
            support_request=request,
            mentor=mentor,
            starts_at=timezone.now() + datetime.timedelta(hours=1),
        )
    assert exc.value.code == "too_soon"


def test_no_first_appointment_without_a_link_offer(published, offer, mentor):
    request = support_request_create(programme=published, **service_data())
    assert first_appointment_offer(request) is None
    with pytest.raises(ValidationError):
        support_request_book(
            support_request=request,
            mentor=mentor,
            starts_at=timezone.now() + datetime.timedelta(days=3),
        )

"""Publication (slug, price) and the registration of people without an account."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beneficiaires.enums import ConsentPurpose, OutreachStage, Source
from beneficiaires.models import Beneficiary, Consent
from notifications.enums import NotificationKind
from notifications.models import Notification
from outreach.antispam import (
    AntiSpamFormMixin,
    antispam_post_data,
    rate_limited,
    sign_form_started,
)
from outreach.services.catalogue import open_event_register
from programmes import services as programme_services
from programmes.enums import ProgrammeStatus
from programmes.services import unique_programme_slug
from seances.enums import GroupSessionStatus, RegistrationStatus
from seances.models import Registration
from tests.factories import BeneficiaryFactory, OrganizationFactory, ProgrammeFactory
from tests.outreach.catalogue_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.catalogue_fixtures import make_session

pytestmark = pytest.mark.django_db


# Slugs


def test_slug_is_made_from_the_title_and_stays_unique(organization):
    ProgrammeFactory(organization=organization, slug="fabrique-des-initiatives-2026")

    assert unique_programme_slug("Fabrique des initiatives 2026") == (
        "fabrique-des-initiatives-2026-2"
    )


@pytest.mark.parametrize("title", ["Projets", "Évènements", "API"])
def test_slug_never_takes_a_reserved_path(title):
    assert unique_programme_slug(title) in {"projets-2", "evenements-2", "api-2"}


def test_publishing_without_slug_generates_one(programme, coordinator):
    programme_services.programme_update(
        programme=programme, is_published=True, slug=None, acting_user=coordinator
    )

    programme.refresh_from_db()
    assert programme.slug.startswith("programme-daccompagnement")


def test_a_reserved_slug_is_refused(programme, coordinator):
    with pytest.raises(ValidationError) as error:
        programme_services.programme_update(
            programme=programme, is_published=True, slug="projets", acting_user=coordinator
        )

    assert "slug" in error.value.message_dict


def test_a_price_is_required_when_not_free(programme, coordinator):
    with pytest.raises(ValidationError) as error:
        programme_services.programme_update(
            programme=programme, is_free=False, price="  ", acting_user=coordinator
        )

    assert "price" in error.value.message_dict
    programme.refresh_from_db()
    assert programme.is_free is True


def test_an_unknown_audience_is_refused(programme, coordinator):
    with pytest.raises(ValidationError) as error:
        programme_services.programme_update(
            programme=programme, audiences=["martians"], acting_user=coordinator
        )

    assert "audiences" in error.value.message_dict


def test_programme_create_takes_the_public_fields(organization, coordinator):
    programme = programme_services.programme_create(
        organization=organization,
        title="Cap associations",
        start_date=datetime.date(2026, 9, 1),
        is_published=True,
        is_free=False,
        price="20 € par mois",
        audiences=["associations"],
        acting_user=coordinator,
    )

    assert programme.slug == "cap-associations"
    assert programme.price == "20 € par mois"


# Open event registration


def test_a_new_person_lands_in_the_outreach_list_with_consent(open_event):
    registration = open_event_register(
        session=open_event, name="Camille Martin", email="Camille@Example.org", phone=""
    )

    person = registration.beneficiary
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.booked_by is None
    assert person.organization_id == open_event.offer.programme.organization_id
    assert person.email == "camille@example.org"
    assert person.stage == OutreachStage.TO_CONTACT
    assert person.source == Source.EVENT
    assert person.source_detail == "Réunion d'information"
    assert person.programme_id == open_event.offer.programme_id
    assert person.consents.filter(purpose=ConsentPurpose.CONTACT).count() == 1
    assert Notification.objects.filter(
        kind=NotificationKind.REGISTRATION_CONFIRMED, to_address="camille@example.org"
    ).exists()


def test_a_known_person_is_found_by_email_not_duplicated(open_event, organization):
    known = BeneficiaryFactory(organization=organization, email="camille@example.org")

    registration = open_event_register(
        session=open_event, name="C. Martin", email="CAMILLE@example.org"
    )

    assert registration.beneficiary == known
    assert Beneficiary.objects.filter(email__iexact="camille@example.org").count() == 1
    assert Consent.objects.filter(beneficiary=known, purpose=ConsentPurpose.CONTACT).count() == 1


def test_a_person_of_another_structure_is_not_reused(open_event):
    stranger = BeneficiaryFactory(organization=OrganizationFactory(), email="camille@example.org")

    registration = open_event_register(session=open_event, name="Camille", email=stranger.email)

    assert registration.beneficiary != stranger


def test_found_by_phone_whatever_the_spacing(open_event, organization):
    known = BeneficiaryFactory(organization=organization, email="", phone="0612345678")

    registration = open_event_register(session=open_event, name="Sam", phone="06 12 34 56 78")

    assert registration.beneficiary == known


def test_same_person_twice_gets_a_clear_message_and_no_duplicate(open_event):
    open_event_register(session=open_event, name="Camille", email="camille@example.org")

    with pytest.raises(ValidationError) as error:
        open_event_register(session=open_event, name="Camille", email="camille@example.org")

    assert error.value.error_list[0].code == "already_registered"
    assert Registration.objects.filter(session=open_event).count() == 1
    assert Beneficiary.objects.filter(email="camille@example.org").count() == 1


def test_a_full_event_puts_people_on_the_waitlist(group_offer, mentor):
    session = make_session(group_offer, mentor, capacity=1)
    open_event_register(session=session, name="Première", email="a@example.org")

    second = open_event_register(session=session, name="Seconde", email="b@example.org")

    assert second.status == RegistrationStatus.WAITLISTED


def test_email_or_phone_is_required_and_nothing_is_saved(open_event):
    with pytest.raises(ValidationError) as error:
        open_event_register(session=open_event, name="Camille", email="", phone="")

    assert "email" in error.value.message_dict
    assert not Beneficiary.objects.filter(name="Camille").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"is_open_event": False},
        {"status": GroupSessionStatus.CANCELLED},
    ],
)
def test_closed_events_refuse_registration_without_saving(open_event, change):
    for name, value in change.items():
        setattr(open_event, name, value)
    open_event.save()

    with pytest.raises(ValidationError):
        open_event_register(session=open_event, name="Camille", email="camille@example.org")

    assert not Beneficiary.objects.filter(email="camille@example.org").exists()


def test_an_unpublished_or_closed_programme_refuses_registration(open_event):
    programme = open_event.offer.programme
    programme.status = ProgrammeStatus.CLOSED
    programme.save()

    with pytest.raises(ValidationError):
        open_event_register(session=open_event, name="Camille", email="camille@example.org")


def test_a_past_event_refuses_registration(open_event):
    open_event.starts_at = timezone.now() - datetime.timedelta(hours=1)
    open_event.ends_at = timezone.now() + datetime.timedelta(hours=1)
    open_event.save()

    with pytest.raises(ValidationError):
        open_event_register(session=open_event, name="Camille", email="camille@example.org")


# Anti-spam


class _Form(AntiSpamFormMixin, __import__("django").forms.Form):
    pass


def test_an_honest_form_passes():
    assert _Form(data=antispam_post_data()).is_valid()


@pytest.mark.parametrize(
    "data",
    [
        {"website": "http://spam.example", "form_started": None},
        {"website": "", "form_started": "forged"},
        {"website": "", "form_started": "fast"},
        {"website": ""},
    ],
)
def test_bots_are_refused_with_a_french_error(data):
    if data.get("form_started") is None and "form_started" in data:
        data["form_started"] = sign_form_started(timezone.now().timestamp() - 60)
    elif data.get("form_started") == "fast":
        data["form_started"] = sign_form_started()

    form = _Form(data=data)

    assert not form.is_valid()
    assert form.has_error("__all__", code="spam")


def test_a_token_older_than_a_day_is_refused():
    old = sign_form_started()
    from unittest import mock

    later = timezone.now().timestamp() + 90000
    with mock.patch("django.core.signing.time.time", return_value=later):
        form = _Form(data={"website": "", "form_started": old})
        assert not form.is_valid()


def test_rate_limit_counts_per_ip(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    other = rf.post("/", REMOTE_ADDR="203.0.113.8")

    results = [rate_limited(request, "test", 3, 60) for _ in range(4)]

    assert results == [False, False, False, True]
    assert rate_limited(other, "test", 3, 60) is False

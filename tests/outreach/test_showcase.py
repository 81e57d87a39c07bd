"""The network showcase: a card is shown only while the person consents; contact goes
through the coordination; the person withdraws their consent themselves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaires.enums import ConsentPurpose
from beneficiaires.models import Consent
from notifications.enums import NotificationKind
from notifications.models import Notification
from outreach.antispam import antispam_post_data
from outreach.models import ProjectCard, ShowcaseContact
from outreach.services.showcase import card_save, contact_send, own_consent_set
from tests.factories import BeneficiaryFactory, EnrollmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def consent(beneficiary):
    return Consent.objects.create(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.NETWORK_SHARING,
        given_at=timezone.now() - datetime.timedelta(days=1),
    )


def make_card(beneficiary, programme, mentor, **extra):
    fields = {
        "title": "Jardin partagé des Pentes",
        "summary": "Un jardin cultivé par les habitants du quartier.",
        "territory": "Lyon 1er",
        "needs_partners": "Un bailleur social",
        **extra,
    }
    return card_save(beneficiary=beneficiary, programme=programme, acting_user=mentor, **fields)


def test_card_hidden_without_consent_and_shown_with_it(client, beneficiary, programme, mentor):
    card = make_card(beneficiary, programme, mentor)
    network_mentor = MembershipFactory(role="mentor").user  # another structure of the network
    client.force_login(network_mentor)

    assert card.title not in client.get(reverse("outreach:showcase")).text
    assert client.get(reverse("outreach:showcase_card", args=[card.public_id])).status_code == 404

    consent(beneficiary)
    assert card.title in client.get(reverse("outreach:showcase")).text
    page = client.get(reverse("outreach:showcase_card", args=[card.public_id]))
    assert page.status_code == 200
    # Never the person's details: contact goes through the coordination.
    assert beneficiary.name not in page.text
    assert beneficiary.email not in page.text


def test_withdrawn_consent_hides_the_card_at_once(client, beneficiary, programme, mentor):
    card = make_card(beneficiary, programme, mentor, is_public=True)
    consent(beneficiary)
    assert (
        client.get(reverse("outreach:catalogue_project", args=[card.public_id])).status_code == 200
    )

    client.force_login(beneficiary.user)
    response = client.post(reverse("outreach:my_project"), {"consent": "withdraw"})
    assert response.status_code == 302
    client.logout()

    assert (
        client.get(reverse("outreach:catalogue_project", args=[card.public_id])).status_code == 404
    )
    assert card.title not in client.get(reverse("outreach:catalogue_projects")).text
    assert Consent.objects.get(beneficiary=beneficiary).withdrawn_at is not None


def test_public_list_shows_only_public_cards(
    client, beneficiary, other_beneficiary, programme, mentor, other_mentor
):
    public = make_card(beneficiary, programme, mentor, is_public=True, title="Projet public")
    network_only = make_card(other_beneficiary, programme, other_mentor, title="Projet réseau")
    consent(beneficiary)
    consent(other_beneficiary)

    text = client.get(reverse("outreach:catalogue_projects")).text
    assert public.title in text
    assert network_only.title not in text
    assert (
        client.get(reverse("outreach:catalogue_project", args=[network_only.public_id])).status_code
        == 404
    )


def test_the_person_gives_their_consent_again(beneficiary):
    assert own_consent_set(beneficiary=beneficiary, consent=True, acting_user=beneficiary.user)
    assert not own_consent_set(beneficiary=beneficiary, consent=True, acting_user=beneficiary.user)
    assert own_consent_set(beneficiary=beneficiary, consent=False, acting_user=beneficiary.user)
    assert own_consent_set(beneficiary=beneficiary, consent=True, acting_user=beneficiary.user)
    assert beneficiary.consents.filter(withdrawn_at__isnull=True).count() == 1


def test_nobody_else_decides_the_persons_own_consent(beneficiary, other_beneficiary):
    with pytest.raises(PermissionDenied):
        own_consent_set(beneficiary=beneficiary, consent=True, acting_user=other_beneficiary.user)


def test_only_who_follows_the_person_writes_the_card(beneficiary, programme, other_mentor):
    with pytest.raises(PermissionDenied):
        make_card(beneficiary, programme, other_mentor)


def test_one_card_per_programme(beneficiary, programme, mentor):
    make_card(beneficiary, programme, mentor)
    with pytest.raises(ValidationError):
        make_card(beneficiary, programme, mentor)
    assert ProjectCard.objects.count() == 1


def test_card_form_errors_in_french(client, beneficiary, programme, mentor):
    client.force_login(mentor)
    url = reverse("outreach:card_new", args=[beneficiary.public_id])
    response = client.post(url, {"programme": programme.pk, "title": "", "summary": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.text
    assert not ProjectCard.objects.exists()


def test_contact_reaches_the_coordinators_not_the_person(
    client, beneficiary, programme, mentor, coordinator
):
    card = make_card(beneficiary, programme, mentor, is_public=True)
    consent(beneficiary)
    data = {
        "sender_name": "Association Relais",
        "sender_email": "contact@relais.example.org",
        "message": "Nous pouvons prêter des outils de jardinage.",
        **antispam_post_data(),
    }
    response = client.post(reverse("outreach:catalogue_project", args=[card.public_id]), data)
    assert response.status_code == 302

    contact = ShowcaseContact.objects.get()
    assert contact.card == card
    row = Notification.objects.get(kind=NotificationKind.SHOWCASE_CONTACT)
    assert row.to_address == coordinator.email
    assert "outils de jardinage" in row.body_text
    assert not Notification.objects.filter(to_address=beneficiary.email).exists()

    client.force_login(coordinator)
    page = client.get(reverse("outreach:showcase_contacts"))
    assert "Association Relais" in page.text
    client.post(reverse("outreach:showcase_contact_handled", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.handled_at is not None


def test_public_contact_rejects_a_bot(client, beneficiary, programme, mentor):
    card = make_card(beneficiary, programme, mentor, is_public=True)
    consent(beneficiary)
    data = {
        "sender_name": "Bot",
        "sender_email": "bot@example.org",
        "message": "Spam",
        **antispam_post_data(),
        "website": "http://spam.example.org",
    }
    response = client.post(reverse("outreach:catalogue_project", args=[card.public_id]), data)
    assert response.status_code == 200
    assert not ShowcaseContact.objects.exists()


def test_no_contact_once_consent_is_withdrawn(beneficiary, programme, mentor):
    card = make_card(beneficiary, programme, mentor)
    with pytest.raises(ValidationError):
        contact_send(card=card, sender_name="A", sender_email="a@example.org", message="Bonjour")


def test_validated_closing_record_with_relay_consent_records_the_consent(beneficiary, mentor):
    from seances.services.closing import _record_network_consent

    class Record:
        pass

    record = Record()
    record.beneficiary = beneficiary
    _record_network_consent(record, acting_user=mentor, given_at=timezone.now())
    _record_network_consent(record, acting_user=mentor, given_at=timezone.now())
    assert (
        beneficiary.consents.filter(
            purpose=ConsentPurpose.NETWORK_SHARING, withdrawn_at__isnull=True
        ).count()
        == 1
    )


def test_showcase_list_queries_do_not_grow(
    client, organization, offer, programme, mentor, coordinator
):
    def add_cards(count):
        for index in range(count):
            person = BeneficiaryFactory(organization=organization)
            EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
            make_card(person, programme, mentor, title=f"Projet {index}")
            consent(person)

    client.force_login(coordinator)
    add_cards(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("outreach:showcase"))
    add_cards(8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("outreach:showcase")).status_code == 200
    assert len(many) == len(few)

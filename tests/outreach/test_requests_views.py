"""Support requests: the public form, the thank-you page, the first appointment, the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaires.enums import OutreachStage, Source
from beneficiaires.models import Beneficiary
from notifications.enums import NotificationKind
from notifications.models import Notification
from outreach.antispam import antispam_post_data
from outreach.enums import RequestOrigin
from outreach.models import Campaign, SupportRequest
from outreach.services.requests import booking_token, support_request_create
from programmes.enums import ProgrammeStatus
from seances.slots import first_available
from seances.views.booking import slot_key
from tests.outreach.requests_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.requests_fixtures import request_data, service_data

pytestmark = pytest.mark.django_db


def form_url(programme):
    return reverse("outreach:support_request", args=[programme.slug])


def test_the_form_sends_a_request_and_shows_the_thank_you_page(client, published, coordinator):
    response = client.post(form_url(published), request_data())

    request = SupportRequest.objects.get()
    done = reverse("outreach:support_request_done", args=[published.slug, request.public_id])
    assert response.status_code == 302
    assert response.url == done
    assert request.beneficiary.stage == OutreachStage.TO_CONTACT
    assert request.beneficiary.source == Source.SUPPORT_REQUEST
    page = client.get(done)
    assert page.status_code == 200
    assert "camille.martin@example.org" in page.content.decode()


def test_the_form_shows_french_errors_and_saves_nothing(client, published):
    response = client.post(
        form_url(published),
        request_data(email="", phone="", needs="", consent_contact="", preferred_channel="sms"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"email", "needs", "consent_contact", "phone"} <= set(errors)
    assert not Beneficiary.objects.exists()
    assert not SupportRequest.objects.exists()
    assert not Notification.objects.exists()


def test_the_form_lists_the_programme_offers(client, published, offer, link_offer):
    response = client.get(form_url(published))

    assert response.status_code == 200
    html = response.content.decode()
    assert offer.title in html
    assert link_offer.title in html
    assert 'name="website"' in html


def test_an_unpublished_programme_has_no_form(client, published):
    published.is_published = False
    published.save()
    assert client.get(form_url(published)).status_code == 404


def test_a_closed_programme_has_no_form(client, published):
    published.status = ProgrammeStatus.CLOSED
    published.save()
    assert client.get(form_url(published)).status_code == 404


def test_the_honeypot_refuses_the_request(client, published):
    response = client.post(form_url(published), request_data(website="http://spam.example"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not SupportRequest.objects.exists()


def test_a_form_sent_too_fast_is_refused(client, published):
    response = client.post(form_url(published), request_data(**antispam_post_data(seconds_ago=0)))

    assert response.context["form"].non_field_errors()
    assert not SupportRequest.objects.exists()


def test_the_rate_limit_stops_the_sixth_request_of_the_hour(client, published):
    for number in range(5):
        response = client.post(
            form_url(published), request_data(email=f"personne{number}@example.org")
        )
        assert response.status_code == 302
    response = client.post(form_url(published), request_data(email="sixieme@example.org"))

    assert response.status_code == 429
    assert SupportRequest.objects.count() == 5


def test_a_campaign_reply_is_recorded_with_its_campaign(client, published, coordinator):
    campaign = Campaign.objects.create(
        programme=published, subject="Portes ouvertes", body="…", created_by=coordinator
    )
    session = client.session
    session["outreach_campaign_id"] = campaign.pk
    session.save()

    client.post(form_url(published), request_data())

    request = SupportRequest.objects.get()
    assert request.origin == RequestOrigin.CAMPAIGN
    assert request.campaign == campaign


def test_the_thank_you_page_is_only_for_the_sender(client, published):
    request = support_request_create(programme=published, **service_data())
    done = reverse("outreach:support_request_done", args=[published.slug, request.public_id])

    assert client.get(done).status_code == 404
    token = booking_token(request)
    assert client.get(f"{done}?cle={token}").status_code == 200
    # The signed link opened the door for this browser.
    assert client.get(done).status_code == 200
    assert client.get(f"{done}?cle=forged").status_code == 200


def test_a_forged_link_gives_404(client, published):
    request = support_request_create(programme=published, **service_data())
    done = reverse("outreach:support_request_done", args=[published.slug, request.public_id])
    assert client.get(f"{done}?cle=forged").status_code == 404


def _send(client, published):
    client.post(form_url(published), request_data())
    return SupportRequest.objects.get()


def test_the_thank_you_page_offers_the_first_appointment(client, published, link_offer):
    request = _send(client, published)
    done = reverse("outreach:support_request_done", args=[published.slug, request.public_id])
    book = reverse("outreach:support_request_book", args=[published.slug, request.public_id])

    assert book in client.get(done).content.decode()


def test_no_booking_page_without_a_link_offer(client, published, offer):
    request = _send(client, published)
    book = reverse("outreach:support_request_book", args=[published.slug, request.public_id])

    assert client.get(book).status_code == 404


def _a_slot(offer):
    today = timezone.localdate()
    return first_available(offer=offer, start=today, end=today + datetime.timedelta(days=14))[0]


def test_the_first_appointment_is_booked_once_from_the_week(client, published, link_offer):
    request = _send(client, published)
    book = reverse("outreach:support_request_book", args=[published.slug, request.public_id])
    week = client.get(book)
    assert week.status_code == 200
    slot = _a_slot(link_offer)
    key = slot_key(slot)
    assert key in week.content.decode()

    confirm = client.get(book, {"creneau": key})
    assert confirm.status_code == 200
    response = client.post(book, {"creneau": key})

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.appointment is not None
    assert request.appointment.starts_at == slot.starts_at
    done = client.get(response.url)
    assert "/rendez-vous/lien/" in done.content.decode()
    # Once per request: the booking page now leads back to the thank-you page.
    again = client.post(book, {"creneau": slot_key(_a_slot(link_offer))})
    assert again.status_code == 302
    assert SupportRequest.objects.get().appointment == request.appointment
    assert (
        Notification.objects.filter(kind=NotificationKind.APPOINTMENT_CONFIRMED)
        .exclude(to_address=link_offer.mentors.get().email)
        .count()
        == 1
    )


def test_someone_else_cannot_book_for_a_request(client, published, link_offer):
    request = support_request_create(programme=published, **service_data())
    book = reverse("outreach:support_request_book", args=[published.slug, request.public_id])

    assert client.get(book).status_code == 404
    assert client.post(book, {"creneau": slot_key(_a_slot(link_offer))}).status_code == 404
    request.refresh_from_db()
    assert request.appointment is None


def test_a_bad_slot_goes_back_to_the_week(client, published, link_offer):
    request = _send(client, published)
    book = reverse("outreach:support_request_book", args=[published.slug, request.public_id])

    response = client.post(book, {"creneau": "nonsense"})

    assert response.status_code == 302
    assert response.url == book
    request.refresh_from_db()
    assert request.appointment is None


def _detail_queries(client, beneficiary) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("beneficiaires:detail", args=[beneficiary.public_id])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_record_page_costs_the_same_with_1_or_6_requests(
    client, published, coordinator, link_offer, mentor
):
    first = support_request_create(programme=published, **service_data())
    slot = _a_slot(link_offer)
    from outreach.services.requests import support_request_book

    support_request_book(support_request=first, mentor=slot.mentor, starts_at=slot.starts_at)
    client.force_login(coordinator)
    one = _detail_queries(client, first.beneficiary)
    for number in range(5):
        support_request_create(programme=published, **service_data(needs=f"Besoin {number}"))

    assert _detail_queries(client, first.beneficiary) == one


def test_the_acknowledgement_link_opens_the_booking_page_in_another_browser(
    client, published, link_offer
):
    import re

    from django.test import Client

    client.post(form_url(published), request_data())
    ack = Notification.objects.get(kind=NotificationKind.SUPPORT_REQUEST_ACK)
    link = re.search(r"https?://\S+/rendez-vous/\?cle=\S+", ack.body_text).group(0)
    path = link[link.index("/catalogue/") :]

    other_browser = Client()
    assert other_browser.get(path).status_code == 200
    assert other_browser.get(path.replace("cle=", "cle=x")).status_code == 200  # now known


def test_no_booking_link_in_the_acknowledgement_without_a_link_offer(client, published, offer):
    client.post(form_url(published), request_data())

    ack = Notification.objects.get(kind=NotificationKind.SUPPORT_REQUEST_ACK)
    assert "/rendez-vous/" not in ack.body_text


def test_the_programme_page_calls_for_requests(client, published):
    response = client.get(reverse("outreach:catalogue_programme", args=[published.slug]))

    assert response.status_code == 200
    assert form_url(published) in response.content.decode()

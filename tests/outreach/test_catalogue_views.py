"""The public catalogue's pages: the list and its filters, a programme's page, an open
event and its registration form."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from beneficiaires.models import Beneficiary
from outreach.antispam import antispam_post_data
from programmes.enums import Audience, ProgrammeStatus
from seances.enums import GroupSessionStatus, RegistrationStatus
from seances.models import Registration
from tests.factories import OfferFactory, ProgrammeFactory, ThemeFactory
from tests.outreach.catalogue_fixtures import *  # noqa: F403 (fixtures)
from tests.outreach.catalogue_fixtures import make_session, register_data

pytestmark = pytest.mark.django_db


def publish(programme, slug, **fields):
    programme.is_published = True
    programme.slug = slug
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.save()
    return programme


# The list


def test_lists_only_published_open_programmes(client, catalogue_programme, organization):
    publish(
        ProgrammeFactory(organization=organization, title="Brouillon"),
        "brouillon",
        status=ProgrammeStatus.DRAFT,
    )
    publish(
        ProgrammeFactory(organization=organization, title="Fermé"),
        "ferme",
        status=ProgrammeStatus.CLOSED,
    )
    ProgrammeFactory(organization=organization, title="Pas publié")

    response = client.get(reverse("outreach:catalogue"))

    assert response.status_code == 200
    titles = [p.title for p in response.context["page"]]
    assert titles == [catalogue_programme.title]
    assert response.context["count"] == 1


def test_filters_by_search_territory_public_and_theme(client, organization, other_organization):
    theme = ThemeFactory(organization=organization, name="Financement")
    ThemeFactory(organization=other_organization, name="Financement")
    lyon = publish(
        ProgrammeFactory(
            organization=organization,
            title="Cap Lyon",
            territory="Lyon",
            objectives="Trouver des financements",
        ),
        "cap-lyon",
        audiences=[Audience.ASSOCIATIONS],
    )
    OfferFactory(programme=lyon).themes.add(theme)
    publish(
        ProgrammeFactory(
            organization=other_organization, title="Jeunes Grenoble", territory="Grenoble"
        ),
        "jeunes-grenoble",
        audiences=[Audience.YOUTH],
    )
    url = reverse("outreach:catalogue")

    def titles(**query):
        return [p.title for p in client.get(url, query).context["page"]]

    assert titles(q="financements") == ["Cap Lyon"]
    assert titles(territory="Grenoble") == ["Jeunes Grenoble"]
    assert titles(public=Audience.YOUTH) == ["Jeunes Grenoble"]
    assert titles(public=Audience.ASSOCIATIONS) == ["Cap Lyon"]
    assert titles(theme="Financement") == ["Cap Lyon"]
    assert titles() == ["Cap Lyon", "Jeunes Grenoble"]


def test_an_unknown_filter_value_is_not_a_500(client, catalogue_programme):
    response = client.get(reverse("outreach:catalogue"), {"public": "martians", "page": "x"})

    assert response.status_code == 200


def test_filters_stay_in_the_pagination_links(client, organization):
    for number in range(14):
        publish(ProgrammeFactory(organization=organization, territory="Lyon"), f"p-{number}")

    response = client.get(reverse("outreach:catalogue"), {"territory": "Lyon"})

    assert "territory=Lyon&amp;page=2" in response.content.decode()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("outreach:catalogue")).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_programmes(client, organization):
    publish(ProgrammeFactory(organization=organization), "p-0", audiences=["youth"])
    with_one = _list_queries(client)
    for number in range(1, 12):
        publish(ProgrammeFactory(organization=organization), f"p-{number}", audiences=["ess"])

    assert _list_queries(client) == with_one


# A programme's page


def test_programme_page_shows_what_is_published(client, catalogue_programme, offer, open_event):
    full = make_session(
        open_event.offer,
        open_event.organiser,
        open_event=False,
        capacity=1,
        title="Atelier complet",
        days=3,
    )
    Registration.objects.create(
        session=full,
        beneficiary=Beneficiary.objects.create(
            organization=catalogue_programme.organization, name="X"
        ),
        status=RegistrationStatus.REGISTERED,
    )

    response = client.get(reverse("outreach:catalogue_programme", args=["fabrique-initiatives"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Six mois, confidentiel." in html
    assert "Un premier rendez-vous, puis un diagnostic." in html
    assert offer.title in html
    assert "Réunion d&#x27;information" in html
    assert reverse("outreach:catalogue_event", args=[open_event.public_id]) in html
    assert [s.title for s in response.context["sessions"]] == ["Atelier complet"]
    assert response.context["sessions"][0].is_full
    assert response.context["events"][0].seats_left == 10
    assert "contact@maison.example.org" in html
    assert response.context["canonical_url"].endswith("/catalogue/fabrique-initiatives/")
    # Registrants' names are never shown.
    assert ">X<" not in html


def test_programme_page_hides_cancelled_and_past_sessions(client, group_offer, mentor):
    cancelled = make_session(
        group_offer, mentor, title="Annulée", status=GroupSessionStatus.CANCELLED
    )
    past = make_session(group_offer, mentor, title="Passée", days=-2)

    response = client.get(reverse("outreach:catalogue_programme", args=["fabrique-initiatives"]))

    shown = {s.pk for s in response.context["sessions"] + response.context["events"]}
    assert cancelled.pk not in shown
    assert past.pk not in shown


@pytest.mark.parametrize(
    "change",
    [{"is_published": False}, {"status": ProgrammeStatus.DRAFT}, {"status": "closed"}],
)
def test_unpublished_draft_or_closed_programme_is_404(client, catalogue_programme, change):
    for name, value in change.items():
        setattr(catalogue_programme, name, value)
    catalogue_programme.save()

    response = client.get(reverse("outreach:catalogue_programme", args=["fabrique-initiatives"]))

    assert response.status_code == 404


def test_programme_page_query_count_is_constant(
    client, catalogue_programme, group_offer, mentor, django_assert_max_num_queries
):
    for day in range(1, 6):
        make_session(group_offer, mentor, days=day)
    for _ in range(5):
        OfferFactory(programme=catalogue_programme)

    with django_assert_max_num_queries(8):
        client.get(reverse("outreach:catalogue_programme", args=["fabrique-initiatives"]))


# An open event and its registration


def event_url(session, name="outreach:catalogue_event"):
    return reverse(name, args=[session.public_id])


def test_event_page_shows_the_form(client, open_event):
    response = client.get(event_url(open_event))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="website"' in html
    assert 'name="form_started"' in html
    assert "Découvrir le programme." in html
    assert event_url(open_event, "outreach:catalogue_event_register") in html


def test_a_non_open_or_cancelled_event_is_404(client, group_offer, mentor):
    closed = make_session(group_offer, mentor, open_event=False)
    cancelled = make_session(group_offer, mentor, status=GroupSessionStatus.CANCELLED)

    assert client.get(event_url(closed)).status_code == 404
    assert client.get(event_url(cancelled)).status_code == 404
    assert (
        client.post(
            event_url(closed, "outreach:catalogue_event_register"), register_data()
        ).status_code
        == 404
    )


def test_registering_leads_to_the_thank_you_page(client, open_event):
    response = client.post(
        event_url(open_event, "outreach:catalogue_event_register"), register_data()
    )

    registration = Registration.objects.get(session=open_event)
    assert response.status_code == 302
    assert response.url == reverse(
        "outreach:catalogue_event_registered",
        args=[open_event.public_id, registration.public_id],
    )
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["registered"] is True
    assert "Camille" not in page.content.decode()
    assert "camille@example.org" not in page.content.decode()


def test_the_thank_you_page_of_another_event_is_404(client, open_event, group_offer, mentor):
    other = make_session(group_offer, mentor)
    client.post(event_url(open_event, "outreach:catalogue_event_register"), register_data())
    registration = Registration.objects.get(session=open_event)

    response = client.get(
        reverse(
            "outreach:catalogue_event_registered", args=[other.public_id, registration.public_id]
        )
    )

    assert response.status_code == 404


def test_waitlist_is_said_on_the_thank_you_page(client, group_offer, mentor):
    session = make_session(group_offer, mentor, capacity=1)
    client.post(
        event_url(session, "outreach:catalogue_event_register"),
        register_data(email="a@example.org"),
    )

    response = client.post(
        event_url(session, "outreach:catalogue_event_register"),
        register_data(email="b@example.org"),
        follow=True,
    )

    assert response.context["waitlisted"] is True
    assert response.context["position"] == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "", "phone": ""}, "email"),
        ({"email": "pas-un-email"}, "email"),
        ({"phone": "appelez-moi", "email": ""}, "phone"),
        ({"consent": ""}, "consent"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_gets_field_errors_and_saves_nothing(client, open_event, overrides, field):
    response = client.post(
        event_url(open_event, "outreach:catalogue_event_register"), register_data(**overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Registration.objects.exists()
    assert not Beneficiary.objects.filter(name="Camille Martin").exists()


def test_french_messages_for_bad_input(client, open_event):
    response = client.post(
        event_url(open_event, "outreach:catalogue_event_register"),
        register_data(name="", consent=""),
    )

    assert "Ce champ est obligatoire." in response.content.decode()


def test_twice_the_same_person_is_told_not_duplicated(client, open_event):
    url = event_url(open_event, "outreach:catalogue_event_register")
    client.post(url, register_data())

    response = client.post(url, register_data(name="Camille M."))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Registration.objects.filter(session=open_event).count() == 1


@pytest.mark.parametrize("bot", ["honeypot", "too_fast"])
def test_bots_are_turned_away(client, open_event, bot):
    if bot == "honeypot":
        spam = {"website": "http://spam.example"}
    else:  # posted the moment the page was shown
        spam = antispam_post_data(seconds_ago=0)

    response = client.post(
        event_url(open_event, "outreach:catalogue_event_register"), register_data(**spam)
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="spam")
    assert not Registration.objects.exists()


def test_too_many_registrations_from_one_address_are_refused(client, open_event):
    url = event_url(open_event, "outreach:catalogue_event_register")
    for number in range(20):
        client.post(url, register_data(email=f"p{number}@example.org"))

    response = client.post(url, register_data(email="last@example.org"))

    assert response.status_code == 429
    assert Registration.objects.filter(session=open_event).count() == 20


def test_an_event_that_started_meanwhile_refuses_politely(client, open_event):
    open_event.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    open_event.save()

    response = client.post(
        event_url(open_event, "outreach:catalogue_event_register"), register_data()
    )

    assert response.status_code == 404


# Shareable and printable


def test_pages_link_the_print_stylesheet(client, open_event):
    programme_page = client.get(
        reverse("outreach:catalogue_programme", args=["fabrique-initiatives"])
    )
    event_page = client.get(event_url(open_event))

    for response in (programme_page, event_page):
        assert "css/catalogue-print.css" in response.content.decode()


def test_programme_page_has_canonical_and_open_graph_tags(client, catalogue_programme):
    response = client.get(reverse("outreach:catalogue_programme", args=["fabrique-initiatives"]))

    html = response.content.decode()
    url = "http://testserver/catalogue/fabrique-initiatives/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:title" content="{escape(catalogue_programme.title)}">' in html
    assert f'<meta property="og:url" content="{url}">' in html

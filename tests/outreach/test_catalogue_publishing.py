"""Coordinators publish a programme (the « Page publique » fieldset) and open events (the
group session form)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.enums import ProgrammeStatus
from seances.enums import Channel
from seances.models import GroupSession
from tests.outreach.catalogue_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def edit(client, programme, coordinator, **fields):
    client.force_login(coordinator)
    data = {
        "title": programme.title,
        "start_date": "2026-09-01",
        "end_date": "",
        "coordinators": [coordinator.pk],
        **fields,
    }
    return client.post(reverse("programmes:edit", args=[programme.public_id]), data)


def test_the_form_has_the_public_page_fieldset(client, coordinator, programme):
    client.force_login(coordinator)

    response = client.get(reverse("programmes:edit", args=[programme.public_id]))

    html = response.content.decode()
    assert 'id="page-publique"' in html
    for name in (
        "is_published",
        "slug",
        "audiences",
        "is_free",
        "price",
        "frame",
        "how_it_works",
        "contact_email",
        "contact_phone",
    ):
        assert f'name="{name}"' in html, name


def test_publishing_with_an_empty_slug_makes_one_from_the_title(client, coordinator, programme):
    programme.title = "Fabrique des initiatives"
    programme.save()

    response = edit(
        client,
        programme,
        coordinator,
        title="Fabrique des initiatives",
        is_published="on",
        slug="",
        audiences=["associations", "youth"],
        is_free="false",
        price="10 € par mois",
        frame="Six mois.",
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.is_published is True
    assert programme.slug == "fabrique-des-initiatives"
    assert programme.audiences == ["associations", "youth"]
    assert (programme.is_free, programme.price) == (False, "10 € par mois")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"is_free": "false", "price": ""}, "price"),
        ({"slug": "projets"}, "slug"),
        ({"slug": "pas un slug !"}, "slug"),
        ({"audiences": ["martians"]}, "audiences"),
        ({"contact_email": "pas-un-email"}, "contact_email"),
    ],
)
def test_bad_public_fields_get_field_errors(client, coordinator, programme, fields, field):
    response = edit(client, programme, coordinator, is_published="on", **fields)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    programme.refresh_from_db()
    assert programme.is_published is False


def test_a_slug_taken_by_another_programme_is_refused(
    client, coordinator, programme, catalogue_programme
):
    from tests.factories import ProgrammeFactory

    other = ProgrammeFactory(organization=programme.organization)
    other.coordinators.add(coordinator)

    response = edit(client, other, coordinator, is_published="on", slug="fabrique-initiatives")

    assert "slug" in response.context["form"].errors


def test_detail_page_shows_the_public_link_to_coordinators(
    client, coordinator, catalogue_programme
):
    client.force_login(coordinator)

    response = client.get(reverse("programmes:detail", args=[catalogue_programme.public_id]))

    html = response.content.decode()
    assert 'value="http://testserver/catalogue/fabrique-initiatives/"' in html
    assert 'href="/catalogue/fabrique-initiatives/"' in html


def test_detail_page_says_a_published_draft_is_not_listed_yet(
    client, coordinator, catalogue_programme
):
    catalogue_programme.status = ProgrammeStatus.DRAFT
    catalogue_programme.save()
    client.force_login(coordinator)

    response = client.get(reverse("programmes:detail", args=[catalogue_programme.public_id]))

    assert 'href="/catalogue/fabrique-initiatives/"' not in response.content.decode()
    assert 'id="public-page-title"' in response.content.decode()


def test_scheduling_an_open_event(client, coordinator, group_offer, mentor):
    client.force_login(coordinator)
    day = timezone.localdate() + datetime.timedelta(days=10)

    response = client.post(
        reverse("seances:group_session_create"),
        {
            "offer": str(group_offer.public_id),
            "title": "Réunion d'information",
            "date": day.isoformat(),
            "start_time": "18:00",
            "end_time": "19:30",
            "weeks": "1",
            "capacity": "",
            "organiser": str(mentor.pk),
            "channel": Channel.IN_PERSON,
            "location": "Salle 2",
            "is_open_event": "on",
            "public_description": "  Venez découvrir le programme.  ",
        },
    )

    assert response.status_code == 302
    session = GroupSession.objects.get(offer=group_offer)
    assert session.is_open_event is True
    assert session.public_description == "Venez découvrir le programme."


def test_editing_a_session_keeps_or_changes_its_public_fields(client, coordinator, open_event):
    client.force_login(coordinator)
    starts = timezone.localtime(open_event.starts_at)
    url = reverse("seances:group_session_edit", args=[open_event.public_id])
    assert client.get(url).context["form"].initial["is_open_event"] is True

    response = client.post(
        url,
        {
            "title": open_event.title,
            "date": starts.date().isoformat(),
            "start_time": starts.strftime("%H:%M"),
            "end_time": timezone.localtime(open_event.ends_at).strftime("%H:%M"),
            "capacity": "10",
            "organiser": str(open_event.organiser_id),
            "channel": Channel.IN_PERSON,
            "location": open_event.location,
            "public_description": "Nouveau texte",
        },
    )

    assert response.status_code == 302
    open_event.refresh_from_db()
    assert open_event.is_open_event is False
    assert open_event.public_description == "Nouveau texte"


def test_session_page_links_an_open_event_to_its_public_page(client, coordinator, open_event):
    client.force_login(coordinator)
    public = reverse("outreach:catalogue_event", args=[open_event.public_id])

    response = client.get(reverse("seances:group_session_detail", args=[open_event.public_id]))

    assert f'href="{public}"' in response.content.decode()


@pytest.mark.parametrize(("is_free", "checked"), [(True, "true"), (False, "false")])
def test_the_cost_radio_starts_from_the_programme(client, coordinator, programme, is_free, checked):
    programme.is_free, programme.price = is_free, "" if is_free else "5 €"
    programme.save()
    client.force_login(coordinator)

    response = client.get(reverse("programmes:edit", args=[programme.public_id]))

    assert response.context["form"]["is_free"].value() == checked
    radio = re.search(
        rf'<input[^>]*name="is_free"[^>]*value="{checked}"[^>]*>', response.content.decode()
    )
    assert "checked" in radio.group(0)

"""The logbook pages: one's own entries with their badge and toggle, the step-6 invitations,
writing (prefilled from an invitation), editing, sharing, deleting; the mentor's page of
shared entries."""

import uuid

import pytest
from django.urls import reverse

from seances.models import LogbookEntry
from seances.services import logbook
from tests.factories import BeneficiaryFactory, UserFactory
from tests.seances.conftest import SeanceFactory
from tests.seances.test_codev_fixtures import run_to_step

pytest_plugins = ["tests.seances.test_codev_fixtures"]
pytestmark = pytest.mark.django_db


def write(beneficiary, **kwargs):
    values = {"title": "Ce que je retiens", "learnings": "Écouter avant de conseiller."}
    return logbook.logbook_entry_create(author=beneficiary.user, **{**values, **kwargs})


def page_of(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    assert b"INVALID_VARIABLE" not in response.content
    return response.content.decode()


def test_the_list_shows_own_entries_newest_first_with_their_badge(
    client, beneficiary, other_beneficiary
):
    write(beneficiary, title="Première")
    write(beneficiary, title="Seconde", shared_with_mentor=True)
    write(other_beneficiary, title="Pas la mienne")
    client.force_login(beneficiary.user)

    page = page_of(client, "seances:logbook")

    assert page.index("Seconde") < page.index("Première")
    assert "Pas la mienne" not in page
    assert "Private" in page or "Privée" in page
    assert reverse("seances:logbook_entry_create") in page


def test_the_list_shows_the_step_six_invitation(
    client, codev_seance, mentor, beneficiary, other_beneficiary
):
    run_to_step(codev_seance, mentor, beneficiary, 6)
    client.force_login(other_beneficiary.user)

    page = page_of(client, "seances:logbook")

    assert f"?seance={codev_seance.public_id}" in page


def test_the_invitation_prefills_the_new_entry(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    client.force_login(beneficiary.user)

    page = page_of(client, "seances:logbook_entry_create", seance=str(codev_seance.public_id))
    assert f'value="{codev_seance.public_id}" selected' in page

    response = client.post(
        reverse("seances:logbook_entry_create"),
        {
            "title": "Séance club managers",
            "seance": codev_seance.public_id,
            "learnings": "Les questions ouvertes aident.",
            "feelings": "",
            "progress": "",
        },
    )

    assert response.status_code == 302
    entry = LogbookEntry.objects.get()
    assert entry.seance == codev_seance
    assert entry.offer == codev_seance.offer
    assert not entry.shared_with_mentor
    assert f"?seance={codev_seance.public_id}" not in page_of(client, "seances:logbook")


def test_a_seance_not_attended_in_the_address_is_not_filled_in(client, beneficiary, codev_offer):
    stranger = SeanceFactory(offer=codev_offer)
    client.force_login(beneficiary.user)
    page = page_of(client, "seances:logbook_entry_create", seance=str(stranger.public_id))
    # (The address itself comes back in the language form's `next`, not in the form.)
    assert f'value="{stranger.public_id}"' not in page
    page_of(client, "seances:logbook_entry_create", seance="not-a-uuid")


def test_posting_a_seance_not_attended_is_refused(client, beneficiary, codev_offer):
    stranger = SeanceFactory(offer=codev_offer)
    client.force_login(beneficiary.user)
    response = client.post(
        reverse("seances:logbook_entry_create"),
        {"title": "T", "seance": stranger.public_id, "learnings": "L"},
    )
    assert response.status_code == 200
    assert not LogbookEntry.objects.exists()


def test_an_empty_entry_shows_a_form_error(client, beneficiary):
    client.force_login(beneficiary.user)
    response = client.post(
        reverse("seances:logbook_entry_create"),
        {"title": "Rien", "learnings": " ", "feelings": "", "progress": ""},
    )
    assert response.status_code == 200
    assert b"INVALID_VARIABLE" not in response.content
    assert "alert" in response.content.decode()
    assert not LogbookEntry.objects.exists()


def test_edit_and_share_from_the_edit_form(client, beneficiary, mentor):
    entry = write(beneficiary)
    client.force_login(beneficiary.user)
    page = page_of(client, "seances:logbook_entry_edit", entry.public_id)
    assert "Écouter avant de conseiller." in page

    response = client.post(
        reverse("seances:logbook_entry_edit", args=[entry.public_id]),
        {"title": "Relu", "learnings": "", "progress": "J'ai osé.", "shared_with_mentor": "on"},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Relu"
    assert entry.progress == "J'ai osé."
    assert entry.shared_with_mentor


def test_the_toggle_shares_and_unshares(client, beneficiary):
    entry = write(beneficiary)
    client.force_login(beneficiary.user)
    url = reverse("seances:logbook_entry_share", args=[entry.public_id])

    response = client.post(url, {"shared": "1", "next": reverse("seances:logbook")})
    assert response.status_code == 302
    assert response.url == reverse("seances:logbook")
    entry.refresh_from_db()
    assert entry.shared_with_mentor

    client.post(url, {"shared": "0", "next": "https://evil.example/"})
    entry.refresh_from_db()
    assert not entry.shared_with_mentor


def test_delete_asks_for_confirmation_then_deletes(client, beneficiary):
    entry = write(beneficiary)
    client.force_login(beneficiary.user)
    url = reverse("seances:logbook_entry_delete", args=[entry.public_id])

    page_of(client, "seances:logbook_entry_delete", entry.public_id)
    assert LogbookEntry.objects.exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not LogbookEntry.objects.exists()


def test_the_mentor_reads_only_what_was_shared_with_them(
    client, beneficiary, other_beneficiary, mentor
):
    write(beneficiary, title="Partagée avec vous", shared_with_mentor=True)
    write(beneficiary, title="Gardée pour moi")
    write(other_beneficiary, title="Pour un autre accompagnant", shared_with_mentor=True)
    client.force_login(mentor)

    page = page_of(client, "seances:logbook_shared")

    assert "Partagée avec vous" in page
    assert beneficiary.name in page
    assert "Gardée pour moi" not in page
    assert "Pour un autre accompagnant" not in page


def test_a_mentor_who_keeps_a_logbook_too_sees_only_what_others_shared(
    client, beneficiary, mentor, organization
):
    """Having a logbook of one's own does not open other people's private entries, and
    one's own entries are not listed as "shared with me"."""
    BeneficiaryFactory(organization=organization, user=mentor)
    mentor.refresh_from_db()
    write(beneficiary, title="Carnet caché de A")
    logbook.logbook_entry_create(author=mentor, title="Mon propre carnet", progress="Oui")
    client.force_login(mentor)

    shared = page_of(client, "seances:logbook_shared")
    own = page_of(client, "seances:logbook")

    assert "Carnet caché de A" not in shared
    assert "Carnet caché de A" not in own
    assert "Mon propre carnet" not in shared
    assert "Mon propre carnet" in own


def test_staff_without_a_logbook_are_refused_the_new_entry_post(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("seances:logbook_entry_create"), {"title": "T", "learnings": "L"}
    )
    assert response.status_code == 403
    assert not LogbookEntry.objects.exists()


def test_an_unknown_entry_is_a_404(client, beneficiary):
    client.force_login(UserFactory())
    assert (
        client.get(reverse("seances:logbook_entry_detail", args=[uuid.uuid4()])).status_code == 404
    )

"""Who reaches which logbook page, for every persona (role matrix).

Beneficiary A wrote two entries: one private, one shared with their mentor (`mentor` is A's
referent). A private entry is a 404 for everyone but its author, address or not; a shared
one is read by the referent mentor, who still cannot change it (403)."""

import pytest
from django.urls import reverse

from seances.models import LogbookEntry
from seances.services import logbook

PERSONAS = [
    "anonymous",
    "beneficiary",
    "other_beneficiary",
    "mentor",
    "other_mentor",
    "coordinator",
    "other_organization_coordinator",
    "admin",
]
BENEFICIARIES = {"beneficiary", "other_beneficiary"}

# Pages without an entry in the address: (method, expected per persona)
LISTS = {
    "seances:logbook": ("get", [302, 200, 200, 403, 403, 403, 403, 403]),
    "seances:logbook_entry_create": ("get", [302, 200, 200, 403, 403, 403, 403, 403]),
    "seances:logbook_shared": ("get", [302, 403, 403, 200, 200, 403, 403, 403]),
}
# Pages of one entry: (method, expected for the shared entry, expected for the private one)
ENTRY_PAGES = {
    "seances:logbook_entry_detail": (
        "get",
        [302, 200, 404, 200, 404, 404, 404, 404],
        [302, 200, 404, 404, 404, 404, 404, 404],
    ),
    "seances:logbook_entry_edit": (
        "get",
        [302, 200, 404, 403, 404, 404, 404, 404],
        [302, 200, 404, 404, 404, 404, 404, 404],
    ),
    "seances:logbook_entry_delete": (
        "get",
        [302, 200, 404, 403, 404, 404, 404, 404],
        [302, 200, 404, 404, 404, 404, 404, 404],
    ),
    "seances:logbook_entry_share": (
        "post",
        [302, 302, 404, 403, 404, 404, 404, 404],
        [302, 302, 404, 404, 404, 404, 404, 404],
    ),
}


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona in BENEFICIARIES else value)


def entry_of(beneficiary, shared: bool) -> LogbookEntry:
    return logbook.logbook_entry_create(
        author=beneficiary.user,
        title="Partagée" if shared else "Privée",
        feelings="Un peu perdu au début.",
        shared_with_mentor=shared,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_logbook_lists_access_matrix(client, request, persona, name, beneficiary):
    entry_of(beneficiary, shared=True)
    login_as(client, request, persona)
    method, expected = LISTS[name]

    response = getattr(client, method)(reverse(name))

    assert response.status_code == expected[PERSONAS.index(persona)], persona
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("shared", [True, False], ids=["shared", "private"])
@pytest.mark.parametrize("name", ENTRY_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_logbook_entry_access_matrix(client, request, persona, name, shared, beneficiary):
    entry = entry_of(beneficiary, shared=shared)
    login_as(client, request, persona)
    method, when_shared, when_private = ENTRY_PAGES[name]
    expected = when_shared if shared else when_private
    data = {"shared": "1" if shared else "0"}

    response = getattr(client, method)(reverse(name, args=[entry.public_id]), data)

    assert response.status_code == expected[PERSONAS.index(persona)], persona
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    entry.refresh_from_db()
    assert entry.shared_with_mentor is shared


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS[2:])
def test_nobody_but_the_author_deletes_an_entry(client, request, persona, beneficiary):
    entry = entry_of(beneficiary, shared=True)
    login_as(client, request, persona)

    response = client.post(reverse("seances:logbook_entry_delete", args=[entry.public_id]))

    assert response.status_code in (403, 404)
    assert LogbookEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_share_needs_post(client, beneficiary):
    entry = entry_of(beneficiary, shared=False)
    client.force_login(beneficiary.user)
    response = client.get(reverse("seances:logbook_entry_share", args=[entry.public_id]))
    assert response.status_code == 405


@pytest.mark.django_db
def test_unsharing_takes_the_entry_back_from_the_mentor(client, beneficiary, mentor):
    entry = entry_of(beneficiary, shared=True)
    url = reverse("seances:logbook_entry_detail", args=[entry.public_id])
    client.force_login(mentor)
    assert client.get(url).status_code == 200

    client.force_login(beneficiary.user)
    client.post(reverse("seances:logbook_entry_share", args=[entry.public_id]), {"shared": "0"})

    client.force_login(mentor)
    assert client.get(url).status_code == 404
    assert entry.title not in client.get(reverse("seances:logbook_shared")).content.decode()

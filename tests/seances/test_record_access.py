"""Who reaches which closing-record page, for every persona (role matrix).

An individual séance led by `mentor` with `beneficiary` present; `other_mentor` is in the same
structure but did not lead it; `other_beneficiary` is a fellow beneficiary of the programme."""

import pytest
from django.urls import reverse

from seances.enums import CommentKind
from seances.services import closing
from tests.factories import MembershipFactory, OrganizationFactory
from tests.seances.conftest import AttendanceFactory, SeanceFactory

pytestmark = pytest.mark.django_db

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

# URL name → (method, which record, expected status per persona, in PERSONAS order)
MATRIX = {
    "seances:record_start": ("post", "seance", [302, 403, 404, 302, 404, 403, 404, 403]),
    "seances:record_edit": ("get", "draft", [302, 404, 404, 200, 404, 403, 404, 403]),
    "seances:record_validate": ("get", "draft", [302, 404, 404, 200, 404, 403, 404, 403]),
    "seances:record_correct": ("get", "validated", [302, 403, 404, 200, 404, 403, 404, 403]),
    "seances:record_detail": ("get", "validated", [302, 200, 404, 200, 404, 200, 404, 200]),
    "seances:record_pdf": ("get", "validated", [302, 200, 404, 200, 404, 200, 404, 200]),
    "seances:record_comment": ("post", "validated", [302, 302, 404, 302, 404, 403, 404, 403]),
}
# A draft is the mentors' (and readable by the programme's coordinators): not yet shared.
DRAFT_DETAIL = [302, 404, 404, 200, 404, 200, 404, 200]


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona in {"beneficiary", "other_beneficiary"} else value)


@pytest.fixture
def records(seance, mentor, beneficiary):
    """A validated record of the séance, and a draft for the same séance's other participant."""
    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    closing.record_update(record=record, acting_user=mentor, content="Le contenu")
    validated = closing.record_validate(record=record, acting_user=mentor)
    second = AttendanceFactory(seance=seance).beneficiary
    draft = closing.record_start(seance=seance, beneficiary=second, acting_user=mentor)
    return {"validated": validated, "draft": draft}


def url_for(name, which, seance, beneficiary, records):
    if which == "seance":
        return reverse(name, args=[seance.public_id, beneficiary.public_id])
    return reverse(name, args=[records[which].public_id])


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_record_access_matrix(client, request, persona, name, seance, beneficiary, records):
    login_as(client, request, persona)
    method, which, expected = MATRIX[name]
    url = url_for(name, which, seance, beneficiary, records)
    data = {"kind": CommentKind.COMMENT, "body": "Un mot"} if method == "post" else None

    response = getattr(client, method)(url, data)

    assert response.status_code == expected[PERSONAS.index(persona)], f"{persona} on {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_draft_detail_is_not_shared_yet(client, request, persona, records):
    login_as(client, request, persona)

    response = client.get(reverse("seances:record_detail", args=[records["draft"].public_id]))

    assert response.status_code == DRAFT_DETAIL[PERSONAS.index(persona)], persona


@pytest.mark.parametrize("name", ["seances:record_start", "seances:record_comment"])
def test_actions_refuse_get(client, mentor, seance, beneficiary, records, name):
    client.force_login(mentor)
    which = "seance" if name == "seances:record_start" else "validated"

    response = client.get(url_for(name, which, seance, beneficiary, records))

    assert response.status_code == 405


def test_start_for_someone_not_in_the_seance_is_404(client, mentor, seance, other_beneficiary):
    client.force_login(mentor)

    response = client.post(
        reverse("seances:record_start", args=[seance.public_id, other_beneficiary.public_id])
    )

    assert response.status_code == 404


def test_changing_the_id_never_reaches_another_persons_record(
    client, beneficiary, other_beneficiary, other_mentor, individual_offer
):
    """B's record exists; A, the coordinator of another structure and the mentor of A only
    get 404 for every URL of it."""
    seance = SeanceFactory(offer=individual_offer, mentor=other_mentor)
    AttendanceFactory(seance=seance, beneficiary=other_beneficiary)
    record = closing.record_start(
        seance=seance, beneficiary=other_beneficiary, acting_user=other_mentor
    )
    closing.record_update(record=record, acting_user=other_mentor, content="Privé")
    record = closing.record_validate(record=record, acting_user=other_mentor)
    client.force_login(beneficiary.user)

    for name in ("record_detail", "record_pdf", "record_correct", "record_edit"):
        response = client.get(reverse(f"seances:{name}", args=[record.public_id]))
        assert response.status_code == 404, name
    response = client.post(
        reverse("seances:record_comment", args=[record.public_id]),
        {"kind": "comment", "body": "x"},
    )
    assert response.status_code == 404


def test_coordinator_of_another_structure_sees_nothing(client, records):
    outsider = MembershipFactory(organization=OrganizationFactory(), role="coordinator").user
    client.force_login(outsider)

    for name in ("record_detail", "record_pdf"):
        url = reverse(f"seances:{name}", args=[records["validated"].public_id])
        assert client.get(url).status_code == 404

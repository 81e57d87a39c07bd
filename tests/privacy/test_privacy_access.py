"""Who reaches the RGPD pages.

A person's own data: only that person (other roles have no record: 403). Erasure: the
coordinators of the structure holding the record; another structure or another person:
404; a role that sees the record without the right: 403. Retention: coordinators.
The privacy and accessibility statements: everyone, logged in or not."""

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import RetentionNotice

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

# URL name → expected status per persona, in PERSONAS order (GET unless in POSTED).
MATRIX = {
    "privacy:my_data": [302, 200, 200, 403, 403, 403, 403, 403],
    "privacy:my_data_json": [302, 200, 200, 403, 403, 403, 403, 403],
    "privacy:my_data_pdf": [302, 200, 200, 403, 403, 403, 403, 403],
    # On beneficiary A's record.
    "privacy:erase": [302, 403, 404, 403, 404, 200, 404, 200],
    "privacy:retention": [302, 403, 403, 403, 403, 200, 200, 200],
    "privacy:retention_keep": [302, 404, 404, 404, 404, 302, 404, 302],
    "privacy:privacy": [200, 200, 200, 200, 200, 200, 200, 200],
    "privacy:accessibility": [200, 200, 200, 200, 200, 200, 200, 200],
}
POSTED = {"privacy:retention_keep"}


def persona_user(request, persona):
    if persona == "anonymous":
        return None
    value = request.getfixturevalue(persona)
    return value.user if persona in {"beneficiary", "other_beneficiary"} else value


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, request, name, persona, beneficiary, other_beneficiary):
    RetentionNotice.objects.create(
        beneficiary=beneficiary, notified_at=timezone.now(), due_on=timezone.localdate()
    )
    args = {
        "privacy:erase": [beneficiary.public_id],
        "privacy:retention_keep": [beneficiary.public_id],
    }.get(name, [])
    user = persona_user(request, persona)
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=args)

    response = client.post(url) if name in POSTED else client.get(url)

    assert response.status_code == MATRIX[name][PERSONAS.index(persona)], persona


@pytest.mark.django_db
def test_an_erasure_post_from_another_organisation_changes_nothing(
    client, other_organization_coordinator, beneficiary
):
    client.force_login(other_organization_coordinator)
    name = beneficiary.name

    response = client.post(
        reverse("privacy:erase", args=[beneficiary.public_id]), {"confirm": "on"}
    )

    assert response.status_code == 404
    beneficiary.refresh_from_db()
    assert beneficiary.name == name


@pytest.mark.django_db
def test_the_json_of_one_person_never_holds_another(client, beneficiary, other_beneficiary):
    client.force_login(other_beneficiary.user)

    content = client.get(reverse("privacy:my_data_json")).content.decode()

    assert other_beneficiary.name in content
    assert beneficiary.name not in content
    assert beneficiary.email not in content

"""Who reaches the action plan and may change a task's status (role matrix)."""

import pytest
from django.urls import reverse

from seances.enums import TaskStatus
from tests.seances.conftest import ActionItemFactory

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

# URL name → (method, expected status per persona); the task is the beneficiary's (A),
# whose referent is `mentor`.
MATRIX = {
    "seances:action_plan": ("get", [302, 200, 200, 200, 200, 200, 200, 200]),
    # Coordinators and administrators read tasks; they do not tick them for people.
    "seances:task_status": ("post", [302, 302, 404, 302, 404, 403, 404, 403]),
}


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona in {"beneficiary", "other_beneficiary"} else value)


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_action_plan_access_matrix(client, request, persona, name, beneficiary):
    task = ActionItemFactory(beneficiary=beneficiary)
    login_as(client, request, persona)
    method, expected = MATRIX[name]
    url = reverse(name) if name == "seances:action_plan" else reverse(name, args=[task.public_id])

    response = getattr(client, method)(
        url, {"status": TaskStatus.DONE} if method == "post" else None
    )

    assert response.status_code == expected[PERSONAS.index(persona)], f"{persona} on {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    task.refresh_from_db()
    changed = expected[PERSONAS.index(persona)] == 302 and persona != "anonymous"
    assert (task.status == TaskStatus.DONE) is changed


def test_task_status_refuses_get(client, beneficiary):
    task = ActionItemFactory(beneficiary=beneficiary)
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:task_status", args=[task.public_id]))

    assert response.status_code == 405


def test_another_persons_task_is_404(client, beneficiary, other_beneficiary):
    task = ActionItemFactory(beneficiary=other_beneficiary)
    client.force_login(beneficiary.user)

    response = client.post(
        reverse("seances:task_status", args=[task.public_id]), {"status": TaskStatus.DONE}
    )

    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.TODO

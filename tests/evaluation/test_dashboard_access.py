"""Who reaches the evaluation dashboard, the follow-up page and the indicators API.

Pages: anonymous → login, another organisation or a person one does not follow → 404, a role
without access → 403. The API answers 403 to anonymous requests instead of redirecting."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

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

# URL name → expected status per persona, in PERSONAS order.
MATRIX = {
    # The programme's coordinators only; the people taking part see the programme (403).
    "evaluation:programme_dashboard": [302, 403, 403, 403, 403, 200, 404, 200],
    "evaluation:programme_export_csv": [302, 403, 403, 403, 403, 200, 404, 200],
    "evaluation:programme_export_xlsx": [302, 403, 403, 403, 403, 200, 404, 200],
    "evaluation:programme_report": [302, 403, 403, 403, 403, 200, 404, 200],
    # Beneficiary A's follow-up: A, their referent mentor, the structure's coordinators.
    "evaluation:beneficiary_follow_up": [302, 200, 404, 200, 404, 200, 404, 200],
    "programme-indicators": [403, 403, 403, 403, 403, 200, 404, 200],
}


def persona_user(request, persona):
    if persona == "anonymous":
        return None
    value = request.getfixturevalue(persona)
    return value.user if persona in {"beneficiary", "other_beneficiary"} else value


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, request, name, persona, programme, beneficiary, other_beneficiary):
    target = beneficiary if name == "evaluation:beneficiary_follow_up" else programme
    url = reverse(name, args=[target.public_id])
    user = persona_user(request, persona)
    http = APIClient() if name == "programme-indicators" else client
    if user is not None:
        http.force_login(user)

    response = http.get(url)

    assert response.status_code == MATRIX[name][PERSONAS.index(persona)], persona

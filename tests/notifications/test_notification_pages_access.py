"""Who reaches the notification pages: every URL name of "notifications", every persona.

Everyone sets their own preferences; the log and resending belong to coordinators (and
administrators); a row of another organisation is a 404.
"""

import pytest
from django.urls import reverse

from notifications.enums import NotificationStatus
from tests.notifications.test_log import log_row

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

# URL name → expected status per persona, in PERSONAS order (resend is a POST)
MATRIX = {
    "notifications:preferences": [302, 200, 200, 200, 200, 200, 200, 200],
    "notifications:log": [302, 403, 403, 403, 403, 200, 200, 200],
    "notifications:resend": [302, 403, 403, 403, 403, 302, 404, 302],
}


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    user = value.user if persona in {"beneficiary", "other_beneficiary"} else value
    client.force_login(user)


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_notification_pages_access_matrix(
    client, request, name, persona, organization, beneficiary, other_beneficiary
):
    row = log_row(organization=organization, status=NotificationStatus.FAILED)
    login_as(client, request, persona)

    if name == "notifications:resend":
        url = reverse(name, args=[row.pk])
        response = client.post(url)
    else:
        url = reverse(name)
        response = client.get(url)

    expected = MATRIX[name][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    elif name == "notifications:resend" and expected == 302:
        assert response.url == reverse("notifications:log")


def test_resend_is_post_only(client, coordinator, organization):
    row = log_row(organization=organization, status=NotificationStatus.FAILED)
    client.force_login(coordinator)

    response = client.get(reverse("notifications:resend", args=[row.pk]))

    assert response.status_code == 405

"""Who reaches the two-factor pages: "accounts:two_factor_setup",
"accounts:two_factor_disable" and "accounts:two_factor_verify"."""

import pytest
from django.urls import reverse

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

# (URL name, method) → expected status per persona, in PERSONAS order.
# disable without a device sends back to the setup page (302); verify without a pending
# second step sends home (302).
MATRIX = {
    ("accounts:two_factor_setup", "get"): [302, 403, 403, 200, 200, 200, 200, 200],
    ("accounts:two_factor_disable", "post"): [302, 403, 403, 302, 302, 302, 302, 302],
    ("accounts:two_factor_disable", "get"): [405, 405, 405, 405, 405, 405, 405, 405],
    ("accounts:two_factor_verify", "get"): [302, 302, 302, 302, 302, 302, 302, 302],
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("target", "method"), MATRIX)
def test_two_factor_access(client, request, persona, target, method):
    if persona != "anonymous":
        value = request.getfixturevalue(persona)
        client.force_login(getattr(value, "user", None) or value)
    expected = MATRIX[(target, method)][PERSONAS.index(persona)]

    response = getattr(client, method)(reverse(target))

    assert response.status_code == expected
    if persona == "anonymous" and expected == 302:
        assert response.url.startswith(reverse("accounts:login"))

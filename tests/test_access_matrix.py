"""Who reaches which page: every view, every persona.

Expected codes: anonymous → login redirect (302) or 403 on the API; another organisation
or another person → 404 (existence is not revealed); a role without the page → 403.
"""

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

# page name → expected status per persona, in PERSONAS order
MATRIX = {
    "home": [302, 200, 200, 200, 200, 200, 200, 200],
    "profile": [302, 200, 200, 200, 200, 200, 200, 200],
    "programme_list": [302, 403, 403, 200, 200, 200, 200, 200],
    "programme_detail": [302, 200, 200, 200, 200, 200, 404, 200],
    "beneficiary_list": [302, 403, 403, 200, 200, 200, 200, 200],
    "beneficiary_detail": [302, 200, 404, 200, 404, 200, 404, 200],
    "api_programme_list": [403, 200, 200, 200, 200, 200, 200, 200],
    "api_programme_detail": [403, 200, 200, 200, 200, 200, 404, 200],
    "api_beneficiary_list": [403, 403, 403, 200, 200, 200, 200, 200],
    "api_beneficiary_detail": [403, 200, 404, 200, 404, 200, 404, 200],
}


def page_url(name, programme, beneficiary):
    return {
        "home": reverse("core:home"),
        "profile": reverse("accounts:profile"),
        "programme_list": reverse("programmes:list"),
        "programme_detail": reverse("programmes:detail", args=[programme.public_id]),
        "beneficiary_list": reverse("beneficiaires:list"),
        "beneficiary_detail": reverse("beneficiaires:detail", args=[beneficiary.public_id]),
        "api_programme_list": reverse("programme-list"),
        "api_programme_detail": reverse("programme-detail", args=[programme.public_id]),
        "api_beneficiary_list": reverse("beneficiary-list"),
        "api_beneficiary_detail": reverse("beneficiary-detail", args=[beneficiary.public_id]),
    }[name]


def login_as(client, request, persona):
    if persona == "anonymous":
        return
    value = request.getfixturevalue(persona)
    user = value.user if persona in {"beneficiary", "other_beneficiary"} else value
    client.force_login(user)


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, request, page, persona, programme, beneficiary, other_beneficiary):
    login_as(client, request, persona)
    url = page_url(page, programme, beneficiary)

    response = client.get(url)

    expected = MATRIX[page][PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} on {url}"
    if expected == 302:
        assert response.url.startswith(reverse("accounts:login"))


PUBLIC = {
    "core:healthz",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:password_change",
    "accounts:password_change_done",
    "set_language",
    "api-root",
    "api-schema",
}


def url_names(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            if pattern.namespace == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern, namespace)
        elif pattern.name and not pattern.name.endswith("-format"):
            yield f"{prefix}{pattern.name}"


def test_every_url_is_walked_by_an_access_matrix():
    """Each named URL must appear in a role-matrix test (a tests/**/test_*access*.py file)."""
    from pathlib import Path

    from django.urls import get_resolver

    matrix_sources = "\n".join(
        path.read_text() for path in Path(__file__).parent.rglob("test_*access*.py")
    )
    missing = {
        name
        for name in url_names(get_resolver())
        if name not in PUBLIC and f'"{name}"' not in matrix_sources
    }
    assert missing == set()

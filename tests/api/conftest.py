"""Fixtures of the API tests: a diagnostic of beneficiary A, persona login, a clean throttle."""

import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from diagnostics.enums import DiagnosticMethod
from diagnostics.models import Need, NeedsDiagnostic

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


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The token throttle counts in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


def persona_user(request, persona):
    """The user behind a persona fixture (None for anonymous)."""
    if persona == "anonymous":
        return None
    value = request.getfixturevalue(persona)
    return value.user if persona in {"beneficiary", "other_beneficiary"} else value


@pytest.fixture
def login(api_client, request):
    """login("mentor") logs the API client in as that persona and returns the user."""

    def _login(persona):
        user = persona_user(request, persona)
        if user is not None:
            api_client.force_login(user)
        return user

    return _login


@pytest.fixture
def diagnostic(beneficiary, mentor, themes):
    """A diagnostic of beneficiary A, conducted by their referent mentor, with two needs."""
    diagnostic = NeedsDiagnostic.objects.create(
        beneficiary=beneficiary,
        method=DiagnosticMethod.INTERVIEW,
        held_on=datetime.date(2026, 9, 20),
        conducted_by=mentor,
        expectations="Trouver des financements pour le local associatif.",
    )
    Need.objects.create(diagnostic=diagnostic, theme=themes[0], priority=1)
    Need.objects.create(diagnostic=diagnostic, theme=themes[1], priority=2)
    return diagnostic


@pytest.fixture
def enrollment(beneficiary):
    """Beneficiary A's enrollment (created by the persona fixture), followed by `mentor`."""
    return beneficiary.enrollments.get()

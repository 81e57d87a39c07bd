"""Schemathesis against the OpenAPI schema: no server error, and answers that match the schema.

The schema comes from drf-spectacular's generator, the one /api/v1/schema/ serves (built at
collection, before any database exists). Each operation gets a bounded, derandomized run as a
coordinator (token auth), with valid and with invalid data, in its own test transaction. Path
ids are either random or a real object of the coordinator's organisation, so the detail and
action code paths run too.
"""

import contextlib
import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)


def _load_schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, default=str)))
    schema.app = WSGIHandler()
    return schema


SCHEMA = _load_schema()
OPERATIONS = {
    f"{op.method.upper()} {op.path}": op
    for op in (result.ok() for result in SCHEMA.get_all_operations())
}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@contextlib.contextmanager
def _keep_test_connection():
    """The WSGI handler closes the database connection after each request (Django's test client
    does not, and reconnects the signal after its own requests): on PostgreSQL that would close
    the test transaction's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(beneficiary, other_beneficiary, partner, themes, coordinator):
    """The coordinator's organisation with its people; returns the coordinator's token."""
    return Token.objects.create(user=coordinator).key


def _real_id(token: str, path: str) -> str | None:
    """The id of the first object of the list endpoint the path belongs to, if any."""
    list_path = path.split("{id}")[0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(list_path)
    if response.status_code != 200:
        return None
    data = response.json()
    rows = data.get("results", data) if isinstance(data, dict) else data
    return str(rows[0]["id"]) if rows and isinstance(rows[0], dict) and "id" in rows[0] else None


@pytest.mark.parametrize(
    "mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"]
)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_operation_conforms(label, mode, world, case_counter):
    operation = OPERATIONS[label]
    token = world
    real_id = _real_id(token, operation.path) if "{id}" in operation.path else None

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), use_real_id=st.booleans())
    def run(case, use_real_id):
        case_counter()
        cache.clear()  # the token endpoint's throttle would answer 429 after a few cases
        if real_id and use_real_id:
            case.path_parameters = {**(case.path_parameters or {}), "id": real_id}
        # Invalid requests: never a server error. Their error bodies are not all described yet
        # (a non-UUID id gets Django's HTML 404 before the API; see the report of issue 9).
        checks = CHECKS if mode == GenerationMode.POSITIVE else [not_a_server_error]
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=checks)

    with _keep_test_connection():
        run()

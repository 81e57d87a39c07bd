"""Schemathesis against the OpenAPI schema: no server error, and answers that match the schema.

The schema comes from drf-spectacular's generator, the one /api/v1/schema/ serves (built at
collection, before any database exists). Each operation runs as a coordinator (token auth,
declared to schemathesis as the schema's `tokenAuth`) in its own test transaction, twice:

- the fuzzing phase: a bounded, derandomized hypothesis run with valid and with invalid data.
  Path ids are either random or a real object of the coordinator's organisation, so the detail
  and action code paths run too;
- the coverage phase: schemathesis' deterministic cases (boundary values, each parameter
  missing or of the wrong type, methods the schema does not list).

Every response goes through the checks of CHECKS. Two checks judge the data rather than the
answer: `negative_data_rejection` (invalid data gets a 4xx) and `positive_data_acceptance` (valid
data is accepted); the operations they cannot judge honestly are listed below with the reason.
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
from schemathesis.auths import AuthContext, AuthStorage, set_on_generated_case
from schemathesis.checks import (
    ignored_auth,
    missing_required_header,
    not_a_server_error,
    unsupported_method,
)
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
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
# On every response. `ignored_auth` replays the request without and with a wrong token (403
# expected); `unsupported_method`, `allow_header_conformance` and `missing_required_header`
# judge the coverage phase's cases. Not run: the stateful checks (use_after_free,
# ensure_resource_availability, object_level_authorization) need links between operations and
# several identities, which a per-operation run has not.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
    unsupported_method,
    allow_header_conformance,
    missing_required_header,
]
# Valid per the schema but refused for what the data holds, which a schema cannot say: the
# writes (related objects named by a random id, the services' rules: a duplicate enrollment, a
# taken slot), the catalogue filters (territories and themes are those published; the
# programme is a slug), the slots (the end after the start, 62 days at most), the indicators (a
# mentor or offer of the programme), the token (existing credentials).
DATA_DEPENDENT = {
    label
    for label in OPERATIONS
    if not label.startswith("GET ")
    or label
    in {
        "GET /api/v1/catalogue/programmes/",
        "GET /api/v1/catalogue/sessions/",
        "GET /api/v1/slots/",
        "GET /api/v1/programmes/{id}/indicators/",
    }
}
# Every read refuses data the schema calls invalid.
LENIENT_ON_INVALID: set[str] = set()


def _checks_for(label: str, mode: GenerationMode) -> list:
    if mode == GenerationMode.POSITIVE:
        return CHECKS if label in DATA_DEPENDENT else [*CHECKS, positive_data_acceptance]
    return CHECKS if label in LENIENT_ON_INVALID else [*CHECKS, negative_data_rejection]


AUTH = AuthStorage()
CURRENT_TOKEN: dict[str, str] = {}


@AUTH.auth(refresh_interval=None)
class CoordinatorToken:
    """The coordinator's token as explicit credentials: schemathesis then generates no random
    session cookie, and knows what to take away to check that the API refuses the request."""

    def get(self, case, context):
        return CURRENT_TOKEN["key"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


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
    key = Token.objects.create(user=coordinator).key
    CURRENT_TOKEN["key"] = key
    yield key
    CURRENT_TOKEN.clear()


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
    checks = _checks_for(label, mode)

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode, auth_storage=AUTH),
        use_real_id=st.booleans(),
    )
    def run(case, use_real_id):
        case_counter()
        cache.clear()  # the token endpoint's throttle would answer 429 after a few cases
        if real_id and use_real_id:
            case.path_parameters = {**(case.path_parameters or {}), "id": real_id}
        case.call_and_validate(checks=checks)

    with _keep_test_connection():
        run()


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_operation_coverage_cases_conform(label, world, case_counter):
    operation = OPERATIONS[label]
    cases = SCHEMA.iter_coverage_cases(
        operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=SCHEMA.config.generation_for(operation=operation),
    )
    context = AuthContext(operation=operation, app=SCHEMA.app)
    with _keep_test_connection():
        for case in cases:
            case_counter()
            cache.clear()
            set_on_generated_case(case, context, AUTH)
            case.call_and_validate(checks=_checks_for(label, case.meta.generation.mode))

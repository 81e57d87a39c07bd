"""The OpenAPI schema is complete, valid and generated without a warning; its docs page
renders under our Content Security Policy."""

import base64
import hashlib
import re

import pytest
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

RESOURCES = [
    "programmes",
    "offres",
    "partenaires",
    "beneficiaires",
    "diagnostics",
    "inscriptions",
    "seances",
    "closing-records",
    "tasks",
    "logbook",
    "questionnaires",
    "evaluation-responses",
    "campaigns",
    "catalogue/programmes",
]


@pytest.fixture
def schema():
    GENERATOR_STATS.reset()
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_and_warning_free(schema, capsys):
    validate_schema(schema)  # raises on an invalid OpenAPI document

    assert not GENERATOR_STATS, capsys.readouterr().err


def test_schema_covers_every_resource_and_the_token(schema):
    paths = schema["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert "post" in paths["/api/v1/token/"]
    assert {"cookieAuth", "tokenAuth"} <= set(schema["components"]["securitySchemes"])


WRITES = {
    ("/api/v1/partenaires/", "post"),
    ("/api/v1/partenaires/{id}/", "patch"),
    ("/api/v1/beneficiaires/", "post"),
    ("/api/v1/beneficiaires/{id}/", "patch"),
    ("/api/v1/diagnostics/", "post"),
    ("/api/v1/inscriptions/", "post"),
    ("/api/v1/appointments/", "post"),
    ("/api/v1/appointments/{id}/cancel/", "post"),
    ("/api/v1/appointments/{id}/reschedule/", "post"),
    ("/api/v1/appointments/{id}/status/", "post"),
    ("/api/v1/group-sessions/{id}/register/", "post"),
    ("/api/v1/registrations/{id}/cancel/", "post"),
    ("/api/v1/closing-records/{id}/", "patch"),
    ("/api/v1/closing-records/{id}/validate/", "post"),
    ("/api/v1/closing-records/{id}/comments/", "post"),
    ("/api/v1/tasks/{id}/", "patch"),
    ("/api/v1/logbook/", "post"),
    ("/api/v1/logbook/{id}/", "patch"),
    ("/api/v1/logbook/{id}/", "delete"),
    ("/api/v1/questionnaires/", "post"),
    ("/api/v1/questionnaires/{id}/", "patch"),
    ("/api/v1/questionnaires/{id}/", "delete"),
    ("/api/v1/evaluation-responses/", "post"),
    ("/api/v1/support-requests/", "post"),
}


def test_schema_declares_the_error_responses(schema):
    operations = {
        (path, method): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    # Exactly the writes the API offers: no PUT; DELETE only for one's own logbook entry and
    # a questionnaire never sent.
    assert {key for key in operations if key[1] not in {"get"}} == WRITES | {
        ("/api/v1/token/", "post")
    }
    for (path, method), operation in operations.items():
        codes = set(operation["responses"])
        if path == "/api/v1/token/":
            assert codes == {"200", "400", "429"}
            continue
        assert "403" in codes, (path, method)
        if "{id}" in path or method == "get":
            assert "404" in codes, (path, method)
        if method not in {"get", "delete"} or "{id}" not in path:
            assert "400" in codes, (path, method)


def test_related_objects_and_ids_are_uuids(schema):
    components = schema["components"]["schemas"]
    enrollment = components["Enrollment"]["properties"]
    for name in ("id", "beneficiary", "offer", "programme", "referent_mentor"):
        assert enrollment[name]["format"] == "uuid", name


def test_outreach_fields_are_not_required_in_answers(schema):
    """They are left out for a beneficiary reading their own record."""
    required = set(schema["components"]["schemas"]["Beneficiary"]["required"])
    assert {"id", "name"} <= required
    assert not {"stage", "stage_changed_at", "priority", "notes"} & required


def test_schema_url_answers_logged_in_people(api_client, mentor):
    api_client.force_login(mentor)

    response = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/inscriptions/" in response.json()["paths"]


def test_docs_page_has_no_inline_script_and_allows_only_its_own_style(client, mentor):
    client.force_login(mentor)

    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    # Every <script> loads a file from us; the start-up script comes from ?script.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
    assert scripts
    assert all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert "script-src 'self'" in policy.replace(";", " ")
    assert "unsafe-inline" not in policy
    assert "cdn" not in html
    # The page's one <style> block is allowed by its exact hash, nothing more.
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}'" in policy


def test_docs_startup_script_is_served_as_javascript(client, mentor):
    client.force_login(mentor)

    response = client.get(reverse("api-docs") + "?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert reverse("api-schema") in response.content.decode()


def test_other_pages_keep_the_strict_style_policy(client, mentor):
    client.force_login(mentor)

    response = client.get(reverse("accounts:profile"))

    assert "sha256" not in response["Content-Security-Policy"]

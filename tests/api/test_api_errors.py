"""Errors under /api/ answer JSON, {"detail": "…"} in French like DRF's own; the site keeps its
HTML error pages."""

import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from core import api
from programmes.api import ProgrammeViewSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(coordinator):
    client = Client(raise_request_exception=False)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=coordinator).key}"
    return client


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/programmes/1/x/", "/api/autre"])
def test_an_unknown_api_path_is_a_json_404(token_client, path):
    response = token_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Non trouvé."}


def test_an_unknown_object_is_the_same_french_404(token_client):
    response = token_client.get(reverse("programme-detail", args=[uuid.uuid4()]))

    assert response.status_code == 404
    assert response.json() == {"detail": "Non trouvé."}


def test_a_site_page_keeps_the_html_404(client, coordinator):
    client.force_login(coordinator)

    response = client.get("/page-inconnue/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.text


def test_a_server_error_under_the_api_is_json(token_client, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ProgrammeViewSet, "list", broken)

    response = token_client.get(reverse("programme-list"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Une erreur du serveur est survenue."}


@pytest.mark.parametrize(
    ("handler", "exception", "status", "detail"),
    [
        (api.bad_request, SuspiciousOperation(), 400, "Requête malformée."),
        (
            api.permission_denied,
            PermissionDenied(),
            403,
            "Vous n'avez pas la permission d'effectuer cette action.",
        ),
        (api.page_not_found, Http404(), 404, "Non trouvé."),
    ],
)
def test_each_error_handler_answers_json_under_the_api_and_html_elsewhere(
    rf, handler, exception, status, detail
):
    api_response = handler(rf.get("/api/v1/programmes/"), exception)
    site_response = handler(rf.get("/programmes/"), exception)

    assert api_response.status_code == site_response.status_code == status
    assert json_detail(api_response) == detail
    assert site_response["Content-Type"].startswith("text/html")


def test_the_server_error_handler_answers_json_under_the_api_and_html_elsewhere(rf):
    assert json_detail(api.server_error(rf.get("/api/v1/"))) == (
        "Une erreur du serveur est survenue."
    )
    assert api.server_error(rf.get("/")).status_code == 500
    assert api.server_error(rf.get("/"))["Content-Type"].startswith("text/html")


def json_detail(response) -> str:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)["detail"]


def test_an_unreadable_boolean_filter_is_refused(api_client, login, offer):
    """`?is_active=2` is neither true nor false: 400 with the field named, not every offer."""
    login("coordinator")

    refused = api_client.get(reverse("offer-list"), {"is_active": "2"})
    active = api_client.get(reverse("offer-list"), {"is_active": "true"})
    inactive = api_client.get(reverse("offer-list"), {"is_active": "false"})

    assert refused.status_code == 400
    assert "is_active" in refused.json()
    assert active.status_code == 200
    assert active.json()["count"] == 1
    assert inactive.status_code == 200
    assert inactive.json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('{"offer": ', "Le corps de la requête n'est pas du JSON valide (ligne 1, colonne 11)."),
        ("pas du json", "Le corps de la requête n'est pas du JSON valide (ligne 1, colonne 1)."),
    ],
)
def test_a_malformed_json_body_is_a_french_400(token_client, body, detail):
    response = token_client.post(
        reverse("beneficiary-list"), data=body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": detail}


def test_another_parse_error_keeps_its_message():
    assert api._parse_error_detail("Multipart form parse error") == "Multipart form parse error"
    assert api._parse_error_detail("JSON parse error - ?") == (
        "Le corps de la requête n'est pas du JSON valide."
    )

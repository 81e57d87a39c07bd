"""What schemathesis found, kept as plain tests: the schema says what the API answers."""

import jsonschema
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import OfferFactory


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_catalogue_slug_parameter_has_the_url_converter_pattern():
    """Outside [-a-zA-Z0-9_] Django answers its HTML 404 before the API view: not in the schema."""
    operation = _schema()["paths"]["/api/v1/catalogue/programmes/{id}/"]["get"]
    (parameter,) = [p for p in operation["parameters"] if p["name"] == "id"]
    assert parameter["schema"]["pattern"] == r"^[-a-zA-Z0-9_]+$"


def test_offer_without_partner_is_null_in_schema_and_answer(db, coordinator, programme):
    field = _schema()["components"]["schemas"]["Offer"]["properties"]["partner_organization"]
    assert field.get("nullable") is True
    offer = OfferFactory(programme=programme)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")

    response = client.get(f"/api/v1/offres/{offer.public_id}/")

    assert response.status_code == 200
    assert response.json()["partner_organization"] is None


def test_nested_validation_errors_are_objects_and_the_schema_allows_them(
    db, coordinator, beneficiary
):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")

    response = client.post(
        "/api/v1/diagnostics/",
        {
            "beneficiary": str(beneficiary.public_id),
            "method": "workshop",
            "held_on": "2026-01-05",
            "needs": [{"theme": ""}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert isinstance(response.json()["needs"], dict | list)
    operation = _schema()["paths"]["/api/v1/diagnostics/"]["post"]
    error_schema = operation["responses"]["400"]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), error_schema)


def test_an_unreadable_body_is_a_400_detail_the_schema_allows(db, coordinator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")

    response = client.generic(
        "POST", "/api/v1/beneficiaires/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    operation = _schema()["paths"]["/api/v1/beneficiaires/"]["post"]
    error_schema = operation["responses"]["400"]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), error_schema)


def test_an_empty_filter_is_no_filter_and_the_schema_says_so(db, coordinator, programme):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")

    response = client.get("/api/v1/programmes/?status=&page=")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    operation = _schema()["paths"]["/api/v1/programmes/"]["get"]
    query = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert query["status"]["allowEmptyValue"] is True
    assert query["page"]["allowEmptyValue"] is True

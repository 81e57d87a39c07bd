"""CSV export: the filtered list, as Excel France opens it, without formula injection."""

import csv
import io

import pytest
from django.urls import reverse

from beneficiaires.enums import OutreachStage
from beneficiaires.exports import HEADERS, safe_cell
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def read(response):
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Collectif = Pentes", "Collectif = Pentes"),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_quoted(value, expected):
    assert safe_cell(value) == expected


def test_export_holds_the_filtered_rows(client, coordinator, organization, programme):
    BeneficiaryFactory(
        organization=organization,
        name="Collectif des Pentes",
        programme=programme,
        stage=OutreachStage.CONTACTED,
        email="pentes@example.org",
        postal_code="69001",
    )
    BeneficiaryFactory(organization=organization, name="Autre", stage=OutreachStage.TO_CONTACT)
    client.force_login(coordinator)

    response = client.get(reverse("beneficiaires:export") + "?stage=contacted")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read(response)
    assert rows[0] == HEADERS
    assert len(rows) == 2
    row = dict(zip(HEADERS, rows[1], strict=True))
    assert row["nom"] == "Collectif des Pentes"
    assert row["email"] == "pentes@example.org"
    assert row["code_postal"] == "69001"
    assert row["programme"] == programme.title


def test_export_never_holds_another_organisations_records(
    client, coordinator, organization, other_organization
):
    BeneficiaryFactory(organization=organization, name="Chez nous")
    BeneficiaryFactory(organization=other_organization, name="Ailleurs")
    client.force_login(coordinator)

    names = [row[0] for row in read(client.get(reverse("beneficiaires:export")))[1:]]

    assert names == ["Chez nous"]


def test_exported_formulas_are_neutralised(client, coordinator, organization):
    BeneficiaryFactory(
        organization=organization, name='=HYPERLINK("http://evil","clic")', notes="@SUM(A1)"
    )
    client.force_login(coordinator)

    rows = read(client.get(reverse("beneficiaires:export")))

    row = dict(zip(HEADERS, rows[1], strict=True))
    assert row["nom"].startswith("'=")
    assert row["notes"].startswith("'@")

"""The per-séance exports (CSV, XLSX) and the PDF evaluation report."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.documents import programme_report_html
from evaluation.exports import HEADERS, export_table
from evaluation.statistics import Filters
from tests.evaluation.factories_statistics import (
    Kit,
    enrolled,
    full_person,
    held_seance,
    satisfaction,
)

pytestmark = pytest.mark.django_db


def test_one_row_per_beneficiary_per_seance_with_satisfaction(programme, offer, mentor):
    kit = Kit(programme)
    people = [enrolled(offer, mentor=mentor, territory="Lyon 8e") for _ in range(2)]
    people[0].name = "=HYPERLINK(1)"
    people[0].save()
    seance = held_seance(offer, mentor, people, minutes=90)
    satisfaction(kit, people[0], seance, overall=5, useful=4, comment="Très bien, merci")
    held_seance(offer, mentor, people[:1])

    header, rows = export_table(programme)
    rows = list(rows)

    # Free text is not exported: it was written to be read without a name.
    assert header[: len(HEADERS)] == HEADERS
    assert header[len(HEADERS) :] == [kit.overall.label, kit.useful.label]
    assert not any("Très bien" in str(cell) for row in rows for cell in row)
    assert len(rows) == 3
    answered = next(r for r in rows if r[4] == 90 and r[7].endswith("HYPERLINK(1)"))
    assert answered[7] == "'=HYPERLINK(1)"  # a formula is never run
    assert answered[-2:] == ["5", "4"]
    silent = next(r for r in rows if r[7] == people[1].name)
    assert silent[-2:] == ["", ""]
    assert silent[9] == "Lyon 8e"


def test_export_query_count_is_constant(programme, offer, mentor, themes):
    kit = Kit(programme)

    def count():
        with CaptureQueriesContext(connection) as queries:
            _header, rows = export_table(programme, Filters())
            list(rows)
        return len(queries.captured_queries)

    full_person(kit, offer, mentor, themes)
    few = count()
    for _ in range(29):
        full_person(kit, offer, mentor, themes)

    assert count() == few


def test_csv_and_xlsx_downloads(client, coordinator, programme, offer, mentor, themes):
    from openpyxl import load_workbook

    kit = Kit(programme)
    person = full_person(kit, offer, mentor, themes)
    client.force_login(coordinator)

    csv_response = client.get(
        reverse("evaluation:programme_export_csv", args=[programme.public_id])
    )
    xlsx_response = client.get(
        reverse("evaluation:programme_export_xlsx", args=[programme.public_id])
    )

    text = b"".join(csv_response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffprogramme;offre;")
    assert person.name in text
    assert "attachment" in xlsx_response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert person.name in values
    assert 60 in values


def test_report_html_applies_the_small_group_rule(programme, offer, mentor, themes):
    kit = Kit(programme)
    people = [full_person(kit, offer, mentor, themes[:1]) for _ in range(4)]

    html = programme_report_html(programme)

    assert "moins de 5 personnes" in html or "fewer than 5 people" in html
    assert "<svg" in html
    assert "Très utile" not in html
    for person in people:
        assert person.name not in html


def test_report_pdf(client, coordinator, programme, offer, mentor, themes):
    kit = Kit(programme)
    for _ in range(5):
        full_person(kit, offer, mentor, themes[:1])
    client.force_login(coordinator)

    response = client.get(reverse("evaluation:programme_report", args=[programme.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

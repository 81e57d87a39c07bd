"""The journal page: filters, human labels, links to what the viewer may open, constant
queries, CSV download."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from audit.services import audit_record
from tests.audit.conftest import read_entry
from tests.factories import BeneficiaryFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/journal/"


def entries_shown(response) -> list[AuditEntry]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(organization, n):
    """n entries of various actors, kinds and actions in `organization`."""
    for _ in range(n):
        person = BeneficiaryFactory(organization=organization)
        actor = UserFactory()
        read_entry(actor, person)
        audit_record(
            actor=actor,
            action=AuditAction.DOWNLOAD,
            obj=actor,  # a kind of record without a page link
            summary="autre",
            organization_id=organization.pk,
        )


def test_the_url(coordinator):
    assert reverse("audit:journal") == URL


def test_query_count_is_constant_with_1_and_30_entries(client, coordinator, organization):
    client.force_login(coordinator)
    grow(organization, 1)
    few = count_queries(client, URL)
    grow(organization, 29)
    many = count_queries(client, URL)
    assert few == many
    assert many <= 12


def test_query_count_is_constant_for_a_superuser(client, admin, organization, other_organization):
    client.force_login(admin)
    grow(organization, 1)
    few = count_queries(client, URL)
    grow(other_organization, 29)
    assert count_queries(client, URL) == few


def test_the_page_is_paginated_by_50(client, coordinator, organization):
    grow(organization, 30)  # 60 entries
    client.force_login(coordinator)
    assert len(entries_shown(client.get(URL))) == 50
    assert len(entries_shown(client.get(URL + "?page=2"))) == 10
    assert len(entries_shown(client.get(URL + "?page=99"))) == 10


def test_rows_show_the_human_kind_and_link_to_open_records(
    client, coordinator, beneficiary, entry_a
):
    client.force_login(coordinator)
    response = client.get(URL)
    html = response.content.decode()
    (entry,) = entries_shown(response)
    assert entry.kind_label != "beneficiaires.beneficiary"
    assert entry.url == reverse("beneficiaires:detail", args=[beneficiary.public_id])
    assert f'href="{entry.url}"' in html
    assert ">beneficiaires.beneficiary" not in html  # only as an option value
    assert '<th scope="col">' in html
    assert "<caption" in html
    assert 'class="table-responsive"' in html


def test_no_link_to_a_record_the_viewer_cannot_open(client, coordinator, entry_a):
    AuditEntry.objects.update(object_id="00000000-0000-0000-0000-000000000000")
    client.force_login(coordinator)
    (entry,) = entries_shown(client.get(URL))
    assert entry.url == ""


def test_times_are_shown_in_local_time(client, coordinator, entry_a):
    at = datetime.datetime(2026, 7, 14, 8, 5, tzinfo=datetime.UTC)  # 10:05 in Paris (summer)
    AuditEntry.objects.update(at=at)
    client.force_login(coordinator)
    assert "14/07/2026 10:05" in client.get(URL).content.decode()


@pytest.fixture
def varied(coordinator, mentor, beneficiary, organization):
    """Three entries of organisation A: a mentor's read of last month, a coordinator's
    download today, a mentor's change today."""
    old = read_entry(mentor, beneficiary, "ancienne-lecture")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=40))
    audit_record(
        actor=coordinator,
        action=AuditAction.DOWNLOAD,
        obj=beneficiary,
        summary="telechargement",
        organization_id=organization.pk,
    )
    audit_record(
        actor=mentor,
        action=AuditAction.UPDATE,
        obj=mentor,
        summary="modification",
        organization_id=organization.pk,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"ancienne-lecture", "telechargement", "modification"}),
        ("?action=download", {"telechargement"}),
        ("?kind=beneficiaires.beneficiary", {"ancienne-lecture", "telechargement"}),
        ("?kind=accounts.user", {"modification"}),
        ("?since={today}", {"telechargement", "modification"}),
        ("?until={last_week}", {"ancienne-lecture"}),
        ("?who={mentor_name}", {"ancienne-lecture", "modification"}),
        ("?who={coordinator_email}", {"telechargement"}),
        ("?action=read&who={mentor_name}", {"ancienne-lecture"}),
    ],
)
def test_filters(client, coordinator, mentor, varied, query, expected):
    today = timezone.localdate()
    query = query.format(
        today=today.isoformat(),
        last_week=(today - datetime.timedelta(days=7)).isoformat(),
        mentor_name=mentor.last_name,
        coordinator_email=coordinator.email.upper(),
    )
    client.force_login(coordinator)
    assert {entry.summary for entry in entries_shown(client.get(URL + query))} == expected


def test_kind_choices_are_human_labels_of_the_kinds_present(client, coordinator, varied):
    client.force_login(coordinator)
    choices = dict(client.get(URL).context["filter"].form.fields["kind"].choices)
    assert set(choices) == {"", "beneficiaires.beneficiary", "accounts.user"}
    assert all("." not in str(label) for label in choices.values())


@pytest.mark.parametrize(
    "query",
    [
        "?since=pas-une-date",
        "?action=inconnue",
        "?kind=nimporte.quoi",
        "?page=abc",
        "?who=" + "x" * 500,
        "?since=2026-05-01&until=2026-04-01",
    ],
)
def test_bad_filters_never_fail(client, coordinator, varied, query):
    client.force_login(coordinator)
    response = client.get(URL + query)
    assert response.status_code == 200


def test_a_reversed_period_is_explained(client, coordinator, varied):
    client.force_login(coordinator)
    response = client.get(URL + "?since=2026-05-01&until=2026-04-01")
    assert response.context["filter"].form.errors["until"]


def test_the_csv_download_holds_the_filtered_entries(client, coordinator, mentor, varied):
    client.force_login(coordinator)
    response = client.get(reverse("audit:journal_export") + "?action=update")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][1] == str(mentor)
    assert rows[1][6] == "modification"


def test_the_page_links_to_the_csv_with_its_filters(client, coordinator, varied):
    client.force_login(coordinator)
    html = client.get(URL + "?action=update").content.decode()
    assert reverse("audit:journal_export") + "?action=update" in html


def test_the_csv_quotes_cells_a_spreadsheet_would_run(client, coordinator, beneficiary):
    read_entry(coordinator, beneficiary, '=HYPERLINK("http://evil")')
    client.force_login(coordinator)
    body = b"".join(client.get(reverse("audit:journal_export")).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][6] == '\'=HYPERLINK("http://evil")'

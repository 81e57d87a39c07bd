"""The evaluation dashboard and the follow-up page: what they show, filters, small groups."""

import re

import pytest
from django.urls import reverse

from evaluation.enums import Phase
from tests.evaluation.factories_statistics import (
    Kit,
    enrolled,
    full_person,
    held_seance,
    progress,
    tasks,
)

pytestmark = pytest.mark.django_db


def dashboard_url(programme, query=""):
    return reverse("evaluation:programme_dashboard", args=[programme.public_id]) + query


def follow_up_url(beneficiary):
    return reverse("evaluation:beneficiary_follow_up", args=[beneficiary.public_id])


def test_empty_dashboard_renders(client, coordinator, programme):
    client.force_login(coordinator)

    response = client.get(dashboard_url(programme))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "—" in response.content.decode()


def test_dashboard_shows_figures_charts_and_tables(
    client, coordinator, programme, offer, mentor, themes
):
    kit = Kit(programme)
    people = [full_person(kit, offer, mentor, themes[:1]) for _ in range(5)]
    client.force_login(coordinator)

    response = client.get(dashboard_url(programme))

    assert response.status_code == 200
    context = response.context
    assert context["indicators"]["beneficiaries"]["total"]["value"] == 5
    assert context["progress_rows"][0]["after_percent"] == 80
    html = response.content.decode()
    assert "<svg" in html
    assert "<caption" in html
    assert themes[0].name in html
    assert "Très utile" in html
    assert str(mentor) in html
    # Free text and figures, never the people's names.
    for person in people:
        assert person.name not in html
    assert ' style="' not in html
    assert "<script>" not in html


def test_small_group_figures_show_a_dash_and_the_note(
    client, coordinator, programme, offer, mentor, themes
):
    kit = Kit(programme)
    for _ in range(4):
        full_person(kit, offer, mentor, themes[:1])
    client.force_login(coordinator)

    response = client.get(dashboard_url(programme))

    assert response.context["indicators"]["satisfaction"]["mean"]["suppressed"]
    assert "Très utile" not in response.content.decode()


def test_filters_apply_and_are_validated(client, coordinator, programme, offer, mentor, themes):
    kit = Kit(programme)
    for _ in range(5):
        full_person(kit, offer, mentor, themes[:1])
    client.force_login(coordinator)

    by_mentor = client.get(dashboard_url(programme, f"?mentor={mentor.public_id}"))
    by_territory = client.get(dashboard_url(programme, "?territory=Lyon+8e"))
    elsewhere = client.get(dashboard_url(programme, "?start=2000-01-01&end=2000-12-31"))
    wrong = client.get(dashboard_url(programme, "?start=2026-05-01&end=2026-01-01"))

    assert by_mentor.context["indicators"]["beneficiaries"]["total"]["value"] == 5
    assert by_territory.context["is_filtered"]
    assert by_territory.context["indicators"]["beneficiaries"]["total"]["value"] == 5
    assert elsewhere.context["indicators"]["seances"]["total_seances"]["suppressed"]
    assert wrong.context["form"].errors["end"]
    assert not wrong.context["is_filtered"]


def test_follow_up_shows_progress_tasks_and_attendance(
    client, mentor, programme, offer, beneficiary, themes
):
    kit = Kit(programme)
    progress(kit, beneficiary, Phase.START, {themes[0]: 2}, days_ago=20)
    progress(kit, beneficiary, Phase.END, {themes[0]: 5})
    tasks(beneficiary, done=1, todo=1)
    client.force_login(mentor)

    response = client.get(follow_up_url(beneficiary))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert [p["value"] for p in response.context["progress"][0]["points"]] == [2, 5]
    assert response.context["tasks"]["done"] == 1
    html = response.content.decode()
    assert themes[0].name in html
    assert ' style="' not in html
    # The line chart's coordinates are SVG numbers, never localised ("12,5").
    assert "<polyline" in html
    circles = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', html)
    assert len(circles) == 2
    assert all(re.fullmatch(r"\d+(\.\d+)?", value) for pair in circles for value in pair)


def test_beneficiary_reads_their_own_follow_up(client, beneficiary):
    client.force_login(beneficiary.user)

    response = client.get(follow_up_url(beneficiary))

    assert response.status_code == 200
    assert response.context["is_self"] is True


def test_mentor_who_led_a_seance_reads_the_follow_up(client, programme, offer, other_mentor):
    person = enrolled(offer)
    held_seance(offer, other_mentor, [person])
    client.force_login(other_mentor)

    assert client.get(follow_up_url(person)).status_code == 200

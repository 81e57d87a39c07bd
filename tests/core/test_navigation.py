"""The main navigation: each role reaches its pages, and every link it shows opens."""

import pytest
from django.urls import reverse


def _links(nav_items) -> list[str]:
    links = []
    for item in nav_items:
        links += (
            [child["url"] for child in item["children"]] if "children" in item else [item["url"]]
        )
    return links


@pytest.mark.parametrize("persona", ["beneficiary", "mentor", "coordinator", "admin"])
def test_every_navigation_link_opens(client, request, persona):
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona == "beneficiary" else value)
    links = _links(client.get(reverse("core:home")).context["nav_items"])
    assert links
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, f"{persona}: {url}"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("beneficiary", ["seances:seance_list", "seances:action_plan", "seances:logbook"]),
        (
            "mentor",
            [
                "seances:seance_list",
                "seances:seance_new",
                "seances:action_plan",
                "seances:logbook_shared",
                "seances:tutoring_pairs",
            ],
        ),
        ("coordinator", ["seances:seance_list", "seances:action_plan", "seances:tutoring_pairs"]),
    ],
)
def test_the_seance_pages_are_in_the_navigation(client, request, persona, expected):
    value = request.getfixturevalue(persona)
    client.force_login(value.user if persona == "beneficiary" else value)
    links = _links(client.get(reverse("core:home")).context["nav_items"])
    for name in expected:
        assert reverse(name) in links


def test_the_current_page_lights_its_menu(client, mentor):
    client.force_login(mentor)
    items = client.get(reverse("seances:action_plan")).context["nav_items"]
    active = [item for item in items if item["active"]]
    assert [item["label"] for item in active] == ["Séances"]
    children = [child for child in active[0]["children"] if child["active"]]
    assert [child["url"] for child in children] == [reverse("seances:action_plan")]

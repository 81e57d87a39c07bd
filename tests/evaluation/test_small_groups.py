"""The small-group rule: a figure about fewer than 5 people is not given, at 4 it is hidden and
at 5 it shows."""

import pytest

from evaluation.enums import Phase
from evaluation.statistics import MIN_GROUP, figure, programme_indicators, reportable
from tests.evaluation.factories_statistics import (
    Kit,
    enrolled,
    held_seance,
    nps,
    progress,
    satisfaction,
    tasks,
)


def test_min_group_is_five():
    assert MIN_GROUP == 5


@pytest.mark.parametrize(("people", "shown"), [(None, False), (0, False), (4, False), (5, True)])
def test_figure_hides_value_and_headcount_under_five(people, shown):
    result = figure(12.5, people)

    assert reportable(people) is shown
    assert result["suppressed"] is not shown
    assert result["value"] == (12.5 if shown else None)
    assert result["people"] == (people if shown else None)


@pytest.fixture
def group(db, programme, offer, mentor, themes):
    """Build `n` people with a séance, a satisfaction answer, a before/after pair, an NPS answer
    and tasks; return the programme's indicators."""
    kit = Kit(programme)

    def build(n):
        for _ in range(n):
            person = enrolled(offer, mentor=mentor)
            seance = held_seance(offer, mentor, [person])
            satisfaction(kit, person, seance, comment="Merci")
            progress(kit, person, Phase.START, {themes[0]: 2}, days_ago=10)
            progress(kit, person, Phase.END, {themes[0]: 4})
            nps(kit, person, 10)
            tasks(person, done=1)
        return programme_indicators(programme)

    return build


def every_figure(indicators):
    """Each figure (a dict with `suppressed`) of the indicators."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "suppressed" in node and "value" in node:
                found.append(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(indicators)
    return found


def headline(indicators):
    return {
        "total": indicators["beneficiaries"]["total"],
        "seances": indicators["seances"]["total_seances"],
        "attendance": indicators["attendance"]["total"],
        "mean": indicators["satisfaction"]["mean"],
        "nps": indicators["satisfaction"]["nps"]["score"],
        "progress": indicators["progress"][0]["gain"],
        "tasks": indicators["action_plan"]["rate"],
    }


def test_four_people_every_figure_is_suppressed(group):
    indicators = group(4)

    assert all(f["suppressed"] for f in headline(indicators).values())
    assert all(f["value"] is None for f in every_figure(indicators))
    assert indicators["strengths"]["best"] == []
    assert indicators["strengths"]["comments"][0]["suppressed"] is True
    assert indicators["strengths"]["comments"][0]["answers"] == []


def test_five_people_figures_are_shown(group):
    indicators = group(5)

    shown = headline(indicators)
    assert not any(f["suppressed"] for f in shown.values())
    assert shown["total"]["value"] == 5
    assert shown["mean"]["value"] == 4.5
    assert shown["nps"]["value"] == 100
    assert shown["progress"]["value"] == 2.0
    assert indicators["strengths"]["comments"][0]["answers"] == ["Merci"] * 5

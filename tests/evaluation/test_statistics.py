"""What the programme's evaluation figures count, and what they never read."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beneficiaires.enums import EnrollmentStatus, Situation
from evaluation.enums import EntryMode, Phase, Purpose, QuestionKind
from evaluation.statistics import (
    Filters,
    beneficiary_follow_up,
    mentor_outcomes,
    programme_indicators,
)
from programmes.enums import OfferKind
from seances.enums import AttendanceStatus
from tests.evaluation.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)
from tests.evaluation.factories_statistics import (
    Kit,
    enrolled,
    full_person,
    held_seance,
    nps,
    progress,
    satisfaction,
    tasks,
)
from tests.factories import OfferFactory
from tests.seances.conftest import ActionItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(programme):
    return Kit(programme)


def by_value(rows):
    return {row["code"]: row for row in rows}


def test_beneficiaries_by_stage_and_situation(programme, offer, mentor):
    for _ in range(5):
        enrolled(offer, mentor=mentor, situation=Situation.NO_PROJECT)
    for _ in range(2):
        person = enrolled(offer, mentor=mentor, situation=Situation.ALREADY_STARTED)
        person.enrollments.update(status=EnrollmentStatus.COMPLETED)

    data = programme_indicators(programme)["beneficiaries"]

    assert data["total"]["value"] == 7
    stages = by_value(data["by_stage"])
    assert stages["active"]["count"]["value"] == 5
    assert stages["completed"]["count"]["suppressed"] is True
    situations = by_value(data["by_situation"])
    assert situations["no_project"]["count"]["value"] == 5
    assert situations["already_started"]["count"]["value"] is None


def test_seances_and_hours_by_offer_kind(programme, offer, mentor):
    people = [enrolled(offer, mentor=mentor) for _ in range(5)]
    held_seance(offer, mentor, people, minutes=90)
    held_seance(offer, mentor, people[:1], minutes=30)
    # A séance still to come is not "held".
    future = held_seance(offer, mentor, people, days_ago=-3)

    data = programme_indicators(programme)["seances"]

    coaching = by_value(data["by_offer_kind"])[OfferKind.COACHING]
    assert coaching["seances"]["value"] == 2
    assert coaching["hours"]["value"] == 2.0
    assert data["total_seances"]["value"] == 2
    assert by_value(data["by_offer_kind"])[OfferKind.HOTLINE]["seances"]["suppressed"]
    assert future.pk  # kept out above


def test_attendance_rates(programme, offer, mentor):
    people = [enrolled(offer, mentor=mentor) for _ in range(5)]
    held_seance(offer, mentor, people[:3])
    held_seance(offer, mentor, people[3:4], status=AttendanceStatus.EXCUSED)
    held_seance(offer, mentor, people[4:], status=AttendanceStatus.ABSENT)

    rows = by_value(programme_indicators(programme)["attendance"]["rows"])

    assert rows["present"]["rate"]["value"] == 60.0
    assert rows["excused"]["rate"]["value"] == 20.0
    assert rows["absent"]["rate"]["value"] == 20.0


def test_satisfaction_mean_distribution_and_nps(programme, offer, mentor, kit):
    people = [enrolled(offer, mentor=mentor) for _ in range(6)]
    seance = held_seance(offer, mentor, people)
    for person in people:
        satisfaction(kit, person, seance, overall=5, useful=3)
    for person, score in zip(people, [10, 9, 9, 8, 3, 6], strict=True):
        nps(kit, person, score)

    data = programme_indicators(programme)["satisfaction"]

    assert data["mean"]["value"] == 4.0
    assert [row["count"]["value"] for row in data["distribution"]] == [0, 0, 6, 0, 6]
    assert data["nps"]["promoters"]["value"] == 3
    assert data["nps"]["passives"]["value"] == 1
    assert data["nps"]["detractors"]["value"] == 2
    assert data["nps"]["score"]["value"] == 17  # (3 - 2) / 6


def test_progress_before_after_counts_only_people_with_both(programme, offer, mentor, kit, themes):
    governance, funding, _ = themes
    for _ in range(5):
        person = enrolled(offer, mentor=mentor)
        progress(kit, person, Phase.START, {governance: 2, funding: 1}, days_ago=30)
        progress(kit, person, Phase.MIDWAY, {governance: 3}, days_ago=15)
        progress(kit, person, Phase.END, {governance: 4, funding: 2}, days_ago=1)
    # Answered only at the start, or only at the end: not counted.
    progress(kit, enrolled(offer), Phase.START, {governance: 1})
    progress(kit, enrolled(offer), Phase.END, {governance: 5})

    rows = {row["theme"]: row for row in programme_indicators(programme)["progress"]}

    assert rows[governance.name]["before"]["value"] == 2.0
    assert rows[governance.name]["after"]["value"] == 4.0
    assert rows[governance.name]["gain"]["value"] == 2.0
    assert rows[funding.name]["gain"]["value"] == 1.0


def test_action_plan_completion(programme, offer, mentor):
    for _ in range(5):
        tasks(enrolled(offer, mentor=mentor), done=1, todo=3)

    data = programme_indicators(programme)["action_plan"]

    assert data["done"]["value"] == 5
    assert data["total"]["value"] == 20
    assert data["rate"]["value"] == 25.0


def test_strengths_and_free_text_without_names(programme, offer, mentor, kit):
    people = [enrolled(offer, mentor=mentor, name=f"Personne Nommée {i}") for i in range(5)]
    seance = held_seance(offer, mentor, people)
    for i, person in enumerate(people):
        satisfaction(kit, person, seance, overall=5, useful=2, comment=f"Avis {i}")

    data = programme_indicators(programme)["strengths"]

    assert data["best"][0]["label"] == kit.overall.label
    assert data["worst"][0]["label"] == kit.useful.label
    (comments,) = data["comments"]
    assert comments["label"] == kit.comment.label
    assert comments["answers"] == [f"Avis {i}" for i in range(5)]
    assert "Nommée" not in repr(data)


def test_mentor_assessments_are_not_the_beneficiaries_voice(programme, offer, mentor):
    assessment = QuestionnaireFactory(programme=programme, purpose=Purpose.MENTOR_ASSESSMENT)
    comment = QuestionFactory(questionnaire=assessment, kind=QuestionKind.TEXT)
    for _ in range(5):
        response = ResponseFactory(
            questionnaire=assessment, beneficiary=enrolled(offer), entry_mode=EntryMode.MENTOR
        )
        AnswerFactory(response=response, question=comment, value_number=None, value_text="RAS")

    assert programme_indicators(programme)["strengths"]["comments"] == []


def test_filters_by_offer_mentor_territory_and_period(
    programme, offer, mentor, other_mentor, kit, themes
):
    for _ in range(5):
        full_person(kit, offer, mentor, themes)
    workshop = OfferFactory(programme=programme, kind=OfferKind.WORKSHOP)
    for _ in range(5):
        person = enrolled(workshop, mentor=other_mentor, territory="Villeurbanne")
        held_seance(workshop, other_mentor, [person], days_ago=100)

    everything = programme_indicators(programme)
    by_offer = programme_indicators(programme, Filters(offer=offer))
    by_mentor = programme_indicators(programme, Filters(mentor=other_mentor))
    by_territory = programme_indicators(programme, Filters(territory="Villeurbanne"))
    recent = programme_indicators(
        programme, Filters(start=timezone.localdate() - datetime.timedelta(days=50))
    )

    assert everything["beneficiaries"]["total"]["value"] == 10
    assert by_offer["beneficiaries"]["total"]["value"] == 5
    assert by_offer["satisfaction"]["mean"]["value"] == 4.5
    assert by_mentor["satisfaction"]["mean"]["suppressed"]
    assert by_territory["seances"]["total_seances"]["value"] == 5
    assert recent["seances"]["total_seances"]["value"] == 5


def test_mentor_outcomes(programme, offer, mentor, other_mentor, kit, themes):
    for _ in range(5):
        full_person(kit, offer, mentor, themes[:1], before=1, after=4)
    held_seance(offer, other_mentor, [enrolled(offer, mentor=other_mentor)], minutes=120)

    rows = {row["mentor"]: row for row in mentor_outcomes(programme)}

    assert rows[mentor]["followed"]["value"] == 5
    assert rows[mentor]["seances"] == 5
    assert rows[mentor]["hours"] == 5.0
    assert rows[mentor]["gain"]["value"] == 3.0
    assert rows[other_mentor]["seances"] == 1
    assert rows[other_mentor]["hours"] == 2.0
    assert rows[other_mentor]["followed"]["suppressed"]
    assert rows[other_mentor]["gain"]["suppressed"]


def test_beneficiary_follow_up(programme, offer, mentor, kit, themes, beneficiary):
    governance, funding, _ = themes
    progress(kit, beneficiary, Phase.START, {governance: 1, funding: 2}, days_ago=30)
    progress(kit, beneficiary, Phase.END, {governance: 4}, days_ago=1)
    tasks(beneficiary, done=2, todo=2)
    held_seance(offer, mentor, [beneficiary])
    held_seance(offer, mentor, [beneficiary], status=AttendanceStatus.ABSENT)

    data = beneficiary_follow_up(beneficiary)

    assert [m["phase"] for m in data["moments"]] == [Phase.START, Phase.END]
    series = {row["theme"]: [p["value"] for p in row["points"]] for row in data["progress"]}
    assert series == {governance.name: [1, 4], funding.name: [2, None]}
    assert data["tasks"]["done"] == 2
    assert data["tasks"]["rate"] == 50.0
    attendance = by_value(data["attendance"]["rows"])
    assert attendance["present"]["count"] == 1
    assert attendance["absent"]["count"] == 1


def test_confidential_notes_and_logbooks_never_enter_statistics(
    programme, offer, mentor, kit, themes
):
    for _ in range(5):
        full_person(kit, offer, mentor, themes)
    ActionItemFactory(beneficiary=enrolled(offer))

    with CaptureQueriesContext(connection) as queries:
        programme_indicators(programme)
        mentor_outcomes(programme)
    sql = " ".join(query["sql"] for query in queries.captured_queries).lower()

    assert "confidentialnote" not in sql
    assert "logbook" not in sql
    assert "practiceobservation" not in sql


def test_period_picks_the_end_answers_and_keeps_an_earlier_start(
    programme, offer, mentor, kit, themes
):
    for _ in range(5):
        person = enrolled(offer, mentor=mentor)
        progress(kit, person, Phase.START, {themes[0]: 1}, days_ago=60)
        progress(kit, person, Phase.END, {themes[0]: 3}, days_ago=2)
    recent = Filters(start=timezone.localdate() - datetime.timedelta(days=10))
    before = Filters(end=timezone.localdate() - datetime.timedelta(days=10))

    (row,) = programme_indicators(programme, recent)["progress"]

    assert row["gain"]["value"] == 2.0
    assert programme_indicators(programme, before)["progress"] == []

"""Tutoring: pairing a tutor and a tutee, learning goals followed meeting after meeting,
ending a pair."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seances.enums import Channel, GoalStatus, SeanceKind
from seances.models import GoalReview, LearningGoal, TutoringPair
from seances.services import seances as services
from tests.seances.test_seance_fixtures import days_ago

pytest_plugins = ["tests.seances.test_seance_fixtures"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(tutoring_offer, mentor, beneficiary, coordinator):
    return services.tutoring_pair_create(
        offer=tutoring_offer,
        tutor=mentor,
        tutee=beneficiary,
        started_on=days_ago(60).date(),
        acting_user=coordinator,
    )


def meeting(pair, days):
    return services.seance_create(
        offer=pair.offer,
        kind=SeanceKind.TUTORING,
        mentor=pair.tutor,
        beneficiaries=[],
        starts_at=days_ago(days),
        duration_minutes=60,
        channel=Channel.IN_PERSON,
        tutoring_pair=pair,
        acting_user=pair.tutor,
    )


# --- Services -------------------------------------------------------------------------------


def test_a_mentor_pairs_themselves_but_not_someone_else(
    tutoring_offer, mentor, other_mentor, beneficiary
):
    services.tutoring_pair_create(
        offer=tutoring_offer,
        tutor=mentor,
        tutee=beneficiary,
        started_on=days_ago(1).date(),
        acting_user=mentor,
    )
    with pytest.raises(PermissionDenied):
        services.tutoring_pair_create(
            offer=tutoring_offer,
            tutor=other_mentor,
            tutee=beneficiary,
            started_on=days_ago(1).date(),
            acting_user=mentor,
        )


def test_a_pair_belongs_to_a_tutoring_offer(individual_offer, mentor, beneficiary, coordinator):
    with pytest.raises(ValidationError) as error:
        services.tutoring_pair_create(
            offer=individual_offer,
            tutor=mentor,
            tutee=beneficiary,
            started_on=days_ago(1).date(),
            acting_user=coordinator,
        )
    assert "offer" in error.value.error_dict


def test_a_pair_is_active_once(pair, coordinator):
    with pytest.raises(ValidationError):
        services.tutoring_pair_create(
            offer=pair.offer,
            tutor=pair.tutor,
            tutee=pair.tutee,
            started_on=days_ago(1).date(),
            acting_user=coordinator,
        )


def test_another_structures_coordinator_may_not_pair(
    tutoring_offer, mentor, beneficiary, other_organization_coordinator
):
    with pytest.raises(PermissionDenied):
        services.tutoring_pair_create(
            offer=tutoring_offer,
            tutor=mentor,
            tutee=beneficiary,
            started_on=days_ago(1).date(),
            acting_user=other_organization_coordinator,
        )


def test_a_goal_follows_its_reviews_across_meetings(pair, mentor):
    goal = services.learning_goal_add(pair=pair, title="Animer une réunion", acting_user=mentor)
    first, second = meeting(pair, 20), meeting(pair, 5)

    services.goal_review_record(
        seance=first, goal=goal, status=GoalStatus.IN_PROGRESS, comment="", acting_user=mentor
    )
    goal.refresh_from_db()
    assert (goal.status, goal.reached_on) == (GoalStatus.IN_PROGRESS, None)

    services.goal_review_record(
        seance=second, goal=goal, status=GoalStatus.REACHED, comment="Bravo", acting_user=mentor
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.REACHED
    assert goal.reached_on == days_ago(5).date()

    # Correcting the older meeting does not undo what the latest one says.
    services.goal_review_record(
        seance=first, goal=goal, status=GoalStatus.NOT_STARTED, comment="", acting_user=mentor
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.REACHED
    assert GoalReview.objects.filter(goal=goal).count() == 2


def test_a_goal_is_reviewed_in_its_own_pairs_meetings(pair, mentor, tutoring_offer, coordinator):
    from tests.factories import BeneficiaryFactory, EnrollmentFactory

    other_tutee = BeneficiaryFactory(organization=pair.tutee.organization)
    EnrollmentFactory(beneficiary=other_tutee, offer=tutoring_offer, referent_mentor=mentor)
    other_pair = services.tutoring_pair_create(
        offer=tutoring_offer,
        tutor=mentor,
        tutee=other_tutee,
        started_on=days_ago(10).date(),
        acting_user=coordinator,
    )
    goal = services.learning_goal_add(pair=other_pair, title="Autre", acting_user=mentor)

    with pytest.raises(ValidationError):
        services.goal_review_record(
            seance=meeting(pair, 3),
            goal=goal,
            status=GoalStatus.REACHED,
            comment="",
            acting_user=mentor,
        )


def test_an_ended_pair_takes_no_new_meeting_nor_goal(pair, mentor):
    services.tutoring_pair_end(pair=pair, acting_user=mentor)
    pair.refresh_from_db()

    assert pair.ended_on is not None
    with pytest.raises(ValidationError):
        meeting(pair, 1)
    with pytest.raises(ValidationError):
        services.learning_goal_add(pair=pair, title="Trop tard", acting_user=mentor)
    with pytest.raises(ValidationError):
        services.tutoring_pair_end(pair=pair, acting_user=mentor)


def test_the_tutee_may_not_end_the_pair(pair, beneficiary):
    with pytest.raises(PermissionDenied):
        services.tutoring_pair_end(pair=pair, acting_user=beneficiary.user)


# --- Pages ----------------------------------------------------------------------------------


def test_a_coordinator_pairs_a_tutor_and_a_tutee(
    client, coordinator, mentor, beneficiary, tutoring_offer
):
    client.force_login(coordinator)
    url = reverse("seances:tutoring_pair_create")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "offer": tutoring_offer.public_id,
            "tutor": mentor.pk,
            "tutee": beneficiary.public_id,
            "started_on": days_ago(0).date().isoformat(),
        },
    )

    pair = TutoringPair.objects.get()
    assert response.url == reverse("seances:tutoring_pair_detail", args=[pair.public_id])
    assert (pair.tutor, pair.tutee) == (mentor, beneficiary)


def test_goals_are_added_reviewed_and_shown_on_the_pair(client, pair, mentor, beneficiary):
    client.force_login(mentor)
    client.post(
        reverse("seances:learning_goal_add", args=[pair.public_id]),
        {"title": "Tenir un budget"},
    )
    goal = LearningGoal.objects.get()
    first = meeting(pair, 3)

    client.post(
        reverse("seances:goal_review", args=[first.public_id]),
        {"goal": goal.pk, "status": GoalStatus.IN_PROGRESS, "comment": "Bon début"},
    )

    goal.refresh_from_db()
    assert goal.status == GoalStatus.IN_PROGRESS
    client.force_login(beneficiary.user)
    text = client.get(reverse("seances:tutoring_pair_detail", args=[pair.public_id])).content
    assert "Tenir un budget" in text.decode()
    assert "Bon début" in text.decode()
    meeting_page = client.get(reverse("seances:seance_detail", args=[first.public_id])).content
    assert "Bon début" in meeting_page.decode()


def test_the_pair_is_ended_from_its_page(client, pair, coordinator):
    client.force_login(coordinator)

    client.post(
        reverse("seances:tutoring_pair_end", args=[pair.public_id]),
        {"ended_on": days_ago(0).date().isoformat()},
    )

    pair.refresh_from_db()
    assert pair.ended_on == days_ago(0).date()


def test_the_pair_page_query_count_is_constant(client, pair, mentor):
    client.force_login(mentor)
    url = reverse("seances:tutoring_pair_detail", args=[pair.public_id])

    def grow(n, start):
        for i in range(n):
            goal = services.learning_goal_add(pair=pair, title=f"Objectif {i}", acting_user=mentor)
            seance = meeting(pair, start + i)
            services.goal_review_record(
                seance=seance,
                goal=goal,
                status=GoalStatus.IN_PROGRESS,
                comment="",
                acting_user=mentor,
            )

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    grow(1, 1)
    few = count()
    grow(29, 2)
    assert count() == few

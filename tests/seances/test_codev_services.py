"""Co-development services: preparing (one client, the others consultants), the six steps in
order, idempotence, notes, the client's action plan from step 5, and who may do it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from seances.enums import (
    CODEV_STEP_MINUTES,
    AttendanceStatus,
    ParticipantRole,
    SeanceKind,
    TaskOwner,
)
from seances.models import ActionItem, Attendance, CodevStep
from seances.services import codev
from seances.services.tasks import can_update_task
from tests.seances.conftest import AttendanceFactory, SeanceFactory
from tests.seances.test_codev_fixtures import run_to_step

pytest_plugins = ["tests.seances.test_codev_fixtures"]
pytestmark = pytest.mark.django_db


def roles(seance):
    return {a.beneficiary_id: a.role for a in Attendance.objects.filter(seance=seance)}


def test_prepare_sets_one_client_the_others_present_are_consultants(
    codev_seance, mentor, beneficiary, other_beneficiary, chloe
):
    codev.codev_prepare(
        seance=codev_seance, client=beneficiary, topic="Comment déléguer ?", acting_user=mentor
    )

    codev_seance.refresh_from_db()
    assert codev_seance.topic == "Comment déléguer ?"
    found = roles(codev_seance)
    assert found[beneficiary.pk] == ParticipantRole.CLIENT
    assert found[other_beneficiary.pk] == ParticipantRole.CONSULTANT
    assert found[chloe.pk] == ParticipantRole.CONSULTANT
    excused = Attendance.objects.get(seance=codev_seance, status=AttendanceStatus.EXCUSED)
    assert excused.role == ParticipantRole.PARTICIPANT
    steps = list(codev_seance.codev_steps.values_list("number", "planned_minutes"))
    assert steps == sorted(CODEV_STEP_MINUTES.items())
    assert codev_seance.codev_step == 0


def test_preparing_again_changes_the_client_and_keeps_one(
    codev_seance, mentor, beneficiary, other_beneficiary
):
    codev.codev_prepare(seance=codev_seance, client=beneficiary, topic="A", acting_user=mentor)
    codev.codev_prepare(
        seance=codev_seance, client=other_beneficiary, topic="B", acting_user=mentor
    )

    found = roles(codev_seance)
    assert found[other_beneficiary.pk] == ParticipantRole.CLIENT
    assert found[beneficiary.pk] == ParticipantRole.CONSULTANT
    assert list(found.values()).count(ParticipantRole.CLIENT) == 1
    assert codev_seance.codev_steps.count() == 6


def test_the_client_must_be_present(codev_seance, mentor):
    excused = Attendance.objects.get(seance=codev_seance, status=AttendanceStatus.EXCUSED)
    with pytest.raises(ValidationError) as error:
        codev.codev_prepare(
            seance=codev_seance, client=excused.beneficiary, topic="X", acting_user=mentor
        )
    assert "client" in error.value.error_dict


def test_a_topic_is_required(codev_seance, mentor, beneficiary):
    with pytest.raises(ValidationError) as error:
        codev.codev_prepare(seance=codev_seance, client=beneficiary, topic="  ", acting_user=mentor)
    assert "topic" in error.value.error_dict
    assert not codev_seance.codev_steps.exists()


def test_a_second_client_breaking_the_database_rule_is_a_validation_error(
    codev_seance, beneficiary, other_beneficiary
):
    """The partial unique constraint holds one client per séance; the service turns its
    breach into a form error."""
    Attendance.objects.filter(seance=codev_seance, beneficiary=beneficiary).update(
        role=ParticipantRole.CLIENT
    )
    with pytest.raises(ValidationError) as error:
        codev._set_client_role(codev_seance, other_beneficiary)
    assert "client" in error.value.error_dict
    assert roles(codev_seance)[other_beneficiary.pk] != ParticipantRole.CLIENT


def test_the_client_cannot_change_once_started(codev_seance, mentor, beneficiary, chloe):
    run_to_step(codev_seance, mentor, beneficiary, 1)
    with pytest.raises(ValidationError):
        codev.codev_prepare(seance=codev_seance, client=chloe, topic="X", acting_user=mentor)
    assert roles(codev_seance)[beneficiary.pk] == ParticipantRole.CLIENT


def test_steps_run_in_order_and_record_their_times(codev_seance, mentor, beneficiary):
    codev.codev_prepare(seance=codev_seance, client=beneficiary, topic="T", acting_user=mentor)

    codev.codev_next_step(seance=codev_seance, notes="ignored", acting_user=mentor)
    assert codev_seance.codev_step == 1
    first = CodevStep.objects.get(seance=codev_seance, number=1)
    assert first.started_at is not None
    assert first.ended_at is None

    codev.codev_next_step(seance=codev_seance, notes="Le contexte", acting_user=mentor)
    first.refresh_from_db()
    assert codev_seance.codev_step == 2
    assert first.ended_at is not None
    assert first.notes == "Le contexte"
    assert CodevStep.objects.get(seance=codev_seance, number=2).started_at == first.ended_at

    for _ in range(4):
        codev.codev_next_step(seance=codev_seance, notes="", acting_user=mentor)
    assert codev_seance.codev_step == 6
    codev.codev_next_step(seance=codev_seance, notes="Retours", acting_user=mentor)
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == codev.FINISHED
    assert not CodevStep.objects.filter(seance=codev_seance, ended_at__isnull=True).exists()
    assert CodevStep.objects.get(seance=codev_seance, number=6).notes == "Retours"

    with pytest.raises(ValidationError):
        codev.codev_next_step(seance=codev_seance, notes="", acting_user=mentor)


def test_the_seance_cannot_start_before_it_is_prepared(codev_seance, mentor):
    with pytest.raises(ValidationError):
        codev.codev_next_step(seance=codev_seance, notes="", acting_user=mentor)
    with pytest.raises(ValidationError):
        codev.codev_start_step(seance=codev_seance, number=1, acting_user=mentor)
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 0


def test_a_step_cannot_be_skipped(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 1)
    with pytest.raises(ValidationError):
        codev.codev_start_step(seance=codev_seance, number=3, acting_user=mentor)
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 1


def test_starting_the_running_step_again_changes_nothing(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 1)
    codev.codev_start_step(seance=codev_seance, number=2, acting_user=mentor)
    started = CodevStep.objects.get(seance=codev_seance, number=2).started_at

    codev.codev_start_step(seance=codev_seance, number=2, acting_user=mentor)

    assert codev_seance.codev_step == 2
    assert CodevStep.objects.get(seance=codev_seance, number=2).started_at == started


def test_a_stale_tab_does_not_skip_a_step(codev_seance, mentor, beneficiary):
    """Two tabs showed step 2; the first moved on to 3. The second's "next step" moves
    nothing and its notes go to step 2, not to step 3."""
    run_to_step(codev_seance, mentor, beneficiary, 2)
    codev.codev_next_step(seance=codev_seance, notes="Tab one", current=2, acting_user=mentor)
    assert codev_seance.codev_step == 3

    codev.codev_next_step(seance=codev_seance, notes="Tab two", current=2, acting_user=mentor)

    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 3
    assert CodevStep.objects.get(seance=codev_seance, number=2).notes == "Tab two"
    assert CodevStep.objects.get(seance=codev_seance, number=3).notes == ""


def test_a_stale_tab_with_empty_notes_does_not_wipe_saved_notes(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 2)
    codev.codev_next_step(seance=codev_seance, notes="Saved", current=2, acting_user=mentor)

    codev.codev_next_step(seance=codev_seance, notes="", current=2, acting_user=mentor)

    assert CodevStep.objects.get(seance=codev_seance, number=2).notes == "Saved"


def test_notes_of_an_earlier_step_can_be_edited_but_not_of_a_later_one(
    codev_seance, mentor, beneficiary
):
    run_to_step(codev_seance, mentor, beneficiary, 3)

    codev.codev_save_notes(seance=codev_seance, number=1, notes="Corrigé", acting_user=mentor)
    assert CodevStep.objects.get(seance=codev_seance, number=1).notes == "Corrigé"
    assert codev_seance.codev_step == 3

    with pytest.raises(ValidationError):
        codev.codev_save_notes(seance=codev_seance, number=4, notes="Trop tôt", acting_user=mentor)
    assert CodevStep.objects.get(seance=codev_seance, number=4).notes == ""


def test_notes_stay_editable_once_finished(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    codev.codev_save_notes(seance=codev_seance, number=6, notes="Relu", acting_user=mentor)
    assert CodevStep.objects.get(seance=codev_seance, number=6).notes == "Relu"


def test_step_five_actions_land_in_the_clients_action_plan(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 5)

    task = codev.codev_add_action(
        seance=codev_seance,
        title="Proposer un entretien à l'agent",
        due_on=datetime.date(2026, 11, 3),
        acting_user=mentor,
    )

    task.refresh_from_db()
    assert task.beneficiary == beneficiary
    assert task.seance == codev_seance
    assert task.owner == TaskOwner.BENEFICIARY
    assert task.created_by == mentor
    # It is a task of the client's plan like any other: they see it and tick it.
    assert ActionItem.objects.visible_to(beneficiary.user).filter(pk=task.pk).exists()
    assert can_update_task(beneficiary.user, task)


def test_no_action_before_step_five(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 4)
    with pytest.raises(ValidationError):
        codev.codev_add_action(
            seance=codev_seance, title="Trop tôt", due_on=None, acting_user=mentor
        )
    assert not ActionItem.objects.filter(seance=codev_seance).exists()


def test_an_action_needs_a_title(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 5)
    with pytest.raises(ValidationError):
        codev.codev_add_action(seance=codev_seance, title=" ", due_on=None, acting_user=mentor)


@pytest.mark.parametrize(
    "persona",
    ["beneficiary", "other_mentor", "coordinator", "admin", "other_organization_coordinator"],
)
def test_only_the_facilitator_runs_the_seance(request, codev_seance, mentor, beneficiary, persona):
    value = request.getfixturevalue(persona)
    user = value.user if persona == "beneficiary" else value
    with pytest.raises(PermissionDenied):
        codev.codev_prepare(seance=codev_seance, client=beneficiary, topic="T", acting_user=user)
    run_to_step(codev_seance, mentor, beneficiary, 5)
    calls = [
        lambda: codev.codev_next_step(seance=codev_seance, notes="", acting_user=user),
        lambda: codev.codev_start_step(seance=codev_seance, number=6, acting_user=user),
        lambda: codev.codev_save_notes(seance=codev_seance, number=1, notes="", acting_user=user),
        lambda: codev.codev_add_action(
            seance=codev_seance, title="X", due_on=None, acting_user=user
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 5


def test_a_co_mentor_facilitates_too(codev_seance, other_mentor, beneficiary):
    codev_seance.co_mentors.add(other_mentor)
    run_to_step(codev_seance, other_mentor, beneficiary, 2)
    assert codev_seance.codev_step == 2


def test_another_kind_of_seance_has_no_codevelopment_steps(seance, mentor, beneficiary):
    assert seance.kind == SeanceKind.INDIVIDUAL
    with pytest.raises(ValidationError):
        codev.codev_prepare(seance=seance, client=beneficiary, topic="T", acting_user=mentor)


def test_actual_minutes(codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 2)
    step = CodevStep.objects.get(seance=codev_seance, number=1)
    step.ended_at = step.started_at + datetime.timedelta(minutes=17, seconds=40)
    assert codev.actual_minutes(step) == 18
    assert codev.actual_minutes(CodevStep.objects.get(seance=codev_seance, number=2)) is None


def test_the_client_of_one_seance_may_be_client_of_another(codev_offer, mentor, beneficiary):
    """One client per séance, not per person."""
    first = SeanceFactory(kind=SeanceKind.CODEVELOPMENT, offer=codev_offer, mentor=mentor)
    second = SeanceFactory(kind=SeanceKind.CODEVELOPMENT, offer=codev_offer, mentor=mentor)
    for seance in (first, second):
        AttendanceFactory(seance=seance, beneficiary=beneficiary)
        codev.codev_prepare(seance=seance, client=beneficiary, topic="T", acting_user=mentor)
    assert (
        Attendance.objects.filter(Q(role=ParticipantRole.CLIENT), beneficiary=beneficiary).count()
        == 2
    )

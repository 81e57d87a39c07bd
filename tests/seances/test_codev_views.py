"""The facilitator mode and the co-development summary: what each persona sees and does."""

import datetime

import pytest
from django.urls import reverse

from seances.enums import ParticipantRole
from seances.models import ActionItem, Attendance, CodevStep, LogbookEntry
from tests.seances.test_codev_fixtures import run_to_step

pytest_plugins = ["tests.seances.test_codev_fixtures"]
pytestmark = pytest.mark.django_db


def facilitate_url(seance, suffix=""):
    return reverse("seances:codev_facilitate", args=[seance.public_id]) + suffix


def post(client, name, seance, data):
    return client.post(reverse(name, args=[seance.public_id]), data)


def assert_clean(response):
    assert response.status_code == 200
    assert b"INVALID_VARIABLE" not in response.content


def test_before_the_start_the_facilitator_chooses_the_client_and_the_topic(
    client, codev_seance, mentor, beneficiary, other_beneficiary
):
    client.force_login(mentor)
    response = client.get(facilitate_url(codev_seance))
    assert_clean(response)
    page = response.content.decode()
    assert "Préparer la séance" in page or "Prepare the séance" in page
    assert beneficiary.name in page
    assert other_beneficiary.name in page
    assert "Damien Roux" not in page.split('name="client"')[1].split("</select>")[0]
    # The six steps with their planned length.
    assert page.count("list-group-item") >= 6

    response = post(
        client,
        "seances:codev_prepare",
        codev_seance,
        {"client": beneficiary.public_id, "topic": "Comment déléguer ?", "start": "1"},
    )

    assert response.status_code == 302
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 1
    assert codev_seance.topic == "Comment déléguer ?"
    assert Attendance.objects.get(seance=codev_seance, beneficiary=beneficiary).role == (
        ParticipantRole.CLIENT
    )


def test_saving_without_starting(client, codev_seance, mentor, beneficiary):
    client.force_login(mentor)
    post(
        client,
        "seances:codev_prepare",
        codev_seance,
        {"client": beneficiary.public_id, "topic": "Déléguer"},
    )
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 0
    assert codev_seance.codev_steps.count() == 6


def test_a_prepare_form_error_is_shown_on_the_page(client, codev_seance, mentor, beneficiary):
    client.force_login(mentor)
    response = post(
        client, "seances:codev_prepare", codev_seance, {"client": beneficiary.public_id}
    )
    assert_clean(response)
    assert "is-invalid" in response.content.decode()
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 0


def test_a_person_not_present_cannot_be_chosen_as_client(client, codev_seance, mentor):
    client.force_login(mentor)
    excused = Attendance.objects.get(seance=codev_seance, beneficiary__name="Damien Roux")
    response = post(
        client,
        "seances:codev_prepare",
        codev_seance,
        {"client": excused.beneficiary.public_id, "topic": "X", "start": "1"},
    )
    assert_clean(response)
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 0


def test_running_step_shows_the_step_the_timer_and_the_progress(
    client, codev_seance, mentor, beneficiary, other_beneficiary
):
    run_to_step(codev_seance, mentor, beneficiary, 2)
    client.force_login(mentor)

    response = client.get(facilitate_url(codev_seance))

    assert_clean(response)
    page = response.content.decode()
    step = CodevStep.objects.get(seance=codev_seance, number=2)
    assert f'data-started-ms="{int(step.started_at.timestamp() * 1000)}"' in page
    assert 'data-planned-seconds="1200"' in page
    assert 'aria-live="polite"' in page
    assert page.count('aria-current="step"') == 1
    assert "js/codev-timer.js" in page
    assert "<script>" not in page
    assert "style=" not in page
    assert "onclick" not in page
    # Client and consultants are listed.
    assert beneficiary.name in page
    assert other_beneficiary.name in page
    # Earlier steps can be reopened to edit their notes.
    assert "?step=1" in page


def test_next_step_saves_the_notes_and_moves_on(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 1)
    client.force_login(mentor)

    response = post(
        client, "seances:codev_step_next", codev_seance, {"step": 1, "notes": "Le contexte"}
    )

    assert response.status_code == 302
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 2
    assert CodevStep.objects.get(seance=codev_seance, number=1).notes == "Le contexte"


def test_a_stale_tab_gets_a_warning_and_skips_nothing(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 3)
    client.force_login(mentor)

    response = post(client, "seances:codev_step_next", codev_seance, {"step": 1, "notes": ""})

    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 3
    response = client.get(response.url)
    assert "warning" in response.content.decode()


def test_save_notes_without_moving_on(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 3)
    client.force_login(mentor)

    response = post(
        client, "seances:codev_step_notes", codev_seance, {"step": 1, "notes": "Corrigé"}
    )

    assert response.status_code == 302
    assert "?step=1" in response.url
    codev_seance.refresh_from_db()
    assert codev_seance.codev_step == 3
    assert CodevStep.objects.get(seance=codev_seance, number=1).notes == "Corrigé"
    page = client.get(response.url).content.decode()
    assert "Corrigé" in page


def test_notes_of_a_step_not_reached_are_refused(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 2)
    client.force_login(mentor)
    post(client, "seances:codev_step_notes", codev_seance, {"step": 5, "notes": "Trop tôt"})
    assert CodevStep.objects.get(seance=codev_seance, number=5).notes == ""


def test_step_five_adds_actions_to_the_clients_plan(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 5)
    client.force_login(mentor)
    page = client.get(facilitate_url(codev_seance)).content.decode()
    assert 'id="action-plan"' in page

    response = post(
        client,
        "seances:codev_action_add",
        codev_seance,
        {"title": "Appeler la DRH", "due_on": "2026-11-03"},
    )

    assert response.status_code == 302
    task = ActionItem.objects.get(seance=codev_seance)
    assert task.beneficiary == beneficiary
    assert task.due_on == datetime.date(2026, 11, 3)
    assert "Appeler la DRH" in client.get(facilitate_url(codev_seance)).content.decode()


def test_an_action_without_title_shows_the_error(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 5)
    client.force_login(mentor)
    response = post(client, "seances:codev_action_add", codev_seance, {"title": ""})
    assert_clean(response)
    assert not ActionItem.objects.exists()


def test_step_six_reminds_of_the_logbook(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 6)
    client.force_login(mentor)
    response = client.get(facilitate_url(codev_seance))
    assert_clean(response)
    assert 'role="note"' in response.content.decode()


def test_finished_shows_the_summary_of_the_six_steps(client, codev_seance, mentor, beneficiary):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    client.force_login(mentor)

    response = client.get(facilitate_url(codev_seance))

    assert_clean(response)
    page = response.content.decode()
    for number in range(1, 7):
        assert f"Notes de l&#x27;étape {number}" in page
    assert "data-codev-timer" not in page
    # A finished step's notes can be reopened.
    response = client.get(facilitate_url(codev_seance, "?step=2"))
    assert_clean(response)
    assert 'name="notes"' in response.content.decode()


def test_participants_read_the_notes_of_steps_one_to_five_and_the_action_plan(
    client, codev_seance, mentor, beneficiary, other_beneficiary
):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    ActionItem.objects.create(
        beneficiary=beneficiary, seance=codev_seance, title="Déléguer le budget"
    )
    client.force_login(other_beneficiary.user)

    response = client.get(reverse("seances:codev_summary", args=[codev_seance.public_id]))

    assert_clean(response)
    page = response.content.decode()
    assert "Notes de l&#x27;étape 5" in page
    assert "Notes de l&#x27;étape 6" not in page
    assert "Déléguer le budget" in page
    # The step-6 invitation to write in the logbook.
    assert f"?seance={codev_seance.public_id}" in page
    # Who was excused is not shown to fellow participants.
    assert "Damien Roux" not in page


def test_the_invitation_disappears_once_the_entry_is_written(
    client, codev_seance, mentor, beneficiary
):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    LogbookEntry.objects.create(
        author=beneficiary.user,
        beneficiary=beneficiary,
        seance=codev_seance,
        title="Mon entrée",
        learnings="Beaucoup",
    )
    client.force_login(beneficiary.user)
    page = client.get(reverse("seances:codev_summary", args=[codev_seance.public_id]))
    assert f"?seance={codev_seance.public_id}" not in page.content.decode()


def test_coordinators_see_the_steps_and_durations_but_not_the_notes(
    client, codev_seance, mentor, beneficiary, coordinator
):
    run_to_step(codev_seance, mentor, beneficiary, 7)
    ActionItem.objects.create(beneficiary=beneficiary, seance=codev_seance, title="Secret")
    client.force_login(coordinator)

    response = client.get(reverse("seances:codev_summary", args=[codev_seance.public_id]))

    assert_clean(response)
    page = response.content.decode()
    assert "Notes de l" not in page
    assert "Secret" not in page
    assert "min" in page
    assert codev_seance.topic in page

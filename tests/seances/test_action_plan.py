"""The action plan: the beneficiary's tasks grouped open/done, the mentors' filterable list,
the coordinators' read-only view, status changes (htmx or not), overdue flags on the homes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from seances.enums import TaskStatus
from tests.factories import BeneficiaryFactory, EnrollmentFactory
from tests.seances.conftest import ActionItemFactory

pytestmark = pytest.mark.django_db


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def test_beneficiary_sees_open_and_done_groups(client, beneficiary, other_beneficiary):
    ActionItemFactory(beneficiary=beneficiary, title="Ouverte")
    ActionItemFactory(beneficiary=beneficiary, title="Finie", status=TaskStatus.DONE)
    ActionItemFactory(beneficiary=other_beneficiary, title="Pas la mienne")
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:action_plan"))

    assert response.status_code == 200
    assert [t.title for t in response.context["open_tasks"]] == ["Ouverte"]
    assert [t.title for t in response.context["closed_tasks"]] == ["Finie"]
    assert b"Pas la mienne" not in response.content
    assert b"INVALID_VARIABLE" not in response.content


def test_overdue_is_flagged_with_icon_and_text(client, beneficiary):
    ActionItemFactory(beneficiary=beneficiary, title="En retard", due_on=yesterday())
    ActionItemFactory(
        beneficiary=beneficiary, title="Finie", due_on=yesterday(), status=TaskStatus.DONE
    )
    client.force_login(beneficiary.user)

    content = client.get(reverse("seances:action_plan")).content.decode()

    assert content.count('class="badge text-bg-danger d-inline-block task-overdue"') == 1
    assert '<span aria-hidden="true">⚠</span>' in content


def test_mentor_sees_the_people_they_follow_and_filters(
    client, mentor, beneficiary, other_beneficiary
):
    ActionItemFactory(beneficiary=beneficiary, title="Tâche A", due_on=yesterday())
    ActionItemFactory(beneficiary=beneficiary, title="Tâche A finie", status=TaskStatus.DONE)
    ActionItemFactory(beneficiary=other_beneficiary, title="Tâche B")
    client.force_login(mentor)
    url = reverse("seances:action_plan")

    everything = client.get(url)
    overdue = client.get(url, {"overdue": "on"})
    done = client.get(url, {"status": TaskStatus.DONE})
    open_ = client.get(url, {"status": "open", "beneficiary": str(beneficiary.public_id)})

    def titles(response):
        return [t.title for t in response.context["page"].object_list]

    assert titles(everything) == ["Tâche A", "Tâche A finie"]
    assert titles(overdue) == ["Tâche A"]
    assert titles(done) == ["Tâche A finie"]
    assert titles(open_) == ["Tâche A"]
    assert everything.context["can_update_any"]
    assert b'id="task-status-' in everything.content


def test_coordinator_reads_the_structures_tasks_without_status_forms(
    client, coordinator, beneficiary, other_beneficiary
):
    ActionItemFactory(beneficiary=beneficiary, title="Tâche A")
    ActionItemFactory(beneficiary=other_beneficiary, title="Tâche B")
    ActionItemFactory(beneficiary=BeneficiaryFactory(), title="Ailleurs")
    client.force_login(coordinator)

    response = client.get(reverse("seances:action_plan"))

    titles = {t.title for t in response.context["page"].object_list}
    assert titles == {"Tâche A", "Tâche B"}
    assert b'id="task-status-' not in response.content
    assert not response.context["can_update_any"]


def test_a_person_without_a_role_is_refused(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    assert client.get(reverse("seances:action_plan")).status_code == 403


def test_status_change_redirects_to_a_safe_next(client, beneficiary):
    task = ActionItemFactory(beneficiary=beneficiary)
    client.force_login(beneficiary.user)
    url = reverse("seances:task_status", args=[task.public_id])

    here = client.post(url, {"status": TaskStatus.IN_PROGRESS, "next": "/plan-d-action/?x=1"})
    away = client.post(url, {"status": TaskStatus.DONE, "next": "https://evil.example/"})

    assert here.url == "/plan-d-action/?x=1"
    assert away.url == reverse("seances:action_plan")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.status_changed_by == beneficiary.user


def test_status_change_with_htmx_returns_the_row(client, mentor, beneficiary):
    task = ActionItemFactory(beneficiary=beneficiary, title="Relire", due_on=yesterday())
    client.force_login(mentor)

    response = client.post(
        reverse("seances:task_status", args=[task.public_id]),
        {"status": TaskStatus.DONE, "show_beneficiary": "1", "next": "/plan-d-action/"},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith(f'<tr id="task-{task.public_id}">')
    assert beneficiary.name in content  # the beneficiary column kept
    assert "task-overdue" not in content  # done: no longer overdue
    assert 'role="status"' in content
    assert "INVALID_VARIABLE" not in content


def test_invalid_status_is_refused(client, beneficiary):
    task = ActionItemFactory(beneficiary=beneficiary)
    client.force_login(beneficiary.user)
    url = reverse("seances:task_status", args=[task.public_id])

    plain = client.post(url, {"status": "finished"})
    htmx = client.post(url, {"status": "finished"}, headers={"HX-Request": "true"})

    assert plain.status_code == 302
    assert b"text-danger" in htmx.content
    task.refresh_from_db()
    assert task.status == TaskStatus.TODO


def test_mentor_home_flags_overdue_tasks(client, mentor, beneficiary, other_beneficiary):
    ActionItemFactory(beneficiary=beneficiary, title="Déposer le dossier", due_on=yesterday())
    ActionItemFactory(beneficiary=beneficiary, title="Pas encore", due_on=timezone.localdate())
    ActionItemFactory(beneficiary=other_beneficiary, title="Pas mon suivi", due_on=yesterday())
    client.force_login(mentor)

    response = client.get(reverse("core:home"))

    content = response.content.decode()
    assert response.context["overdue_task_count"] == 1
    assert "Déposer le dossier" in content
    assert "Pas encore" not in content
    assert "Pas mon suivi" not in content
    assert f"{reverse('seances:action_plan')}?overdue=on" in content


def test_beneficiary_home_flags_overdue_tasks(client, beneficiary):
    ActionItemFactory(beneficiary=beneficiary, title="Envoyer les statuts", due_on=yesterday())
    ActionItemFactory(
        beneficiary=beneficiary, title="Fait", due_on=yesterday(), status=TaskStatus.DONE
    )
    client.force_login(beneficiary.user)

    response = client.get(reverse("core:home"))

    content = response.content.decode()
    assert response.context["overdue_task_count"] == 1
    assert "Envoyer les statuts" in content
    assert reverse("seances:action_plan") in content


def test_homes_without_overdue_tasks_show_no_card(client, mentor, beneficiary):
    ActionItemFactory(beneficiary=beneficiary, due_on=timezone.localdate())
    for user in (mentor, beneficiary.user):
        client.force_login(user)
        assert b"overdue-tasks-title" not in client.get(reverse("core:home")).content


def test_mentor_follows_people_of_their_seances_too(client, mentor, seance, organization):
    """Not their referent, but present at a séance the mentor led."""
    person = BeneficiaryFactory(organization=organization)
    EnrollmentFactory(beneficiary=person, offer=seance.offer)
    from tests.seances.conftest import AttendanceFactory

    AttendanceFactory(seance=seance, beneficiary=person)
    task = ActionItemFactory(beneficiary=person, title="Suivi de séance", due_on=yesterday())
    client.force_login(mentor)

    assert client.get(reverse("core:home")).context["overdue_task_count"] == 1
    response = client.post(
        reverse("seances:task_status", args=[task.public_id]), {"status": TaskStatus.DONE}
    )
    assert response.status_code == 302

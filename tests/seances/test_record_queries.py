"""The closing-record and action-plan pages run as many queries with 1 task as with 30."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from seances.enums import CommentKind
from seances.services import closing
from tests.factories import BeneficiaryFactory, EnrollmentFactory
from tests.seances.conftest import ActionItemFactory, AttendanceFactory, SeanceFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def record(seance, mentor, beneficiary):
    draft = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    closing.record_update(record=draft, acting_user=mentor, content="Le contenu")
    validated = closing.record_validate(record=draft, acting_user=mentor)
    closing.record_comment_add(
        record=validated, author=beneficiary.user, kind=CommentKind.SYNTHESIS, body="Ma synthèse"
    )
    return validated


def add_tasks(record, n, earlier_seance):
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    for i in range(n):
        ActionItemFactory(beneficiary=record.beneficiary, seance=record.seance, due_on=overdue)
        ActionItemFactory(beneficiary=record.beneficiary, seance=earlier_seance)
        closing.record_comment_add(
            record=record, author=record.seance.mentor, kind=CommentKind.COMMENT, body=f"Mot {i}"
        )


@pytest.mark.parametrize("persona", ["mentor", "beneficiary", "coordinator"])
def test_record_detail_query_count_is_constant(client, request, record, individual_offer, persona):
    earlier = SeanceFactory(
        offer=individual_offer,
        mentor=record.seance.mentor,
        starts_at=record.seance.starts_at - datetime.timedelta(days=14),
    )
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    url = reverse("seances:record_detail", args=[record.public_id])

    add_tasks(record, 1, earlier)
    count_queries(client, url)  # the first read marks the record read: not counted
    few = count_queries(client, url)
    add_tasks(record, 29, earlier)
    many = count_queries(client, url)

    assert few == many


def test_record_edit_query_count_is_constant(client, seance, mentor, beneficiary):
    draft = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    client.force_login(mentor)
    url = reverse("seances:record_edit", args=[draft.public_id])

    closing.record_task_add(record=draft, acting_user=mentor, title="Une")
    ActionItemFactory(beneficiary=beneficiary)
    few = count_queries(client, url)
    for i in range(29):
        closing.record_task_add(record=draft, acting_user=mentor, title=f"Tâche {i}")
        ActionItemFactory(beneficiary=beneficiary)
    many = count_queries(client, url)

    assert few == many


def test_action_plan_query_count_is_constant_for_a_mentor(
    client, mentor, offer, organization, seance
):
    client.force_login(mentor)
    url = reverse("seances:action_plan")

    def grow(n):
        for _ in range(n):
            person = BeneficiaryFactory(organization=organization)
            EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
            AttendanceFactory(seance=seance, beneficiary=person)
            ActionItemFactory(
                beneficiary=person,
                seance=seance,
                due_on=timezone.localdate() - datetime.timedelta(days=1),
            )

    grow(1)
    few = count_queries(client, url)
    grow(29)
    many = count_queries(client, url)

    assert few == many


def test_action_plan_query_count_is_constant_for_a_beneficiary(client, beneficiary, seance):
    client.force_login(beneficiary.user)
    url = reverse("seances:action_plan")

    ActionItemFactory(beneficiary=beneficiary, seance=seance)
    few = count_queries(client, url)
    for _ in range(29):
        ActionItemFactory(beneficiary=beneficiary, seance=seance)
    many = count_queries(client, url)

    assert few == many

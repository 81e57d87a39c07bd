"""The demo has journal entries to show, and running the seed again adds none."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_the_demo_journal_is_not_empty_and_the_seed_is_rerunnable(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = AuditEntry.objects.count()
    reads = AuditEntry.objects.filter(
        action=AuditAction.READ, actor__email="coordinatrice@example.org"
    )
    assert reads.exists()
    assert AuditEntry.objects.filter(actor__email="accompagnant@example.org").exists()
    assert AuditEntry.objects.filter(action=AuditAction.DOWNLOAD).exists()

    call_command("seed_demo", stdout=io.StringIO())

    assert AuditEntry.objects.count() == first
    client.force_login(reads.first().actor)
    response = client.get(reverse("audit:journal"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= 5

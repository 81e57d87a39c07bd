"""The programme's pilotage page: who reaches it, what it counts, and its query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaires.enums import OutreachStage, Situation
from partners.models import Referral
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OrganizationFactory

PERSONAS = {
    "anonymous": 302,
    "beneficiary": 403,
    "other_beneficiary": 403,
    "mentor": 403,
    "other_mentor": 403,
    "coordinator": 200,
    "other_organization_coordinator": 404,
    "admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), PERSONAS.items())
def test_programme_dashboard_access(client, request, persona, expected, programme, beneficiary):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", None) or user)

    response = client.get(reverse("core:programme_dashboard", args=[programme.public_id]))

    assert response.status_code == expected


def outreach(programme, n, **fields):
    return [
        BeneficiaryFactory(organization=programme.organization, programme=programme, **fields)
        for _ in range(n)
    ]


@pytest.mark.django_db
def test_dashboard_counts_the_pipeline_and_who_waits(client, coordinator, programme, offer):
    outreach(programme, 2, stage=OutreachStage.TO_CONTACT, situation=Situation.NO_PROJECT)
    waiting = outreach(programme, 3, stage=OutreachStage.CONTACTED)
    no_mentor = EnrollmentFactory(
        beneficiary=outreach(programme, 1, stage=OutreachStage.ENROLLED)[0],
        offer=offer,
        referent_mentor=None,
    )
    partner = OrganizationFactory(partner=True)
    Referral.objects.create(
        beneficiary=waiting[0],
        partner=partner,
        referring_organization=programme.organization,
        programme=programme,
        reason="Appui financier",
        sent_on=timezone.localdate() - datetime.timedelta(days=8),
    )
    client.force_login(coordinator)

    context = client.get(reverse("core:programme_dashboard", args=[programme.public_id])).context

    stages = {row["value"]: row["count"] for row in context["stage_counts"]}
    assert stages["to_contact"] == 2
    assert stages["contacted"] == 3
    assert stages["enrolled"] == 1
    assert context["outreach_total"] == 6
    assert {s["value"]: s["count"] for s in context["situation_counts"]}["no_project"] == 2
    assert context["waiting_diagnostic_count"] == 3
    assert [e.pk for e in context["waiting_mentor"]] == [no_mentor.pk]
    assert context["unanswered_referral_count"] == 1


@pytest.mark.django_db
def test_dashboard_query_count_is_constant(client, coordinator, programme, offer):
    client.force_login(coordinator)
    url = reverse("core:programme_dashboard", args=[programme.public_id])

    def grow(n):
        for person in outreach(programme, n, stage=OutreachStage.CONTACTED):
            EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=None)

    grow(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow(29)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(many.captured_queries) <= 14

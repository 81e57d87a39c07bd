"""`manage.py seed_bench` at scale 0.01: the planned figures, a bench login that works, a
refusal to add a second dataset, and --reset, which replaces the bench data only."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership, Organization, User
from audit.models import AuditAction, AuditEntry
from beneficiaires.models import Beneficiary, Consent, Enrollment
from core.bench.plan import BENCH_ORGANIZATION_PREFIX, BENCH_PASSWORD, Plan
from evaluation.models import Answer, Response
from notifications.models import Notification
from privacy.services import inactive_beneficiaries
from programmes.models import Offer, Programme
from seances.enums import AppointmentStatus
from seances.models import (
    Appointment,
    Attendance,
    CalendarFeed,
    ClosingRecord,
    GroupSession,
    Seance,
)
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

SCALE = 0.01


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_bench", scale=SCALE, seed=10, stdout=out, **options)
    return out.getvalue()


def bench(path: str) -> dict:
    return {f"{path}__name__startswith": BENCH_ORGANIZATION_PREFIX}


def family_counts() -> dict[str, int]:
    offer = "offer__programme__organization"
    return {
        "organizations": Organization.objects.filter(
            name__startswith=BENCH_ORGANIZATION_PREFIX
        ).count(),
        "coordinators": Membership.objects.filter(
            role=Role.COORDINATOR, **bench("organization")
        ).count(),
        "mentors": Membership.objects.filter(role=Role.MENTOR, **bench("organization")).count(),
        "programmes": Programme.objects.filter(**bench("organization")).count(),
        "offers": Offer.objects.filter(**bench("programme__organization")).count(),
        "beneficiaries": Beneficiary.objects.filter(**bench("organization")).count(),
        "appointments": Appointment.objects.filter(**bench(offer)).count(),
        "seances": Seance.objects.filter(**bench(offer)).count(),
        "group_sessions": GroupSession.objects.filter(**bench(offer)).count(),
        "answers": Answer.objects.filter(**bench("response__programme__organization")).count(),
        "notifications": Notification.objects.filter(**bench("organization")).count(),
    }


# Scale 1 divided by 100, with a floor of one structure and one programme.
EXPECTED = {
    "organizations": 1,
    "coordinators": 3,
    "mentors": 5,
    "programmes": 1,
    "offers": 6,
    "beneficiaries": 200,
    "appointments": 1_200,
    "seances": 800,
    "group_sessions": 40,
    "answers": 500,
    "notifications": 1_000,
}


def test_plan_at_scale_one_is_the_issue_figures():
    plan = Plan.for_scale(1)
    assert (plan.programmes, plan.beneficiaries, plan.mentors) == (50, 20_000, 500)
    assert plan.appointments + plan.seances == 200_000
    assert (plan.answers, plan.notifications) == (50_000, 100_000)


def test_scale_001_writes_the_planned_rows_of_each_family():
    output = seed()

    assert family_counts() == EXPECTED
    assert family_counts()["appointments"] + family_counts()["seances"] == 2_000
    # The families around them are there too.
    assert Consent.objects.exists()
    assert Enrollment.objects.filter(referent_mentor__isnull=False).exists()
    assert Attendance.objects.exists()
    assert ClosingRecord.objects.filter(status="validated").exclude(snapshot={}).exists()
    assert Response.objects.filter(invitation__isnull=False).exists()
    assert Notification.objects.filter(status="sent").exists()
    assert "peak RSS" in output
    assert "Total time" in output


def test_creation_dates_are_in_the_past_so_the_retention_scan_has_work():
    seed()

    now = timezone.now()
    past = Appointment.objects.filter(starts_at__lt=now)
    assert not past.filter(created_at__gt=F("starts_at")).exists()
    assert Beneficiary.objects.filter(created_at__lt=now - datetime.timedelta(days=365)).exists()
    assert inactive_beneficiaries(timezone.localdate()).exists()


def test_bench_users_share_one_password_hash():
    seed()

    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert User.objects.first().check_password(BENCH_PASSWORD)


def test_no_mentor_has_overlapping_appointments():
    seed()

    held = Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).order_by(
        "mentor_id", "starts_at"
    )
    previous = None
    for appointment in held:
        if previous is not None and previous.mentor_id == appointment.mentor_id:
            assert appointment.starts_at >= previous.ends_at
        previous = appointment


def test_the_beneficiary_login_sees_their_appointments(client):
    output = seed()
    email = re.search(r"beneficiary: (\S+)", output).group(1)

    assert client.login(username=email, password=BENCH_PASSWORD)
    beneficiary = Beneficiary.objects.get(user__email=email)
    upcoming = (
        Appointment.objects.filter(
            beneficiary=beneficiary,
            status=AppointmentStatus.BOOKED,
            starts_at__gt=timezone.now(),
        )
        .select_related("mentor")
        .order_by("starts_at")
        .first()
    )
    assert upcoming is not None
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert upcoming.mentor.get_full_name() in home.content.decode()
    detail = client.get(reverse("seances:appointment_detail", args=[upcoming.public_id]))
    assert detail.status_code == 200


def test_a_second_run_without_reset_is_refused():
    seed()

    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert family_counts() == EXPECTED


def test_reset_replaces_the_bench_data_and_spares_the_rest():
    other = BeneficiaryFactory(name="Association du quartier")
    seed()
    first_ids = set(Appointment.objects.values_list("pk", flat=True))
    # Rows a load test leaves behind, pointing at bench rows.
    user = User.objects.get(email="coordination-1-1@bench.example.org")
    entry = AuditEntry.objects.create(
        actor=user,
        organization=user.memberships.get().organization,
        action=AuditAction.READ,
        object_type="beneficiaires.beneficiary",
        object_id="1",
    )
    CalendarFeed.objects.create(user=user)

    output = seed(reset=True)

    assert "previous bench data deleted" in output
    connection.check_constraints()
    assert Beneficiary.objects.filter(pk=other.pk).exists()
    assert Organization.objects.filter(pk=other.organization_id).exists()
    entry.refresh_from_db()
    assert (entry.actor_id, entry.organization_id) == (None, None)
    assert not CalendarFeed.objects.exists()
    assert family_counts() == EXPECTED
    assert not first_ids & set(Appointment.objects.values_list("pk", flat=True))

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import ProgrammeFactory


@pytest.mark.django_db
def test_coordinator_home_lists_their_programmes(
    client, coordinator, programme, other_organization
):
    foreign = ProgrammeFactory(organization=other_organization, title="Programme d'ailleurs")
    client.force_login(coordinator)

    response = client.get(reverse("core:home"))

    assert escape(programme.title) in response.text
    assert escape(foreign.title) not in response.text


@pytest.mark.django_db
def test_mentor_home_lists_the_beneficiaries_they_follow(
    client, mentor, beneficiary, other_beneficiary
):
    client.force_login(mentor)

    response = client.get(reverse("core:home"))

    assert escape(beneficiary.name) in response.text
    assert escape(other_beneficiary.name) not in response.text


@pytest.mark.django_db
def test_beneficiary_home_shows_their_programme(client, beneficiary, programme):
    client.force_login(beneficiary.user)

    response = client.get(reverse("core:home"))

    assert escape(programme.title) in response.text
    assert "Mes rendez-vous" in response.text


@pytest.mark.django_db
def test_pages_with_personal_data_are_not_cached(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("core:home"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz(client):
    assert client.get(reverse("core:healthz")).json() == {"status": "ok"}


@pytest.mark.django_db
def test_navigation_follows_the_role(client, beneficiary, coordinator):
    link = f'href="{reverse("beneficiaires:list")}"'
    client.force_login(beneficiary.user)
    assert link not in client.get(reverse("core:home")).text
    client.force_login(coordinator)
    assert link in client.get(reverse("core:home")).text


@pytest.mark.django_db
def test_mentor_home_lists_their_next_appointments(client, mentor, beneficiary, offer):
    import datetime

    from django.utils import timezone

    from seances.models import Appointment

    starts_at = timezone.now() + datetime.timedelta(days=3)
    Appointment.objects.create(
        offer=offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        channel="in_person",
    )
    client.force_login(mentor)

    response = client.get(reverse("core:home"))

    assert [a.beneficiary for a in response.context["upcoming_appointments"]] == [beneficiary]
    assert reverse("seances:agenda") in response.text


def test_beneficiary_home_lists_validated_reports_only(client, beneficiary, mentor):
    from seances.enums import RecordStatus
    from tests.seances.conftest import ClosingRecordFactory, SeanceFactory

    seance = SeanceFactory(mentor=mentor, offer=beneficiary.enrollments.get().offer)
    seance.attendances.create(beneficiary=beneficiary)
    draft = ClosingRecordFactory(seance=seance, beneficiary=beneficiary)
    other = SeanceFactory(mentor=mentor, offer=seance.offer)
    other.attendances.create(beneficiary=beneficiary)
    shared = ClosingRecordFactory(
        seance=other,
        beneficiary=beneficiary,
        status=RecordStatus.VALIDATED,
        validated_at=other.starts_at,
    )
    client.force_login(beneficiary.user)

    response = client.get(reverse("core:home"))

    assert list(response.context["latest_reports"]) == [shared]
    assert reverse("seances:record_detail", args=[shared.public_id]) in response.content.decode()
    assert str(draft.public_id) not in response.content.decode()


def test_mentor_home_lists_the_seances_whose_record_is_to_write(client, mentor, beneficiary):
    import datetime

    from django.utils import timezone

    from seances.enums import RecordStatus
    from tests.seances.conftest import ClosingRecordFactory, SeanceFactory

    offer = beneficiary.enrollments.get().offer
    last_week = timezone.now() - datetime.timedelta(days=7)
    open_one = SeanceFactory(mentor=mentor, offer=offer, starts_at=last_week)
    open_one.attendances.create(beneficiary=beneficiary)
    closed = SeanceFactory(mentor=mentor, offer=offer, starts_at=last_week)
    closed.attendances.create(beneficiary=beneficiary)
    ClosingRecordFactory(
        seance=closed,
        beneficiary=beneficiary,
        status=RecordStatus.VALIDATED,
        validated_at=closed.starts_at,
    )
    client.force_login(mentor)

    response = client.get(reverse("core:home"))

    assert list(response.context["seances_to_close"]) == [open_one]
    assert "Comptes rendus à rédiger" in response.content.decode()


def test_a_partner_structure_member_gets_no_team_page(client, partner):
    """A partner's staff member, even with the coordinator role in the partner structure, lands
    on a page naming the structure, with no link to the support teams' pages."""
    from accounts.enums import Role
    from tests.factories import MembershipFactory

    staff = MembershipFactory(organization=partner, role=Role.COORDINATOR).user
    client.force_login(staff)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    content = response.content.decode()
    assert escape(partner.name) in content
    for team_page in ("beneficiaires:list", "programmes:list", "partners:list", "seances:mentors"):
        assert f'href="{reverse(team_page)}"' not in content
        assert client.get(reverse(team_page)).status_code == 403

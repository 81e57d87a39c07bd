"""List and detail pages run a constant number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory, ProgrammeFactory


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(organization, offer, mentor, n):
    for _ in range(n):
        ProgrammeFactory(organization=organization)
        person = BeneficiaryFactory(organization=organization)
        EnrollmentFactory(beneficiary=person, offer=offer, referent_mentor=mentor)
        OfferFactory(programme=offer.programme).mentors.add(mentor)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["core:home", "programmes:list", "beneficiaires:list", "programme-list"]
)
def test_list_pages_query_count_is_constant(client, coordinator, organization, offer, mentor, name):
    client.force_login(coordinator)
    grow(organization, offer, mentor, 1)
    few = count_queries(client, reverse(name))
    grow(organization, offer, mentor, 29)
    many = count_queries(client, reverse(name))
    assert few == many
    assert many <= 12


@pytest.mark.django_db
def test_programme_detail_query_count_is_constant(client, coordinator, organization, offer, mentor):
    client.force_login(coordinator)
    url = reverse("programmes:detail", args=[offer.programme.public_id])
    grow(organization, offer, mentor, 1)
    few = count_queries(client, url)
    grow(organization, offer, mentor, 29)
    assert count_queries(client, url) == few


@pytest.mark.django_db
def test_mentor_home_query_count_is_constant(client, organization, offer, mentor):
    client.force_login(mentor)
    grow(organization, offer, mentor, 1)
    few = count_queries(client, reverse("core:home"))
    grow(organization, offer, mentor, 29)
    assert count_queries(client, reverse("core:home")) == few


@pytest.mark.django_db
def test_evaluation_dashboard_runs_at_most_12_queries(
    client, coordinator, programme, offer, mentor, other_mentor, themes
):
    from tests.evaluation.factories_statistics import Kit, full_person

    kit = Kit(programme)
    url = reverse("evaluation:programme_dashboard", args=[programme.public_id])
    client.force_login(coordinator)
    full_person(kit, offer, mentor, themes)
    client.get(url)  # warm the per-process caches (content types, translations)
    few = count_queries(client, url)
    for i in range(29):
        full_person(kit, offer, mentor if i % 2 else other_mentor, themes)
    many = count_queries(client, url)
    assert few == many
    assert many <= 12, many


@pytest.mark.django_db
def test_programme_pilotage_runs_at_most_12_queries(
    client, coordinator, organization, offer, mentor
):
    client.force_login(coordinator)
    url = reverse("core:programme_dashboard", args=[offer.programme.public_id])
    grow(organization, offer, mentor, 1)
    few = count_queries(client, url)
    grow(organization, offer, mentor, 29)
    many = count_queries(client, url)
    assert few == many
    assert many <= 12, many


@pytest.mark.django_db
def test_beneficiary_home_query_count_does_not_depend_on_overdue_tasks(client, beneficiary):
    import datetime

    from django.utils import timezone

    from tests.seances.conftest import ActionItemFactory

    client.force_login(beneficiary.user)
    url = reverse("core:home")
    counts = [count_queries(client, url)]
    for n in (1, 29):
        for _ in range(n):
            ActionItemFactory(
                beneficiary=beneficiary,
                status="todo",
                due_on=timezone.localdate() - datetime.timedelta(days=3),
            )
        counts.append(count_queries(client, url))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 12, counts


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["mentor", "coordinator", "beneficiary"])
def test_seance_list_and_page_run_at_most_12_queries(
    client, request, persona, mentor, beneficiary, organization, offer
):
    import datetime

    from seances.enums import RecordStatus
    from tests.seances.conftest import AttendanceFactory, ClosingRecordFactory, SeanceFactory

    seance = None

    def grow(n):
        nonlocal seance
        for i in range(n):
            seance = SeanceFactory(offer=offer, mentor=mentor)
            AttendanceFactory(seance=seance, beneficiary=beneficiary)
            other = BeneficiaryFactory(organization=organization)
            AttendanceFactory(seance=seance, beneficiary=other)
            ClosingRecordFactory(
                seance=seance,
                beneficiary=beneficiary,
                status=RecordStatus.VALIDATED if i % 2 else RecordStatus.DRAFT,
                validated_at=datetime.datetime.now(datetime.UTC) if i % 2 else None,
            )

    person = request.getfixturevalue(persona)
    client.force_login(person.user if persona == "beneficiary" else person)
    grow(1)
    first = seance
    urls = [
        reverse("seances:seance_list"),
        reverse("seances:seance_detail", args=[first.public_id]),
    ]
    few = [count_queries(client, url) for url in urls]
    grow(29)
    many = [count_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 12, many


@pytest.mark.django_db
def test_mentors_agenda_and_week_api_run_at_most_12_queries(
    client, coordinator, organization, offer, mentor
):
    from django.utils import timezone

    from accounts.enums import Role
    from tests.factories import MembershipFactory
    from tests.seances.conftest import AppointmentFactory, AvailabilityFactory

    today = timezone.localdate()
    urls = [
        reverse("seances:mentors"),
        f"/api/v1/appointments/?from={today.isoformat()}&to={today.isoformat()}",
    ]

    def grow(n):
        for _ in range(n):
            person = MembershipFactory(organization=organization, role=Role.MENTOR).user
            offer.mentors.add(person)
            AvailabilityFactory(mentor=person, offer=offer)
            AppointmentFactory(offer=offer, mentor=person, starts_at=timezone.now())

    client.force_login(coordinator)
    grow(1)
    few = [count_queries(client, url) for url in urls]
    grow(29)
    many = [count_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 12, many


@pytest.mark.django_db
@pytest.mark.parametrize("choice", ["mentor", "premier"])
def test_booking_week_runs_at_most_12_queries(client, beneficiary, programme, mentor, choice):
    import datetime

    from django.utils import timezone

    from seances.enums import AppointmentStatus
    from tests.seances.conftest import AppointmentFactory, AvailabilityFactory

    offer = OfferFactory(programme=programme, mode="individual")
    offer.mentors.add(mentor)
    EnrollmentFactory(beneficiary=beneficiary, offer=offer, referent_mentor=mentor)
    for weekday in range(7):
        AvailabilityFactory(mentor=mentor, offer=offer, weekday=weekday)
    start = timezone.localdate() + datetime.timedelta(days=7)
    AppointmentFactory(
        offer=offer,
        mentor=mentor,
        beneficiary=BeneficiaryFactory(),
        status=AppointmentStatus.BOOKED,
        starts_at=datetime.datetime.combine(
            start, datetime.time(11), tzinfo=timezone.get_current_timezone()
        ),
    )
    client.force_login(beneficiary.user)
    params = {"accompagnant": mentor.public_id if choice == "mentor" else "premier"}
    params["semaine"] = start.isoformat()
    url = reverse("seances:book_slots", args=[offer.public_id])
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(context.captured_queries) <= 12, len(context.captured_queries)

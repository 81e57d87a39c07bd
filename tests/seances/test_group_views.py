"""Group session pages: what each person sees and does, and constant query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from seances.enums import Channel, GroupSessionStatus, RegistrationStatus
from seances.models import GroupSession, Registration
from tests.seances.test_group_fixtures import (
    GroupSessionFactory,
    RegistrationFactory,
    enrolled_people,
    in_days,
)

pytest_plugins = ["tests.seances.test_group_fixtures"]


def detail_url(session):
    return reverse("seances:group_session_detail", args=[session.public_id])


def fill(session, seats, waiting=0):
    """`seats` registered and `waiting` waitlisted people, new beneficiaries of the offer."""
    people = enrolled_people(session.offer, seats + waiting)
    for i, person in enumerate(people):
        RegistrationFactory(
            session=session,
            beneficiary=person,
            status=RegistrationStatus.REGISTERED if i < seats else RegistrationStatus.WAITLISTED,
        )
    return people


# The list


@pytest.mark.django_db
def test_the_list_shows_upcoming_sessions_with_seats_and_waitlist(
    client, beneficiary, future_session
):
    fill(future_session, seats=5, waiting=2)
    GroupSessionFactory(
        offer=future_session.offer,
        organiser=future_session.organiser,
        starts_at=in_days(-3),
        ends_at=in_days(-3) + datetime.timedelta(hours=1),
    )
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:group_sessions"))

    sessions = list(response.context["page"].object_list)
    assert sessions == [future_session]
    assert (sessions[0].seats_taken, sessions[0].waitlist_count) == (5, 2)


@pytest.mark.django_db
def test_the_list_filters_by_offer_and_period(client, coordinator, future_session, programme):
    from tests.factories import OfferFactory

    other_offer = OfferFactory(programme=programme, group=True)
    other = GroupSessionFactory(
        offer=other_offer,
        organiser=future_session.organiser,
        starts_at=in_days(4),
        ends_at=in_days(4) + datetime.timedelta(hours=1),
    )
    client.force_login(coordinator)
    url = reverse("seances:group_sessions")

    by_offer = client.get(url, {"offer": str(other_offer.public_id)})
    cancelled = client.get(url, {"period": "cancelled"})

    assert by_offer.context["filter"].errors == {}
    assert list(by_offer.context["page"].object_list) == [other]
    assert list(cancelled.context["page"].object_list) == []


@pytest.mark.django_db
def test_another_structure_sees_none_of_the_sessions(
    client, other_organization_coordinator, future_session
):
    client.force_login(other_organization_coordinator)

    response = client.get(reverse("seances:group_sessions"))

    assert list(response.context["page"].object_list) == []


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_sessions(offer, organiser, n):
    for i in range(n):
        session = GroupSessionFactory(
            offer=offer,
            organiser=organiser,
            starts_at=in_days(2 + i),
            ends_at=in_days(2 + i) + datetime.timedelta(hours=2),
            capacity=2,
        )
        fill(session, seats=2, waiting=1)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "mentor", "beneficiary"])
def test_the_list_query_count_is_constant(client, request, persona, enrolled, mentor):
    person = request.getfixturevalue(persona)
    client.force_login(person.user if persona == "beneficiary" else person)
    url = reverse("seances:group_sessions")
    add_sessions(enrolled, mentor, 1)
    few = count_queries(client, url)
    add_sessions(enrolled, mentor, 29)

    assert count_queries(client, url) == few
    assert few <= 12


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["mentor", "coordinator", "beneficiary"])
def test_the_detail_query_count_is_constant(client, request, persona, future_session, beneficiary):
    person = request.getfixturevalue(persona)
    client.force_login(person.user if persona == "beneficiary" else person)
    future_session.capacity = 20
    future_session.save()
    RegistrationFactory(
        session=future_session, beneficiary=beneficiary, status=RegistrationStatus.REGISTERED
    )
    url = detail_url(future_session)
    fill(future_session, seats=0, waiting=1)
    few = count_queries(client, url)
    fill(future_session, seats=19, waiting=10)

    assert count_queries(client, url) == few


@pytest.mark.django_db
def test_the_attendance_form_query_count_is_constant(client, mentor, enrolled):
    client.force_login(mentor)
    started = GroupSessionFactory(
        offer=enrolled,
        organiser=mentor,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        capacity=40,
    )
    fill(started, seats=1)
    few = count_queries(client, detail_url(started))
    fill(started, seats=29)

    assert count_queries(client, detail_url(started)) == few


# A beneficiary's side


@pytest.mark.django_db
def test_a_beneficiary_registers_from_the_page(client, beneficiary, future_session):
    client.force_login(beneficiary.user)
    page = client.get(detail_url(future_session))
    assert page.context["may_register"] is True

    response = client.post(
        reverse("seances:group_session_register", args=[future_session.public_id])
    )

    assert response.status_code == 302
    registration = Registration.objects.get(session=future_session, beneficiary=beneficiary)
    assert registration.status == RegistrationStatus.REGISTERED
    again = client.get(detail_url(future_session))
    assert again.context["own"] == registration
    assert again.context["may_register"] is False


@pytest.mark.django_db
def test_a_beneficiary_sees_their_waitlist_position_not_the_others(
    client, beneficiary, future_session
):
    people = fill(future_session, seats=5, waiting=2)
    client.force_login(beneficiary.user)
    client.post(reverse("seances:group_session_register", args=[future_session.public_id]))

    response = client.get(detail_url(future_session))

    own = response.context["own"]
    assert own.status == RegistrationStatus.WAITLISTED
    assert own.position == 3
    assert response.context["seats"] == response.context["waitlist"] == []
    content = response.content.decode()
    assert all(person.name not in content for person in people)


@pytest.mark.django_db
def test_a_beneficiary_gives_up_their_seat_and_the_first_waiting_gets_it(
    client, beneficiary, future_session
):
    future_session.capacity = 1
    future_session.save()
    seat = RegistrationFactory(session=future_session, beneficiary=beneficiary)
    (waiting,) = fill(future_session, seats=0, waiting=1)
    client.force_login(beneficiary.user)

    client.post(reverse("seances:group_registration_cancel", args=[seat.public_id]))

    assert Registration.objects.get(beneficiary=waiting).status == RegistrationStatus.REGISTERED
    assert Registration.objects.get(pk=seat.pk).status == RegistrationStatus.CANCELLED


@pytest.mark.django_db
def test_a_beneficiary_not_enrolled_is_told_to_ask(client, beneficiary, future_session):
    beneficiary.enrollments.filter(offer=future_session.offer).delete()
    client.force_login(beneficiary.user)

    response = client.get(detail_url(future_session))

    assert response.context["may_register"] is False
    assert (
        'action="{}"'.format(
            reverse("seances:group_session_register", args=[future_session.public_id])
        )
        not in response.content.decode()
    )


# The organiser's side


@pytest.mark.django_db
def test_the_organiser_sees_registrants_and_the_waitlist_in_order(client, mentor, future_session):
    people = fill(future_session, seats=5, waiting=3)
    client.force_login(mentor)

    response = client.get(detail_url(future_session))

    assert [r.beneficiary for r in response.context["seats"]] == people[:5]
    assert [(r.position, r.beneficiary) for r in response.context["waitlist"]] == [
        (1, people[5]),
        (2, people[6]),
        (3, people[7]),
    ]


@pytest.mark.django_db
def test_the_organiser_registers_someone_on_their_behalf(
    client, mentor, beneficiary, other_beneficiary, future_session
):
    client.force_login(mentor)
    page = client.get(detail_url(future_session))
    # mentor follows A, not B
    assert page.context["candidates"] == [beneficiary]

    client.post(
        reverse("seances:group_session_register", args=[future_session.public_id]),
        {"beneficiary": str(beneficiary.public_id)},
    )
    refused = client.post(
        reverse("seances:group_session_register", args=[future_session.public_id]),
        {"beneficiary": str(other_beneficiary.public_id)},
    )

    assert refused.status_code == 302
    registrations = Registration.objects.filter(session=future_session)
    assert [(r.beneficiary, r.booked_by) for r in registrations] == [(beneficiary, mentor)]


@pytest.mark.django_db
def test_attendance_is_marked_after_the_start(client, mentor, enrolled):
    started = GroupSessionFactory(
        offer=enrolled,
        organiser=mentor,
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    came, missed = fill(started, seats=2)
    registrations = {r.beneficiary_id: r for r in started.registrations.all()}
    client.force_login(mentor)
    page = client.get(detail_url(started))
    assert page.context["started"] is True

    client.post(
        reverse("seances:group_session_attendance", args=[started.public_id]),
        {
            f"status-{registrations[came.pk].public_id}": RegistrationStatus.ATTENDED,
            f"status-{registrations[missed.pk].public_id}": RegistrationStatus.NO_SHOW,
        },
    )

    statuses = dict(started.registrations.values_list("beneficiary_id", "status"))
    assert statuses == {came.pk: RegistrationStatus.ATTENDED, missed.pk: RegistrationStatus.NO_SHOW}


@pytest.mark.django_db
def test_the_organiser_cancels_the_session_with_a_reason(client, mentor, future_session):
    fill(future_session, seats=2)
    client.force_login(mentor)
    url = reverse("seances:group_session_cancel", args=[future_session.public_id])
    assert client.get(url).context["affected"] == 2

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    response = client.post(url, {"reason": "Salle indisponible"})

    assert response.status_code == 302
    future_session.refresh_from_db()
    assert future_session.status == GroupSessionStatus.CANCELLED
    assert future_session.cancel_reason == "Salle indisponible"


# Scheduling


@pytest.mark.django_db
def test_a_coordinator_schedules_a_weekly_series(client, coordinator, mentor, enrolled):
    client.force_login(coordinator)
    day = timezone.localdate() + datetime.timedelta(days=10)

    response = client.post(
        reverse("seances:group_session_create"),
        {
            "offer": str(enrolled.public_id),
            "title": "Codéveloppement",
            "date": day.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "weeks": "3",
            "capacity": "",
            "organiser": str(mentor.pk),
            "channel": Channel.IN_PERSON,
            "location": "Salle 2",
        },
    )

    assert response.status_code == 302
    sessions = list(GroupSession.objects.filter(offer=enrolled).order_by("starts_at"))
    assert len(sessions) == 3
    assert [timezone.localtime(s.starts_at).time() for s in sessions] == [datetime.time(18)] * 3
    assert {s.capacity for s in sessions} == {enrolled.capacity}
    assert response.url == detail_url(sessions[0])


@pytest.mark.django_db
def test_the_create_form_offers_only_the_group_offers_one_runs(
    client, other_mentor, enrolled, offer
):
    client.force_login(other_mentor)

    response = client.get(reverse("seances:group_session_create"), {"offer": enrolled.public_id})

    field = response.context["form"].fields["offer"]
    assert list(field.queryset) == [enrolled]
    assert field.initial == enrolled.public_id


@pytest.mark.django_db
def test_the_edit_form_refuses_a_capacity_below_the_registered(client, mentor, future_session):
    fill(future_session, seats=4)
    client.force_login(mentor)
    start = timezone.localtime(future_session.starts_at)

    response = client.post(
        reverse("seances:group_session_edit", args=[future_session.public_id]),
        {
            "title": future_session.title,
            "date": start.date().isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": timezone.localtime(future_session.ends_at).strftime("%H:%M"),
            "capacity": "3",
            "organiser": str(mentor.pk),
            "channel": Channel.IN_PERSON,
            "location": "Salle 2",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("capacity")
    future_session.refresh_from_db()
    assert future_session.capacity == 5


@pytest.mark.django_db
def test_open_link_offers_sessions_are_visible_to_any_beneficiary(other_organization):
    """An offer open to "anyone with the link" shows its sessions to people of other
    programmes; an enrolled-only offer does not."""
    import datetime

    from django.utils import timezone

    from seances.models import GroupSession
    from tests.factories import BeneficiaryFactory, OfferFactory, ProgrammeFactory, UserFactory

    programme = ProgrammeFactory(organization=other_organization)
    starts_at = timezone.now() + datetime.timedelta(days=7)

    def session(audience):
        offer = OfferFactory(programme=programme, group=True, booking_audience=audience)
        organiser = UserFactory()
        return GroupSession.objects.create(
            offer=offer,
            organiser=organiser,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            capacity=10,
        )

    open_to_all = session("link")
    enrolled_only = session("enrolled")
    outsider = BeneficiaryFactory(user=UserFactory()).user

    visible = set(GroupSession.objects.visible_to(outsider))

    assert open_to_all in visible
    assert enrolled_only not in visible
    assert not GroupSession.objects.visible_to(UserFactory()).exists()

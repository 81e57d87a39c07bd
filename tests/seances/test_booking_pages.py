"""The self-service pages: offer → mentor → week → confirm → appointment; cancel and
reschedule from the page and from the signed link; the beneficiary's home; query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.enums import ProgrammeStatus
from seances.enums import ActorRole, AppointmentStatus
from seances.links import appointment_token
from seances.models import Appointment
from seances.slots import PARIS, first_available, free_slots
from seances.views.booking import monday_of, slot_key
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    OfferFactory,
    ProgrammeFactory,
)
from tests.seances.conftest import AppointmentFactory, AvailabilityFactory


@pytest.fixture(autouse=True)
def _no_email(monkeypatch):
    """The pages are tested here; the emails in test_emails.py."""
    from seances.services import appointments

    for name in (
        "send_appointment_booked",
        "send_appointment_rescheduled",
        "send_appointment_cancelled",
    ):
        monkeypatch.setattr(appointments.emails, name, lambda appointment: None)


@pytest.fixture
def setup(beneficiary, individual_offer, mentor):
    """A enrolled in the individual offer (referent `mentor`), available every morning."""
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=mentor)
    for weekday in range(7):
        AvailabilityFactory(mentor=mentor, offer=individual_offer, weekday=weekday)
    return individual_offer


def upcoming_slots(offer, mentor, days_from=3, days=2):
    today = timezone.localdate()
    return free_slots(
        offer=offer,
        mentor=mentor,
        start=today + datetime.timedelta(days=days_from),
        end=today + datetime.timedelta(days=days_from + days),
        now=timezone.now(),
    )


def creneau_values(html: str) -> list[str]:
    return re.findall(r'name="creneau" value="([^"]+)"', html)


# --- Step 1: offers -------------------------------------------------------------------------


@pytest.mark.django_db
def test_book_lists_only_individual_offers_of_active_enrollments_in_open_programmes(
    client, beneficiary, setup, programme, organization, offer
):
    workshop = OfferFactory(programme=programme, group=True, title="Atelier collectif")
    EnrollmentFactory(beneficiary=beneficiary, offer=workshop)
    closed = OfferFactory(
        programme=ProgrammeFactory(organization=organization, status=ProgrammeStatus.CLOSED),
        title="Offre d'un programme fermé",
    )
    EnrollmentFactory(beneficiary=beneficiary, offer=closed)
    OfferFactory(programme=programme, title="Offre sans inscription")
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:book"))

    listed = {o.title for o in response.context["offers"]}
    assert listed == {setup.title, offer.title}
    assert reverse("seances:book_mentor", args=[setup.public_id]) in response.content.decode()


@pytest.mark.django_db
def test_book_says_when_the_maximum_of_bookings_is_reached(client, beneficiary, setup, mentor):
    setup.max_active_bookings = 1
    setup.save()
    slot = upcoming_slots(setup, mentor)[0]
    AppointmentFactory(
        offer=setup,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:book"))

    offer = next(o for o in response.context["offers"] if o.pk == setup.pk)
    assert offer.at_limit is True
    assert reverse("seances:book_mentor", args=[setup.public_id]) not in response.content.decode()


@pytest.mark.django_db
def test_book_counts_each_upcoming_appointment_once_whatever_the_mentors(
    client, beneficiary, setup, mentor, other_mentor
):
    setup.mentors.add(other_mentor)
    slot = upcoming_slots(setup, mentor)[0]
    AppointmentFactory(
        offer=setup,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:book"))

    offer = next(o for o in response.context["offers"] if o.pk == setup.pk)
    assert (offer.upcoming_count, offer.mentor_count, offer.at_limit) == (1, 2, False)


# --- Step 2: mentor -------------------------------------------------------------------------


@pytest.mark.django_db
def test_mentor_choice_preselects_the_referent_and_offers_first_available(
    client, beneficiary, setup, mentor, other_mentor
):
    setup.mentors.add(other_mentor)
    client.force_login(beneficiary.user)

    html = client.get(reverse("seances:book_mentor", args=[setup.public_id])).content.decode()

    assert re.search(rf'value="{mentor.public_id}"\s+checked', html)
    assert f'value="{other_mentor.public_id}"' in html
    assert 'value="premier"' in html


@pytest.mark.django_db
def test_a_single_mentor_goes_straight_to_the_week(client, beneficiary, setup, mentor):
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:book_mentor", args=[setup.public_id]))

    assert response.status_code == 302
    assert response.url == (
        reverse("seances:book_slots", args=[setup.public_id]) + f"?accompagnant={mentor.public_id}"
    )


@pytest.mark.django_db
def test_an_offer_booked_with_the_link_opens_to_anyone_with_an_account(
    client, other_beneficiary, setup
):
    client.force_login(other_beneficiary.user)
    url = reverse("seances:book_slots", args=[setup.public_id])
    assert client.get(url).status_code == 404

    setup.booking_audience = "link"
    setup.save()
    assert client.get(url).status_code == 200


# --- Step 3: the week -----------------------------------------------------------------------


@pytest.mark.django_db
def test_week_view_opens_on_the_first_free_slot_and_lists_its_slots_as_buttons(
    client, beneficiary, setup, mentor
):
    client.force_login(beneficiary.user)
    url = reverse("seances:book_slots", args=[setup.public_id])

    response = client.get(url, {"accompagnant": mentor.public_id})

    today = timezone.localdate()
    first = free_slots(
        offer=setup,
        mentor=mentor,
        start=today,
        end=today + datetime.timedelta(days=60),
        now=timezone.now(),
    )[0]
    week = monday_of(first.local_start.date())
    expected = [
        slot_key(s)
        for s in free_slots(
            offer=setup,
            mentor=mentor,
            start=week,
            end=week + datetime.timedelta(days=6),
            now=timezone.now(),
        )
    ]
    assert response.context["week"] == week
    assert creneau_values(response.content.decode()) == expected
    assert len(response.context["days"]) == 7
    assert response.context["previous_week"] is None
    assert response.context["next_week"] == week + datetime.timedelta(days=7)
    assert 'type="submit" name="creneau"' in response.content.decode()


@pytest.mark.django_db
def test_week_navigation_stays_within_the_horizon(client, beneficiary, setup, mentor):
    setup.horizon_days = 10
    setup.save()
    client.force_login(beneficiary.user)
    url = reverse("seances:book_slots", args=[setup.public_id])
    far = timezone.localdate() + datetime.timedelta(days=200)

    response = client.get(url, {"accompagnant": mentor.public_id, "semaine": far.isoformat()})

    last = (timezone.now() + datetime.timedelta(days=10)).astimezone(PARIS).date()
    assert response.context["week"] == monday_of(last)
    assert response.context["next_week"] is None
    assert response.context["previous_week"] is not None


@pytest.mark.django_db
def test_first_available_shows_every_mentor(client, beneficiary, setup, mentor, other_mentor):
    setup.mentors.add(other_mentor)
    for weekday in range(7):
        AvailabilityFactory(
            mentor=other_mentor,
            offer=setup,
            weekday=weekday,
            start_time=datetime.time(14),
            end_time=datetime.time(16),
        )
    client.force_login(beneficiary.user)

    response = client.get(
        reverse("seances:book_slots", args=[setup.public_id]), {"accompagnant": "premier"}
    )

    mentors = {s["mentor"] for d in response.context["days"] for s in d["slots"]}
    assert mentors == {mentor, other_mentor}
    week = response.context["week"]
    expected = first_available(
        offer=setup, start=week, end=week + datetime.timedelta(days=6), now=timezone.now()
    )
    assert creneau_values(response.content.decode()) == [slot_key(s) for s in expected]


@pytest.mark.django_db
def test_week_of_an_offer_of_a_closed_programme_is_404(client, beneficiary, setup, programme):
    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:book_slots", args=[setup.public_id]))

    assert response.status_code == 404  # no longer an offer to book


# --- Step 4: confirm and book ---------------------------------------------------------------


@pytest.mark.django_db
def test_confirm_then_book(client, beneficiary, setup, mentor):
    slot = upcoming_slots(setup, mentor)[0]
    client.force_login(beneficiary.user)
    url = reverse("seances:book_confirm", args=[setup.public_id])
    choice = {"creneau": slot_key(slot), "accompagnant": str(mentor.public_id)}

    page = client.get(url, choice)
    assert page.status_code == 200
    assert page.context["slot"]["starts_at"] == slot.starts_at

    response = client.post(url, {**choice, "reason": "Parler de mon budget"})

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("seances:appointment_detail", args=[appointment.public_id])
    assert (appointment.starts_at, appointment.mentor, appointment.beneficiary) == (
        slot.starts_at,
        mentor,
        beneficiary,
    )
    assert appointment.reason == "Parler de mon budget"
    assert appointment.booked_by == beneficiary.user


@pytest.mark.django_db
def test_the_reason_is_asked_for(client, beneficiary, setup, mentor):
    slot = upcoming_slots(setup, mentor)[0]
    client.force_login(beneficiary.user)

    response = client.post(
        reverse("seances:book_confirm", args=[setup.public_id]),
        {"creneau": slot_key(slot), "accompagnant": str(mentor.public_id), "reason": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_a_slot_taken_meanwhile_sends_back_to_the_week_with_a_message(
    client, beneficiary, setup, mentor, organization
):
    slot = upcoming_slots(setup, mentor)[0]
    AppointmentFactory(
        offer=setup,
        mentor=mentor,
        beneficiary=BeneficiaryFactory(organization=organization),
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    client.force_login(beneficiary.user)

    response = client.post(
        reverse("seances:book_confirm", args=[setup.public_id]),
        {"creneau": slot_key(slot), "accompagnant": str(mentor.public_id), "reason": "x"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith(
        reverse("seances:book_slots", args=[setup.public_id])
    )
    assert len(list(response.context["messages"])) == 1
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_service_refusals_are_messages_never_errors(client, beneficiary, setup, mentor):
    """Too many bookings: the service refuses; the person reads why, on the week view."""
    setup.max_active_bookings = 1
    setup.save()
    first, second = upcoming_slots(setup, mentor)[:2]
    AppointmentFactory(
        offer=setup,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
    )
    client.force_login(beneficiary.user)

    response = client.post(
        reverse("seances:book_confirm", args=[setup.public_id]),
        {"creneau": slot_key(second), "accompagnant": str(mentor.public_id), "reason": "x"},
        follow=True,
    )

    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("creneau", ["", "n'importe quoi", "20260101T0900Z_pas-un-uuid"])
def test_a_malformed_slot_sends_back_to_the_week(client, beneficiary, setup, creneau):
    client.force_login(beneficiary.user)

    response = client.get(
        reverse("seances:book_confirm", args=[setup.public_id]), {"creneau": creneau}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("seances:book_slots", args=[setup.public_id]))


@pytest.mark.django_db
def test_a_slot_outside_the_notice_is_not_confirmed(client, beneficiary, setup, mentor):
    """A hand-made URL for a slot too soon: recomputed, refused."""
    soon = timezone.now() + datetime.timedelta(hours=2)
    key = f"{soon.astimezone(datetime.UTC):%Y%m%dT%H%MZ}_{mentor.public_id}"
    client.force_login(beneficiary.user)

    response = client.post(
        reverse("seances:book_confirm", args=[setup.public_id]),
        {"creneau": key, "accompagnant": str(mentor.public_id), "reason": "x"},
    )

    assert response.status_code == 302
    assert not Appointment.objects.exists()


# --- The appointment's page -----------------------------------------------------------------


@pytest.fixture
def booked(setup, mentor, beneficiary):
    slot = upcoming_slots(setup, mentor, days_from=7)[0]
    return AppointmentFactory(
        offer=setup,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        reason="Mon budget",
    )


@pytest.mark.django_db
def test_detail_shows_the_appointment_and_the_actions_within_the_rules(client, beneficiary, booked):
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:appointment_detail", args=[booked.public_id]))

    html = response.content.decode()
    assert response.context["can_cancel"]
    assert response.context["can_reschedule"]
    assert reverse("seances:appointment_cancel", args=[booked.public_id]) in html
    assert reverse("seances:appointment_reschedule", args=[booked.public_id]) in html
    assert reverse("seances:appointment_ics", args=[booked.public_id]) in html
    assert booked.location in html
    assert "Mon budget" in html


@pytest.mark.django_db
def test_detail_hides_actions_past_the_windows_and_says_why(client, beneficiary, setup, mentor):
    setup.min_notice_hours = 0
    setup.save()
    slot = next(
        s
        for s in free_slots(
            offer=setup,
            mentor=mentor,
            start=timezone.localdate(),
            end=timezone.localdate() + datetime.timedelta(days=3),
            now=timezone.now() + datetime.timedelta(hours=1),
        )
    )
    appointment = AppointmentFactory(
        offer=setup,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    setup.cancel_until_hours = 200
    setup.reschedule_until_hours = 200
    setup.save()
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:appointment_detail", args=[appointment.public_id]))

    html = response.content.decode()
    assert not response.context["can_cancel"]
    assert not response.context["can_reschedule"]
    assert response.context["cancel_refusal"]
    assert response.context["reschedule_refusal"]
    assert reverse("seances:appointment_cancel", args=[appointment.public_id]) not in html


@pytest.mark.django_db
def test_coordinators_do_not_read_the_reason(client, coordinator, booked):
    client.force_login(coordinator)

    html = client.get(reverse("seances:appointment_detail", args=[booked.public_id])).content

    assert b"Mon budget" not in html


@pytest.mark.django_db
def test_beneficiary_cancels_from_the_page(client, beneficiary, booked):
    client.force_login(beneficiary.user)

    response = client.post(
        reverse("seances:appointment_cancel", args=[booked.public_id]), {"reason": "Malade"}
    )

    booked.refresh_from_db()
    assert response.status_code == 302
    assert booked.status == AppointmentStatus.CANCELLED
    assert booked.cancelled_by_role == ActorRole.BENEFICIARY
    assert booked.cancel_reason == "Malade"


@pytest.mark.django_db
def test_mentor_must_give_a_reason_to_cancel(client, mentor, booked):
    client.force_login(mentor)
    url = reverse("seances:appointment_cancel", args=[booked.public_id])

    response = client.post(url, {"reason": ""}, follow=True)
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    assert len(list(response.context["messages"])) == 1

    client.post(url, {"reason": "Formation imprévue"})
    booked.refresh_from_db()
    assert booked.cancelled_by_role == ActorRole.MENTOR


@pytest.mark.django_db
def test_beneficiary_reschedules_from_the_page(client, beneficiary, booked, mentor):
    client.force_login(beneficiary.user)
    week = client.get(
        reverse("seances:appointment_reschedule", args=[booked.public_id]),
        {"semaine": booked.starts_at.astimezone(PARIS).date().isoformat()},
    )
    keys = creneau_values(week.content.decode())
    # Its own time is shown, not offered; the times it overlaps are free to move to.
    assert slot_key_of(booked) not in keys
    assert [s["current"] for d in week.context["days"] for s in d["slots"]].count(True) == 1
    target = keys[0]
    confirm_url = reverse("seances:appointment_reschedule_confirm", args=[booked.public_id])

    page = client.get(confirm_url, {"creneau": target})
    assert page.status_code == 200
    response = client.post(confirm_url, {"creneau": target})

    booked.refresh_from_db()
    assert response.status_code == 302
    assert slot_key_of(booked) == target
    assert booked.sequence == 1
    assert Appointment.objects.count() == 1


def slot_key_of(appointment):
    starts_at = appointment.starts_at.astimezone(datetime.UTC)
    return f"{starts_at:%Y%m%dT%H%MZ}_{appointment.mentor.public_id}"


@pytest.mark.django_db
def test_reschedule_page_past_the_window_redirects_with_the_reason(client, beneficiary, booked):
    booked.offer.reschedule_until_hours = 24 * 30
    booked.offer.save()
    client.force_login(beneficiary.user)

    response = client.get(
        reverse("seances:appointment_reschedule", args=[booked.public_id]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "seances:appointment_detail", args=[booked.public_id]
    )
    assert len(list(response.context["messages"])) == 1


@pytest.mark.django_db
def test_mentor_records_the_outcome_after_the_start(client, mentor, setup, beneficiary):
    past = timezone.now() - datetime.timedelta(hours=2)
    appointment = AppointmentFactory(
        offer=setup,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=1),
    )
    client.force_login(mentor)
    detail = client.get(reverse("seances:appointment_detail", args=[appointment.public_id]))
    assert detail.context["can_record_outcome"]

    client.post(
        reverse("seances:appointment_status", args=[appointment.public_id]),
        {"status": AppointmentStatus.ATTENDED},
    )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ATTENDED


@pytest.mark.django_db
def test_ics_download(client, beneficiary, booked):
    client.force_login(beneficiary.user)

    response = client.get(reverse("seances:appointment_ics", args=[booked.public_id]))

    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body
    assert booked.ics_uid in body.replace("\r\n ", "")


# --- The signed link ------------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_link_shows_and_cancels_without_login(client, booked):
    token = appointment_token(booked)

    page = client.get(reverse("seances:appointment_manage", args=[token]))
    assert page.status_code == 200
    assert reverse("seances:appointment_manage_cancel", args=[token]) in page.content.decode()

    response = client.post(reverse("seances:appointment_manage_cancel", args=[token]))

    booked.refresh_from_db()
    assert response.url == reverse("seances:appointment_manage", args=[token])
    assert booked.status == AppointmentStatus.CANCELLED
    assert booked.cancelled_by_role == ActorRole.BENEFICIARY


@pytest.mark.django_db
def test_signed_link_follows_the_beneficiary_windows(client, booked):
    booked.offer.cancel_until_hours = 24 * 30
    booked.offer.save()
    token = appointment_token(booked)

    page = client.get(reverse("seances:appointment_manage", args=[token]))
    assert not page.context["can_cancel"]
    client.post(reverse("seances:appointment_manage_cancel", args=[token]))

    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED


@pytest.mark.django_db
def test_signed_link_reschedules_in_the_same_context(client, booked):
    token = appointment_token(booked)
    week = client.get(reverse("seances:appointment_manage_reschedule", args=[token]))
    html = week.content.decode()
    assert reverse("seances:appointment_manage_reschedule_confirm", args=[token]) in html
    target = next(k for k in creneau_values(html) if k != slot_key_of(booked))

    response = client.post(
        reverse("seances:appointment_manage_reschedule_confirm", args=[token]),
        {"creneau": target},
    )

    booked.refresh_from_db()
    assert response.url == reverse("seances:appointment_manage", args=[token])
    assert slot_key_of(booked) == target


# --- The beneficiary's home -----------------------------------------------------------------


@pytest.mark.django_db
def test_home_lists_upcoming_appointments_and_the_book_button(
    client, beneficiary, booked, setup, mentor
):
    past = timezone.now() - datetime.timedelta(days=3)
    AppointmentFactory(
        offer=setup,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=1),
        status=AppointmentStatus.ATTENDED,
    )
    client.force_login(beneficiary.user)

    response = client.get(reverse("core:home"))

    html = response.content.decode()
    assert list(response.context["upcoming_appointments"]) == [booked]
    assert reverse("seances:appointment_detail", args=[booked.public_id]) in html
    assert f'class="btn btn-primary" href="{reverse("seances:book")}"' in html


@pytest.mark.django_db
def test_home_without_a_bookable_offer_has_no_book_button(client, organization):
    from tests.factories import UserFactory

    person = BeneficiaryFactory(organization=organization, user=UserFactory())
    client.force_login(person.user)

    response = client.get(reverse("core:home"))

    assert response.context["can_book"] is False
    button = f'class="btn btn-primary" href="{reverse("seances:book")}"'
    assert button not in response.content.decode()


# --- Query counts ---------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def add_appointments(offer, mentor, beneficiary, n, start_day):
    for i in range(n):
        starts_at = datetime.datetime.combine(
            start_day + datetime.timedelta(days=i), datetime.time(11), tzinfo=PARIS
        )
        AppointmentFactory(
            offer=offer,
            mentor=mentor,
            beneficiary=beneficiary,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
        )


@pytest.mark.django_db
def test_week_view_query_count_is_constant(client, beneficiary, individual_offer, mentor):
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=mentor)
    client.force_login(beneficiary.user)
    url = reverse("seances:book_slots", args=[individual_offer.public_id])
    start = timezone.localdate() + datetime.timedelta(days=7)
    params = {"accompagnant": mentor.public_id, "semaine": start.isoformat()}
    AvailabilityFactory(mentor=mentor, offer=individual_offer, weekday=0)
    add_appointments(individual_offer, mentor, BeneficiaryFactory(), 1, start)
    few = count_queries(client, url, params)
    for i in range(29):
        AvailabilityFactory(
            mentor=mentor,
            offer=individual_offer,
            weekday=i % 7,
            start_time=datetime.time(13 + i // 7),
            end_time=datetime.time(14 + i // 7),
        )
    add_appointments(
        individual_offer, mentor, BeneficiaryFactory(), 29, start + datetime.timedelta(days=1)
    )
    many = count_queries(client, url, params)
    assert few == many
    # Without a chosen week, the search for the first free week costs no more.
    assert count_queries(client, url, {"accompagnant": "premier"}) <= many + 1


@pytest.mark.django_db
def test_home_query_count_is_constant(client, beneficiary, individual_offer, mentor):
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=mentor)
    client.force_login(beneficiary.user)
    start = timezone.localdate() + datetime.timedelta(days=3)
    add_appointments(individual_offer, mentor, beneficiary, 1, start)
    few = count_queries(client, reverse("core:home"))
    add_appointments(individual_offer, mentor, beneficiary, 29, start + datetime.timedelta(days=1))
    assert count_queries(client, reverse("core:home")) == few


@pytest.mark.django_db
def test_book_and_detail_query_counts_are_constant(
    client, beneficiary, individual_offer, mentor, programme
):
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=mentor)
    client.force_login(beneficiary.user)
    start = timezone.localdate() + datetime.timedelta(days=3)
    add_appointments(individual_offer, mentor, beneficiary, 1, start)
    detail = reverse("seances:appointment_detail", args=[Appointment.objects.get().public_id])
    few = count_queries(client, reverse("seances:book")), count_queries(client, detail)
    for _ in range(29):
        offer = OfferFactory(programme=programme)
        offer.mentors.add(mentor)
        EnrollmentFactory(beneficiary=beneficiary, offer=offer)
    add_appointments(individual_offer, mentor, beneficiary, 29, start + datetime.timedelta(days=1))
    assert (count_queries(client, reverse("seances:book")), count_queries(client, detail)) == few

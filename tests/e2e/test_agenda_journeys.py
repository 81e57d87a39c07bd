"""Issue 4's agenda journeys: a mentor opens a weekly window and finds the appointment a
beneficiary booked in it; a coordinator books for someone who has only a phone."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from accounts.models import Organization, User
from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Beneficiary, Enrollment
from programmes.enums import OfferMode, ProgrammeStatus
from programmes.models import Offer
from seances.enums import AppointmentStatus, Weekday
from seances.models import Appointment, Availability, AvailabilityException
from seances.slots import Slot
from seances.views.booking import slot_key
from tests.e2e.conftest import assert_accessible, follow_nav, log_in

PARIS = ZoneInfo("Europe/Paris")
MENTOR = "accompagnant@example.org"
BENEFICIARY = "beneficiaire@example.org"
COACHING = "Coaching de porteur·euse de projet"
LYON = "Maison des initiatives citoyennes"


def main_nav(page):
    return page.get_by_role("navigation", name="Navigation principale")


def next_bookable_saturday(offer: Offer, mentor: User) -> datetime.datetime:
    """10:00 (Paris) on the first Saturday the offer's notice allows, outside the mentor's
    unavailabilities."""
    earliest = timezone.now() + datetime.timedelta(hours=offer.min_notice_hours)
    day = earliest.astimezone(PARIS).date()
    while True:
        if day.weekday() == Weekday.SATURDAY:
            starts_at = datetime.datetime.combine(day, datetime.time(10), tzinfo=PARIS)
            blocked = AvailabilityException.objects.filter(
                mentor=mentor, starts_at__lt=starts_at, ends_at__gt=starts_at
            ).exists()
            if starts_at >= earliest and not blocked:
                return starts_at
        day += datetime.timedelta(days=1)


def test_mentor_sets_availability_and_sees_the_booking_in_the_agenda(
    page, demo, browser, browser_context_args
):
    url = demo.url
    mentor = User.objects.get(email=MENTOR)
    offer = Offer.objects.get(
        title=COACHING, mentors=mentor, programme__status=ProgrammeStatus.OPEN
    )
    assert not Availability.objects.filter(mentor=mentor, weekday=Weekday.SATURDAY).exists()
    log_in(page, demo, MENTOR)

    # 1. From "My agenda" to the availability page, then add a Saturday morning window.
    follow_nav(page, reverse("seances:agenda"))
    expect(page).to_have_url(re.compile(re.escape(reverse("seances:agenda"))))
    assert_accessible(page)
    page.locator(f"main nav a[href='{reverse('seances:availability')}']").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("seances:availability")) + "$"))
    assert_accessible(page)
    page.locator(
        f"a[href='{reverse('seances:availability_create')}?offer={offer.public_id}']"
    ).click()
    assert_accessible(page)
    expect(page.locator("#id_offer")).to_have_value(str(offer.pk))
    page.locator("#id_weekday").select_option(str(Weekday.SATURDAY.value))
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("12:00")
    page.locator("#id_location").fill("Salle du samedi")
    page.locator("#id_buffer_minutes").fill("0")
    page.locator("form[data-availability-form] [type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("seances:availability")) + "$"))
    window = Availability.objects.get(mentor=mentor, offer=offer, weekday=Weekday.SATURDAY)
    assert (window.start_time, window.end_time) == (datetime.time(10), datetime.time(12))
    assert window.location == "Salle du samedi"
    row = page.locator(
        f"tr:has(a[href='{reverse('seances:availability_edit', args=[window.pk])}'])"
    )
    expect(row).to_contain_text("10:00–12:00")
    expect(row).to_contain_text("Salle du samedi")

    # 2. The beneficiary books the first Saturday slot, in her own browser.
    starts_at = next_bookable_saturday(offer, mentor)
    context = browser.new_context(**browser_context_args)
    try:
        other = context.new_page()
        other.set_default_timeout(10_000)
        log_in(other, demo, BENEFICIARY)
        main_nav(other).locator(f"a[href='{reverse('seances:book')}']").click()
        assert_accessible(other)
        other.locator(f"a[href='{reverse('seances:book_mentor', args=[offer.public_id])}']").click()
        assert_accessible(other)
        other.locator(f"#mentor-{mentor.public_id}").check()
        other.locator("main form[method=get] button[type=submit]").click()
        expect(other).to_have_url(
            re.compile(re.escape(reverse("seances:book_slots", args=[offer.public_id])))
        )
        assert_accessible(other)

        wanted = Slot(starts_at, starts_at, mentor, window.channel, window.location)
        slot_button = other.locator(f"button[name=creneau][value='{slot_key(wanted)}']")
        for _ in range(10):
            if slot_button.count():
                break
            other.locator("main nav a.ms-auto[href*='semaine=']").click()
        slot_button.click()
        assert_accessible(other)
        other.locator("#id_reason").fill("Préparer le budget prévisionnel.")
        other.locator(
            f"form[action='{reverse('seances:book_confirm', args=[offer.public_id])}'] "
            "button[type=submit]"
        ).click()
        expect(other).to_have_url(re.compile(r"/rendez-vous/[0-9a-f-]{36}/$"))
    finally:
        context.close()
    appointment = Appointment.objects.get(mentor=mentor, starts_at=starts_at)
    assert appointment.beneficiary == Beneficiary.objects.get(user__email=BENEFICIARY)
    assert (appointment.offer, appointment.status) == (offer, AppointmentStatus.BOOKED)
    assert appointment.location == "Salle du samedi"
    assert appointment.booked_on_behalf is False

    # 3. The mentor opens that week of the agenda: the appointment is there, linked.
    page.goto(f"{url}{reverse('seances:agenda')}?week={starts_at.date().isoformat()}")
    detail = reverse("seances:appointment_detail", args=[appointment.public_id])
    link = page.locator(f"main a[href='{detail}']")
    expect(link).to_be_visible()
    expect(link).to_contain_text(appointment.beneficiary.name)
    assert_accessible(page)


def phone_only_enrollment() -> Enrollment:
    """A phone-only person of the Lyon structure with exactly one individual offer of an open
    programme, whose referent has availability for it."""
    individual = Enrollment.objects.filter(
        status__in=ACTIVE_ENROLLMENT_STATUSES,
        offer__mode=OfferMode.INDIVIDUAL,
        offer__programme__status=ProgrammeStatus.OPEN,
    )
    candidates = (
        individual.filter(
            beneficiary__email="",
            beneficiary__organization__name=LYON,
            referent_mentor__isnull=False,
        )
        .exclude(beneficiary__phone="")
        .select_related("beneficiary", "offer", "referent_mentor")
        .order_by("beneficiary__name", "pk")
    )
    for enrollment in candidates:
        only_one = individual.filter(beneficiary=enrollment.beneficiary).count() == 1
        has_windows = Availability.objects.filter(
            mentor=enrollment.referent_mentor, offer=enrollment.offer, is_active=True
        ).exists()
        if only_one and has_windows:
            return enrollment
    raise AssertionError("the demo has no phone-only beneficiary to book for")


def test_coordinator_books_for_a_phone_only_beneficiary(page, demo):
    url = demo.url
    enrollment = phone_only_enrollment()
    person, offer, mentor = enrollment.beneficiary, enrollment.offer, enrollment.referent_mentor
    log_in(page, demo, "coordinatrice@example.org")

    # 1. From the person's page, the button to book on their behalf.
    page.goto(f"{url}{reverse('beneficiaires:list')}?q={person.name}")
    page.get_by_role("link", name=person.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/beneficiaires/{person.public_id}/"))
    page.locator(
        f"main a[href='{reverse('seances:book_on_behalf')}?beneficiary={person.public_id}']"
    ).first.click()
    assert_accessible(page)

    # 2. Their only offer and their referent are chosen: the week's free slots show.
    expect(page.locator("#id_offer")).to_have_value(str(offer.public_id))
    expect(page.locator("#id_mentor")).to_have_value(str(mentor.public_id))
    slots = page.locator("input[name=starts_at]")
    for _ in range(6):
        if slots.count():
            break
        page.locator("main a[rel=next]").click()
    first = slots.first
    chosen = datetime.datetime.fromisoformat(first.get_attribute("value"))
    page.locator(f"label[for='{first.get_attribute('id')}']").click()
    expect(first).to_be_checked()
    page.locator("#id_reason").fill("Faire le point sur le dossier de subvention.")
    outbox_before = len(mail.outbox)
    page.locator("main form[method=post] button[type=submit]").click()

    # 3. The printable confirmation: the date, and the structure's phone to cancel.
    expect(page).to_have_url(re.compile(r"/agenda/pour-le-compte/[0-9a-f-]{36}/confirmation/$"))
    appointment = Appointment.objects.get(beneficiary=person, starts_at=chosen)
    assert page.url.endswith(reverse("seances:behalf_confirmation", args=[appointment.public_id]))
    assert appointment.booked_on_behalf is True
    assert (appointment.offer, appointment.mentor) == (offer, mentor)
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.booked_by.email == "coordinatrice@example.org"
    assert appointment.reason == "Faire le point sur le dossier de subvention."
    with translation.override("fr"):
        day = date_format(timezone.localtime(appointment.starts_at, PARIS), "l j F Y")
    sheet = page.locator("main")
    expect(sheet).to_contain_text(day)
    expect(sheet).to_contain_text(
        timezone.localtime(appointment.starts_at, PARIS).strftime("%H:%M")
    )
    expect(sheet).to_contain_text(person.name)
    structure = Organization.objects.get(name=LYON)
    assert structure.phone
    expect(sheet).to_contain_text(structure.phone)
    assert_accessible(page)

    # Nobody was emailed at an empty address; the person has none.
    sent = mail.outbox[outbox_before:]
    assert all(all(to) for message in sent for to in [message.to])
    assert not any(person.name in " ".join(message.to) for message in sent)

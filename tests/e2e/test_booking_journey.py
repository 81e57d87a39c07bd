"""Issue 4's first journey: a beneficiary books an appointment, moves it, then cancels it."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from seances.enums import AppointmentStatus
from seances.models import Appointment
from tests.e2e.conftest import assert_accessible, log_in


def test_beneficiary_books_reschedules_and_cancels(page, demo):
    log_in(page, demo, "beneficiaire@example.org")
    before = set(
        Appointment.objects.filter(beneficiary__user__email="beneficiaire@example.org").values_list(
            "pk", flat=True
        )
    )

    # Book: offer → mentor (the referent is preselected) → a free slot → the reason.
    page.locator(f"nav a[href='{reverse('seances:book')}']").first.click()
    assert_accessible(page)
    page.locator("main a[href*='/rendez-vous/offre/']").first.click()
    if "/creneaux/" not in page.url:
        assert_accessible(page)
        page.locator("main form[method=get] [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/creneaux/"))
    assert_accessible(page)
    page.locator("main button[name=creneau]").first.click()
    expect(page).to_have_url(re.compile(r"/confirmer/"))
    assert_accessible(page)
    page.locator("#id_reason").fill("Préparer le dossier de subvention.")
    page.locator("main form[method=post] [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/rendez-vous/[0-9a-f-]{36}/$"))
    assert_accessible(page)
    appointment = Appointment.objects.exclude(pk__in=before).get(
        beneficiary__user__email="beneficiaire@example.org"
    )
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.reason == "Préparer le dossier de subvention."
    booked_at = appointment.starts_at

    # Reschedule: another free slot of the same week view.
    page.locator(
        f"main a[href='{reverse('seances:appointment_reschedule', args=[appointment.public_id])}']"
    ).click()
    assert_accessible(page)
    page.locator("main button[name=creneau]").nth(1).click()
    assert_accessible(page)
    page.locator("main form[method=post] [type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/rendez-vous/{appointment.public_id}/$"))
    appointment.refresh_from_db()
    assert appointment.starts_at != booked_at
    assert appointment.sequence == 1
    assert appointment.status == AppointmentStatus.BOOKED

    # Cancel, within the offer's window.
    page.locator("details:has(#id_cancel_reason) > summary").click()
    page.locator("#id_cancel_reason").fill("Un empêchement.")
    page.locator(
        f"form[action='{reverse('seances:appointment_cancel', args=[appointment.public_id])}'] "
        "[type=submit]"
    ).click()
    expect(page).to_have_url(re.compile(rf"/rendez-vous/{appointment.public_id}/$"))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by_role == "beneficiary"
    assert_accessible(page)

"""Issue 5's journeys in Chromium: a mentor records a séance and validates its closing record;
the beneficiary reads it, adds a comment, updates a task and downloads the PDF; a facilitator
runs a co-development séance through its six steps. axe-core checks each new page."""

import datetime
import subprocess

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from beneficiaires.models import Beneficiary
from programmes.enums import OfferKind
from programmes.models import Offer
from seances.enums import AppointmentStatus, Channel, RecordStatus, RegistrationStatus, TaskStatus
from seances.models import ActionItem, Appointment, ClosingRecord, GroupSession, Registration
from tests.e2e.conftest import assert_accessible, log_in

MENTOR = "accompagnant@example.org"
BENEFICIARY = "beneficiaire@example.org"


def submit(page, action: str, button: str = "button[type=submit]"):
    """Press the submit button of the form posting to `action`."""
    page.locator(f"form[action='{action}'] {button}").first.click()
    page.wait_for_load_state("networkidle")


def an_appointment_that_took_place() -> Appointment:
    """Sophie's coaching appointment with Julien earlier today: the séance to record."""
    sophie = Beneficiary.objects.get(user__email=BENEFICIARY)
    julien = User.objects.get(email=MENTOR)
    offer = Offer.objects.get(kind=OfferKind.COACHING, enrollments__beneficiary=sophie)
    now = timezone.now().replace(second=0, microsecond=0)
    starts_at = now - datetime.timedelta(minutes=offer.duration_minutes + 5)
    Appointment.objects.filter(mentor=julien, starts_at__lt=now, ends_at__gt=starts_at).update(
        status=AppointmentStatus.CANCELLED
    )
    return Appointment.objects.create(
        offer=offer,
        mentor=julien,
        beneficiary=sophie,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=offer.duration_minutes),
        channel=Channel.IN_PERSON,
        reason="Préparer le rendez-vous avec la mairie.",
        booked_by=sophie.user,
    )


def test_mentor_closes_a_seance_and_the_beneficiary_follows_up(page, demo, tmp_path):
    appointment = an_appointment_that_took_place()
    mail.outbox.clear()

    # The mentor opens the séance from the appointment and keeps Sophie present.
    log_in(page, demo, MENTOR)
    page.goto(demo.url + reverse("seances:appointment_detail", args=[appointment.public_id]))
    submit(page, reverse("seances:seance_from_appointment", args=[appointment.public_id]))
    seance = appointment.seance
    expect(page).to_have_url(demo.url + reverse("seances:seance_detail", args=[seance.public_id]))
    assert_accessible(page)
    submit(page, reverse("seances:seance_attendance", args=[seance.public_id]))
    expect(page.locator(".alert-success")).to_be_visible()

    # "Clore un temps de travail": the closing record, in sections.
    sophie = appointment.beneficiary
    submit(page, reverse("seances:record_start", args=[seance.public_id, sophie.public_id]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.locator("[name=expectations]").fill("Savoir comment présenter le projet à la mairie.")
    page.locator("[name=expectations_met][value=yes]").check()
    page.locator("[name=content]").fill("Argumentaire travaillé, questions de l'élue anticipées.")
    page.locator("[name=next_step]").fill("Rencontrer l'élue à la vie associative.")
    page.locator("[name='tasks-0-title']").fill("Envoyer la fiche projet à la mairie")
    page.locator("[name='tasks-0-due_on']").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    page.locator("[name=next_channels][value=email]").check()
    page.locator("[name=beneficiary_commitments]").fill("Écrire la fiche projet.")
    page.locator("[name=mentor_commitments]").fill("Relire la fiche sous une semaine.")
    assert_accessible(page)
    page.locator("button[name=action][value=validate]").click()
    page.wait_for_load_state("networkidle")
    record = ClosingRecord.objects.get(seance=seance, beneficiary=sophie)
    expect(page).to_have_url(demo.url + reverse("seances:record_validate", args=[record.public_id]))
    assert_accessible(page)
    submit(page, reverse("seances:record_validate", args=[record.public_id]))
    record.refresh_from_db()
    assert record.status == RecordStatus.VALIDATED
    assert record.snapshot["beneficiary"]
    # The report went to Sophie by email, with the PDF, once.
    reports = [m for m in mail.outbox if BENEFICIARY in m.to]
    assert len(reports) == 1
    assert reports[0].attachments[0][2] == "application/pdf"

    # Sophie reads the record from her home, adds her synthesis, moves a task, gets the PDF.
    page.context.clear_cookies()
    log_in(page, demo, BENEFICIARY)
    detail = reverse("seances:record_detail", args=[record.public_id])
    page.locator(f"a[href='{detail}']").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Rencontrer l'élue à la vie associative.")).to_be_visible()
    assert_accessible(page)
    comment = reverse("seances:record_comment", args=[record.public_id])
    page.locator(f"form[action='{comment}'] textarea[name=body]").first.fill(
        "Je retiens qu'il faut préparer trois questions pour l'élue."
    )
    submit(page, comment)
    expect(page.locator("article").get_by_text("Je retiens qu'il faut préparer")).to_be_visible()
    task = ActionItem.objects.get(seance=seance, title="Envoyer la fiche projet à la mairie")
    status_url = reverse("seances:task_status", args=[task.public_id])
    with page.expect_response(lambda response: response.url.endswith(status_url)) as answer:
        page.locator(f"#task-status-{task.public_id}").select_option(TaskStatus.IN_PROGRESS)
    assert answer.value.status == 200
    expect(page.locator(f"#task-{task.public_id} [role=status]")).to_be_visible()
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    pdf_url = reverse("seances:record_pdf", args=[record.public_id])
    with page.expect_download() as download:
        page.locator(f"a[href='{pdf_url}']").first.click()
    pdf = tmp_path / "rapport.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(  # noqa: S603 - our own file, a fixed command
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Rencontrer l'élue à la vie associative." in text
    assert "Envoyer la fiche projet à la mairie" in text
    # The confidential note of Sophie's earlier séance never reaches a report.
    assert "peu à l'aise à l'oral" not in text


def a_codevelopment_session_under_way() -> GroupSession:
    """A co-development session of Julien's that started a few minutes ago, five people."""
    julien = User.objects.get(email=MENTOR)
    offer = Offer.objects.get(kind=OfferKind.CODEVELOPMENT, mentors=julien)
    starts_at = timezone.now() - datetime.timedelta(minutes=5)
    session = GroupSession.objects.create(
        offer=offer,
        organiser=julien,
        title="Codéveloppement de novembre",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=offer.duration_minutes),
        capacity=offer.capacity,
        channel=Channel.IN_PERSON,
        location="Salle du fond",
    )
    people = Beneficiary.objects.filter(organization=offer.programme.organization).order_by("name")
    for person in people[:5]:
        Registration.objects.create(
            session=session, beneficiary=person, status=RegistrationStatus.REGISTERED
        )
    return session


def test_facilitator_runs_a_codevelopment_seance_through_its_six_steps(page, demo):
    session = a_codevelopment_session_under_way()
    log_in(page, demo, MENTOR)
    page.goto(demo.url + reverse("seances:group_session_detail", args=[session.public_id]))
    submit(page, reverse("seances:seance_from_group_session", args=[session.public_id]))
    seance = session.seance
    page.goto(demo.url + reverse("seances:codev_facilitate", args=[seance.public_id]))
    assert_accessible(page)

    client = seance.attendances.order_by("beneficiary__name").first().beneficiary
    prepare = reverse("seances:codev_prepare", args=[seance.public_id])
    page.locator(f"form[action='{prepare}'] select[name=client]").select_option(
        str(client.public_id)
    )
    page.locator(f"form[action='{prepare}'] [name=topic]").fill(
        "Comment déléguer sans tout reprendre ?"
    )
    submit(page, prepare, "button[name=start]")
    expect(page.locator(".codev-timer")).to_be_visible()
    assert_accessible(page)

    next_step = reverse("seances:codev_step_next", args=[seance.public_id])
    for number in range(1, 7):
        expect(page.locator("[aria-current=step]")).to_contain_text(str(number))
        if number == 5:
            add = reverse("seances:codev_action_add", args=[seance.public_id])
            page.locator(f"form[action='{add}'] [name=title]").fill(
                "Confier la préparation de la réunion à un binôme"
            )
            submit(page, add)
        page.locator("form#notes textarea").fill(f"Notes de l'étape {number}")
        page.locator(f"form#notes button[formaction='{next_step}']").click()
        page.wait_for_load_state("networkidle")

    seance.refresh_from_db()
    assert seance.codev_step == 7
    notes = dict(seance.codev_steps.values_list("number", "notes"))
    assert notes == {n: f"Notes de l'étape {n}" for n in range(1, 7)}
    assert ActionItem.objects.filter(
        beneficiary=client, seance=seance, title__startswith="Confier la préparation"
    ).exists()
    expect(page.get_by_text("Notes de l'étape 6")).to_be_visible()
    assert_accessible(page)

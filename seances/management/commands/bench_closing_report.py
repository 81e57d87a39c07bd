"""Time the session-closing report: a typical validated record (eight tasks, long-ish texts,
a logo, a next appointment) rendered N times. Built in a transaction that is rolled back, so
it runs on any database, demo or production, and leaves nothing behind."""

import datetime
import io
import statistics
import time
import uuid
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.enums import OrganizationKind
from accounts.models import Organization, User
from beneficiaires.enums import BeneficiaryKind
from beneficiaires.models import Beneficiary
from programmes.enums import OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme
from seances.documents import closing_report_document, render_closing_report_pdf
from seances.enums import (
    AppointmentStatus,
    Channel,
    ExchangeChannel,
    ExchangeFrequency,
    ExpectationsMet,
    SeanceKind,
    TaskOwner,
)
from seances.models import Appointment, Attendance, ClosingRecord, Seance
from seances.services import closing

PARIS = ZoneInfo("Europe/Paris")
PARAGRAPH = (
    "Nous avons repris ensemble le montage du projet de coopération entre les deux "
    "associations du quartier : la répartition des rôles, le calendrier des prochaines "
    "réunions et les financements possibles auprès de la commune et de la région. "
)
SHORT = "Relire le dossier avant le dépôt et mettre en relation avec le réseau des tiers-lieux."


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Render a typical session-closing report N times; print median, p95, max and pages."

    def add_arguments(self, parser):
        parser.add_argument("--renders", type=int, default=20, help="Timed renders (default 20).")
        parser.add_argument(
            "--record", help="public_id of an existing validated record to render instead."
        )

    def handle(self, *args, renders: int, record: str | None, **options):
        if renders < 1:
            raise CommandError("--renders must be at least 1.")
        if record:
            existing = ClosingRecord.objects.validated().filter(public_id=record).first()
            if existing is None:
                raise CommandError("No validated closing record with this public_id.")
            self._bench(existing, renders)
            return
        logo_name = None
        try:
            with transaction.atomic():
                typical, logo_name = self._typical_record()
                self._bench(typical, renders)
                raise _Rollback
        except _Rollback:
            pass
        finally:
            if logo_name:
                default_storage.delete(logo_name)

    def _bench(self, record: ClosingRecord, renders: int) -> None:
        started = time.perf_counter()
        pdf = render_closing_report_pdf(record)  # cold: fonts and stylesheets loaded once
        cold = (time.perf_counter() - started) * 1000
        timings = []
        for _ in range(renders):
            started = time.perf_counter()
            render_closing_report_pdf(record)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        pages = len(closing_report_document(record).pages)
        self.stdout.write(
            f"closing report: {renders} renders, {pages} page(s), {len(pdf) / 1024:.0f} KB, "
            f"{len(record.snapshot['tasks'])} tasks\n"
            f"  first render {cold:.0f} ms\n"
            f"  median {statistics.median(timings):.0f} ms · p95 {p95:.0f} ms · "
            f"max {timings[-1]:.0f} ms"
        )

    def _typical_record(self) -> tuple[ClosingRecord, str]:
        suffix = uuid.uuid4().hex[:8]
        organization = Organization.objects.create(
            name="Maison des projets (banc d'essai)",
            kind=OrganizationKind.SUPPORT,
            territory="Rhône",
        )
        programme = Programme.objects.create(
            organization=organization,
            title="Appui à la coopération entre associations",
            start_date=datetime.date(2026, 9, 1),
            status=ProgrammeStatus.OPEN,
        )
        logo_name = default_storage.save(f"programmes/logos/bench-{suffix}.png", _logo())
        programme.logo.name = logo_name
        programme.save(update_fields=["logo"])
        offer = Offer.objects.create(
            programme=programme,
            kind=OfferKind.COACHING,
            title="Appui individuel",
            mode=OfferMode.INDIVIDUAL,
            capacity=1,
            duration_minutes=90,
        )
        mentor = User.objects.create(
            email=f"banc-{suffix}@example.org", first_name="Claire", last_name="Morel"
        )
        beneficiary = Beneficiary.objects.create(
            organization=organization,
            kind=BeneficiaryKind.ASSOCIATION,
            name="Association Les Jardins partagés de la Croix-Rousse",
            contact_name="Karim Benali",
            email=f"jardins-{suffix}@example.org",
        )
        # Two days ago at 14:00: the tasks fall due in the coming weeks, as they would.
        day = timezone.localdate() - datetime.timedelta(days=2)
        day -= datetime.timedelta(days=max(0, day.weekday() - 4))  # a weekday
        starts_at = datetime.datetime.combine(day, datetime.time(14), tzinfo=PARIS)
        seance = Seance.objects.create(
            kind=SeanceKind.INDIVIDUAL,
            offer=offer,
            mentor=mentor,
            starts_at=starts_at,
            duration_minutes=90,
            channel=Channel.IN_PERSON,
            topic="Monter le dossier de coopération",
        )
        Attendance.objects.create(seance=seance, beneficiary=beneficiary)
        Appointment.objects.create(
            offer=offer,
            mentor=mentor,
            beneficiary=beneficiary,
            starts_at=starts_at + datetime.timedelta(days=21),
            ends_at=starts_at + datetime.timedelta(days=21, minutes=90),
            status=AppointmentStatus.BOOKED,
            channel=Channel.IN_PERSON,
            location="12 rue des Projets, Lyon",
        )
        record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
        closing.record_update(
            record=record,
            acting_user=mentor,
            expectations=PARAGRAPH,
            expectations_met=ExpectationsMet.PARTLY,
            content=PARAGRAPH * 2,
            next_step=PARAGRAPH,
            means_and_resources=PARAGRAPH,
            future_needs=PARAGRAPH,
            mentor_can_help_with=SHORT,
            relay_consent=True,
            next_frequency=ExchangeFrequency.MONTHLY,
            next_date=day + datetime.timedelta(days=21),
            next_channels=[ExchangeChannel.EMAIL, ExchangeChannel.IN_PERSON],
            beneficiary_commitments=PARAGRAPH,
            mentor_commitments=SHORT,
            misunderstandings=SHORT,
        )
        owners = [TaskOwner.BENEFICIARY, TaskOwner.MENTOR, TaskOwner.BOTH, TaskOwner.BENEFICIARY]
        for number in range(8):
            closing.record_task_add(
                record=record,
                acting_user=mentor,
                title=f"Tâche {number + 1} : préparer la pièce du dossier et la faire relire",
                owner=owners[number % len(owners)],
                due_on=day + datetime.timedelta(days=7 * (number + 1)),
            )
        return closing.record_validate(record=record, acting_user=mentor), logo_name


def _logo() -> ContentFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 160), (31, 78, 121))
    ImageDraw.Draw(image).rectangle((24, 24, 136, 136), fill=(255, 191, 71))
    content = io.BytesIO()
    image.save(content, format="PNG")
    return ContentFile(content.getvalue())

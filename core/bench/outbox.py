"""The bench's outbox: exactly the plan's number of notifications, about the rows written
before (closing reports, evaluation invitations, group registrations, appointments).

Rows due in the past are mostly sent, a few failed, skipped or still due; rows ahead are
pending; reminders of a cancelled appointment were cancelled with it."""

import datetime

from core.bench import texts
from core.bench.base import CHUNK_SIZE, Context
from evaluation.models import Invitation
from notifications.enums import Channel, NotificationKind, NotificationStatus
from notifications.models import Notification
from seances.enums import AppointmentStatus, RecordStatus
from seances.models import Appointment, ClosingRecord, Registration

SHARES = {"closing_report": 0.08, "evaluation_invitation": 0.12, "registration": 0.10}
CLOSING_REPORT_RENDER = "seances.documents.closing_report_attachment"


class Outbox:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.buffer: list[Notification] = []
        self.written = 0

    def add(self, row: Notification) -> None:
        self.buffer.append(row)
        self.written += 1
        if len(self.buffer) >= CHUNK_SIZE:
            self.flush()

    def flush(self) -> None:
        self.ctx.insert(self.buffer)
        self.buffer = []

    def row(
        self,
        *,
        kind: str,
        beneficiary_id: int | None = None,
        mentor_id: int | None = None,
        object_type: str,
        object_id: int,
        scheduled_for: datetime.datetime,
        programme_id: int,
        cancelled: bool = False,
        attachments: list | None = None,
    ) -> Notification:
        ctx, rng = self.ctx, self.ctx.rng
        if mentor_id is not None:
            mentor = ctx.mentors[mentor_id]
            channel, address, user_id, name = Channel.EMAIL, mentor.email, mentor_id, mentor.name
            organization = mentor.organization
        else:
            beneficiary = ctx.beneficiaries[beneficiary_id]
            channel = Channel.EMAIL if beneficiary.email else Channel.SMS
            address = beneficiary.email or beneficiary.phone
            user_id, name = beneficiary.user_id, beneficiary.contact_name or beneficiary.name
            organization = beneficiary.organization
        subject = texts.NOTIFICATION_SUBJECTS[kind]
        row = Notification(
            kind=kind,
            channel=channel,
            recipient_id=user_id,
            to_address=address,
            object_type=object_type,
            object_id=str(object_id),
            programme_id=programme_id,
            organization_id=ctx.organizations[organization].pk,
            scheduled_for=scheduled_for,
            subject=subject if channel == Channel.EMAIL else "",
            body_text=f"Bonjour {name},\n\n{subject}.\n\nL'équipe d'accompagnement",
            attachments=(attachments or []) if channel == Channel.EMAIL else [],
        )
        if cancelled and scheduled_for > ctx.now - datetime.timedelta(days=2):
            row.status = NotificationStatus.CANCELLED
        elif scheduled_for > ctx.now:
            row.status = NotificationStatus.PENDING
        else:
            draw = rng.random()
            if draw < 0.004:
                row.status = NotificationStatus.PENDING  # due: the next scan sends it
            elif draw < 0.024:
                row.status = NotificationStatus.FAILED
                row.attempts = 5
                row.last_error = "SMTPRecipientsRefused: 550 adresse inconnue"
            elif draw < 0.034:
                row.status = NotificationStatus.SKIPPED
                row.last_error = "muted by the recipient"
            elif cancelled:
                row.status = NotificationStatus.CANCELLED
            else:
                row.status = NotificationStatus.SENT
                row.attempts = 1
                row.sent_at = scheduled_for + datetime.timedelta(seconds=rng.randint(5, 90))
        return row


def seed_notifications(ctx: Context) -> None:
    outbox = Outbox(ctx)
    total = ctx.plan.notifications
    programme_ids = [programme.pk for programme in ctx.programmes]
    # Closing reports: one email per validated record to a person with an address.
    budget = int(total * SHARES["closing_report"])
    records = ClosingRecord.objects.filter(
        seance__offer__programme_id__in=programme_ids, status=RecordStatus.VALIDATED
    ).values_list("pk", "beneficiary_id", "validated_at", "seance__offer__programme_id")
    _stream(ctx, outbox, records, budget, _closing_report)
    budget = outbox.written + int(total * SHARES["evaluation_invitation"])
    invitations = Invitation.objects.filter(
        questionnaire__programme_id__in=programme_ids
    ).values_list("pk", "beneficiary_id", "expires_at", "questionnaire__programme_id")
    _stream(ctx, outbox, invitations, budget, _invitation)
    budget = outbox.written + int(total * SHARES["registration"])
    registrations = Registration.objects.filter(
        session__offer__programme_id__in=programme_ids
    ).values_list(
        "pk", "beneficiary_id", "session__starts_at", "status", "session__offer__programme_id"
    )
    _stream(ctx, outbox, registrations, budget, _registration)
    appointments = Appointment.objects.filter(offer__programme_id__in=programme_ids).values_list(
        "pk", "beneficiary_id", "mentor_id", "starts_at", "status", "offer__programme_id"
    )
    _stream(ctx, outbox, appointments, total, _appointment)
    outbox.flush()
    if outbox.written != total:
        raise ValueError(f"{outbox.written} notifications written, {total} planned")


def _stream(ctx: Context, outbox: Outbox, rows, budget: int, make) -> None:
    """Rows about a share of the sources, spread over all of them; a second pass over the
    sources left out when the first fell short."""
    if outbox.written >= budget:
        return
    rng = ctx.rng
    count = rows.count()
    probability = min(1.0, 1.3 * (budget - outbox.written) / 2.5 / max(1, count))
    used = set()
    for second_pass in (False, True):
        for source in rows.order_by("pk").iterator(chunk_size=CHUNK_SIZE):
            if outbox.written >= budget:
                return
            if source[0] in used or (not second_pass and rng.random() >= probability):
                continue
            used.add(source[0])
            for row in make(outbox, source):
                if outbox.written >= budget:
                    return
                outbox.add(row)


def _closing_report(outbox: Outbox, source):
    pk, beneficiary_id, validated_at, programme_id = source
    if not outbox.ctx.beneficiaries[beneficiary_id].email:
        return []
    return [
        outbox.row(
            kind=NotificationKind.CLOSING_REPORT,
            beneficiary_id=beneficiary_id,
            object_type="seances.closingrecord",
            object_id=pk,
            scheduled_for=validated_at,
            programme_id=programme_id,
            attachments=[
                {
                    "filename": f"compte-rendu-{pk}.pdf",
                    "mimetype": "application/pdf",
                    "render": CLOSING_REPORT_RENDER,
                    "object_id": pk,
                }
            ],
        )
    ]


def _invitation(outbox: Outbox, source):
    pk, beneficiary_id, expires_at, programme_id = source
    return [
        outbox.row(
            kind=NotificationKind.EVALUATION_INVITATION,
            beneficiary_id=beneficiary_id,
            object_type="evaluation.invitation",
            object_id=pk,
            scheduled_for=min(outbox.ctx.now, expires_at - datetime.timedelta(days=30)),
            programme_id=programme_id,
        )
    ]


def _registration(outbox: Outbox, source):
    pk, beneficiary_id, starts_at, status, programme_id = source
    common = {
        "beneficiary_id": beneficiary_id,
        "object_type": "seances.registration",
        "object_id": pk,
        "programme_id": programme_id,
    }
    rows = [
        outbox.row(
            kind=NotificationKind.REGISTRATION_CONFIRMED,
            scheduled_for=starts_at - datetime.timedelta(days=10),
            **common,
        )
    ]
    if status not in ("cancelled", "waitlisted"):
        rows.append(
            outbox.row(
                kind=NotificationKind.GROUP_SESSION_REMINDER,
                scheduled_for=starts_at - datetime.timedelta(hours=48),
                **common,
            )
        )
    return rows


def _appointment(outbox: Outbox, source):
    pk, beneficiary_id, mentor_id, starts_at, status, programme_id = source
    cancelled = status == AppointmentStatus.CANCELLED
    common = {"object_type": "seances.appointment", "object_id": pk, "programme_id": programme_id}
    rows = [
        outbox.row(
            kind=NotificationKind.APPOINTMENT_CONFIRMED,
            beneficiary_id=beneficiary_id,
            scheduled_for=starts_at - datetime.timedelta(days=7),
            **common,
        ),
        outbox.row(
            kind=NotificationKind.APPOINTMENT_CONFIRMED,
            mentor_id=mentor_id,
            scheduled_for=starts_at - datetime.timedelta(days=7),
            **common,
        ),
    ]
    for hours in (48, 2):
        rows.append(
            outbox.row(
                kind=NotificationKind.APPOINTMENT_REMINDER,
                beneficiary_id=beneficiary_id,
                scheduled_for=starts_at - datetime.timedelta(hours=hours),
                cancelled=cancelled,
                **common,
            )
        )
    if cancelled:
        rows.append(
            outbox.row(
                kind=NotificationKind.APPOINTMENT_CANCELLED,
                beneficiary_id=beneficiary_id,
                scheduled_for=starts_at - datetime.timedelta(days=1, hours=3),
                **common,
            )
        )
    return rows

"""The bench's agenda and what took place: group sessions with their registrations,
appointments on the mentors' windows (never overlapping), the séances opened from both,
attendances, hotline calls, co-development steps, closing records and action plans."""

import datetime

from django.utils import formats, timezone, translation

from core.bench import texts
from core.bench.base import CHUNK_SIZE, PARIS, Context, apportion, at
from core.bench.plan import SEANCES_FROM_APPOINTMENTS
from programmes.enums import OfferMode
from seances.enums import (
    ATTENDANCE_FROM_APPOINTMENT,
    ATTENDANCE_FROM_REGISTRATION,
    CODEV_STEP_MINUTES,
    ActorRole,
    AppointmentStatus,
    Channel,
    ExchangeChannel,
    ExchangeFrequency,
    ExpectationsMet,
    GroupSessionStatus,
    ParticipantRole,
    RecordStatus,
    RegistrationStatus,
    SeanceKind,
    TaskOwner,
    TaskStatus,
)
from seances.models import (
    ActionItem,
    Appointment,
    Attendance,
    ClosingRecord,
    CodevStep,
    GroupSession,
    HotlineCall,
    Registration,
    Seance,
)
from seances.services.closing import SNAPSHOT_FORMAT

SEANCE_KIND = {
    "coaching": SeanceKind.INDIVIDUAL,
    "individual_appointment": SeanceKind.INDIVIDUAL,
    "hotline": SeanceKind.HOTLINE,
    "codevelopment": SeanceKind.CODEVELOPMENT,
}
PAST_STATUSES = [
    (AppointmentStatus.ATTENDED, 74),
    (AppointmentStatus.CANCELLED, 12),
    (AppointmentStatus.NO_SHOW, 7),
    (AppointmentStatus.EXCUSED, 4),
    (AppointmentStatus.BOOKED, 3),  # outcome not recorded yet
]
# Of the séances of attended one-to-one appointments, those with a closing record.
WITH_RECORD = 0.6
REPORT_LANGUAGE = "fr"


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _channel(offer) -> str:
    if offer.kind == "hotline":
        return Channel.PHONE
    return Channel.IN_PERSON


# --- Group sessions ------------------------------------------------------------------------


def seed_group_sessions(ctx: Context) -> None:
    rng = ctx.rng
    group_offers = [o for o in ctx.offers.values() if o.mode == OfferMode.GROUP]
    counts = apportion(ctx.plan.group_sessions, [1] * len(group_offers))
    span = (ctx.weeks * 7) - 1
    sessions = []
    for offer, count in zip(group_offers, counts, strict=True):
        organisers = ctx.offer_mentors[offer.pk]
        for k in range(count):
            day = ctx.first_monday + datetime.timedelta(days=int((k + rng.random()) * span / count))
            # Evenings on weekdays, Saturday mornings for trainings: outside the windows.
            if offer.kind == "training":
                day += datetime.timedelta(days=5 - day.weekday())
                starts_at = at(day, 9, 30)
            else:
                day -= datetime.timedelta(days=max(0, day.weekday() - 4))
                starts_at = at(day, 18)
            cancelled = rng.random() < 0.05
            sessions.append(
                GroupSession(
                    offer=offer,
                    organiser_id=organisers[k % len(organisers)],
                    title=offer.title,
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(minutes=offer.duration_minutes),
                    capacity=offer.capacity,
                    channel=Channel.IN_PERSON,
                    location=ctx.organizations[ctx.mentors[organisers[0]].organization].name,
                    status=GroupSessionStatus.CANCELLED
                    if cancelled
                    else GroupSessionStatus.SCHEDULED,
                    cancelled_at=starts_at - datetime.timedelta(days=3) if cancelled else None,
                    cancel_reason="Trop peu d'inscrits" if cancelled else "",
                )
            )
    for start in range(0, len(sessions), CHUNK_SIZE // 10):
        _group_chunk(ctx, ctx.insert(sessions[start : start + CHUNK_SIZE // 10]))


def _group_chunk(ctx: Context, sessions: list[GroupSession]) -> None:
    rng = ctx.rng
    registrations, held = [], []
    for session in sessions:
        offer = ctx.offers[session.offer_id]
        people = ctx.offer_beneficiaries.get(offer.pk) or []
        if not people:
            continue
        past = session.starts_at < ctx.now
        wanted = min(len(people), session.capacity + (2 if not past else 0))
        chosen = rng.sample(people, wanted)
        attendees = []
        for i, beneficiary_id in enumerate(chosen):
            if session.status == GroupSessionStatus.CANCELLED:
                status = RegistrationStatus.CANCELLED
            elif i >= session.capacity:
                status = RegistrationStatus.WAITLISTED
            elif not past:
                status = RegistrationStatus.REGISTERED
            else:
                status = _pick(
                    rng,
                    [
                        (RegistrationStatus.ATTENDED, 80),
                        (RegistrationStatus.EXCUSED, 8),
                        (RegistrationStatus.NO_SHOW, 12),
                    ],
                )
                attendees.append((beneficiary_id, status))
            user_id = ctx.beneficiaries[beneficiary_id].user_id
            registrations.append(
                Registration(
                    session=session,
                    beneficiary_id=beneficiary_id,
                    status=status,
                    cancelled_at=session.cancelled_at,
                    booked_by_id=user_id or session.organiser_id,
                )
            )
        if attendees:
            held.append((session, attendees))
    ctx.insert(registrations)
    seances = [
        Seance(
            kind=SEANCE_KIND.get(ctx.offers[session.offer_id].kind, SeanceKind.GROUP),
            offer_id=session.offer_id,
            mentor_id=session.organiser_id,
            group_session=session,
            starts_at=session.starts_at,
            duration_minutes=ctx.offers[session.offer_id].duration_minutes,
            channel=session.channel,
            topic=rng.choice(texts.TOPICS),
            codev_step=7 if ctx.offers[session.offer_id].kind == "codevelopment" else 0,
            created_by_id=session.organiser_id,
        )
        for session, _ in held
    ]
    ctx.insert(seances)
    ctx.group_seances += len(seances)
    attendances, steps = [], []
    for seance, (_, attendees) in zip(seances, held, strict=True):
        codev = seance.kind == SeanceKind.CODEVELOPMENT
        for i, (beneficiary_id, status) in enumerate(attendees):
            role = ParticipantRole.PARTICIPANT
            if codev:
                role = ParticipantRole.CLIENT if i == 0 else ParticipantRole.CONSULTANT
            attendances.append(
                Attendance(
                    seance=seance,
                    beneficiary_id=beneficiary_id,
                    status=ATTENDANCE_FROM_REGISTRATION[status],
                    role=role,
                )
            )
        if codev:
            moment = seance.starts_at
            for number, minutes in CODEV_STEP_MINUTES.items():
                steps.append(
                    CodevStep(
                        seance=seance,
                        number=number,
                        notes="Notes de l'étape.",
                        planned_minutes=minutes,
                        started_at=moment,
                        ended_at=moment + datetime.timedelta(minutes=minutes),
                    )
                )
                moment += datetime.timedelta(minutes=minutes)
    ctx.insert(attendances)
    ctx.insert(steps)


# --- Appointments ---------------------------------------------------------------------------


def _slot_times(ctx: Context, mentor_id: int, windows, count: int) -> list[datetime.datetime]:
    """`count` distinct slots of the mentor's windows for one offer, in time order. The
    windows of a mentor's offers are on distinct half-days, so slots never overlap."""
    blocked = ctx.blocked_week.get(mentor_id)
    slots = [
        (week, w, pos)
        for week in range(ctx.weeks)
        if week != blocked
        for w in range(len(windows))
        for pos in range(2)
    ]
    chosen = sorted(ctx.rng.sample(slots, count))
    times = []
    for week, w, pos in chosen:
        weekday, hour = windows[w]
        day = ctx.first_monday + datetime.timedelta(weeks=week, days=weekday)
        times.append(at(day, hour) + datetime.timedelta(minutes=90 * pos))
    return times


def seed_appointments(ctx: Context) -> None:
    plan, rng = ctx.plan, ctx.rng
    pairs = sorted(p for p in ctx.pair_beneficiaries if p in ctx.windows)
    capacity = [
        (ctx.weeks - (1 if mentor_id in ctx.blocked_week else 0))
        * len(ctx.windows[(mentor_id, offer_id)])
        * 2
        for mentor_id, offer_id in pairs
    ]
    counts = apportion(plan.appointments, [len(ctx.pair_beneficiaries[p]) for p in pairs], capacity)
    # Séances opened from appointments: a share of the séances, the rest from group sessions
    # and hotline calls. Probability per held past appointment, capped by the budget.
    past_share = (ctx.now.date() - ctx.first_monday).days / (ctx.weeks * 7)
    held_share = 1 - sum(w for s, w in PAST_STATUSES if s in ("cancelled", "booked")) / 100
    target = int(plan.seances * SEANCES_FROM_APPOINTMENTS)
    ctx.seance_probability = min(
        1.0, target / max(1.0, plan.appointments * past_share * held_share)
    )
    ctx.seance_budget = min(target, plan.seances - ctx.group_seances)
    buffer = []
    for (mentor_id, offer_id), count in zip(pairs, counts, strict=True):
        if not count:
            continue
        offer = ctx.offers[offer_id]
        people = ctx.pair_beneficiaries[(mentor_id, offer_id)]
        for starts_at in _slot_times(ctx, mentor_id, ctx.windows[(mentor_id, offer_id)], count):
            buffer.append(_appointment(ctx, offer, mentor_id, rng.choice(people), starts_at))
            if len(buffer) >= CHUNK_SIZE:
                _appointment_chunk(ctx, buffer)
                buffer = []
    _appointment_chunk(ctx, buffer)


def _appointment(ctx: Context, offer, mentor_id, beneficiary_id, starts_at) -> Appointment:
    rng = ctx.rng
    if starts_at < ctx.now:
        status = _pick(rng, PAST_STATUSES)
    else:
        status = AppointmentStatus.CANCELLED if rng.random() < 0.08 else AppointmentStatus.BOOKED
    user_id = ctx.beneficiaries[beneficiary_id].user_id
    cancelled = status == AppointmentStatus.CANCELLED
    by_beneficiary = cancelled and user_id and rng.random() < 0.7
    return Appointment(
        offer_id=offer.pk,
        mentor_id=mentor_id,
        beneficiary_id=beneficiary_id,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=offer.duration_minutes),
        status=status,
        channel=_channel(offer),
        location="" if offer.kind == "hotline" else "Dans les locaux de la structure",
        reason=rng.choice(texts.REASONS),
        booked_by_id=user_id or mentor_id,
        booked_on_behalf=user_id is None,
        cancelled_at=starts_at - datetime.timedelta(days=rng.randint(1, 5)) if cancelled else None,
        cancelled_by_id=(user_id if by_beneficiary else mentor_id) if cancelled else None,
        cancelled_by_role=(ActorRole.BENEFICIARY if by_beneficiary else ActorRole.MENTOR)
        if cancelled
        else "",
        cancel_reason=rng.choice(texts.CANCEL_REASONS) if cancelled else "",
        sequence=1 if cancelled else 0,
    )


def _appointment_chunk(ctx: Context, appointments: list[Appointment]) -> None:
    rng = ctx.rng
    ctx.insert(appointments)
    opened = []
    for appointment in appointments:
        if (
            appointment.starts_at < ctx.now
            and appointment.status in ATTENDANCE_FROM_APPOINTMENT
            and appointment.status != AppointmentStatus.BOOKED
            and ctx.appointment_seances < ctx.seance_budget
            and rng.random() < ctx.seance_probability
        ):
            ctx.appointment_seances += 1
            offer = ctx.offers[appointment.offer_id]
            opened.append(
                Seance(
                    kind=SEANCE_KIND.get(offer.kind, SeanceKind.INDIVIDUAL),
                    offer_id=offer.pk,
                    mentor_id=appointment.mentor_id,
                    appointment=appointment,
                    starts_at=appointment.starts_at,
                    duration_minutes=offer.duration_minutes,
                    channel=appointment.channel,
                    topic=rng.choice(texts.TOPICS),
                    created_by_id=appointment.mentor_id,
                )
            )
    ctx.insert(opened)
    ctx.insert(
        Attendance(
            seance=seance,
            beneficiary_id=seance.appointment.beneficiary_id,
            status=ATTENDANCE_FROM_APPOINTMENT[seance.appointment.status],
        )
        for seance in opened
    )
    ctx.insert(
        HotlineCall(
            seance=seance,
            advice_given=rng.choice(texts.HOTLINE_ADVICE),
            follow_up_needed=rng.random() < 0.3,
        )
        for seance in opened
        if seance.kind == SeanceKind.HOTLINE
    )
    _closing_records(
        ctx,
        [
            (seance, seance.appointment.beneficiary_id)
            for seance in opened
            if seance.kind == SeanceKind.INDIVIDUAL
            and seance.appointment.status == AppointmentStatus.ATTENDED
            and rng.random() < WITH_RECORD
        ],
    )


# --- Closing records and action plans -------------------------------------------------------


def _closing_records(ctx: Context, pairs: list[tuple[Seance, int]]) -> None:
    """Two records in three validated (a few then corrected into a second version), the rest
    drafts; one or two tasks on each."""
    rng = ctx.rng
    records, tasks = [], []
    for n, (seance, beneficiary_id) in enumerate(pairs):
        validated = rng.random() < 0.67
        record = ClosingRecord(
            seance=seance,
            beneficiary_id=beneficiary_id,
            status=RecordStatus.VALIDATED if validated else RecordStatus.DRAFT,
            expectations="Savoir par où commencer.",
            expectations_met=rng.choice(ExpectationsMet.values),
            content=texts.RECORD_CONTENT[n % len(texts.RECORD_CONTENT)],
            next_step=texts.NEXT_STEPS[n % len(texts.NEXT_STEPS)],
            means_and_resources="Deux heures par semaine.",
            next_frequency=rng.choice(ExchangeFrequency.values),
            next_channels=[ExchangeChannel.EMAIL, ExchangeChannel.IN_PERSON],
            beneficiary_commitments="Envoyer le budget avant le prochain rendez-vous.",
            mentor_commitments="Transmettre les contacts des financeurs.",
            created_by_id=seance.mentor_id,
            validated_at=min(
                ctx.now, seance.starts_at + datetime.timedelta(hours=rng.randint(2, 72))
            )
            if validated
            else None,
            validated_by_id=seance.mentor_id if validated else None,
        )
        records.append(record)
        for k in range(rng.choice([1, 1, 2])):
            due = seance.starts_at.date() + datetime.timedelta(days=rng.randint(10, 30))
            status = _pick(
                rng,
                [
                    (TaskStatus.DONE, 50),
                    (TaskStatus.TODO, 25),
                    (TaskStatus.IN_PROGRESS, 15),
                    (TaskStatus.DROPPED, 10),
                ],
            )
            tasks.append(
                (
                    record,
                    ActionItem(
                        beneficiary_id=beneficiary_id,
                        seance=seance,
                        title=texts.TASK_TITLES[(n + k) % len(texts.TASK_TITLES)],
                        owner=TaskOwner.MENTOR if k else TaskOwner.BENEFICIARY,
                        due_on=due,
                        status=status,
                        status_changed_at=seance.starts_at + datetime.timedelta(days=7)
                        if status != TaskStatus.TODO
                        else None,
                        status_changed_by_id=seance.mentor_id
                        if status != TaskStatus.TODO
                        else None,
                        created_by_id=seance.mentor_id,
                    ),
                )
            )
    tasks_of: dict[int, list[ActionItem]] = {}
    for record, task in tasks:
        tasks_of.setdefault(id(record), []).append(task)
    with translation.override(REPORT_LANGUAGE):
        for record in records:
            if record.status == RecordStatus.VALIDATED:
                record.snapshot = _snapshot(ctx, record, tasks_of.get(id(record), []), version=1)
    ctx.insert(records)
    corrections = []
    for record in records:
        if record.status == RecordStatus.VALIDATED and rng.random() < 0.05:
            correction = ClosingRecord(
                seance_id=record.seance_id,
                beneficiary_id=record.beneficiary_id,
                version=2,
                status=RecordStatus.VALIDATED,
                previous=record,
                correction_reason="Le second financeur cité n'était pas le bon.",
                expectations=record.expectations,
                expectations_met=record.expectations_met,
                content=record.content,
                next_step=record.next_step,
                means_and_resources=record.means_and_resources,
                next_frequency=record.next_frequency,
                next_channels=record.next_channels,
                created_by_id=record.created_by_id,
                validated_at=min(ctx.now, record.validated_at + datetime.timedelta(days=2)),
                validated_by_id=record.validated_by_id,
            )
            correction.seance = record.seance
            with translation.override(REPORT_LANGUAGE):
                correction.snapshot = _snapshot(ctx, correction, [], version=2)
            corrections.append(correction)
    ctx.insert(corrections)
    ctx.insert(task for _, task in tasks)


def _snapshot(ctx: Context, record: ClosingRecord, tasks, *, version: int) -> dict:
    """What the report prints, in the shape `seances.services.closing.build_snapshot` gives."""
    seance = record.seance
    offer = ctx.offers[seance.offer_id]
    programme = offer.programme
    beneficiary = ctx.beneficiaries[record.beneficiary_id]
    local = timezone.localtime(seance.starts_at, PARIS)
    validated = timezone.localtime(record.validated_at, PARIS)
    mentor = ctx.mentors[seance.mentor_id].name
    return {
        "format": SNAPSHOT_FORMAT,
        "programme": {
            "title": programme.title,
            "organization": ctx.organizations[beneficiary.organization].name,
            "logo": None,
        },
        "offer": offer.title,
        "mentor": mentor,
        "co_mentors": [],
        "beneficiary": beneficiary.name,
        "beneficiary_contact": beneficiary.contact_name,
        "seance": {
            "date": formats.date_format(local, "l j F Y"),
            "date_iso": local.date().isoformat(),
            "time": formats.time_format(local, "H:i"),
            "duration_minutes": seance.duration_minutes,
            "kind": str(seance.get_kind_display()),
            "offer": offer.title,
            "channel": str(seance.get_channel_display()) if seance.channel else "",
            "topic": seance.topic,
        },
        "fields": {
            "expectations": record.expectations,
            "content": record.content,
            "next_step": record.next_step,
            "means_and_resources": record.means_and_resources,
            "future_needs": record.future_needs,
            "mentor_can_help_with": record.mentor_can_help_with,
            "beneficiary_commitments": record.beneficiary_commitments,
            "mentor_commitments": record.mentor_commitments,
            "misunderstandings": record.misunderstandings,
            "expectations_met": str(record.get_expectations_met_display()),
            "relay_consent": "Non",
            "next_frequency": str(record.get_next_frequency_display()),
            "next_date": "",
            "next_channels": ", ".join(record.next_channel_labels()),
        },
        "tasks": [
            {
                "title": task.title,
                "owner": task.owner_label(),
                "due_on": formats.date_format(task.due_on, "j F Y"),
                "due_on_iso": task.due_on.isoformat(),
                "status": str(task.get_status_display()),
                "status_value": task.status,
                "overdue": bool(task.is_open and task.due_on < ctx.today),
                "earlier": False,
                "origin": "",
            }
            for task in tasks
        ],
        "next_appointment": None,
        "version": version,
        "correction_reason": record.correction_reason,
        "validated_at": f"{formats.date_format(validated, 'j F Y')} à "
        f"{formats.time_format(validated, 'H:i')}",
        "validated_at_iso": record.validated_at.isoformat(),
        "validated_by": mentor,
    }


# --- Hotline calls not booked ---------------------------------------------------------------


def seed_hotline_calls(ctx: Context) -> None:
    """The séances left to reach the plan's total: hotline calls taken as they came, most from
    someone already followed (an attendance), the others from a caller not yet known."""
    rng = ctx.rng
    remaining = ctx.plan.seances - ctx.group_seances - ctx.appointment_seances
    hotlines = [o for o in ctx.offers.values() if o.kind == "hotline"]
    while remaining > 0:
        size = min(CHUNK_SIZE, remaining)
        seances, callers = [], []
        for _ in range(size):
            offer = rng.choice(hotlines)
            mentor_id = rng.choice(ctx.offer_mentors[offer.pk])
            day = ctx.today - datetime.timedelta(days=rng.randint(1, 720))
            day -= datetime.timedelta(days=max(0, day.weekday() - 4))
            people = ctx.offer_beneficiaries.get(offer.pk) or []
            callers.append(rng.choice(people) if people and rng.random() < 0.7 else None)
            seances.append(
                Seance(
                    kind=SeanceKind.HOTLINE,
                    offer_id=offer.pk,
                    mentor_id=mentor_id,
                    starts_at=at(day, rng.randint(14, 16), rng.choice([0, 15, 30, 45])),
                    duration_minutes=rng.choice([10, 15, 20, 30]),
                    channel=Channel.PHONE,
                    topic=rng.choice(texts.TOPICS),
                    created_by_id=mentor_id,
                )
            )
        ctx.insert(seances)
        ctx.insert(
            HotlineCall(
                seance=seance,
                caller_name="" if caller else f"{rng.choice(texts.FIRST_NAMES)} (appel)",
                advice_given=rng.choice(texts.HOTLINE_ADVICE),
                follow_up_needed=rng.random() < 0.2,
            )
            for seance, caller in zip(seances, callers, strict=True)
        )
        ctx.insert(
            Attendance(seance=seance, beneficiary_id=caller)
            for seance, caller in zip(seances, callers, strict=True)
            if caller
        )
        remaining -= size

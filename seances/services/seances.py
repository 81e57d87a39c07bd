"""Séances: what took place. Opening one from an appointment or a group session, recording
a hotline call, a practice-analysis observation, a tutoring meeting or an individual séance
without appointment; attendance (kept in sync with the appointment or the registrations it
came from); walk-in participants and co-development roles; confidential notes and the
observation's content, every read of which is written to the audit journal; tutoring pairs,
their learning goals and the goals' reviews at each meeting.

Attendance is mirrored on the origin through the origin's own services
(`appointment_set_status`, `registration_set_status`) inside the same transaction: their rules
(who, when, which status) apply, and when they refuse, nothing is written at all.
"""

import datetime
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from audit.models import AuditAction
from audit.services import audit_read, audit_reads, audit_record
from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Beneficiary, Enrollment
from programmes.enums import OfferKind
from programmes.models import Offer
from seances.enums import (
    APPOINTMENT_FROM_ATTENDANCE,
    ATTENDANCE_FROM_APPOINTMENT,
    ATTENDANCE_FROM_REGISTRATION,
    REGISTRATION_FROM_ATTENDANCE,
    AppointmentStatus,
    AttendanceStatus,
    Channel,
    GoalStatus,
    GroupSessionStatus,
    ParticipantRole,
    RegistrationStatus,
    SeanceKind,
)
from seances.models import (
    Appointment,
    Attendance,
    ConfidentialNote,
    GoalReview,
    GroupSession,
    HotlineCall,
    LearningGoal,
    PracticeObservation,
    Registration,
    Seance,
    TutoringPair,
)
from seances.permissions import can_read_confidential, is_seance_mentor
from seances.services.appointments import appointment_set_status, is_coordinator_of
from seances.services.groups import SEAT_STATUSES, registration_set_status

PARIS = ZoneInfo("Europe/Paris")
MAX_DURATION_MINUTES = 1440

# What an offer's séances are, when they come from an individual appointment.
KIND_FROM_OFFER = {
    OfferKind.COACHING: SeanceKind.INDIVIDUAL,
    OfferKind.INDIVIDUAL_APPOINTMENT: SeanceKind.INDIVIDUAL,
    OfferKind.PRACTICE_ANALYSIS: SeanceKind.PRACTICE_ANALYSIS,
    OfferKind.TUTORING: SeanceKind.TUTORING,
    OfferKind.HOTLINE: SeanceKind.HOTLINE,
}
# The kinds recorded without an appointment or a group session, and the offers they belong to.
STANDALONE_KINDS = {
    SeanceKind.HOTLINE: {OfferKind.HOTLINE},
    SeanceKind.PRACTICE_ANALYSIS: {OfferKind.PRACTICE_ANALYSIS},
    SeanceKind.TUTORING: {OfferKind.TUTORING},
    SeanceKind.INDIVIDUAL: {OfferKind.COACHING, OfferKind.INDIVIDUAL_APPOINTMENT},
}
GROUP_SEANCE_KINDS = (SeanceKind.GROUP, SeanceKind.CODEVELOPMENT)
# The role of the one person of an individual séance, by kind.
SOLE_ROLE = {
    SeanceKind.PRACTICE_ANALYSIS: ParticipantRole.OBSERVED,
    SeanceKind.TUTORING: ParticipantRole.TUTEE,
}

CODEV_ROLES = (ParticipantRole.CLIENT, ParticipantRole.CONSULTANT)


# --- Who may do what -----------------------------------------------------------------------


def _coordinates(user, offer: Offer) -> bool:
    """A coordinator of the offer's structure, or a superuser."""
    return is_coordinator_of(user, offer)


def is_mentor_for_offer(user, offer: Offer) -> bool:
    """One of the offer's mentors, or a mentor of the structure that runs its programme."""
    if user is None or not user.is_authenticated:
        return False
    if offer.programme.organization_id in user.organization_ids_with_role(Role.MENTOR):
        return True
    return offer.mentors.filter(pk=user.pk).exists()


def can_open_from_appointment(user, appointment: Appointment) -> bool:
    """The appointment's mentor, or a coordinator of its programme."""
    if user is None or not user.is_authenticated:
        return False
    return appointment.mentor_id == user.pk or _coordinates(user, appointment.offer)


def can_open_from_group_session(user, session: GroupSession) -> bool:
    """The session's organiser, or a coordinator of its programme."""
    if user is None or not user.is_authenticated:
        return False
    return session.organiser_id == user.pk or _coordinates(user, session.offer)


def can_manage_tutoring_pair(user, pair: TutoringPair) -> bool:
    """The tutor, or a coordinator of the programme."""
    if user is None or not user.is_authenticated:
        return False
    return pair.tutor_id == user.pk or _coordinates(user, pair.offer)


def is_observed_person(user, seance: Seance) -> bool:
    """The beneficiary observed in a practice-analysis séance."""
    if user is None or not user.is_authenticated:
        return False
    return seance.attendances.filter(
        role=ParticipantRole.OBSERVED, beneficiary__user_id=user.pk
    ).exists()


def participant_candidates(seance: Seance, user) -> QuerySet[Beneficiary]:
    """Who `user` may add to a group séance: the people they can see, and those enrolled in
    the séance's programme. Empty for anyone but the séance's mentors."""
    if not is_seance_mentor(user, seance):
        return Beneficiary.objects.none()
    programme = seance.offer.programme
    enrolled = Enrollment.objects.filter(
        offer__programme_id=programme.pk, status__in=ACTIVE_ENROLLMENT_STATUSES
    ).values("beneficiary_id")
    visible = Beneficiary.objects.visible_to(user).values("pk")
    return (
        Beneficiary.objects.filter(Q(pk__in=enrolled) | Q(pk__in=visible))
        .exclude(pk__in=seance.attendances.values("beneficiary_id"))
        .order_by("name", "pk")
    )


# --- Helpers -------------------------------------------------------------------------------


def _organization_id(seance: Seance) -> int:
    return seance.offer.programme.organization_id


def _minutes_between(start: datetime.datetime, end: datetime.datetime) -> int:
    minutes = int((end - start).total_seconds() // 60)
    return max(1, min(MAX_DURATION_MINUTES, minutes))


def _create_kind_details(seance: Seance, details: Mapping | None = None) -> None:
    """The row a kind needs beside the séance: the call log, the observation."""
    details = details or {}
    if seance.kind == SeanceKind.HOTLINE:
        HotlineCall.objects.create(
            seance=seance,
            caller_name=(details.get("caller_name") or "").strip()[:200],
            advice_given=(details.get("advice_given") or "").strip(),
            follow_up_needed=bool(details.get("follow_up_needed")),
            follow_up_note=(details.get("follow_up_note") or "").strip()[:300],
        )
    elif seance.kind == SeanceKind.PRACTICE_ANALYSIS:
        PracticeObservation.objects.create(
            seance=seance,
            situation=(details.get("situation") or "").strip(),
            observation_notes=(details.get("observation_notes") or "").strip(),
        )


def _require_mentor(seance: Seance, user) -> None:
    if not is_seance_mentor(user, seance):
        raise PermissionDenied


# --- Opening a séance from what was booked --------------------------------------------------


def seance_from_appointment(*, appointment: Appointment, acting_user) -> Seance:
    """Open the séance of an appointment that has begun; the existing one if already open."""
    if not can_open_from_appointment(acting_user, appointment):
        raise PermissionDenied
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("offer__programme", "beneficiary", "mentor")
            .get(pk=appointment.pk)
        )
        existing = Seance.objects.filter(appointment=appointment).first()
        if existing is not None:
            return existing
        if appointment.status == AppointmentStatus.CANCELLED:
            raise ValidationError(_("A cancelled appointment has no séance."))
        if appointment.starts_at > timezone.now():
            raise ValidationError(_("The séance can be recorded once the appointment has begun."))
        kind = KIND_FROM_OFFER.get(appointment.offer.kind, SeanceKind.INDIVIDUAL)
        pair = None
        if kind == SeanceKind.TUTORING:
            pair = TutoringPair.objects.filter(
                offer=appointment.offer,
                tutor=appointment.mentor,
                tutee=appointment.beneficiary,
                ended_on__isnull=True,
            ).first()
        seance = Seance.objects.create(
            kind=kind,
            offer=appointment.offer,
            mentor=appointment.mentor,
            appointment=appointment,
            tutoring_pair=pair,
            starts_at=appointment.starts_at,
            duration_minutes=_minutes_between(appointment.starts_at, appointment.ends_at),
            channel=appointment.channel,
            created_by=acting_user,
        )
        Attendance.objects.create(
            seance=seance,
            beneficiary=appointment.beneficiary,
            status=ATTENDANCE_FROM_APPOINTMENT[appointment.status],
            role=SOLE_ROLE.get(kind, ParticipantRole.PARTICIPANT),
        )
        _create_kind_details(seance)
        # The appointment still says "booked": the séance says present, so the agenda does too.
        if appointment.status == AppointmentStatus.BOOKED:
            appointment_set_status(
                appointment=appointment, status=AppointmentStatus.ATTENDED, acting_user=acting_user
            )
    return seance


def seance_from_group_session(*, session: GroupSession, acting_user) -> Seance:
    """Open the séance of a group session that has begun, one attendance per seat held."""
    if not can_open_from_group_session(acting_user, session):
        raise PermissionDenied
    with transaction.atomic():
        session = (
            GroupSession.objects.select_for_update(of=("self",))
            .select_related("offer__programme", "organiser")
            .get(pk=session.pk)
        )
        existing = Seance.objects.filter(group_session=session).first()
        if existing is not None:
            return existing
        if session.status == GroupSessionStatus.CANCELLED:
            raise ValidationError(_("A cancelled session has no séance."))
        if session.starts_at > timezone.now():
            raise ValidationError(_("The séance can be recorded once the session has begun."))
        codev = session.offer.kind == OfferKind.CODEVELOPMENT
        seance = Seance.objects.create(
            kind=SeanceKind.CODEVELOPMENT if codev else SeanceKind.GROUP,
            offer=session.offer,
            mentor=session.organiser,
            group_session=session,
            starts_at=session.starts_at,
            duration_minutes=_minutes_between(session.starts_at, session.ends_at),
            channel=session.channel,
            topic=session.title[:200],
            created_by=acting_user,
        )
        registrations = list(
            session.registrations.filter(status__in=SEAT_STATUSES)
            .select_related("beneficiary")
            .order_by("registered_at", "pk")
        )
        Attendance.objects.bulk_create(
            Attendance(
                seance=seance,
                beneficiary=registration.beneficiary,
                status=ATTENDANCE_FROM_REGISTRATION[registration.status],
                role=ParticipantRole.CONSULTANT if codev else ParticipantRole.PARTICIPANT,
            )
            for registration in registrations
        )
        # Seats not yet marked become "attended", as the séance's attendance says.
        for registration in registrations:
            if registration.status == RegistrationStatus.REGISTERED:
                registration.session = session
                registration_set_status(
                    registration=registration,
                    status=RegistrationStatus.ATTENDED,
                    acting_user=acting_user,
                )
    return seance


# --- Séances recorded without an appointment ------------------------------------------------


def _check_standalone(
    *,
    offer: Offer,
    kind: str,
    mentor,
    beneficiaries: list[Beneficiary],
    starts_at,
    duration_minutes,
    channel: str,
    acting_user,
    details: Mapping,
) -> None:
    errors: dict[str, str] = {}
    if kind not in STANDALONE_KINDS:
        errors["kind"] = _("Group and co-development séances are opened from their group session.")
        raise ValidationError(errors)
    if offer.kind not in STANDALONE_KINDS[kind]:
        errors["offer"] = _("This offer does not run this kind of séance.")
    if not is_mentor_for_offer(mentor, offer):
        errors["mentor"] = _("The mentor must be a mentor of the offer's structure.")
    if starts_at is None or timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give the date and time of the séance.")
    if duration_minutes is None or not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("A séance lasts between 1 minute and 24 hours.")
    if channel and channel not in Channel.values:
        errors["channel"] = _("Choose a channel.")
    visible = Beneficiary.objects.visible_to(acting_user).filter(
        pk__in=[b.pk for b in beneficiaries]
    )
    if visible.count() != len({b.pk for b in beneficiaries}):
        errors["beneficiaries"] = _("Choose people you follow.")
    if kind == SeanceKind.HOTLINE:
        if len(beneficiaries) > 1:
            errors["beneficiaries"] = _("A hotline call has one caller.")
        elif not beneficiaries and not (details.get("caller_name") or "").strip():
            errors["caller_name"] = _("Say who called, or choose the person in the list.")
    elif kind == SeanceKind.PRACTICE_ANALYSIS:
        if len(beneficiaries) != 1:
            errors["beneficiaries"] = _("Choose the person observed.")
    elif kind == SeanceKind.INDIVIDUAL:
        if len(beneficiaries) != 1:
            errors["beneficiaries"] = _("Choose the person met.")
    elif kind == SeanceKind.TUTORING:
        pair = details.get("tutoring_pair")
        if pair is None:
            errors["tutoring_pair"] = _("Choose the tutoring pair.")
        else:
            if pair.tutor_id != mentor.pk:
                errors["tutoring_pair"] = _("The mentor of a tutoring meeting is the tutor.")
            elif not pair.is_active:
                errors["tutoring_pair"] = _("This tutoring pair has ended.")
            elif pair.offer_id != offer.pk:
                errors["tutoring_pair"] = _("This pair belongs to another offer.")
            if any(b.pk != pair.tutee_id for b in beneficiaries):
                errors["beneficiaries"] = _("A tutoring meeting is held with the tutee.")
    if errors:
        raise ValidationError(errors)


def seance_create(
    *,
    offer: Offer,
    kind: str,
    mentor,
    beneficiaries: Iterable[Beneficiary],
    starts_at: datetime.datetime,
    duration_minutes: int,
    channel: str,
    topic: str = "",
    acting_user,
    **details,
) -> Seance:
    """Record a séance held without an appointment: a hotline call, a practice-analysis
    observation, a tutoring meeting or an individual séance.

    `details`: `caller_name`, `advice_given`, `follow_up_needed`, `follow_up_note` (hotline),
    `situation`, `observation_notes` (practice analysis), `tutoring_pair` (tutoring)."""
    if acting_user is None or not acting_user.is_authenticated:
        raise PermissionDenied
    if mentor is None or not (mentor.pk == acting_user.pk or _coordinates(acting_user, offer)):
        raise PermissionDenied
    beneficiaries = list(beneficiaries)
    pair = details.get("tutoring_pair")
    if kind == SeanceKind.TUTORING and pair is not None and not beneficiaries:
        beneficiaries = [pair.tutee]
    _check_standalone(
        offer=offer,
        kind=kind,
        mentor=mentor,
        beneficiaries=beneficiaries,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        channel=channel,
        acting_user=acting_user,
        details=details,
    )
    role = SOLE_ROLE.get(kind, ParticipantRole.PARTICIPANT)
    with transaction.atomic():
        seance = Seance.objects.create(
            kind=kind,
            offer=offer,
            mentor=mentor,
            tutoring_pair=pair if kind == SeanceKind.TUTORING else None,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            channel=channel or "",
            topic=(topic or "").strip()[:200],
            created_by=acting_user,
        )
        Attendance.objects.bulk_create(
            Attendance(seance=seance, beneficiary=beneficiary, role=role)
            for beneficiary in beneficiaries
        )
        _create_kind_details(seance, details)
    return seance


# --- Attendance and participants ------------------------------------------------------------


def _sync_origin(seance: Seance, attendance: Attendance, acting_user) -> None:
    """Mirror one attendance on the appointment or the registration it came from."""
    if seance.appointment_id is not None:
        appointment = Appointment.objects.select_related("offer__programme", "beneficiary").get(
            pk=seance.appointment_id
        )
        if appointment.beneficiary_id != attendance.beneficiary_id:
            return
        target = APPOINTMENT_FROM_ATTENDANCE[attendance.status]
        if appointment.status != target:
            appointment_set_status(appointment=appointment, status=target, acting_user=acting_user)
    elif seance.group_session_id is not None:
        registration = (
            Registration.objects.filter(
                session_id=seance.group_session_id,
                beneficiary_id=attendance.beneficiary_id,
                status__in=SEAT_STATUSES,
            )
            .select_related("session__offer__programme")
            .order_by("-registered_at", "-pk")
            .first()
        )
        if registration is None:  # a walk-in: nothing was booked
            return
        target = REGISTRATION_FROM_ATTENDANCE[attendance.status]
        if registration.status != target:
            registration_set_status(
                registration=registration, status=target, acting_user=acting_user
            )


def attendance_record(
    *, seance: Seance, statuses: Mapping[int, str], acting_user
) -> list[Attendance]:
    """Record who was present, excused or absent (beneficiary id → status); the appointment or
    the group registrations follow."""
    _require_mentor(seance, acting_user)
    if any(status not in AttendanceStatus.values for status in statuses.values()):
        raise ValidationError(_("Choose present, excused or absent."))
    changed = []
    with transaction.atomic():
        attendances = {
            attendance.beneficiary_id: attendance
            for attendance in Attendance.objects.select_for_update()
            .filter(seance=seance)
            .select_related("beneficiary")
        }
        if set(statuses) - set(attendances):
            raise ValidationError(_("This person is not a participant of the séance."))
        for beneficiary_id, status in statuses.items():
            attendance = attendances[beneficiary_id]
            if attendance.status != status:
                attendance.status = status
                attendance.save(update_fields=["status"])
                changed.append(attendance)
            # Even unchanged, the origin is brought back in line if it drifted.
            _sync_origin(seance, attendance, acting_user)
    return changed


def participant_add(
    *, seance: Seance, beneficiary: Beneficiary, role: str = "", acting_user
) -> Attendance:
    """Add a walk-in participant (present) to a group or co-development séance."""
    _require_mentor(seance, acting_user)
    if seance.kind not in GROUP_SEANCE_KINDS:
        raise ValidationError(_("Participants are added to group séances only."))
    if seance.kind == SeanceKind.CODEVELOPMENT:
        role = role or ParticipantRole.CONSULTANT
        if role not in CODEV_ROLES:
            raise ValidationError({"role": _("Choose client or consultant.")})
    else:
        role = ParticipantRole.PARTICIPANT
    if not participant_candidates(seance, acting_user).filter(pk=beneficiary.pk).exists():
        if seance.attendances.filter(beneficiary=beneficiary).exists():
            raise ValidationError(
                _("%(name)s already takes part in this séance.") % {"name": beneficiary.name}
            )
        raise PermissionDenied
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                seance=seance,
                beneficiary=beneficiary,
                status=AttendanceStatus.PRESENT,
                role=role,
            )
    except IntegrityError as error:  # the database holds "one client per séance"
        if role == ParticipantRole.CLIENT:
            raise ValidationError({"role": _("This séance already has a client.")}) from error
        raise ValidationError(
            _("%(name)s already takes part in this séance.") % {"name": beneficiary.name}
        ) from error


def participant_roles_set(*, seance: Seance, roles: Mapping[int, str], acting_user) -> None:
    """Co-development: who is the client (one at most) and who are the consultants."""
    _require_mentor(seance, acting_user)
    if seance.kind != SeanceKind.CODEVELOPMENT:
        raise ValidationError(_("Roles are chosen in co-development séances only."))
    if any(role not in CODEV_ROLES for role in roles.values()):
        raise ValidationError({"role": _("Choose client or consultant.")})
    if list(roles.values()).count(ParticipantRole.CLIENT) > 1:
        raise ValidationError({"role": _("A co-development séance has one client.")})
    try:
        with transaction.atomic():
            attendances = {
                attendance.beneficiary_id: attendance
                for attendance in Attendance.objects.select_for_update().filter(seance=seance)
            }
            if set(roles) - set(attendances):
                raise ValidationError(_("This person is not a participant of the séance."))
            # Consultants first, so that the former client steps down before the new one.
            ordered = sorted(roles.items(), key=lambda item: item[1] == ParticipantRole.CLIENT)
            for beneficiary_id, role in ordered:
                attendance = attendances[beneficiary_id]
                if attendance.role != role:
                    attendance.role = role
                    attendance.save(update_fields=["role"])
    except IntegrityError as error:
        raise ValidationError({"role": _("This séance already has a client.")}) from error


# --- Confidential notes ---------------------------------------------------------------------


def confidential_note_add(
    *, seance: Seance, beneficiary: Beneficiary, body: str, acting_user
) -> ConfidentialNote:
    """A note between the mentor and one participant, never shown to coordinators."""
    _require_mentor(seance, acting_user)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    if not seance.attendances.filter(beneficiary=beneficiary).exists():
        raise ValidationError({"beneficiary": _("This person is not a participant of the séance.")})
    with transaction.atomic():
        note = ConfidentialNote.objects.create(
            seance=seance, beneficiary=beneficiary, author=acting_user, body=body
        )
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=note,
            summary=_("confidential note written"),
            organization_id=_organization_id(seance),
        )
    return note


def confidential_notes_for(*, seance: Seance, user) -> list[ConfidentialNote]:
    """The confidential notes of the séance `user` may read (their own as a participant, all
    of them as its mentor), each read written to the audit journal. Coordinators and
    superusers get none."""
    if user is None or not user.is_authenticated:
        return []
    notes = list(
        ConfidentialNote.objects.visible_to(user)
        .filter(seance=seance)
        .select_related("beneficiary", "author")
        .order_by("created_at", "pk")
    )
    mentor = is_seance_mentor(user, seance) if notes else False
    # The queryset and the permission say the same; asking both keeps it so if one drifts.
    readable = [
        note for note in notes if mentor or can_read_confidential(user, seance, note.beneficiary)
    ]
    if not readable:
        return readable  # nothing read, nothing to journal (and no empty transaction)
    organization_id = _organization_id(seance)
    # One INSERT whatever the number of notes: the page's query count stays constant.
    audit_reads(
        actor=user,
        reads=[(note, organization_id) for note in readable],
        summary=lambda note: _("confidential note read"),
    )
    return readable


# --- Hotline --------------------------------------------------------------------------------


def hotline_update(
    *,
    seance: Seance,
    topic: str,
    duration_minutes: int,
    caller_name: str,
    advice_given: str,
    follow_up_needed: bool,
    follow_up_note: str,
    acting_user,
) -> HotlineCall:
    """Complete the log of a hotline call."""
    _require_mentor(seance, acting_user)
    if seance.kind != SeanceKind.HOTLINE:
        raise ValidationError(_("This séance is not a hotline call."))
    if duration_minutes is None or not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            {"duration_minutes": _("A séance lasts between 1 minute and 24 hours.")}
        )
    caller_name = (caller_name or "").strip()
    with transaction.atomic():
        if not caller_name and not seance.attendances.exists():
            raise ValidationError({"caller_name": _("Say who called.")})
        seance.topic = (topic or "").strip()[:200]
        seance.duration_minutes = duration_minutes
        seance.save(update_fields=["topic", "duration_minutes", "updated_at"])
        call, _created = HotlineCall.objects.get_or_create(seance=seance)
        call.caller_name = caller_name[:200]
        call.advice_given = (advice_given or "").strip()
        call.follow_up_needed = bool(follow_up_needed)
        call.follow_up_note = (follow_up_note or "").strip()[:300] if follow_up_needed else ""
        call.save()
    return call


# --- Practice analysis ----------------------------------------------------------------------


def observation_update(
    *,
    seance: Seance,
    acting_user,
    situation: str | None = None,
    observation_notes: str | None = None,
    observer_feedback: str | None = None,
    self_assessment: str | None = None,
) -> PracticeObservation:
    """The observer writes the situation, the notes and the feedback; the observed person
    writes their self-assessment. Not an evaluation: no score, no grade."""
    if seance.kind != SeanceKind.PRACTICE_ANALYSIS:
        raise ValidationError(_("This séance is not a practice-analysis observation."))
    observer_fields = {
        "situation": situation,
        "observation_notes": observation_notes,
        "observer_feedback": observer_feedback,
    }
    writes_observer = any(value is not None for value in observer_fields.values())
    if writes_observer and not is_seance_mentor(acting_user, seance):
        raise PermissionDenied
    if self_assessment is not None and not is_observed_person(acting_user, seance):
        raise PermissionDenied
    if not writes_observer and self_assessment is None:
        raise ValidationError(_("Nothing to save."))
    with transaction.atomic():
        observation, _created = PracticeObservation.objects.select_for_update().get_or_create(
            seance=seance
        )
        fields = ["updated_at"]
        for name, value in observer_fields.items():
            if value is not None:
                setattr(observation, name, value.strip())
                fields.append(name)
        if self_assessment is not None:
            observation.self_assessment = self_assessment.strip()
            fields.append("self_assessment")
        observation.save(update_fields=fields)
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=observation,
            summary=_("practice observation written"),
            organization_id=_organization_id(seance),
        )
    return observation


def can_read_observation(user, seance: Seance) -> bool:
    """The séance's mentor(s) and the observed person; no coordinator, no superuser."""
    return is_seance_mentor(user, seance) or is_observed_person(user, seance)


def observation_for(*, seance: Seance, user) -> PracticeObservation | None:
    """The observation's content for who may read it (read written to the audit journal)."""
    if seance.kind != SeanceKind.PRACTICE_ANALYSIS or not can_read_observation(user, seance):
        return None
    observation, _created = PracticeObservation.objects.get_or_create(seance=seance)
    audit_read(
        actor=user,
        obj=observation,
        summary=_("practice observation read"),
        organization_id=_organization_id(seance),
    )
    return observation


# --- Tutoring -------------------------------------------------------------------------------


def tutoring_pair_create(
    *,
    offer: Offer,
    tutor,
    tutee: Beneficiary,
    started_on: datetime.date,
    acting_user,
) -> TutoringPair:
    """Pair a tutor with a tutee in a tutoring offer."""
    if acting_user is None or not acting_user.is_authenticated:
        raise PermissionDenied
    coordinates = _coordinates(acting_user, offer)
    if not coordinates and not (
        tutor is not None and tutor.pk == acting_user.pk and is_mentor_for_offer(tutor, offer)
    ):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if offer.kind != OfferKind.TUTORING:
        errors["offer"] = _("Tutoring pairs belong to a tutoring offer.")
    if tutor is None or not is_mentor_for_offer(tutor, offer):
        errors["tutor"] = _("The tutor must be a mentor of the offer's structure.")
    if not Beneficiary.objects.visible_to(acting_user).filter(pk=tutee.pk).exists():
        errors["tutee"] = _("Choose a person you follow.")
    if started_on is None:
        errors["started_on"] = _("Give the start date.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return TutoringPair.objects.create(
                offer=offer, tutor=tutor, tutee=tutee, started_on=started_on
            )
    except IntegrityError as error:
        raise ValidationError(_("This tutor and this tutee are already paired.")) from error


def tutoring_pair_end(
    *, pair: TutoringPair, acting_user, ended_on: datetime.date | None = None
) -> TutoringPair:
    """End a pair: its goals and meetings stay, no new meeting is recorded."""
    if not can_manage_tutoring_pair(acting_user, pair):
        raise PermissionDenied
    ended_on = ended_on or timezone.localdate()
    with transaction.atomic():
        pair = TutoringPair.objects.select_for_update().get(pk=pair.pk)
        if not pair.is_active:
            raise ValidationError(_("This tutoring pair has already ended."))
        if ended_on < pair.started_on:
            raise ValidationError({"ended_on": _("The pair cannot end before it started.")})
        pair.ended_on = ended_on
        pair.save(update_fields=["ended_on"])
    return pair


def learning_goal_add(*, pair: TutoringPair, title: str, acting_user) -> LearningGoal:
    if not can_manage_tutoring_pair(acting_user, pair):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Write the learning goal.")})
    if not pair.is_active:
        raise ValidationError(_("This tutoring pair has ended."))
    return LearningGoal.objects.create(pair=pair, title=title[:300])


def goal_review_record(
    *, seance: Seance, goal: LearningGoal, status: str, comment: str = "", acting_user
) -> GoalReview:
    """Where a goal stands at a meeting; the goal takes the status of its latest meeting."""
    _require_mentor(seance, acting_user)
    if seance.kind != SeanceKind.TUTORING or seance.tutoring_pair_id is None:
        raise ValidationError(_("Goals are reviewed in tutoring meetings."))
    if goal.pair_id != seance.tutoring_pair_id:
        raise ValidationError(_("This goal belongs to another pair."))
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    with transaction.atomic():
        review, _created = GoalReview.objects.update_or_create(
            seance=seance,
            goal=goal,
            defaults={"status": status, "comment": (comment or "").strip()},
        )
        goal = LearningGoal.objects.select_for_update().get(pk=goal.pk)
        latest = goal.reviews.select_related("seance").order_by("-seance__starts_at", "-pk").first()
        goal.status = latest.status
        if latest.status == GoalStatus.REACHED:
            reached = latest.seance.starts_at.astimezone(PARIS).date()
            goal.reached_on = min(goal.reached_on, reached) if goal.reached_on else reached
        else:
            goal.reached_on = None
        goal.save(update_fields=["status", "reached_on"])
    return review

"""Séance services: opening a séance from what was booked, recording one without appointment,
attendance kept in sync with its origin, walk-ins and co-development roles, confidential notes
and their access log, hotline calls and practice-analysis observations."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from accounts.enums import Role
from audit.models import AuditAction, AuditEntry
from programmes.enums import OfferKind
from seances.enums import (
    AppointmentStatus,
    AttendanceStatus,
    Channel,
    ParticipantRole,
    RegistrationStatus,
    SeanceKind,
)
from seances.models import Attendance, HotlineCall, PracticeObservation, Registration, Seance
from seances.services import seances as services
from tests.factories import BeneficiaryFactory, EnrollmentFactory, MembershipFactory
from tests.seances.conftest import AppointmentFactory, RegistrationFactory
from tests.seances.test_seance_fixtures import days_ago

pytest_plugins = ["tests.seances.test_seance_fixtures"]
pytestmark = pytest.mark.django_db


# --- From an appointment --------------------------------------------------------------------


def test_mentor_opens_the_seance_of_a_past_appointment(past_appointment, mentor, beneficiary):
    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)

    assert seance.kind == SeanceKind.INDIVIDUAL
    assert seance.mentor == mentor
    assert seance.offer == past_appointment.offer
    assert seance.duration_minutes == 45
    attendance = seance.attendances.get()
    assert attendance.beneficiary == beneficiary
    assert attendance.status == AttendanceStatus.PRESENT
    past_appointment.refresh_from_db()
    assert past_appointment.status == AppointmentStatus.ATTENDED


def test_opening_twice_returns_the_same_seance(past_appointment, mentor, coordinator):
    first = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)
    second = services.seance_from_appointment(appointment=past_appointment, acting_user=coordinator)

    assert first == second
    assert Seance.objects.count() == 1


@pytest.mark.parametrize(
    ("appointment_status", "attendance_status"),
    [
        (AppointmentStatus.ATTENDED, AttendanceStatus.PRESENT),
        (AppointmentStatus.EXCUSED, AttendanceStatus.EXCUSED),
        (AppointmentStatus.NO_SHOW, AttendanceStatus.ABSENT),
    ],
)
def test_attendance_is_prefilled_from_the_appointment(
    past_appointment, mentor, appointment_status, attendance_status
):
    past_appointment.status = appointment_status
    past_appointment.save()

    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)

    assert seance.attendances.get().status == attendance_status
    past_appointment.refresh_from_db()
    assert past_appointment.status == appointment_status


@pytest.mark.parametrize(
    ("offer_kind", "seance_kind", "role", "detail_model"),
    [
        (OfferKind.COACHING, SeanceKind.INDIVIDUAL, ParticipantRole.PARTICIPANT, None),
        (
            OfferKind.INDIVIDUAL_APPOINTMENT,
            SeanceKind.INDIVIDUAL,
            ParticipantRole.PARTICIPANT,
            None,
        ),
        (
            OfferKind.PRACTICE_ANALYSIS,
            SeanceKind.PRACTICE_ANALYSIS,
            ParticipantRole.OBSERVED,
            PracticeObservation,
        ),
        (OfferKind.TUTORING, SeanceKind.TUTORING, ParticipantRole.TUTEE, None),
        (OfferKind.HOTLINE, SeanceKind.HOTLINE, ParticipantRole.PARTICIPANT, HotlineCall),
    ],
)
def test_the_kind_follows_the_offer(
    past_appointment, mentor, offer_kind, seance_kind, role, detail_model
):
    past_appointment.offer.kind = offer_kind
    past_appointment.offer.save()

    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)

    assert seance.kind == seance_kind
    assert seance.attendances.get().role == role
    if detail_model is not None:
        assert detail_model.objects.filter(seance=seance).exists()


def test_a_tutoring_appointment_joins_the_active_pair(
    tutoring_offer, mentor, beneficiary, coordinator
):
    pair = services.tutoring_pair_create(
        offer=tutoring_offer,
        tutor=mentor,
        tutee=beneficiary,
        started_on=days_ago(30).date(),
        acting_user=coordinator,
    )
    appointment = AppointmentFactory(
        offer=tutoring_offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=days_ago(1),
        ends_at=days_ago(1) + datetime.timedelta(hours=1),
    )

    seance = services.seance_from_appointment(appointment=appointment, acting_user=mentor)

    assert seance.tutoring_pair == pair


def test_a_coordinator_of_the_programme_may_open_it(past_appointment, coordinator, mentor):
    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=coordinator)

    assert seance.mentor == mentor
    assert seance.created_by == coordinator


@pytest.mark.parametrize(
    "persona", ["other_mentor", "other_organization_coordinator", "beneficiary"]
)
def test_others_may_not_open_it(request, past_appointment, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)

    with pytest.raises(PermissionDenied):
        services.seance_from_appointment(appointment=past_appointment, acting_user=user)


def test_a_future_appointment_has_no_seance_yet(individual_offer, mentor, beneficiary):
    starts_at = days_ago(-2)
    appointment = AppointmentFactory(
        offer=individual_offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
    )

    with pytest.raises(ValidationError):
        services.seance_from_appointment(appointment=appointment, acting_user=mentor)


def test_a_cancelled_appointment_has_no_seance(past_appointment, mentor):
    past_appointment.status = AppointmentStatus.CANCELLED
    past_appointment.save()

    with pytest.raises(ValidationError):
        services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)
    assert not Seance.objects.exists()


# --- From a group session -------------------------------------------------------------------


def test_organiser_opens_the_seance_of_a_group_session(
    past_session, mentor, beneficiary, other_beneficiary
):
    waiting = BeneficiaryFactory(organization=beneficiary.organization)
    RegistrationFactory(
        session=past_session, beneficiary=waiting, status=RegistrationStatus.WAITLISTED
    )
    gone = BeneficiaryFactory(organization=beneficiary.organization)
    RegistrationFactory(session=past_session, beneficiary=gone, status=RegistrationStatus.CANCELLED)
    Registration.objects.filter(session=past_session, beneficiary=other_beneficiary).update(
        status=RegistrationStatus.EXCUSED
    )

    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)

    assert seance.kind == SeanceKind.GROUP
    statuses = dict(seance.attendances.values_list("beneficiary_id", "status"))
    assert statuses == {
        beneficiary.pk: AttendanceStatus.PRESENT,
        other_beneficiary.pk: AttendanceStatus.EXCUSED,
    }
    # The seat that was not marked yet follows the séance: attended.
    registration = Registration.objects.get(session=past_session, beneficiary=beneficiary)
    assert registration.status == RegistrationStatus.ATTENDED
    assert services.seance_from_group_session(session=past_session, acting_user=mentor) == seance


def test_a_codevelopment_session_gives_a_codevelopment_seance(past_session, mentor):
    past_session.offer.kind = OfferKind.CODEVELOPMENT
    past_session.offer.save()

    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)

    assert seance.kind == SeanceKind.CODEVELOPMENT
    assert set(seance.attendances.values_list("role", flat=True)) == {ParticipantRole.CONSULTANT}


def test_only_the_organiser_or_a_coordinator_opens_a_group_seance(
    past_session, other_mentor, coordinator
):
    past_session.offer.mentors.add(other_mentor)
    with pytest.raises(PermissionDenied):
        services.seance_from_group_session(session=past_session, acting_user=other_mentor)

    seance = services.seance_from_group_session(session=past_session, acting_user=coordinator)
    assert seance.mentor == past_session.organiser


# --- Without appointment --------------------------------------------------------------------


def _create(**overrides):
    kwargs = {
        "beneficiaries": [],
        "starts_at": days_ago(0, hour=9),
        "duration_minutes": 20,
        "channel": Channel.PHONE,
        "topic": "",
    }
    kwargs.update(overrides)
    return services.seance_create(**kwargs)


def test_a_hotline_call_from_someone_not_known_yet(hotline_offer, mentor):
    seance = _create(
        offer=hotline_offer,
        kind=SeanceKind.HOTLINE,
        mentor=mentor,
        acting_user=mentor,
        topic="Statuts associatifs",
        caller_name="Mme Leroy",
        advice_given="Voir le modèle de statuts.",
        follow_up_needed=True,
        follow_up_note="Rappeler jeudi",
    )

    assert seance.kind == SeanceKind.HOTLINE
    assert not seance.attendances.exists()
    call = seance.hotline_call
    assert (call.caller_name, call.follow_up_needed, call.follow_up_note) == (
        "Mme Leroy",
        True,
        "Rappeler jeudi",
    )


def test_a_hotline_call_says_who_called(hotline_offer, mentor):
    with pytest.raises(ValidationError) as error:
        _create(offer=hotline_offer, kind=SeanceKind.HOTLINE, mentor=mentor, acting_user=mentor)
    assert "caller_name" in error.value.error_dict


def test_a_practice_observation_observes_one_person(practice_offer, mentor, beneficiary):
    seance = _create(
        offer=practice_offer,
        kind=SeanceKind.PRACTICE_ANALYSIS,
        mentor=mentor,
        acting_user=mentor,
        beneficiaries=[beneficiary],
        situation="Animation d'une réunion de bureau",
    )

    attendance = seance.attendances.get()
    assert attendance.role == ParticipantRole.OBSERVED
    assert seance.practice_observation.situation == "Animation d'une réunion de bureau"
    with pytest.raises(ValidationError):
        _create(
            offer=practice_offer,
            kind=SeanceKind.PRACTICE_ANALYSIS,
            mentor=mentor,
            acting_user=mentor,
        )


def test_a_tutoring_meeting_is_held_with_the_tutee(tutoring_offer, mentor, beneficiary):
    pair = services.tutoring_pair_create(
        offer=tutoring_offer,
        tutor=mentor,
        tutee=beneficiary,
        started_on=days_ago(10).date(),
        acting_user=mentor,
    )

    seance = _create(
        offer=tutoring_offer,
        kind=SeanceKind.TUTORING,
        mentor=mentor,
        acting_user=mentor,
        tutoring_pair=pair,
    )

    assert seance.tutoring_pair == pair
    attendance = seance.attendances.get()
    assert (attendance.beneficiary, attendance.role) == (beneficiary, ParticipantRole.TUTEE)


def test_only_the_tutor_leads_the_pairs_meetings(tutoring_offer, mentor, other_mentor, beneficiary):
    tutoring_offer.mentors.add(other_mentor)
    pair = services.tutoring_pair_create(
        offer=tutoring_offer,
        tutor=mentor,
        tutee=beneficiary,
        started_on=days_ago(10).date(),
        acting_user=mentor,
    )

    with pytest.raises(ValidationError):
        _create(
            offer=tutoring_offer,
            kind=SeanceKind.TUTORING,
            mentor=other_mentor,
            acting_user=other_mentor,
            tutoring_pair=pair,
        )


def test_an_individual_seance_without_appointment(individual_offer, mentor, beneficiary):
    seance = _create(
        offer=individual_offer,
        kind=SeanceKind.INDIVIDUAL,
        mentor=mentor,
        acting_user=mentor,
        beneficiaries=[beneficiary],
    )

    assert seance.appointment is None
    assert seance.attendances.get().beneficiary == beneficiary


def test_the_mentor_must_be_a_mentor_of_the_offers_structure(
    individual_offer, beneficiary, other_organization
):
    outsider = MembershipFactory(organization=other_organization, role=Role.MENTOR).user
    EnrollmentFactory(beneficiary=beneficiary, offer=individual_offer, referent_mentor=outsider)

    with pytest.raises(ValidationError) as error:
        _create(
            offer=individual_offer,
            kind=SeanceKind.INDIVIDUAL,
            mentor=outsider,
            acting_user=outsider,
            beneficiaries=[beneficiary],
        )
    assert "mentor" in error.value.error_dict


def test_a_mentor_cannot_record_for_someone_they_do_not_follow(
    individual_offer, mentor, other_beneficiary
):
    with pytest.raises(ValidationError) as error:
        _create(
            offer=individual_offer,
            kind=SeanceKind.INDIVIDUAL,
            mentor=mentor,
            acting_user=mentor,
            beneficiaries=[other_beneficiary],
        )
    assert "beneficiaries" in error.value.error_dict


def test_a_mentor_cannot_record_in_another_mentors_name(
    individual_offer, mentor, other_mentor, beneficiary
):
    with pytest.raises(PermissionDenied):
        _create(
            offer=individual_offer,
            kind=SeanceKind.INDIVIDUAL,
            mentor=other_mentor,
            acting_user=mentor,
            beneficiaries=[beneficiary],
        )


def test_group_seances_come_from_their_session(individual_offer, mentor, beneficiary):
    with pytest.raises(ValidationError):
        _create(
            offer=individual_offer,
            kind=SeanceKind.GROUP,
            mentor=mentor,
            acting_user=mentor,
            beneficiaries=[beneficiary],
        )


# --- Attendance -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "appointment_status"),
    [
        (AttendanceStatus.EXCUSED, AppointmentStatus.EXCUSED),
        (AttendanceStatus.ABSENT, AppointmentStatus.NO_SHOW),
        (AttendanceStatus.PRESENT, AppointmentStatus.ATTENDED),
    ],
)
def test_attendance_updates_the_appointment(
    past_appointment, mentor, beneficiary, status, appointment_status
):
    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)

    services.attendance_record(seance=seance, statuses={beneficiary.pk: status}, acting_user=mentor)

    assert seance.attendances.get().status == status
    past_appointment.refresh_from_db()
    assert past_appointment.status == appointment_status


def test_attendance_brings_a_drifted_appointment_back_in_line(
    past_appointment, mentor, beneficiary
):
    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)
    type(past_appointment).objects.filter(pk=past_appointment.pk).update(
        status=AppointmentStatus.NO_SHOW
    )

    services.attendance_record(
        seance=seance, statuses={beneficiary.pk: AttendanceStatus.PRESENT}, acting_user=mentor
    )

    past_appointment.refresh_from_db()
    assert past_appointment.status == AppointmentStatus.ATTENDED


def test_attendance_updates_the_group_registrations(
    past_session, mentor, beneficiary, other_beneficiary
):
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    walk_in = BeneficiaryFactory(organization=beneficiary.organization)
    EnrollmentFactory(beneficiary=walk_in, offer=past_session.offer, referent_mentor=mentor)
    services.participant_add(seance=seance, beneficiary=walk_in, acting_user=mentor)

    services.attendance_record(
        seance=seance,
        statuses={
            beneficiary.pk: AttendanceStatus.ABSENT,
            other_beneficiary.pk: AttendanceStatus.EXCUSED,
            walk_in.pk: AttendanceStatus.PRESENT,
        },
        acting_user=mentor,
    )

    registrations = dict(
        Registration.objects.filter(session=past_session).values_list("beneficiary_id", "status")
    )
    assert registrations == {
        beneficiary.pk: RegistrationStatus.NO_SHOW,
        other_beneficiary.pk: RegistrationStatus.EXCUSED,
    }
    assert seance.attendances.get(beneficiary=walk_in).status == AttendanceStatus.PRESENT


@pytest.mark.parametrize("persona", ["coordinator", "other_mentor", "beneficiary", "admin"])
def test_only_the_seances_mentors_record_attendance(request, seance, beneficiary, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)

    with pytest.raises(PermissionDenied):
        services.attendance_record(
            seance=seance, statuses={beneficiary.pk: AttendanceStatus.ABSENT}, acting_user=user
        )


def test_a_co_mentor_records_attendance(seance, other_mentor, beneficiary):
    seance.co_mentors.add(other_mentor)

    services.attendance_record(
        seance=seance, statuses={beneficiary.pk: AttendanceStatus.ABSENT}, acting_user=other_mentor
    )

    assert seance.attendances.get().status == AttendanceStatus.ABSENT


def test_attendance_refuses_unknown_statuses_and_people(seance, mentor, beneficiary):
    with pytest.raises(ValidationError):
        services.attendance_record(
            seance=seance, statuses={beneficiary.pk: "late"}, acting_user=mentor
        )
    stranger = BeneficiaryFactory()
    with pytest.raises(ValidationError):
        services.attendance_record(
            seance=seance, statuses={stranger.pk: AttendanceStatus.PRESENT}, acting_user=mentor
        )


def test_when_the_origin_refuses_nothing_is_written(past_appointment, mentor, beneficiary):
    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)
    type(past_appointment).objects.filter(pk=past_appointment.pk).update(
        status=AppointmentStatus.CANCELLED
    )

    with pytest.raises(ValidationError):
        services.attendance_record(
            seance=seance, statuses={beneficiary.pk: AttendanceStatus.ABSENT}, acting_user=mentor
        )

    assert seance.attendances.get().status == AttendanceStatus.PRESENT


# --- Participants and co-development roles --------------------------------------------------


def test_a_walk_in_is_added_only_to_group_seances(seance, mentor, beneficiary):
    with pytest.raises(ValidationError):
        services.participant_add(seance=seance, beneficiary=beneficiary, acting_user=mentor)


def test_a_codevelopment_seance_has_one_client(past_session, mentor, beneficiary):
    past_session.offer.kind = OfferKind.CODEVELOPMENT
    past_session.offer.save()
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    people = []
    for _ in range(2):
        person = BeneficiaryFactory(organization=beneficiary.organization)
        EnrollmentFactory(beneficiary=person, offer=past_session.offer, referent_mentor=mentor)
        people.append(person)

    services.participant_add(
        seance=seance, beneficiary=people[0], role=ParticipantRole.CLIENT, acting_user=mentor
    )
    with pytest.raises(ValidationError) as error:
        services.participant_add(
            seance=seance, beneficiary=people[1], role=ParticipantRole.CLIENT, acting_user=mentor
        )

    assert "client" in " ".join(error.value.messages)
    assert seance.attendances.filter(role=ParticipantRole.CLIENT).count() == 1


def test_the_client_can_change(past_session, mentor, beneficiary, other_beneficiary):
    past_session.offer.kind = OfferKind.CODEVELOPMENT
    past_session.offer.save()
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    services.participant_roles_set(
        seance=seance, roles={beneficiary.pk: ParticipantRole.CLIENT}, acting_user=mentor
    )

    services.participant_roles_set(
        seance=seance,
        roles={
            other_beneficiary.pk: ParticipantRole.CLIENT,
            beneficiary.pk: ParticipantRole.CONSULTANT,
        },
        acting_user=mentor,
    )

    client = seance.attendances.get(role=ParticipantRole.CLIENT)
    assert client.beneficiary == other_beneficiary
    with pytest.raises(ValidationError):
        services.participant_roles_set(
            seance=seance,
            roles={
                other_beneficiary.pk: ParticipantRole.CLIENT,
                beneficiary.pk: ParticipantRole.CLIENT,
            },
            acting_user=mentor,
        )


def test_a_walk_in_must_be_someone_the_mentor_may_add(past_session, mentor, other_organization):
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    stranger = BeneficiaryFactory(organization=other_organization)

    with pytest.raises(PermissionDenied):
        services.participant_add(seance=seance, beneficiary=stranger, acting_user=mentor)
    assert not Attendance.objects.filter(beneficiary=stranger).exists()


# --- Confidential notes ---------------------------------------------------------------------


@pytest.fixture
def group_seance_with_notes(past_session, mentor, beneficiary, other_beneficiary):
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    services.confidential_note_add(
        seance=seance, beneficiary=beneficiary, body="Note sur A", acting_user=mentor
    )
    services.confidential_note_add(
        seance=seance, beneficiary=other_beneficiary, body="Note sur B", acting_user=mentor
    )
    return seance


def _reads():
    return AuditEntry.objects.filter(action=AuditAction.READ)


def test_the_mentor_reads_every_note_and_each_read_is_logged(
    group_seance_with_notes, mentor, organization
):
    notes = services.confidential_notes_for(seance=group_seance_with_notes, user=mentor)

    assert [note.body for note in notes] == ["Note sur A", "Note sur B"]
    entries = list(_reads())
    assert len(entries) == 2
    assert {entry.object_id for entry in entries} == {str(note.public_id) for note in notes}
    assert all(entry.actor == mentor for entry in entries)
    assert all(entry.summary == gettext("confidential note read") for entry in entries)
    assert all(entry.organization_id == organization.pk for entry in entries)
    services.confidential_notes_for(seance=group_seance_with_notes, user=mentor)
    assert _reads().count() == 4


def test_journaling_the_reads_costs_one_query_whatever_the_number_of_notes(
    group_seance_with_notes, mentor, beneficiary, django_assert_num_queries
):
    seance = group_seance_with_notes
    with CaptureQueriesContext(connection) as two_notes:
        services.confidential_notes_for(seance=seance, user=mentor)
    for n in range(3):
        services.confidential_note_add(
            seance=seance, beneficiary=beneficiary, body=f"Suite {n}", acting_user=mentor
        )

    with django_assert_num_queries(len(two_notes)):
        notes = services.confidential_notes_for(seance=seance, user=mentor)

    assert len(notes) == 5
    assert _reads().count() == 2 + 5


def test_a_beneficiary_reads_only_their_own_note(
    group_seance_with_notes, beneficiary, other_beneficiary
):
    notes = services.confidential_notes_for(seance=group_seance_with_notes, user=beneficiary.user)

    assert [note.body for note in notes] == ["Note sur A"]
    assert _reads().get().actor == beneficiary.user


@pytest.mark.parametrize("persona", ["coordinator", "admin", "other_mentor"])
def test_coordinators_and_superusers_never_get_notes(request, group_seance_with_notes, persona):
    user = request.getfixturevalue(persona)

    assert services.confidential_notes_for(seance=group_seance_with_notes, user=user) == []
    assert not _reads().exists()


@pytest.mark.parametrize("persona", ["coordinator", "beneficiary", "other_mentor"])
def test_only_the_seances_mentors_write_notes(request, seance, beneficiary, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)

    with pytest.raises(PermissionDenied):
        services.confidential_note_add(
            seance=seance, beneficiary=beneficiary, body="x", acting_user=user
        )


def test_a_note_is_about_a_participant(seance, mentor, other_beneficiary):
    with pytest.raises(ValidationError):
        services.confidential_note_add(
            seance=seance, beneficiary=other_beneficiary, body="x", acting_user=mentor
        )
    with pytest.raises(ValidationError):
        services.confidential_note_add(
            seance=seance,
            beneficiary=seance.attendances.get().beneficiary,
            body="  ",
            acting_user=mentor,
        )


# --- Hotline --------------------------------------------------------------------------------


def test_the_hotline_log_is_completed(hotline_offer, mentor, beneficiary, coordinator):
    seance = _create(
        offer=hotline_offer,
        kind=SeanceKind.HOTLINE,
        mentor=mentor,
        acting_user=mentor,
        beneficiaries=[beneficiary],
    )

    call = services.hotline_update(
        seance=seance,
        topic="Subvention",
        duration_minutes=15,
        caller_name="",
        advice_given="Dossier FDVA",
        follow_up_needed=False,
        follow_up_note="ignored",
        acting_user=mentor,
    )

    seance.refresh_from_db()
    assert (seance.topic, seance.duration_minutes) == ("Subvention", 15)
    assert (call.advice_given, call.follow_up_note) == ("Dossier FDVA", "")
    with pytest.raises(PermissionDenied):
        services.hotline_update(
            seance=seance,
            topic="",
            duration_minutes=15,
            caller_name="",
            advice_given="",
            follow_up_needed=False,
            follow_up_note="",
            acting_user=coordinator,
        )


# --- Practice analysis ----------------------------------------------------------------------


@pytest.fixture
def observation_seance(practice_offer, mentor, beneficiary):
    return _create(
        offer=practice_offer,
        kind=SeanceKind.PRACTICE_ANALYSIS,
        mentor=mentor,
        acting_user=mentor,
        beneficiaries=[beneficiary],
    )


def test_observer_and_observed_each_write_their_part(observation_seance, mentor, beneficiary):
    services.observation_update(
        seance=observation_seance,
        acting_user=mentor,
        observation_notes="Écoute active",
        observer_feedback="Reformuler davantage",
    )
    services.observation_update(
        seance=observation_seance, acting_user=beneficiary.user, self_assessment="Je me sentais"
    )

    observation = PracticeObservation.objects.get(seance=observation_seance)
    assert observation.observation_notes == "Écoute active"
    assert observation.self_assessment == "Je me sentais"
    with pytest.raises(PermissionDenied):
        services.observation_update(
            seance=observation_seance, acting_user=mentor, self_assessment="not mine"
        )
    with pytest.raises(PermissionDenied):
        services.observation_update(
            seance=observation_seance, acting_user=beneficiary.user, observer_feedback="x"
        )


def test_reading_the_observation_is_logged_and_kept_from_coordinators(
    observation_seance, mentor, beneficiary, coordinator, admin
):
    assert services.observation_for(seance=observation_seance, user=coordinator) is None
    assert services.observation_for(seance=observation_seance, user=admin) is None
    assert not _reads().exists()

    assert services.observation_for(seance=observation_seance, user=mentor) is not None
    assert services.observation_for(seance=observation_seance, user=beneficiary.user) is not None

    assert _reads().count() == 2
    assert set(_reads().values_list("summary", flat=True)) == {gettext("practice observation read")}


def test_an_outcome_recorded_in_the_agenda_reaches_the_seance(past_appointment, mentor):
    """Whichever side records attendance, the other follows: the agenda's outcome buttons
    update the séance opened from the appointment."""
    from seances.services.appointments import appointment_set_status

    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)
    appointment_set_status(
        appointment=past_appointment, status=AppointmentStatus.NO_SHOW, acting_user=mentor
    )
    assert seance.attendances.get().status == AttendanceStatus.ABSENT


def test_attendance_taken_on_the_group_session_reaches_the_seance(
    past_session, mentor, beneficiary
):
    from seances.services.groups import registration_set_status

    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    registration = past_session.registrations.get(beneficiary=beneficiary)
    registration_set_status(
        registration=registration, status=RegistrationStatus.EXCUSED, acting_user=mentor
    )
    assert seance.attendances.get(beneficiary=beneficiary).status == AttendanceStatus.EXCUSED

"""The séance pages as people use them: what each one sees (confidential notes above all),
recording a séance, attendance, walk-ins, the hotline log, the observation, the list's
filters and the buttons on the appointment's and the group session's pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from audit.models import AuditAction, AuditEntry
from programmes.enums import OfferKind
from seances.enums import (
    AppointmentStatus,
    AttendanceStatus,
    Channel,
    ParticipantRole,
    RecordStatus,
    SeanceKind,
    TaskStatus,
)
from seances.models import Seance
from seances.services import seances as services
from tests.seances.conftest import (
    ActionItemFactory,
    AttendanceFactory,
    ClosingRecordFactory,
    SeanceFactory,
)
from tests.seances.test_seance_fixtures import days_ago

pytest_plugins = ["tests.seances.test_seance_fixtures"]
pytestmark = pytest.mark.django_db


def detail_url(seance):
    return reverse("seances:seance_detail", args=[seance.public_id])


def page_text(client, user, seance) -> str:
    client.force_login(user)
    response = client.get(detail_url(seance))
    assert response.status_code == 200
    return response.content.decode()


# --- Confidentiality on the page ------------------------------------------------------------


@pytest.fixture
def group_seance(past_session, mentor, beneficiary, other_beneficiary):
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    services.confidential_note_add(
        seance=seance, beneficiary=beneficiary, body="Secret au sujet de A", acting_user=mentor
    )
    services.confidential_note_add(
        seance=seance,
        beneficiary=other_beneficiary,
        body="Secret au sujet de B",
        acting_user=mentor,
    )
    return seance


def test_the_mentor_sees_every_confidential_note(client, group_seance, mentor):
    text = page_text(client, mentor, group_seance)

    assert "Secret au sujet de A" in text
    assert "Secret au sujet de B" in text
    assert AuditEntry.objects.filter(actor=mentor, action=AuditAction.READ).count() == 2


def test_a_participant_sees_only_their_own_note(client, group_seance, beneficiary):
    text = page_text(client, beneficiary.user, group_seance)

    assert "Secret au sujet de A" in text
    assert "Secret au sujet de B" not in text
    entries = AuditEntry.objects.filter(action=AuditAction.READ)
    assert list(entries.values_list("actor", flat=True)) == [beneficiary.user.pk]


def test_another_participant_does_not_see_it(client, group_seance, other_beneficiary):
    text = page_text(client, other_beneficiary.user, group_seance)

    assert "Secret au sujet de B" in text
    assert "Secret au sujet de A" not in text


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_a_coordinator_sees_attendance_but_no_note(client, request, group_seance, persona):
    user = request.getfixturevalue(persona)

    text = page_text(client, user, group_seance)

    assert "Secret au sujet" not in text
    assert "data-confidential-hidden" in text
    assert group_seance.attendances.first().beneficiary.name in text
    assert not AuditEntry.objects.filter(action=AuditAction.READ).exists()


@pytest.fixture
def observation(practice_offer, mentor, beneficiary):
    seance = services.seance_create(
        offer=practice_offer,
        kind=SeanceKind.PRACTICE_ANALYSIS,
        mentor=mentor,
        beneficiaries=[beneficiary],
        starts_at=days_ago(1),
        duration_minutes=60,
        channel=Channel.IN_PERSON,
        acting_user=mentor,
    )
    services.observation_update(
        seance=seance, acting_user=mentor, observation_notes="Reformule bien les demandes"
    )
    services.observation_update(
        seance=seance, acting_user=beneficiary.user, self_assessment="J'étais stressée"
    )
    return seance


def test_the_observation_is_kept_from_the_coordinator(client, observation, coordinator):
    text = page_text(client, coordinator, observation)

    assert "Reformule bien les demandes" not in text
    assert "stressée" not in text
    assert "data-not-an-evaluation" in text


def test_observer_and_observed_read_the_observation(client, observation, mentor, beneficiary):
    assert "Reformule bien les demandes" in page_text(client, mentor, observation)
    assert "Reformule bien les demandes" in page_text(client, beneficiary.user, observation)
    reads = AuditEntry.objects.filter(
        action=AuditAction.READ, summary=gettext("practice observation read")
    )
    assert reads.count() == 2


def test_the_observed_person_writes_their_self_assessment(client, observation, beneficiary):
    client.force_login(beneficiary.user)

    response = client.post(
        reverse("seances:observation_update", args=[observation.public_id]),
        {"part": "self", "self_assessment": "Plus sereine"},
    )

    assert response.status_code == 302
    observation.practice_observation.refresh_from_db()
    assert observation.practice_observation.self_assessment == "Plus sereine"
    assert observation.practice_observation.observation_notes == "Reformule bien les demandes"


# --- Attendance, walk-ins, notes ------------------------------------------------------------


def test_attendance_post_updates_the_appointment(client, past_appointment, mentor, beneficiary):
    seance = services.seance_from_appointment(appointment=past_appointment, acting_user=mentor)
    client.force_login(mentor)

    response = client.post(
        reverse("seances:seance_attendance", args=[seance.public_id]),
        {f"status-{beneficiary.public_id}": AttendanceStatus.ABSENT},
    )

    assert response.status_code == 302
    past_appointment.refresh_from_db()
    assert past_appointment.status == AppointmentStatus.NO_SHOW
    assert seance.attendances.get().status == AttendanceStatus.ABSENT


def test_codevelopment_roles_are_set_with_attendance(
    client, past_session, mentor, beneficiary, other_beneficiary
):
    past_session.offer.kind = OfferKind.CODEVELOPMENT
    past_session.offer.save()
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    client.force_login(mentor)

    client.post(
        reverse("seances:seance_attendance", args=[seance.public_id]),
        {
            f"status-{beneficiary.public_id}": AttendanceStatus.PRESENT,
            f"role-{beneficiary.public_id}": ParticipantRole.CLIENT,
            f"status-{other_beneficiary.public_id}": AttendanceStatus.PRESENT,
            f"role-{other_beneficiary.public_id}": ParticipantRole.CONSULTANT,
        },
    )

    assert seance.attendances.get(role=ParticipantRole.CLIENT).beneficiary == beneficiary


def test_a_walk_in_is_added_from_the_page(client, past_session, mentor, beneficiary):
    from tests.factories import BeneficiaryFactory, EnrollmentFactory

    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    walk_in = BeneficiaryFactory(organization=beneficiary.organization, name="Zoé Arrivée")
    EnrollmentFactory(beneficiary=walk_in, offer=past_session.offer, referent_mentor=mentor)
    client.force_login(mentor)
    assert "Zoé Arrivée" in client.get(detail_url(seance)).content.decode()

    client.post(
        reverse("seances:seance_participant_add", args=[seance.public_id]),
        {"beneficiary": walk_in.public_id},
    )

    assert seance.attendances.filter(beneficiary=walk_in).exists()


def test_a_note_is_written_from_the_page(client, seance, mentor, beneficiary):
    client.force_login(mentor)

    response = client.post(
        reverse("seances:confidential_note_add", args=[seance.public_id]),
        {"beneficiary": beneficiary.public_id, "body": "Difficulté à présenter le budget"},
    )

    assert response.status_code == 302
    assert seance.confidential_notes.get().body == "Difficulté à présenter le budget"


def test_the_hotline_log_is_saved_from_the_page(client, hotline_offer, mentor):
    seance = services.seance_create(
        offer=hotline_offer,
        kind=SeanceKind.HOTLINE,
        mentor=mentor,
        beneficiaries=[],
        starts_at=days_ago(0),
        duration_minutes=10,
        channel=Channel.PHONE,
        caller_name="M. Petit",
        acting_user=mentor,
    )
    client.force_login(mentor)

    client.post(
        reverse("seances:hotline_update", args=[seance.public_id]),
        {
            "topic": "Assurance",
            "duration_minutes": 12,
            "caller_name": "M. Petit",
            "advice_given": "Contacter la MAIF",
            "follow_up_needed": "on",
            "follow_up_note": "Rappeler",
        },
    )

    seance.hotline_call.refresh_from_db()
    assert seance.hotline_call.advice_given == "Contacter la MAIF"
    assert seance.hotline_call.follow_up_needed


# --- Open tasks and records on the page -----------------------------------------------------


def test_open_tasks_are_shown_when_the_next_seance_starts(client, seance, mentor, beneficiary):
    ActionItemFactory(beneficiary=beneficiary, title="Appeler la mairie")
    ActionItemFactory(beneficiary=beneficiary, title="Déjà fait", status=TaskStatus.DONE)

    text = page_text(client, mentor, seance)

    assert "Appeler la mairie" in text
    assert "Déjà fait" not in text


def test_the_beneficiary_sees_only_their_own_tasks(
    client, past_session, mentor, beneficiary, other_beneficiary
):
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    ActionItemFactory(beneficiary=beneficiary, title="Tâche de A")
    ActionItemFactory(beneficiary=other_beneficiary, title="Tâche de B")

    text = page_text(client, beneficiary.user, seance)

    assert "Tâche de A" in text
    assert "Tâche de B" not in text
    assert other_beneficiary.name not in text


# --- Recording ------------------------------------------------------------------------------


def _new_seance_data(**overrides):
    data = {
        "date": days_ago(1).date().isoformat(),
        "start_time": "10:00",
        "duration_minutes": 30,
        "channel": Channel.PHONE,
        "topic": "Premier contact",
    }
    data.update(overrides)
    return data


def test_a_mentor_records_a_hotline_call(client, mentor, hotline_offer):
    client.force_login(mentor)
    assert client.get(reverse("seances:seance_new")).status_code == 200

    response = client.post(
        reverse("seances:seance_new"),
        _new_seance_data(
            kind=SeanceKind.HOTLINE, offer=hotline_offer.public_id, caller_name="Mme Roux"
        ),
    )

    seance = Seance.objects.get()
    assert response.url == detail_url(seance)
    assert seance.hotline_call.caller_name == "Mme Roux"


def test_a_mentor_records_an_individual_seance(client, mentor, individual_offer, beneficiary):
    client.force_login(mentor)

    client.post(
        reverse("seances:seance_new"),
        _new_seance_data(
            kind=SeanceKind.INDIVIDUAL,
            offer=individual_offer.public_id,
            beneficiary=beneficiary.public_id,
        ),
    )

    seance = Seance.objects.get()
    assert seance.attendances.get().beneficiary == beneficiary
    assert seance.starts_at.hour == 9  # 10:00 in Paris, stored in UTC (UTC+1 in winter)


def test_a_form_error_is_shown_on_the_form(client, mentor, individual_offer):
    client.force_login(mentor)

    response = client.post(
        reverse("seances:seance_new"),
        _new_seance_data(kind=SeanceKind.INDIVIDUAL, offer=individual_offer.public_id),
    )

    assert response.status_code == 200
    assert not Seance.objects.exists()


def test_the_tutor_records_a_meeting_from_the_pair(
    client, mentor, tutoring_offer, beneficiary, coordinator
):
    pair = services.tutoring_pair_create(
        offer=tutoring_offer,
        tutor=mentor,
        tutee=beneficiary,
        started_on=days_ago(10).date(),
        acting_user=coordinator,
    )
    client.force_login(mentor)
    prefilled = client.get(
        reverse("seances:seance_new") + f"?kind=tutoring&pair={pair.public_id}"
    ).content.decode()
    assert f'value="{pair.public_id}" selected' in prefilled

    client.post(
        reverse("seances:seance_new"),
        _new_seance_data(kind=SeanceKind.TUTORING, tutoring_pair=pair.public_id),
    )

    assert Seance.objects.get().tutoring_pair == pair


# --- Buttons on the origin pages ------------------------------------------------------------


def test_the_appointment_page_records_then_opens_the_seance(client, past_appointment, mentor):
    client.force_login(mentor)
    url = reverse("seances:appointment_detail", args=[past_appointment.public_id])
    record_url = reverse("seances:seance_from_appointment", args=[past_appointment.public_id])
    assert record_url in client.get(url).content.decode()

    client.post(record_url)

    seance = Seance.objects.get()
    text = client.get(url).content.decode()
    assert detail_url(seance) in text
    assert record_url not in text


def test_the_group_session_page_records_the_seance(client, past_session, mentor):
    client.force_login(mentor)
    url = reverse("seances:group_session_detail", args=[past_session.public_id])
    record_url = reverse("seances:seance_from_group_session", args=[past_session.public_id])

    assert record_url in client.get(url).content.decode()


# --- The list -------------------------------------------------------------------------------


def test_the_list_filters_by_kind_and_record_to_complete(
    client, mentor, individual_offer, hotline_offer, beneficiary
):
    done = SeanceFactory(offer=individual_offer, mentor=mentor, topic="Séance close")
    AttendanceFactory(seance=done, beneficiary=beneficiary)
    ClosingRecordFactory(
        seance=done,
        beneficiary=beneficiary,
        status=RecordStatus.VALIDATED,
        validated_at=datetime.datetime.now(datetime.UTC),
    )
    open_one = SeanceFactory(offer=individual_offer, mentor=mentor, topic="Séance à clore")
    AttendanceFactory(seance=open_one, beneficiary=beneficiary)
    SeanceFactory(
        offer=hotline_offer, mentor=mentor, kind=SeanceKind.HOTLINE, topic="Appel du jour"
    )
    client.force_login(mentor)
    url = reverse("seances:seance_list")

    everything = client.get(url).content.decode()
    to_complete = client.get(url, {"to_complete": "on"}).content.decode()
    hotline = client.get(url, {"kind": SeanceKind.HOTLINE}).content.decode()

    assert all(t in everything for t in ("Séance close", "Séance à clore", "Appel du jour"))
    assert "Séance à clore" in to_complete
    assert "Séance close" not in to_complete
    assert "Appel du jour" not in to_complete
    assert "Appel du jour" in hotline
    assert "Séance close" not in hotline


def test_a_beneficiary_lists_the_seances_they_attended(
    client, seance, beneficiary, other_mentor, other_beneficiary, individual_offer
):
    theirs = SeanceFactory(offer=individual_offer, mentor=other_mentor, topic="Pas la mienne")
    AttendanceFactory(seance=theirs, beneficiary=other_beneficiary)
    seance.topic = "La mienne"
    seance.save()
    client.force_login(beneficiary.user)

    text = client.get(reverse("seances:seance_list")).content.decode()

    assert "La mienne" in text
    assert "Pas la mienne" not in text


# --- Links to the closing records, the action plan and the facilitator mode ------------------


def test_the_page_links_tasks_records_and_facilitation(
    client, past_session, mentor, beneficiary, other_beneficiary
):
    past_session.offer.kind = OfferKind.CODEVELOPMENT
    past_session.offer.save()
    seance = services.seance_from_group_session(session=past_session, acting_user=mentor)
    task = ActionItemFactory(beneficiary=beneficiary, title="Relancer le bailleur")
    record = ClosingRecordFactory(seance=seance, beneficiary=beneficiary)

    text = page_text(client, mentor, seance)

    assert reverse("seances:task_status", args=[task.public_id]) in text
    assert f'name="next" value="{detail_url(seance)}"' in text
    assert reverse("seances:record_detail", args=[record.public_id]) in text
    assert (
        reverse("seances:record_start", args=[seance.public_id, other_beneficiary.public_id])
        in text
    )
    assert reverse("seances:codev_facilitate", args=[seance.public_id]) in text


def test_a_coordinator_gets_no_record_start_nor_task_form(client, seance, coordinator, beneficiary):
    task = ActionItemFactory(beneficiary=beneficiary, title="Relancer le bailleur")

    text = page_text(client, coordinator, seance)

    assert "Relancer le bailleur" in text
    assert reverse("seances:task_status", args=[task.public_id]) not in text
    assert (
        reverse("seances:record_start", args=[seance.public_id, beneficiary.public_id]) not in text
    )


def test_open_tasks_past_their_due_date_are_flagged_on_the_seance(client, seance, mentor):
    import datetime

    from django.utils import timezone

    from tests.seances.conftest import ActionItemFactory

    beneficiary = seance.attendances.get().beneficiary
    ActionItemFactory(
        beneficiary=beneficiary,
        title="Relancer la mairie",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(mentor)
    page = client.get(reverse("seances:seance_detail", args=[seance.public_id])).content.decode()
    assert "Relancer la mairie" in page
    assert "En retard" in page

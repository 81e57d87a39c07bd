"""Demo data for what took place: séances opened from the autumn appointments, closing records
(validated, corrected into a second version, drafts still to complete), action plans with
overdue tasks, a confidential note, a co-development séance run through its six steps,
logbook entries (private and shared), a hotline call, a practice-analysis observation and a
tutoring pair with its learning goals.

Everything goes through the services, as a mentor would do it, so the demo holds the same
invariants as real use. Created once: nothing is added when séances already exist."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from beneficiaires.models import Beneficiary
from programmes.enums import OfferKind
from programmes.models import Offer
from seances.enums import (
    AppointmentStatus,
    AttendanceStatus,
    Channel,
    CommentKind,
    ExchangeChannel,
    ExchangeFrequency,
    ExpectationsMet,
    GoalStatus,
    RegistrationStatus,
    SeanceKind,
    TaskOwner,
    TaskStatus,
)
from seances.models import Appointment, GroupSession, Registration, Seance
from seances.services import closing, codev, logbook, seances, tasks

PARIS = ZoneInfo("Europe/Paris")
JULIEN = "accompagnant@example.org"
SOPHIE = "beneficiaire@example.org"
NADIA = "nadia.haddad@example.org"
MATHIEU = "mathieu.fontaine@example.org"

# Closing records written for the autumn séances, in the beneficiaries' own words.
RECORD_TEXTS = [
    {
        "expectations": "Savoir par où commencer pour chiffrer le projet.",
        "expectations_met": ExpectationsMet.YES,
        "content": "Nous avons listé les postes de dépenses et repéré deux financeurs possibles.",
        "next_step": "Construire un premier budget prévisionnel sur un an.",
        "means_and_resources": "Le modèle de budget de la CRESS, deux heures par semaine.",
        "future_needs": "Un appui pour rédiger la demande de subvention.",
        "mentor_can_help_with": "Relire le budget, préparer le rendez-vous avec le financeur.",
        "next_frequency": ExchangeFrequency.FORTNIGHTLY,
        "next_channels": [ExchangeChannel.EMAIL, ExchangeChannel.IN_PERSON],
        "beneficiary_commitments": "Envoyer le budget avant le prochain rendez-vous.",
        "mentor_commitments": "Transmettre les contacts des deux financeurs.",
        "misunderstandings": "",
    },
    {
        "expectations": "Clarifier le rôle de chaque membre du collectif.",
        "expectations_met": ExpectationsMet.PARTLY,
        "content": "Cartographie des parties prenantes ; la gouvernance reste à discuter.",
        "next_step": "Organiser une réunion du collectif sur la gouvernance.",
        "means_and_resources": "Une salle, l'outil de cartographie partagé.",
        "future_needs": "Une animation extérieure pour la réunion de gouvernance.",
        "mentor_can_help_with": "Proposer un déroulé d'animation.",
        "next_frequency": ExchangeFrequency.MONTHLY,
        "next_channels": [ExchangeChannel.PHONE, ExchangeChannel.SHARED_DOCUMENTS],
        "beneficiary_commitments": "Fixer la date de la réunion avec le collectif.",
        "mentor_commitments": "Envoyer un exemple de charte de coopération.",
        "misunderstandings": "La différence entre association et SCIC était floue : reprise.",
    },
    {
        "expectations": "Préparer la rencontre avec la mairie.",
        "expectations_met": ExpectationsMet.YES,
        "content": "Argumentaire travaillé, questions probables de la mairie anticipées.",
        "next_step": "Présenter le projet à l'élue à la vie associative.",
        "means_and_resources": "Une fiche projet d'une page.",
        "future_needs": "Trouver un local partagé.",
        "mentor_can_help_with": "Mettre en relation avec d'autres porteurs de projet du quartier.",
        "next_frequency": ExchangeFrequency.AS_NEEDED,
        "next_channels": [ExchangeChannel.EMAIL],
        "beneficiary_commitments": "Écrire la fiche projet.",
        "mentor_commitments": "Relire la fiche projet sous une semaine.",
        "misunderstandings": "",
    },
]
TASK_TITLES = [
    "Écrire la fiche projet d'une page",
    "Appeler la CRESS pour le modèle de budget",
    "Fixer la réunion du collectif",
    "Relire les statuts de l'association",
]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def followed_by(mentor):
    """The people a mentor is referent for: those they may record a séance with."""
    return Beneficiary.objects.filter(enrollments__referent_mentor=mentor).distinct()


def seed_seances(today: datetime.date | None = None) -> None:
    if Seance.objects.exists():
        return
    today = today or timezone.localdate()
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith="@example.org")}
    seed_from_appointments(today)
    seed_sophie(users, today)
    seed_codevelopment(users, today)
    seed_workshop()
    seed_hotline(users)
    seed_practice_analysis(users)
    seed_tutoring(users)


def seed_from_appointments(today: datetime.date) -> None:
    """Every autumn appointment that took place becomes a séance; two records in three are
    validated, the others are drafts or still to write (the mentors' to-do list)."""
    past = (
        Appointment.objects.filter(
            starts_at__lt=at(datetime.date(2026, 11, 1), 0),
            status__in=[
                AppointmentStatus.ATTENDED,
                AppointmentStatus.EXCUSED,
                AppointmentStatus.NO_SHOW,
            ],
        )
        .exclude(beneficiary__user__email=SOPHIE)
        .select_related("mentor", "beneficiary", "offer")
        .order_by("starts_at", "pk")
    )
    for n, appointment in enumerate(past):
        seance = seances.seance_from_appointment(
            appointment=appointment, acting_user=appointment.mentor
        )
        if appointment.status != AppointmentStatus.ATTENDED:
            continue
        if n % 3 == 2:
            continue  # no record yet: shows in the mentor's "to complete" list
        record = closing.record_start(
            seance=seance, beneficiary=appointment.beneficiary, acting_user=appointment.mentor
        )
        closing.record_update(
            record=record, acting_user=appointment.mentor, **RECORD_TEXTS[n % len(RECORD_TEXTS)]
        )
        due = appointment.starts_at.date() + datetime.timedelta(days=21)
        closing.record_task_add(
            record=record,
            acting_user=appointment.mentor,
            title=TASK_TITLES[n % len(TASK_TITLES)],
            due_on=due,
        )
        if n % 3 == 0:
            closing.record_validate(record=record, acting_user=appointment.mentor)


def seed_sophie(users, today: datetime.date) -> None:
    """Sophie's coaching with Julien: two séances, a record corrected into a second version
    with her synthesis, an action plan with an overdue task, a confidential note."""
    julien, sophie_user = users.get(JULIEN), users.get(SOPHIE)
    if julien is None or sophie_user is None:
        return
    sophie = Beneficiary.objects.get(user=sophie_user)
    offer = Offer.objects.filter(kind=OfferKind.COACHING, enrollments__beneficiary=sophie).first()
    if offer is None:
        return
    first = seances.seance_create(
        offer=offer,
        kind=SeanceKind.INDIVIDUAL,
        mentor=julien,
        beneficiaries=[sophie],
        starts_at=at(datetime.date(2026, 9, 22), 14),
        duration_minutes=90,
        channel=Channel.IN_PERSON,
        topic="Lancement de l'épicerie solidaire",
        acting_user=julien,
    )
    record = closing.record_start(seance=first, beneficiary=sophie, acting_user=julien)
    closing.record_update(record=record, acting_user=julien, **RECORD_TEXTS[0])
    closing.record_task_add(
        record=record,
        acting_user=julien,
        title="Lister les producteurs locaux intéressés",
        due_on=datetime.date(2026, 10, 6),
    )
    closing.record_task_add(
        record=record,
        acting_user=julien,
        title="Envoyer les contacts des deux financeurs",
        owner=TaskOwner.MENTOR,
        due_on=datetime.date(2026, 9, 29),
    )
    record = closing.record_validate(record=record, acting_user=julien)
    correction = closing.record_correct(
        record=record,
        acting_user=julien,
        reason="Le second financeur cité n'était pas le bon.",
    )
    closing.record_update(
        record=correction,
        acting_user=julien,
        content=(
            "Nous avons listé les postes de dépenses de l'épicerie et repéré deux financeurs "
            "possibles : la Fondation de France et le fonds de la métropole."
        ),
    )
    correction = closing.record_validate(record=correction, acting_user=julien)
    closing.record_comment_add(
        record=correction,
        author=sophie_user,
        kind=CommentKind.SYNTHESIS,
        body=(
            "Je retiens qu'il faut d'abord chiffrer le projet avant d'aller voir les "
            "financeurs, et que je ne suis pas seule : deux producteurs sont prêts à suivre."
        ),
    )
    for task in first.action_items.order_by("pk"):
        status = TaskStatus.DONE if task.owner == TaskOwner.MENTOR else TaskStatus.IN_PROGRESS
        tasks.task_set_status(
            task=task,
            status=status,
            acting_user=julien if status == TaskStatus.DONE else sophie_user,
        )

    second = seances.seance_create(
        offer=offer,
        kind=SeanceKind.INDIVIDUAL,
        mentor=julien,
        beneficiaries=[sophie],
        starts_at=at(datetime.date(2026, 10, 20), 14),
        duration_minutes=90,
        channel=Channel.VIDEO,
        topic="Budget prévisionnel",
        acting_user=julien,
    )
    record = closing.record_start(seance=second, beneficiary=sophie, acting_user=julien)
    closing.record_update(
        record=record,
        acting_user=julien,
        **(RECORD_TEXTS[2] | {"next_date": today + datetime.timedelta(days=14)}),
    )
    closing.record_task_add(
        record=record,
        acting_user=julien,
        title="Écrire la fiche projet d'une page",
        due_on=today - datetime.timedelta(days=5),  # overdue: flagged on both homes
    )
    closing.record_task_add(
        record=record,
        acting_user=julien,
        title="Demander un rendez-vous à l'élue à la vie associative",
        due_on=today + datetime.timedelta(days=10),
    )
    closing.record_validate(record=record, acting_user=julien)
    seances.confidential_note_add(
        seance=second,
        beneficiary=sophie,
        body=(
            "Sophie se dit peu à l'aise à l'oral devant les élus : proposer une répétition "
            "avant le rendez-vous, sans en parler au collectif."
        ),
        acting_user=julien,
    )
    logbook.logbook_entry_create(
        author=sophie_user,
        seance=second,
        title="Après la séance budget",
        learnings="Un budget prévisionnel se construit par postes, pas au hasard.",
        feelings="Rassurée : le projet tient debout.",
        progress="J'ai mon premier tableau de dépenses.",
        shared_with_mentor=True,
    )
    logbook.logbook_entry_create(
        author=sophie_user,
        offer=offer,
        title="Mes doutes du moment",
        feelings="Je doute de ma légitimité face aux élus.",
        shared_with_mentor=False,
    )


def seed_codevelopment(users, today: datetime.date) -> None:
    """A co-development séance of October, run through its six steps: Sophie was a
    consultant; the client drew an action plan at step 5."""
    facilitator = users.get(JULIEN)
    offer = Offer.objects.filter(kind=OfferKind.CODEVELOPMENT, mentors=facilitator).first()
    if facilitator is None or offer is None:
        return
    sophie = Beneficiary.objects.filter(user__email=SOPHIE).first()
    starts_at = at(datetime.date(2026, 10, 15), 18)
    session = GroupSession.objects.create(
        offer=offer,
        organiser=facilitator,
        title=offer.title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=offer.duration_minutes),
        capacity=offer.capacity,
        channel=Channel.IN_PERSON,
        location=offer.programme.organization.name,
    )
    people = list(
        Beneficiary.objects.filter(organization=offer.programme.organization)
        .exclude(pk=getattr(sophie, "pk", None))
        .order_by(F("user").desc(nulls_last=True), "name")[:5]
    )
    if sophie is not None:
        people.insert(1, sophie)
    for person in people:
        Registration.objects.create(
            session=session, beneficiary=person, status=RegistrationStatus.REGISTERED
        )
    seance = seances.seance_from_group_session(session=session, acting_user=facilitator)
    absent = people[-1]
    seances.attendance_record(
        seance=seance, statuses={absent.pk: AttendanceStatus.EXCUSED}, acting_user=facilitator
    )
    client = people[0]
    codev.codev_prepare(
        seance=seance,
        client=client,
        topic="Comment relancer des bénévoles qui s'essoufflent ?",
        acting_user=facilitator,
    )
    notes = {
        1: "Le collectif a perdu la moitié de ses bénévoles depuis l'été ; les réunions "
        "se tiennent à trois.",
        2: "Questions : qui fixe l'ordre du jour ? Les bénévoles ont-ils un rôle choisi ?",
        3: "Besoin : retrouver de l'envie, pas seulement du nombre. Contrat : des idées "
        "concrètes pour la prochaine réunion.",
        4: "Idées : des rôles courts et choisis, une fête de rentrée, un binôme d'accueil "
        "pour les nouveaux, moins de réunions et plus d'actions visibles.",
        5: "Le client retient deux actions : binôme d'accueil et réunion courte mensuelle.",
        6: "Apprentissages : écouter le besoin avant de proposer ; plaisir de la méthode.",
    }
    codev.codev_next_step(seance=seance, notes="", acting_user=facilitator)  # step 1 starts
    for number in range(1, 7):
        if number == 5:
            codev.codev_add_action(
                seance=seance,
                title="Proposer un binôme d'accueil aux deux prochains bénévoles",
                due_on=datetime.date(2026, 11, 12),
                acting_user=facilitator,
            )
            codev.codev_add_action(
                seance=seance,
                title="Tenir une réunion courte (45 min) en novembre",
                due_on=today + datetime.timedelta(days=20),
                acting_user=facilitator,
            )
        codev.codev_next_step(seance=seance, notes=notes[number], acting_user=facilitator)
    # The steps ran in October, not in the instant the demo was built: give them their times.
    moment = starts_at
    overruns = (2, 5, -2, 8, 0, -5)
    for step, overrun in zip(seance.codev_steps.order_by("number"), overruns, strict=True):
        step.started_at = moment
        moment += datetime.timedelta(minutes=step.planned_minutes + overrun)
        step.ended_at = moment
        step.save(update_fields=["started_at", "ended_at"])


def seed_workshop() -> None:
    """A workshop of October that took place: attendance taken, one excused, one absent."""
    offer = Offer.objects.filter(
        kind=OfferKind.WORKSHOP, enrollments__beneficiary__user__email=SOPHIE
    ).first()
    organiser = offer.mentors.order_by("pk").first() if offer else None
    if organiser is None:
        return
    starts_at = at(datetime.date(2026, 10, 8), 18)
    session = GroupSession.objects.create(
        offer=offer,
        organiser=organiser,
        title="Trouver des financements pour son projet",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=offer.duration_minutes),
        capacity=offer.capacity,
        channel=Channel.IN_PERSON,
        location=offer.programme.organization.name,
    )
    people = list(
        Beneficiary.objects.filter(enrollments__offer=offer).distinct().order_by("name")[:7]
    )
    for person in people:
        Registration.objects.create(
            session=session, beneficiary=person, status=RegistrationStatus.REGISTERED
        )
    seance = seances.seance_from_group_session(session=session, acting_user=organiser)
    statuses = {people[-1].pk: AttendanceStatus.ABSENT}
    if len(people) > 2:
        statuses[people[-2].pk] = AttendanceStatus.EXCUSED
    seances.attendance_record(seance=seance, statuses=statuses, acting_user=organiser)


def seed_hotline(users) -> None:
    nadia = users.get(NADIA)
    offer = Offer.objects.filter(kind=OfferKind.HOTLINE, mentors=nadia).first()
    if nadia is None or offer is None:
        return
    caller = followed_by(nadia)
    seances.seance_create(
        offer=offer,
        kind=SeanceKind.HOTLINE,
        mentor=nadia,
        beneficiaries=[caller.order_by("name").first()],
        starts_at=at(datetime.date(2026, 10, 13), 15, 20),
        duration_minutes=20,
        channel=Channel.PHONE,
        topic="Statut juridique pour un projet de recyclerie",
        acting_user=nadia,
        advice_given="Comparer association et SCIC ; fiche pratique envoyée par courriel.",
        follow_up_needed=True,
        follow_up_note="Proposer un rendez-vous de coaching.",
    )
    seances.seance_create(
        offer=offer,
        kind=SeanceKind.HOTLINE,
        mentor=nadia,
        beneficiaries=[],
        starts_at=at(datetime.date(2026, 10, 15), 14, 5),
        duration_minutes=10,
        channel=Channel.PHONE,
        topic="Horaires de la permanence",
        acting_user=nadia,
        caller_name="Un habitant du 8e",
        advice_given="Permanence le mardi et le jeudi de 14 h à 17 h.",
    )


def seed_practice_analysis(users) -> None:
    nadia = users.get(NADIA)
    offer = Offer.objects.filter(kind=OfferKind.PRACTICE_ANALYSIS, mentors=nadia).first()
    if nadia is None or offer is None:
        return
    observed = followed_by(nadia).order_by("-name").first()
    seance = seances.seance_create(
        offer=offer,
        kind=SeanceKind.PRACTICE_ANALYSIS,
        mentor=nadia,
        beneficiaries=[observed],
        starts_at=at(datetime.date(2026, 10, 7), 16),
        duration_minutes=120,
        channel=Channel.IN_PERSON,
        topic="Animation d'un atelier jeunesse",
        acting_user=nadia,
        situation="Atelier « projet d'été » avec douze jeunes de 14 à 16 ans.",
        observation_notes=(
            "Accueil chaleureux ; consignes données une seule fois à l'oral ; deux jeunes "
            "décrochent au bout de vingt minutes."
        ),
    )
    seances.observation_update(
        seance=seance,
        acting_user=nadia,
        observer_feedback=(
            "Écrire les consignes au tableau et les reformuler ; proposer des rôles aux jeunes "
            "en retrait. Ce retour n'est pas une évaluation."
        ),
    )


def seed_tutoring(users) -> None:
    tutor = users.get(MATHIEU)
    offer = Offer.objects.filter(kind=OfferKind.TUTORING, mentors=tutor).first()
    if tutor is None or offer is None:
        return
    tutee = followed_by(tutor).order_by("name")[1:2].first()
    if tutee is None:
        return
    pair = seances.tutoring_pair_create(
        offer=offer,
        tutor=tutor,
        tutee=tutee,
        started_on=datetime.date(2026, 9, 14),
        acting_user=tutor,
    )
    goals = [
        seances.learning_goal_add(pair=pair, title=title, acting_user=tutor)
        for title in (
            "Animer une réunion d'équipe",
            "Construire un rétroplanning de projet",
            "Présenter le projet à un partenaire",
        )
    ]
    meeting = seances.seance_create(
        offer=offer,
        kind=SeanceKind.TUTORING,
        mentor=tutor,
        beneficiaries=[tutee],
        starts_at=at(datetime.date(2026, 10, 12), 17),
        duration_minutes=60,
        channel=Channel.IN_PERSON,
        topic="Préparer la réunion de rentrée",
        acting_user=tutor,
        tutoring_pair=pair,
    )
    for goal, status, comment in (
        (goals[0], GoalStatus.IN_PROGRESS, "Ordre du jour préparé ensemble."),
        (goals[1], GoalStatus.REACHED, "Rétroplanning construit et partagé."),
    ):
        seances.goal_review_record(
            seance=meeting, goal=goal, status=status, comment=comment, acting_user=tutor
        )

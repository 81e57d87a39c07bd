"""Demo data: two support structures, their programmes, offers, mentors and beneficiaries.

Idempotent and deterministic: every object is looked up by a stable natural key (email,
organisation name, programme title, offer title…) and every random choice comes from
`random.Random(SEED)`, drawn before touching the database. Running the command twice gives
the same data. All user-facing data is in French.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from accounts.enums import OrganizationKind, Role
from accounts.models import Membership, Organization
from beneficiaires.enums import BeneficiaryKind, ConsentPurpose, EnrollmentStatus, Situation
from beneficiaires.models import Beneficiary, Consent, Enrollment
from core.demo.agenda import seed_agenda
from core.demo.audit import seed_audit
from core.demo.campaigns import seed_campaigns
from core.demo.catalogue import seed_catalogue
from core.demo.evaluation import seed_evaluation
from core.demo.network import seed_network
from core.demo.privacy import seed_privacy
from core.demo.requests import seed_requests
from core.demo.seances import seed_seances
from core.demo.showcase import seed_showcase
from programmes.enums import GROUP_KINDS, OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme

SEED = 42
# Published on purpose: the demo accounts are documented in the README.
DEMO_PASSWORD = "demo-accompagnement"  # noqa: S105

LYON = "lyon"
VAL = "val"

# --- Organisations ---------------------------------------------------------------------------

SUPPORT_ORGANIZATIONS = {
    LYON: {
        "name": "Maison des initiatives citoyennes",
        "territory": "Lyon et Métropole de Lyon (Rhône)",
        "email": "contact@maison-initiatives.example.org",
        "phone": "04 78 12 34 56",
        "website": "https://maison-initiatives.example.org",
    },
    VAL: {
        "name": "Réseau solidaire du Val",
        "territory": "Val-de-Marne",
        "email": "contact@reseau-solidaire-val.example.org",
        "phone": "01 43 98 76 54",
        "website": "https://reseau-solidaire-val.example.org",
    },
}

CRESS = "Chambre régionale de l'ESS Auvergne-Rhône-Alpes"
CIJ = "Centre information jeunesse du Val-de-Marne"
VILLEURBANNE = "Ville de Villeurbanne — service vie associative"

PARTNER_ORGANIZATIONS = [
    {
        "name": CRESS,
        "territory": "Auvergne-Rhône-Alpes",
        "email": "contact@cress-aura.example.org",
        "phone": "04 78 09 87 65",
        "website": "https://cress-aura.example.org",
    },
    {
        "name": CIJ,
        "territory": "Val-de-Marne",
        "email": "accueil@cij-valdemarne.example.org",
        "phone": "01 48 76 54 32",
        "website": "https://cij-valdemarne.example.org",
    },
    {
        "name": VILLEURBANNE,
        "territory": "Villeurbanne (Rhône)",
        "email": "vie-associative@villeurbanne.example.org",
        "phone": "04 72 65 43 21",
        "website": "",
    },
]

# --- People with an account ------------------------------------------------------------------

ADMIN_EMAIL = "admin@example.org"
CLAIRE = "coordinatrice@example.org"
KARIM = "coordinateur.val@example.org"
JULIEN = "accompagnant@example.org"
SOPHIE = "beneficiaire@example.org"

# email: (first name, last name, organisation)
COORDINATORS = {
    CLAIRE: ("Claire", "Martin", LYON),
    KARIM: ("Karim", "Benali", VAL),
}

NADIA = "nadia.haddad@example.org"
THOMAS = "thomas.girard@example.org"
ELODIE = "elodie.roux@example.org"
MATHIEU = "mathieu.fontaine@example.org"
AMINA = "amina.diallo@example.org"
LEA = "lea.petit@example.org"
YOUSSEF = "youssef.amrani@example.org"
PAULINE = "pauline.chevalier@example.org"
ANTOINE = "antoine.mercier@example.org"

MENTORS = {
    JULIEN: ("Julien", "Moreau", LYON),
    NADIA: ("Nadia", "Haddad", LYON),
    THOMAS: ("Thomas", "Girard", LYON),
    ELODIE: ("Élodie", "Roux", LYON),
    MATHIEU: ("Mathieu", "Fontaine", LYON),
    AMINA: ("Amina", "Diallo", LYON),
    LEA: ("Léa", "Petit", VAL),
    YOUSSEF: ("Youssef", "Amrani", VAL),
    PAULINE: ("Pauline", "Chevalier", VAL),
    ANTOINE: ("Antoine", "Mercier", VAL),
}

DEMO_LOGINS = [
    ("Administrateur", ADMIN_EMAIL),
    ("Coordinatrice", CLAIRE),
    ("Coordinateur", KARIM),
    ("Accompagnant", JULIEN),
    ("Bénéficiaire", SOPHIE),
]

# --- Programmes ------------------------------------------------------------------------------

CONFIDENTIALITY_STATEMENT = (
    "Ce que vous confiez à votre accompagnant·e sur vos difficultés, vos compétences et vos "
    "savoir-faire reste entre vous deux. Les coordinateur·rices du programme voient "
    "l'avancement de l'accompagnement et des statistiques, jamais les notes confidentielles. "
    "Les rendez-vous individuels sont strictement confidentiels. Les informations sur votre "
    "projet ne sont partagées dans le réseau qu'avec votre accord et jamais si elles peuvent "
    "vous porter préjudice."
)

LYON_OPEN = "lyon-open"
LYON_DRAFT = "lyon-draft"
VAL_OPEN = "val-open"

PROGRAMMES = {
    LYON_OPEN: {
        "organization": LYON,
        "title": "Fabrique des initiatives citoyennes 2026-2027",
        "description": (
            "Un programme d'accompagnement pour les habitant·es, associations et collectifs "
            "de la Métropole de Lyon qui veulent faire naître ou consolider un projet "
            "d'utilité sociale : permanence téléphonique, formations, ateliers d'échanges, "
            "rendez-vous individuels, coaching et groupe de codéveloppement."
        ),
        "objectives": (
            "Aider chaque porteur·euse de projet à passer de l'envie à l'action.\n"
            "Outiller les collectifs qui veulent agir mais ne savent pas comment s'y prendre.\n"
            "Donner du recul aux structures déjà engagées sur leurs pratiques.\n"
            "Mettre en lien les projets avec les partenaires du réseau."
        ),
        "target_public": (
            "Habitant·es, associations, groupes de jeunes, collectifs d'habitant·es et "
            "structures de l'économie sociale et solidaire de la Métropole de Lyon."
        ),
        "territory": "Métropole de Lyon",
        "start_date": datetime.date(2026, 2, 2),
        "end_date": datetime.date(2027, 7, 2),
        "status": ProgrammeStatus.OPEN,
        "partners": [CRESS, VILLEURBANNE],
        "coordinators": [CLAIRE],
    },
    LYON_DRAFT: {
        "organization": LYON,
        "title": "Jeunes en action : parcours d'engagement 2027",
        "description": (
            "Un parcours en préparation pour les groupes de jeunes de 16 à 25 ans qui "
            "souhaitent porter un projet collectif dans leur quartier, avec un tutorat par "
            "des pairs expérimentés et des temps d'analyse de pratique."
        ),
        "objectives": (
            "Donner envie aux jeunes de s'engager, y compris après une mauvaise expérience.\n"
            "Transmettre les savoir-faire de pair à pair grâce au tutorat.\n"
            "Accompagner les animateur·rices jeunesse dans leur posture."
        ),
        "target_public": "Groupes de jeunes de 16 à 25 ans et animateur·rices jeunesse.",
        "territory": "Lyon et Villeurbanne",
        "start_date": datetime.date(2027, 1, 11),
        "end_date": datetime.date(2027, 12, 17),
        "status": ProgrammeStatus.DRAFT,
        "partners": [VILLEURBANNE],
        "coordinators": [CLAIRE],
    },
    VAL_OPEN: {
        "organization": VAL,
        "title": "Agir ensemble dans le Val : accompagnement des collectifs 2026-2027",
        "description": (
            "Un programme pour les collectifs d'habitant·es, associations de quartier et "
            "jeunes porteur·euses de projet du Val-de-Marne : ligne d'appui, ateliers, "
            "coaching des bureaux associatifs, tutorat et codéveloppement."
        ),
        "objectives": (
            "Identifier et rencontrer les collectifs du territoire.\n"
            "Diagnostiquer leurs besoins et leur proposer un accompagnement adapté.\n"
            "Renforcer la coopération entre associations, habitant·es et collectivités."
        ),
        "target_public": (
            "Collectifs d'habitant·es, associations de quartier, groupes de jeunes, "
            "structures de l'ESS et collectivités du Val-de-Marne."
        ),
        "territory": "Val-de-Marne",
        "start_date": datetime.date(2026, 3, 2),
        "end_date": datetime.date(2027, 6, 30),
        "status": ProgrammeStatus.OPEN,
        "partners": [CIJ],
        "coordinators": [KARIM],
    },
}

# --- Offers ----------------------------------------------------------------------------------

IN_PERSON = "in_person"
PHONE = "phone"
VIDEO = "video"


@dataclass(frozen=True)
class OfferSpec:
    programme: str
    kind: OfferKind
    title: str
    description: str
    channels: tuple[str, ...]
    duration_minutes: int
    mentors: tuple[str, ...]
    capacity: int = 1  # only read for group kinds
    partner: str | None = None


OFFERS = [
    # Maison des initiatives citoyennes — open programme
    OfferSpec(
        LYON_OPEN,
        OfferKind.HOTLINE,
        "Permanence téléphonique « Monter son projet »",
        "Des conseils personnalisés par téléphone, le mardi et le jeudi de 14 h à 17 h.",
        (PHONE,),
        30,
        (NADIA, JULIEN),
    ),
    OfferSpec(
        LYON_OPEN,
        OfferKind.TRAINING,
        "Formation : construire le budget de son projet",
        "Trois demi-journées pour bâtir un budget prévisionnel et chercher des financements.",
        (IN_PERSON,),
        180,
        (THOMAS, MATHIEU),
        capacity=12,
        partner=CRESS,
    ),
    OfferSpec(
        LYON_OPEN,
        OfferKind.WORKSHOP,
        "Atelier d'échanges entre porteur·euses de projet",
        "Un atelier mensuel pour partager ses réussites, ses difficultés et ses contacts.",
        (IN_PERSON, VIDEO),
        120,
        (JULIEN, AMINA),
        capacity=10,
    ),
    OfferSpec(
        LYON_OPEN,
        OfferKind.INDIVIDUAL_APPOINTMENT,
        "Rendez-vous individuel confidentiel",
        "Un rendez-vous en présentiel, confidentiel, pour faire le point sur sa situation.",
        (IN_PERSON, PHONE),
        60,
        (ELODIE, NADIA),
    ),
    OfferSpec(
        LYON_OPEN,
        OfferKind.COACHING,
        "Coaching de porteur·euse de projet",
        "Une relation individuelle avec des objectifs adaptés à votre contexte et vos talents.",
        (IN_PERSON, VIDEO),
        90,
        (JULIEN, THOMAS, ELODIE),
    ),
    OfferSpec(
        LYON_OPEN,
        OfferKind.CODEVELOPMENT,
        "Groupe de codéveloppement des collectifs",
        "Une séance par mois en six étapes : chacun·e apporte une situation et repart avec "
        "un plan d'action.",
        (IN_PERSON,),
        150,
        (JULIEN, AMINA, MATHIEU),
        capacity=8,
    ),
    # Maison des initiatives citoyennes — draft programme
    OfferSpec(
        LYON_DRAFT,
        OfferKind.TUTORING,
        "Tutorat par un·e pair expérimenté·e",
        "Un·e jeune déjà engagé·e accompagne un·e novice dans la conduite de son projet.",
        (IN_PERSON,),
        60,
        (MATHIEU, JULIEN),
        partner=VILLEURBANNE,
    ),
    OfferSpec(
        LYON_DRAFT,
        OfferKind.PRACTICE_ANALYSIS,
        "Analyse de pratique des animateur·rices jeunesse",
        "Observation d'une animation réelle, auto-évaluation puis retour de l'observatrice.",
        (IN_PERSON,),
        120,
        (NADIA,),
    ),
    OfferSpec(
        LYON_DRAFT,
        OfferKind.WORKSHOP,
        "Atelier « De l'idée à l'action »",
        "Un atelier collectif pour transformer une idée de projet en premières actions.",
        (IN_PERSON,),
        150,
        (AMINA, THOMAS),
        capacity=12,
    ),
    # Réseau solidaire du Val — open programme
    OfferSpec(
        VAL_OPEN,
        OfferKind.HOTLINE,
        "Ligne d'appui aux collectifs d'habitant·es",
        "Des conseils par téléphone le lundi et le mercredi de 9 h 30 à 12 h 30.",
        (PHONE,),
        30,
        (LEA, YOUSSEF),
    ),
    OfferSpec(
        VAL_OPEN,
        OfferKind.TRAINING,
        "Formation : mobiliser les habitant·es de son quartier",
        "Deux journées pour apprendre à aller vers les habitant·es et animer une réunion.",
        (IN_PERSON,),
        210,
        (PAULINE, ANTOINE),
        capacity=12,
    ),
    OfferSpec(
        VAL_OPEN,
        OfferKind.WORKSHOP,
        "Atelier mensuel « Agir dans son quartier »",
        "Un temps d'échanges entre collectifs pour partager outils, méthodes et contacts.",
        (IN_PERSON,),
        120,
        (PAULINE, LEA),
        capacity=10,
    ),
    OfferSpec(
        VAL_OPEN,
        OfferKind.INDIVIDUAL_APPOINTMENT,
        "Rendez-vous individuel d'orientation",
        "Un entretien confidentiel pour diagnostiquer vos besoins et vous orienter.",
        (IN_PERSON, PHONE),
        45,
        (LEA,),
    ),
    OfferSpec(
        VAL_OPEN,
        OfferKind.COACHING,
        "Coaching des bureaux associatifs",
        "Un accompagnement sur mesure des bénévoles qui font vivre une association.",
        (IN_PERSON, VIDEO),
        90,
        (YOUSSEF, ANTOINE),
    ),
    OfferSpec(
        VAL_OPEN,
        OfferKind.PRACTICE_ANALYSIS,
        "Analyse de pratique des bénévoles animateur·rices",
        "Observation d'un temps d'animation, auto-évaluation et retour de l'observateur·rice.",
        (IN_PERSON,),
        120,
        (PAULINE,),
    ),
    OfferSpec(
        VAL_OPEN,
        OfferKind.TUTORING,
        "Tutorat des jeunes porteur·euses de projet",
        "Un·e tuteur·rice de terrain expérimenté·e accompagne un·e jeune dans son projet.",
        (IN_PERSON, PHONE),
        60,
        (ANTOINE, LEA),
        partner=CIJ,
    ),
    OfferSpec(
        VAL_OPEN,
        OfferKind.CODEVELOPMENT,
        "Groupe de codéveloppement des responsables associatifs",
        "Six responsables associatifs s'entraident en six étapes autour d'une situation réelle.",
        (IN_PERSON, VIDEO),
        180,
        (YOUSSEF, PAULINE, LEA),
        capacity=6,
    ),
]

# --- Beneficiaries ---------------------------------------------------------------------------

# (postal code, commune) of each support structure's territory
PLACES = {
    LYON: [
        ("69001", "Lyon 1er"),
        ("69003", "Lyon 3e"),
        ("69004", "Lyon 4e"),
        ("69007", "Lyon 7e"),
        ("69008", "Lyon 8e"),
        ("69009", "Lyon 9e"),
        ("69100", "Villeurbanne"),
        ("69120", "Vaulx-en-Velin"),
        ("69200", "Vénissieux"),
        ("69500", "Bron"),
    ],
    VAL: [
        ("94000", "Créteil"),
        ("94110", "Arcueil"),
        ("94140", "Alfortville"),
        ("94200", "Ivry-sur-Seine"),
        ("94400", "Vitry-sur-Seine"),
        ("94500", "Champigny-sur-Marne"),
        ("94600", "Choisy-le-Roi"),
        ("94800", "Villejuif"),
    ],
}

# (name, kind, contact person, postal code)
STRUCTURES = {
    LYON: [
        (
            "Les Jardins partagés de la Croix-Rousse",
            BeneficiaryKind.ASSOCIATION,
            "Martine Rey",
            "69004",
        ),
        ("Association Les Pages voyageuses", BeneficiaryKind.ASSOCIATION, "Hugo Perrin", "69007"),
        ("Association sportive de Parilly", BeneficiaryKind.ASSOCIATION, "Sami Belkacem", "69200"),
        ("Junior association Skate & Co", BeneficiaryKind.YOUTH_GROUP, "Lina Garnier", "69100"),
        (
            "Conseil de jeunes de Vaulx-en-Velin",
            BeneficiaryKind.YOUTH_GROUP,
            "Ilyes Naceri",
            "69120",
        ),
        (
            "Collectif des habitant·es de la Duchère",
            BeneficiaryKind.RESIDENTS_COLLECTIVE,
            "Josiane Blanc",
            "69009",
        ),
        (
            "Amicale des locataires Mermoz",
            BeneficiaryKind.RESIDENTS_COLLECTIVE,
            "René Morel",
            "69008",
        ),
        (
            "Collectif Habiter Gerland",
            BeneficiaryKind.RESIDENTS_COLLECTIVE,
            "Aïcha Mansouri",
            "69007",
        ),
        ("Recyclerie des Pentes", BeneficiaryKind.ESS_STRUCTURE, "Bastien Lefort", "69001"),
        ("Coopérative Vélo solidaire", BeneficiaryKind.ESS_STRUCTURE, "Chloé Vidal", "69008"),
        (
            "Épicerie solidaire La Passerelle",
            BeneficiaryKind.ESS_STRUCTURE,
            "Farid Cherif",
            "69500",
        ),
        (
            "Mairie de Bron — mission démocratie locale",
            BeneficiaryKind.LOCAL_AUTHORITY,
            "Anne-Laure Bertin",
            "69500",
        ),
        ("Boulangerie Au pain partagé", BeneficiaryKind.COMPANY, "Olivier Marchand", "69003"),
        ("Menuiserie Durand et fils", BeneficiaryKind.COMPANY, "Patrick Durand", "69100"),
    ],
    VAL: [
        ("Association Vivre ensemble à Vitry", BeneficiaryKind.ASSOCIATION, "Fatou Sow", "94400"),
        ("Café associatif Le Comptoir", BeneficiaryKind.ASSOCIATION, "Gaëlle Lemaire", "94140"),
        ("Jeunes ambassadeurs de Champigny", BeneficiaryKind.YOUTH_GROUP, "Enzo Caron", "94500"),
        ("Club jeunesse d'Arcueil", BeneficiaryKind.YOUTH_GROUP, "Maëlys Lopez", "94110"),
        (
            "Collectif des habitant·es du Mont-Mesly",
            BeneficiaryKind.RESIDENTS_COLLECTIVE,
            "Bernard Colin",
            "94000",
        ),
        (
            "Collectif Ivry quartiers solidaires",
            BeneficiaryKind.RESIDENTS_COLLECTIVE,
            "Nora Saidi",
            "94200",
        ),
        (
            "Régie de quartier de Villejuif",
            BeneficiaryKind.ESS_STRUCTURE,
            "Cédric Barbier",
            "94800",
        ),
        (
            "Chantier d'insertion Les Bords de Marne",
            BeneficiaryKind.ESS_STRUCTURE,
            "Isabelle Noël",
            "94500",
        ),
        (
            "Ville de Choisy-le-Roi — service vie associative",
            BeneficiaryKind.LOCAL_AUTHORITY,
            "Marc Aubert",
            "94600",
        ),
        ("Traiteur Saveurs du Val", BeneficiaryKind.COMPANY, "Mariam Koné", "94200"),
    ],
}

INDIVIDUALS_PER_ORGANIZATION = {LYON: 19, VAL: 16}  # plus the demo beneficiary in Lyon

FIRST_NAMES = [
    "Adèle", "Alice", "Amir", "Baptiste", "Camille", "Céline", "Damien", "Djibril", "Emma",
    "Fabien", "Fatima", "Gabriel", "Hélène", "Inès", "Jade", "Jérôme", "Kevin", "Laura",
    "Louis", "Lucie", "Malik", "Manon", "Nathalie", "Noah", "Océane", "Paul", "Rachid",
    "Sarah", "Simon", "Yasmine",
]  # fmt: skip
LAST_NAMES = [
    "Bernard", "Bonnet", "Boyer", "Brun", "Dubois", "Durand", "Faure", "Fournier", "Gauthier",
    "Guerin", "Henry", "Leroy", "Lopes", "Masson", "Mathieu", "Michel", "Muller", "Nicolas",
    "Ouali", "Robert", "Roussel", "Garcia", "Thomas", "Traoré", "Vincent",
]  # fmt: skip

SOPHIE_PROFILE = {
    "first_name": "Sophie",
    "last_name": "Lambert",
    "phone": "06 24 68 13 57",
    "postal_code": "69007",
    "territory": "Lyon 7e",
    "situation": Situation.WANTS_TO_ACT,
}
# (offer title, start date) of the demo beneficiary's enrollments, Julien Moreau as referent
SOPHIE_ENROLLMENTS = [
    ("Coaching de porteur·euse de projet", datetime.date(2026, 3, 9)),
    ("Atelier d'échanges entre porteur·euses de projet", datetime.date(2026, 4, 2)),
    ("Groupe de codéveloppement des collectifs", datetime.date(2026, 9, 1)),
]

# Share of beneficiaries with an email only / a phone only (the others have both).
EMAIL_ONLY_SHARE = 0.3
PHONE_ONLY_SHARE = 0.25
NOT_ENROLLED_SHARE = 0.12  # identified and contacted, not enrolled yet
TWO_OFFERS_SHARE = 0.4
ENROLLMENT_STATUS_WEIGHTS = {
    EnrollmentStatus.ACTIVE: 60,
    EnrollmentStatus.PENDING: 15,
    EnrollmentStatus.PAUSED: 10,
    EnrollmentStatus.COMPLETED: 15,
}
# Fixed reference dates so the data never depends on the day the command runs.
LAST_START = datetime.date(2026, 6, 30)
PENDING_START = datetime.date(2026, 12, 1)

SITUATION_LABELS = {
    Situation.NO_PROJECT: "pas encore de projet",
    Situation.WANTS_TO_ACT: "veut agir sans savoir comment",
    Situation.ALREADY_STARTED: "projet déjà lancé",
}
STATUS_LABELS = {
    EnrollmentStatus.ACTIVE: "actives",
    EnrollmentStatus.PENDING: "en attente",
    EnrollmentStatus.PAUSED: "en pause",
    EnrollmentStatus.COMPLETED: "terminées",
    EnrollmentStatus.WITHDRAWN: "abandonnées",
}


# --- Plan: every random choice, drawn before touching the database ----------------------------


@dataclass
class EnrollmentSpec:
    offer_title: str
    referent: str
    status: EnrollmentStatus
    started_on: datetime.date
    ended_on: datetime.date | None = None


@dataclass
class BeneficiarySpec:
    organization: str
    name: str
    kind: BeneficiaryKind
    situation: Situation
    postal_code: str
    territory: str
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    user_email: str | None = None
    consent_on: datetime.date = LAST_START
    enrollments: list[EnrollmentSpec] = field(default_factory=list)


def random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def random_phone(rng: random.Random, prefix: str) -> str:
    return " ".join([prefix, *(f"{rng.randint(10, 99)}" for _ in range(4))])


def contact_details(rng: random.Random, local_part: str, domain: str, prefix: str):
    """(email, phone): some beneficiaries have an email only, some a phone only."""
    draw = rng.random()
    email = f"{local_part}@{domain}"
    phone = random_phone(rng, prefix)
    if draw < PHONE_ONLY_SHARE:
        return "", phone
    if draw < PHONE_ONLY_SHARE + EMAIL_ONLY_SHARE:
        return email, ""
    return email, phone


def balanced_situations(rng: random.Random, count: int) -> list[Situation]:
    situations = [list(Situation)[i % len(Situation)] for i in range(count)]
    rng.shuffle(situations)
    return situations


def plan_enrollments(rng: random.Random, organization: str) -> list[EnrollmentSpec]:
    open_offers = [
        offer
        for offer in OFFERS
        if PROGRAMMES[offer.programme]["organization"] == organization
        and PROGRAMMES[offer.programme]["status"] == ProgrammeStatus.OPEN
    ]
    draw = rng.random()
    if draw < NOT_ENROLLED_SHARE:
        return []
    count = 2 if draw > 1 - TWO_OFFERS_SHARE else 1
    specs = []
    for offer in rng.sample(open_offers, count):
        status = rng.choices(
            list(ENROLLMENT_STATUS_WEIGHTS), weights=list(ENROLLMENT_STATUS_WEIGHTS.values())
        )[0]
        programme_start = PROGRAMMES[offer.programme]["start_date"]
        ended_on = None
        if status == EnrollmentStatus.PENDING:
            started_on = random_date(rng, PENDING_START, PENDING_START + datetime.timedelta(45))
        else:
            started_on = random_date(rng, programme_start, LAST_START)
        if status == EnrollmentStatus.COMPLETED:
            ended_on = started_on + datetime.timedelta(days=rng.randint(45, 120))
        specs.append(
            EnrollmentSpec(offer.title, rng.choice(offer.mentors), status, started_on, ended_on)
        )
    return specs


def consent_date(rng: random.Random, spec: BeneficiarySpec) -> datetime.date:
    """Consent is recorded a few days before the first enrollment starts."""
    starts = [enrollment.started_on for enrollment in spec.enrollments]
    if not starts:
        return random_date(rng, datetime.date(2026, 2, 2), datetime.date(2026, 10, 30))
    return min(starts) - datetime.timedelta(days=rng.randint(3, 20))


def individual_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Distinct (first name, last name) pairs: both lists shuffled, then walked in step."""
    first_names = rng.sample(FIRST_NAMES, len(FIRST_NAMES))
    last_names = rng.sample(LAST_NAMES, len(LAST_NAMES))
    return [
        (first_names[i % len(first_names)], last_names[i % len(last_names)]) for i in range(count)
    ]


def plan_beneficiaries(rng: random.Random) -> list[BeneficiarySpec]:
    names = iter(individual_names(rng, sum(INDIVIDUALS_PER_ORGANIZATION.values())))
    specs = []
    for organization, structures in STRUCTURES.items():
        places = dict(PLACES[organization])
        landline = "04" if organization == LYON else "01"
        situations = iter(
            balanced_situations(rng, len(structures) + INDIVIDUALS_PER_ORGANIZATION[organization])
        )
        for name, kind, contact_name, postal_code in structures:
            email, phone = contact_details(rng, "contact", f"{slugify(name)}.example.net", landline)
            specs.append(
                BeneficiarySpec(
                    organization=organization,
                    name=name,
                    kind=kind,
                    contact_name=contact_name,
                    situation=next(situations),
                    postal_code=postal_code,
                    territory=places[postal_code],
                    email=email,
                    phone=phone,
                )
            )
        for _ in range(INDIVIDUALS_PER_ORGANIZATION[organization]):
            first, last = next(names)
            postal_code, territory = rng.choice(PLACES[organization])
            local_part = f"{slugify(first)}.{slugify(last)}"
            email, phone = contact_details(rng, local_part, "example.net", rng.choice(["06", "07"]))
            specs.append(
                BeneficiarySpec(
                    organization=organization,
                    name=f"{first} {last}",
                    kind=BeneficiaryKind.INDIVIDUAL,
                    situation=next(situations),
                    postal_code=postal_code,
                    territory=territory,
                    email=email,
                    phone=phone,
                )
            )
    for spec in specs:
        spec.enrollments = plan_enrollments(rng, spec.organization)
    specs.append(sophie_spec())
    for spec in specs:
        spec.consent_on = consent_date(rng, spec)
    return specs


def sophie_spec() -> BeneficiarySpec:
    profile = SOPHIE_PROFILE
    return BeneficiarySpec(
        organization=LYON,
        name=f"{profile['first_name']} {profile['last_name']}",
        kind=BeneficiaryKind.INDIVIDUAL,
        situation=profile["situation"],
        postal_code=profile["postal_code"],
        territory=profile["territory"],
        email=SOPHIE,
        phone=profile["phone"],
        user_email=SOPHIE,
        enrollments=[
            EnrollmentSpec(title, JULIEN, EnrollmentStatus.ACTIVE, started_on)
            for title, started_on in SOPHIE_ENROLLMENTS
        ],
    )


# --- Database writes -------------------------------------------------------------------------


def upsert_user(email: str, first_name: str, last_name: str, **flags):
    """Create the account or bring it back to its demo state, password included."""
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        return User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            **flags,
        )
    user.first_name = first_name
    user.last_name = last_name
    user.is_active = True
    for name, value in flags.items():
        setattr(user, name, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def add_membership(user, organization: Organization, role: Role) -> None:
    Membership.objects.update_or_create(
        user=user, organization=organization, role=role, defaults={"is_active": True}
    )


def upsert_offer(spec: OfferSpec, programme: Programme, partners, users) -> Offer:
    is_group = spec.kind in GROUP_KINDS
    offer, _ = Offer.objects.update_or_create(
        programme=programme,
        title=spec.title,
        defaults={
            "kind": spec.kind,
            "description": spec.description,
            "mode": OfferMode.GROUP if is_group else OfferMode.INDIVIDUAL,
            "capacity": spec.capacity if is_group else 1,
            "channel_in_person": IN_PERSON in spec.channels,
            "channel_phone": PHONE in spec.channels,
            "channel_video": VIDEO in spec.channels,
            "duration_minutes": spec.duration_minutes,
            "partner_organization": partners.get(spec.partner),
        },
    )
    offer.mentors.set([users[email] for email in spec.mentors])
    return offer


def at_ten(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


class Command(BaseCommand):
    help = (
        "Crée ou met à jour les données de démonstration : structures, programmes, offres, "
        f"accompagnant·es et bénéficiaires. Mot de passe de tous les comptes : {DEMO_PASSWORD}."
    )

    def handle(self, *args, **options):
        plan = plan_beneficiaries(random.Random(SEED))  # noqa: S311 - demo data, not security
        with transaction.atomic():
            self.seed(plan)
            seed_network()
            seed_agenda()
        # Validating a closing record emails its report after commit: the demo people get
        # none (their addresses are fictitious), so the séances commit with mail kept local.
        local_mail = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(EMAIL_BACKEND=local_mail), transaction.atomic():
            seed_seances()
            seed_evaluation()
            seed_showcase()
            seed_catalogue()
            seed_requests()
            seed_campaigns()
            seed_privacy()
            seed_audit()
        self.print_summary()

    def seed(self, plan: list[BeneficiarySpec]) -> None:
        organizations = {
            key: Organization.objects.update_or_create(
                name=data["name"],
                defaults={**data, "kind": OrganizationKind.SUPPORT},
            )[0]
            for key, data in SUPPORT_ORGANIZATIONS.items()
        }
        partners = {
            data["name"]: Organization.objects.update_or_create(
                name=data["name"], defaults={**data, "kind": OrganizationKind.PARTNER}
            )[0]
            for data in PARTNER_ORGANIZATIONS
        }

        users = {
            ADMIN_EMAIL: upsert_user(ADMIN_EMAIL, "Admin", "Démo", is_staff=True, is_superuser=True)
        }
        for role, people in ((Role.COORDINATOR, COORDINATORS), (Role.MENTOR, MENTORS)):
            for email, (first_name, last_name, organization) in people.items():
                users[email] = upsert_user(email, first_name, last_name)
                add_membership(users[email], organizations[organization], role)
        sophie = SOPHIE_PROFILE
        users[SOPHIE] = upsert_user(SOPHIE, sophie["first_name"], sophie["last_name"])

        offers = {}
        for key, data in PROGRAMMES.items():
            programme = self.upsert_programme(data, organizations, partners, users)
            for spec in OFFERS:
                if spec.programme == key:
                    offers[spec.title] = upsert_offer(spec, programme, partners, users)

        coordinator_of = {data[2]: users[email] for email, data in COORDINATORS.items()}
        for spec in plan:
            coordinator = coordinator_of[spec.organization]
            beneficiary = self.upsert_beneficiary(spec, organizations, users, coordinator)
            for enrollment in spec.enrollments:
                Enrollment.objects.get_or_create(
                    beneficiary=beneficiary,
                    offer=offers[enrollment.offer_title],
                    defaults={
                        "referent_mentor": users[enrollment.referent],
                        "status": enrollment.status,
                        "started_on": enrollment.started_on,
                        "ended_on": enrollment.ended_on,
                        "created_by": coordinator,
                    },
                )

    def upsert_programme(self, data, organizations, partners, users) -> Programme:
        fields = (
            "description",
            "objectives",
            "target_public",
            "territory",
            "start_date",
            "end_date",
            "status",
        )
        programme, _ = Programme.objects.update_or_create(
            organization=organizations[data["organization"]],
            title=data["title"],
            defaults={
                **{name: data[name] for name in fields},
                "confidentiality_statement": CONFIDENTIALITY_STATEMENT,
            },
        )
        programme.partner_organizations.set([partners[name] for name in data["partners"]])
        programme.coordinators.set([users[email] for email in data["coordinators"]])
        return programme

    def upsert_beneficiary(self, spec, organizations, users, coordinator) -> Beneficiary:
        beneficiary, created = Beneficiary.objects.update_or_create(
            organization=organizations[spec.organization],
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "contact_name": spec.contact_name,
                "email": spec.email,
                "phone": spec.phone,
                "postal_code": spec.postal_code,
                "territory": spec.territory,
                "situation": spec.situation,
                "user": users.get(spec.user_email),
            },
        )
        if created:
            beneficiary.created_by = coordinator
            beneficiary.save(update_fields=["created_by"])
        Consent.objects.get_or_create(
            beneficiary=beneficiary,
            purpose=ConsentPurpose.SUPPORT,
            withdrawn_at__isnull=True,
            defaults={"given_at": at_ten(spec.consent_on), "recorded_by": coordinator},
        )
        return beneficiary

    def print_summary(self) -> None:
        User = get_user_model()
        beneficiaries = Beneficiary.objects.all()
        situations = dict(beneficiaries.values_list("situation").annotate(n=Count("id")).order_by())
        statuses = dict(Enrollment.objects.values_list("status").annotate(n=Count("id")).order_by())
        structures = beneficiaries.exclude(kind=BeneficiaryKind.INDIVIDUAL).count()
        programmes = Programme.objects.all()
        write = self.stdout.write

        write(self.style.SUCCESS("Données de démonstration prêtes."))
        write(f"  Structures d'accompagnement : {Organization.objects.support().count()}")
        write(f"  Structures partenaires : {Organization.objects.partners().count()}")
        write(f"  Programmes : {programmes.count()} (dont {programmes.open().count()} ouverts)")
        write(f"  Offres : {Offer.objects.count()}")
        write(
            "  Coordinateur·rices : "
            f"{User.objects.filter(memberships__role=Role.COORDINATOR).distinct().count()}"
        )
        write(
            "  Accompagnant·es : "
            f"{User.objects.filter(memberships__role=Role.MENTOR).distinct().count()}"
        )
        write(
            f"  Bénéficiaires : {beneficiaries.count()} "
            f"(dont {structures} structures, {beneficiaries.count() - structures} personnes)"
        )
        for situation, label in SITUATION_LABELS.items():
            write(f"    - {label} : {situations.get(situation, 0)}")
        write(f"  Consentements : {Consent.objects.count()}")
        details = ", ".join(
            f"{label} : {statuses[status]}"
            for status, label in STATUS_LABELS.items()
            if statuses.get(status)
        )
        write(f"  Inscriptions : {Enrollment.objects.count()} ({details})")
        write("")
        write(self.style.SUCCESS("Comptes de démonstration"))
        for role, email in DEMO_LOGINS:
            write(f"  {role} : {email} / {DEMO_PASSWORD}")
        write(
            f"  Autres accompagnant·es : prenom.nom@example.org (par exemple {NADIA}), "
            "même mot de passe"
        )

"""Demo network showcase: project cards of people who agreed to the relay, one hidden for
want of consent, one public, a contact request waiting for the coordinator.

Idempotent: cards are keyed on (beneficiary, programme), consents and contacts are only
added when missing."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from beneficiaires.enums import ConsentPurpose, EnrollmentStatus
from beneficiaires.models import Beneficiary, Consent
from outreach.models import ProjectCard, ShowcaseContact
from programmes.models import Programme, Theme

SOPHIE = "beneficiaire@example.org"
LYON_PROGRAMME = "Fabrique des initiatives citoyennes 2026-2027"
VAL_PROGRAMME = "Agir ensemble dans le Val : accompagnement des collectifs 2026-2027"

# holder (None: Sophie) → (title, summary, partners, skills, resources, public, consent, themes)
LYON_CARDS = {
    None: (
        "Un café-réparation au pied des immeubles",
        "Un atelier mensuel où les habitant·es réparent ensemble petit électroménager, vélos "
        "et vêtements, pour créer du lien et réduire les déchets.",
        "Un bailleur social pour un local en rez-de-chaussée ; une recyclerie partenaire.",
        "Des bénévoles bricoleur·euses ; une personne pour animer la communication.",
        "Outillage de base, une assurance pour les ateliers.",
        True,
        True,
        ["Mobilisation des habitants"],
    ),
    "Les Jardins partagés de la Croix-Rousse": (
        "Un deuxième jardin sur les pentes de la Croix-Rousse",
        "Transformer une friche de 400 m² en jardin cultivé par les voisin·es et les écoles "
        "du quartier, avec un composteur collectif.",
        "La mairie d'arrondissement pour la convention d'occupation ; les écoles voisines.",
        "Un·e maraîcher·e pour former le groupe ; un·e juriste associatif·ve.",
        "Terre végétale, récupérateurs d'eau, un abri de jardin.",
        False,
        True,
        ["Gouvernance associative"],
    ),
    "Épicerie solidaire La Passerelle": (
        "Un point de vente pour les étudiant·es",
        "Ouvrir un second point de vente à prix réduits, tenu avec des étudiant·es bénévoles, "
        "trois soirs par semaine près du campus.",
        "Une banque alimentaire ; des producteurs locaux.",
        "Gestion de stock ; comptabilité associative.",
        "Un local et des étagères réfrigérées.",
        False,
        True,
        ["Financement"],
    ),
    "Conseil de jeunes de Vaulx-en-Velin": (
        "Radio de quartier",
        "Une webradio animée par des jeunes du quartier pour parler de leurs initiatives.",
        "Une radio associative pour le studio.",
        "Montage audio.",
        "Micros et un ordinateur portable.",
        False,
        False,  # no consent: the card stays hidden
        [],
    ),
}
VAL_CARD = (
    "Fresque participative du square Jean-Moulin",
    "Une fresque imaginée et peinte avec les habitant·es et les enfants du centre de loisirs, "
    "pour redonner vie au square.",
    "Un·e artiste muraliste ; le centre de loisirs.",
    "Animation d'ateliers de dessin avec des enfants.",
    "Peinture extérieure, échafaudage.",
    True,
    True,
    [],
)


def _holder(programme: Programme, name: str | None) -> Beneficiary | None:
    people = Beneficiary.objects.filter(organization=programme.organization)
    if name is None:
        return people.filter(user__email=SOPHIE).first()
    return people.filter(name=name).first()


def _first_enrolled(programme: Programme) -> Beneficiary | None:
    return (
        Beneficiary.objects.filter(
            enrollments__offer__programme=programme,
            enrollments__status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED],
        )
        .exclude(kind="individual")
        .order_by("name")
        .first()
    )


def _card(programme: Programme, person: Beneficiary, spec, author, now) -> ProjectCard:
    title, summary, partners, skills, resources, public, consent, theme_names = spec
    card, _created = ProjectCard.objects.update_or_create(
        beneficiary=person,
        programme=programme,
        defaults={
            "title": title,
            "summary": summary,
            "territory": person.territory or programme.territory,
            "needs_partners": partners,
            "needs_skills": skills,
            "needs_resources": resources,
            "is_public": public,
            "created_by": author,
        },
    )
    card.themes.set(Theme.objects.filter(organization=programme.organization, name__in=theme_names))
    current = person.consents.filter(
        purpose=ConsentPurpose.NETWORK_SHARING, withdrawn_at__isnull=True
    )
    if consent and not current.exists():
        Consent.objects.create(
            beneficiary=person,
            purpose=ConsentPurpose.NETWORK_SHARING,
            given_at=now - datetime.timedelta(days=20),
            recorded_by=author,
        )
    if not consent:
        current.update(withdrawn_at=now - datetime.timedelta(days=2))
    return card


def seed_showcase(now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    User = get_user_model()
    author = User.objects.get(email="accompagnant@example.org")
    lyon = Programme.objects.get(title=LYON_PROGRAMME)
    cards = [
        _card(lyon, person, spec, author, now)
        for name, spec in LYON_CARDS.items()
        if (person := _holder(lyon, name)) is not None
    ]
    val = Programme.objects.filter(title=VAL_PROGRAMME).first()
    holder = _first_enrolled(val) if val is not None else None
    if holder is not None:
        _card(val, holder, VAL_CARD, val.coordinators.first() or author, now)
    if cards and not ShowcaseContact.objects.filter(card=cards[0]).exists():
        ShowcaseContact.objects.create(
            card=cards[0],
            sender=User.objects.filter(email="coordinateur.val@example.org").first(),
            sender_name="Karim Benali",
            sender_email="coordinateur.val@example.org",
            message=(
                "Bonjour, une association du Val a monté un café-réparation l'an dernier : "
                "elle peut partager ses statuts, son assurance et sa liste d'outils."
            ),
        )

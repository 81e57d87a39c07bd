"""Demo data for outreach, diagnostics and the partner network (layered on seed_demo).

Deterministic and idempotent like the rest of the demo: rows are looked up by natural keys and
created only when missing; every random draw comes from one seeded generator.
"""

import datetime
import random

from django.utils import timezone

from accounts.enums import PartnerKind, Role
from accounts.models import Membership, Organization
from beneficiaires.enums import (
    ACTIVE_ENROLLMENT_STATUSES,
    BeneficiaryKind,
    ContactChannel,
    EnrollmentStatus,
    OutreachStage,
    Priority,
    Situation,
    Source,
)
from beneficiaires.models import Beneficiary, ContactLog, Enrollment
from diagnostics.enums import DiagnosticMethod, DiagnosticStatus, NeedSource
from diagnostics.models import Need, NeedsDiagnostic
from partners.enums import ReferralStatus
from partners.models import Referral
from programmes.enums import OfferKind, ProgrammeStatus
from programmes.models import Offer, Theme

SEED = 4242

THEMES = [
    ("Montage de projet", "Passer de l'idée à un projet structuré : objectifs, étapes, budget."),
    ("Financement", "Subventions, mécénat, financement participatif, modèle économique."),
    ("Gouvernance associative", "Statuts, bureau, prise de décision, vie démocratique."),
    ("Mobilisation des habitants", "Aller vers, impliquer et fidéliser les habitant·es."),
    ("Communication", "Faire connaître le projet : supports, réseaux, relations presse."),
    ("Partenariats", "Trouver des partenaires et construire des coopérations."),
    ("Gestion et comptabilité", "Tenir les comptes, bilans, obligations légales."),
    ("Engagement des jeunes", "Donner envie aux jeunes d'agir et les accompagner."),
]

# Themes each kind of offer addresses (by index in THEMES).
OFFER_KIND_THEMES = {
    OfferKind.HOTLINE: [0, 1, 6],
    OfferKind.TRAINING: [1, 4, 6],
    OfferKind.WORKSHOP: [3, 4, 5],
    OfferKind.INDIVIDUAL_APPOINTMENT: [0, 1],
    OfferKind.COACHING: [0, 2, 5],
    OfferKind.PRACTICE_ANALYSIS: [2, 3],
    OfferKind.TUTORING: [7, 0],
    OfferKind.CODEVELOPMENT: [2, 3, 5],
}

PARTNER_PROFILES = {
    "Chambre régionale de l'ESS Auvergne-Rhône-Alpes": {
        "partner_kind": PartnerKind.ESS_STRUCTURE,
        "contact_name": "Hugo Lefebvre",
        "description": (
            "Accompagne la création et le développement des structures de l'économie sociale "
            "et solidaire : modèle économique, emploi, coopérations."
        ),
        "themes": [1, 5, 6],
    },
    "Centre information jeunesse du Val-de-Marne": {
        "partner_kind": PartnerKind.PUBLIC_SERVICE,
        "contact_name": "Samia Belkacem",
        "description": (
            "Informe les 15-30 ans sur l'engagement, les projets de jeunes et les aides "
            "disponibles ; anime des permanences dans les quartiers."
        ),
        "themes": [7, 3],
    },
    "Ville de Villeurbanne — service vie associative": {
        "partner_kind": PartnerKind.LOCAL_AUTHORITY,
        "contact_name": "Claire Dumas",
        "description": (
            "Soutient les associations villeurbannaises : salles, subventions, matériel, "
            "forum des associations."
        ),
        "themes": [1, 2],
    },
}
STEWARDS = {
    "Chambre régionale de l'ESS Auvergne-Rhône-Alpes": "Maison des initiatives citoyennes",
    "Centre information jeunesse du Val-de-Marne": "Réseau solidaire du Val",
    "Ville de Villeurbanne — service vie associative": "Maison des initiatives citoyennes",
}

# Actors identified but not yet supported: groups, territories and structures to contact.
OUTREACH_ACTORS = {
    "Maison des initiatives citoyennes": [
        (
            "Conseil citoyen des Buers",
            BeneficiaryKind.RESIDENTS_COLLECTIVE,
            "69100",
            "Villeurbanne",
            "Rose Aubert",
        ),
        (
            "Collectif du quartier Mermoz",
            BeneficiaryKind.RESIDENTS_COLLECTIVE,
            "69008",
            "Lyon 8e",
            "Ibrahim Sylla",
        ),
        (
            "Junior association Skate Gerland",
            BeneficiaryKind.YOUTH_GROUP,
            "69007",
            "Lyon 7e",
            "Lina Marchand",
        ),
        (
            "Amicale des locataires Duchère",
            BeneficiaryKind.ASSOCIATION,
            "69009",
            "Lyon 9e",
            "Georges Petitjean",
        ),
        (
            "Mairie de Vaulx-en-Velin — démocratie locale",
            BeneficiaryKind.LOCAL_AUTHORITY,
            "69120",
            "Vaulx-en-Velin",
            "Service démocratie locale",
        ),
        # A likely duplicate of an existing record, to show the merge.
        (
            "Asso Les Jardins du Lavoir",
            BeneficiaryKind.ASSOCIATION,
            "69004",
            "Lyon 4e",
            "Odile Perrin",
        ),
    ],
    "Réseau solidaire du Val": [
        (
            "Collectif des Hautes-Noues",
            BeneficiaryKind.RESIDENTS_COLLECTIVE,
            "94350",
            "Villiers-sur-Marne",
            "Aïcha Benamar",
        ),
        (
            "Jeunes du Bois-l'Abbé",
            BeneficiaryKind.YOUTH_GROUP,
            "94500",
            "Champigny-sur-Marne",
            "Moussa Keita",
        ),
    ],
}

CONTACT_OUTCOMES = [
    "Premier appel : présentation du programme, du cadre et de la gratuité ; intéressé·es.",
    "Rencontre lors du forum des associations ; à rappeler après l'assemblée générale.",
    "Courriel envoyé avec la plaquette ; réponse positive, rendez-vous à fixer.",
    "Échange avec le bureau : besoin de clarifier le projet avant de s'engager.",
    "Mauvaise expérience d'un accompagnement précédent : prudence, rappeler dans un mois.",
]
EXPECTATIONS = [
    "Nous voulons savoir par où commencer et ne pas nous décourager.",
    "Trouver des financements pour lancer notre jardin partagé l'an prochain.",
    "Prendre du recul sur notre fonctionnement : le bureau s'épuise.",
    "Être mis en lien avec d'autres collectifs qui ont vécu la même chose.",
]
REFERRAL_REASONS = [
    "Besoin d'un appui sur le modèle économique que le partenaire maîtrise mieux que nous.",
    "Recherche d'une salle et d'un petit financement municipal.",
    "Groupe de jeunes qui souhaite être informé des dispositifs d'engagement.",
]


def seed_network(now: datetime.datetime | None = None) -> None:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    now = now or timezone.make_aware(datetime.datetime(2026, 10, 1, 10, 0))
    support = list(Organization.objects.support().order_by("name"))
    themes = {org.pk: seed_themes(org) for org in support}
    seed_mentor_expertise(rng, support, themes)
    seed_offer_themes(themes)
    seed_partners(themes)
    for organization in support:
        seed_outreach_actors(organization)
        seed_pipeline(rng, organization, themes[organization.pk], now)
    seed_referrals(rng, support)
    seed_waiting_for_a_mentor(support)


def seed_themes(organization: Organization) -> list[Theme]:
    return [
        Theme.objects.update_or_create(
            organization=organization, name=name, defaults={"description": description}
        )[0]
        for name, description in THEMES
    ]


def seed_mentor_expertise(rng, support, themes) -> None:
    for organization in support:
        memberships = Membership.objects.filter(
            organization=organization, role=Role.MENTOR
        ).select_related("user")
        for i, membership in enumerate(memberships.order_by("user__email")):
            membership.territory = organization.territory if i % 2 else ""
            membership.save(update_fields=["territory"])
            for theme in rng.sample(themes[organization.pk], 3):
                theme.mentors.add(membership.user)


def seed_offer_themes(themes) -> None:
    for offer in Offer.objects.select_related("programme"):
        offer.themes.set(
            [themes[offer.programme.organization_id][i] for i in OFFER_KIND_THEMES[offer.kind]]
        )


def seed_partners(themes) -> None:
    stewards = {o.name: o for o in Organization.objects.support()}
    for partner in Organization.objects.partners():
        profile = PARTNER_PROFILES.get(partner.name)
        if profile is None:
            continue
        steward = stewards[STEWARDS[partner.name]]
        for field in ("partner_kind", "contact_name", "description"):
            setattr(partner, field, profile[field])
        partner.steward = steward
        partner.save()
        for i in profile["themes"]:
            themes[steward.pk][i].partners.add(partner)


def seed_outreach_actors(organization: Organization) -> None:
    programme = organization.programmes.filter(status=ProgrammeStatus.OPEN).first()
    for name, kind, postal_code, territory, contact in OUTREACH_ACTORS.get(organization.name, []):
        Beneficiary.objects.get_or_create(
            organization=organization,
            name=name,
            defaults={
                "kind": kind,
                "contact_name": contact,
                "postal_code": postal_code,
                "territory": territory,
                "programme": programme,
                "source": Source.EVENT,
                "source_detail": "Forum des associations 2026",
                "situation": Situation.NO_PROJECT,
            },
        )


def seed_pipeline(rng, organization, themes, now) -> None:
    """Outreach stage, priority and source follow each actor's enrollments; the ones in the
    middle of the pipeline get contacts and a diagnostic."""
    programme = organization.programmes.filter(status=ProgrammeStatus.OPEN).first()
    beneficiaries = (
        Beneficiary.objects.filter(organization=organization)
        .prefetch_related("enrollments", "contact_logs", "diagnostics")
        .order_by("name")
    )
    coordinator = (
        Membership.objects.filter(organization=organization, role=Role.COORDINATOR)
        .select_related("user")
        .first()
        .user
    )
    waiting = iter(
        [OutreachStage.TO_CONTACT, OutreachStage.CONTACTED, OutreachStage.DIAGNOSED] * 10
    )
    for beneficiary in beneficiaries:
        statuses = {e.status for e in beneficiary.enrollments.all()}
        if statuses & set(ACTIVE_ENROLLMENT_STATUSES):
            stage = OutreachStage.ENROLLED
        elif statuses == {EnrollmentStatus.COMPLETED}:
            stage = OutreachStage.CLOSED
        elif beneficiary.name.startswith("Mairie"):
            stage = OutreachStage.DECLINED
        else:
            stage = next(waiting)
        beneficiary.programme = beneficiary.programme or programme
        beneficiary.stage = stage
        beneficiary.stage_changed_at = now - datetime.timedelta(days=rng.randint(1, 60))
        beneficiary.priority = rng.choice(list(Priority))
        if beneficiary.source == Source.MANUAL:
            beneficiary.source = rng.choice([Source.MANUAL, Source.WORD_OF_MOUTH, Source.PARTNER])
        beneficiary.save()
        if stage == OutreachStage.TO_CONTACT:
            continue
        if not beneficiary.contact_logs.all():
            for n in range(rng.randint(1, 3)):
                ContactLog.objects.create(
                    beneficiary=beneficiary,
                    contacted_at=beneficiary.stage_changed_at - datetime.timedelta(days=10 * n),
                    channel=rng.choice(list(ContactChannel)),
                    author=coordinator,
                    outcome=rng.choice(CONTACT_OUTCOMES),
                )
        if stage != OutreachStage.CONTACTED and not beneficiary.diagnostics.all():
            seed_diagnostic(rng, beneficiary, themes, coordinator)


def seed_diagnostic(rng, beneficiary, themes, coordinator) -> None:
    held_on = (beneficiary.stage_changed_at - datetime.timedelta(days=5)).date()
    diagnostic = NeedsDiagnostic.objects.create(
        beneficiary=beneficiary,
        method=rng.choice(list(DiagnosticMethod)),
        held_on=held_on,
        conducted_by=coordinator,
        expectations=rng.choice(EXPECTATIONS),
        status=DiagnosticStatus.COMPLETED,
        completed_at=beneficiary.stage_changed_at,
    )
    for theme in rng.sample(themes, rng.randint(2, 3)):
        Need.objects.create(
            diagnostic=diagnostic,
            theme=theme,
            priority=rng.choice(list(Priority)),
            source=NeedSource.MENTOR,
        )


def seed_referrals(rng, support) -> None:
    partners = list(Organization.objects.partners().order_by("name"))
    statuses = [ReferralStatus.SENT, ReferralStatus.SENT, ReferralStatus.ACCEPTED,
                ReferralStatus.DECLINED, ReferralStatus.SENT, ReferralStatus.NO_ANSWER]  # fmt: skip
    for organization in support:
        coordinator = (
            Membership.objects.filter(organization=organization, role=Role.COORDINATOR)
            .select_related("user")
            .first()
            .user
        )
        candidates = Beneficiary.objects.filter(
            organization=organization, stage__in=[OutreachStage.DIAGNOSED, OutreachStage.ENROLLED]
        ).order_by("name")[: len(statuses)]
        for beneficiary, status in zip(candidates, statuses, strict=False):
            sent_on = datetime.date(2026, 9, 1) + datetime.timedelta(days=rng.randint(0, 40))
            answered = status != ReferralStatus.SENT
            Referral.objects.get_or_create(
                beneficiary=beneficiary,
                partner=rng.choice(partners),
                defaults={
                    "referring_organization": organization,
                    "programme": beneficiary.programme,
                    "reason": rng.choice(REFERRAL_REASONS),
                    "status": status,
                    "sent_on": sent_on,
                    "answered_on": sent_on + datetime.timedelta(days=5) if answered else None,
                    "created_by": coordinator,
                },
            )


def seed_waiting_for_a_mentor(support) -> None:
    """Two pending enrollments per structure have no referent yet: the coordinator assigns one."""
    for organization in support:
        pending = Enrollment.objects.filter(
            offer__programme__organization=organization, status=EnrollmentStatus.PENDING
        ).order_by("beneficiary__name", "pk")[:2]
        Enrollment.objects.filter(pk__in=[e.pk for e in pending]).update(referent_mentor=None)

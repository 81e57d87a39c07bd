"""Demo public catalogue (issue 8): the two open programmes published with their public texts
(the Lyon one free, the Val one with a membership fee), and two open events people without an
account can register for: an information meeting in Lyon, an experience-sharing evening in
the Val.

Idempotent: the public fields are set to the same values on every run; an event is looked up
by its offer and title, and created (a few days ahead) only when missing."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from programmes.enums import Audience, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme
from programmes.services import unique_programme_slug
from seances.enums import Channel, GroupSessionStatus
from seances.models import GroupSession

PARIS = ZoneInfo("Europe/Paris")

PUBLIC_PAGES = {
    "Fabrique des initiatives citoyennes 2026-2027": {
        "audiences": [
            Audience.INDIVIDUALS,
            Audience.ASSOCIATIONS,
            Audience.YOUTH,
            Audience.RESIDENTS,
            Audience.ESS,
        ],
        "is_free": True,
        "price": "",
        "frame": (
            "Un accompagnement gratuit, de quelques semaines à un an selon votre projet. "
            "Vous choisissez avec votre accompagnant·e le rythme des rendez-vous. Ce que vous "
            "nous confiez reste confidentiel : rien n'est transmis sans votre accord."
        ),
        "how_it_works": (
            "1. Vous nous écrivez ou vous venez à une réunion d'information.\n"
            "2. Nous vous rappelons sous une semaine pour un premier rendez-vous.\n"
            "3. Ensemble, nous faisons le point sur vos besoins (le diagnostic).\n"
            "4. Nous vous proposons les formats qui vous conviennent : rendez-vous individuels, "
            "ateliers, formations, groupe de codéveloppement.\n"
            "5. À la fin, un bilan, et des contacts dans le réseau pour la suite."
        ),
        "contact_email": "fabrique@maison-initiatives.example.org",
        "contact_phone": "04 78 12 34 56",
    },
    "Agir ensemble dans le Val : accompagnement des collectifs 2026-2027": {
        "audiences": [
            Audience.RESIDENTS,
            Audience.ASSOCIATIONS,
            Audience.YOUTH,
            Audience.LOCAL_AUTHORITIES,
        ],
        "is_free": False,
        "price": (
            "Adhésion annuelle de 20 € pour les associations ; gratuit pour les collectifs "
            "d'habitant·es et les jeunes."
        ),
        "frame": (
            "Un accompagnement sur l'année scolaire, avec un rendez-vous par mois environ et "
            "des ateliers collectifs. Nous nous engageons à la confidentialité ; vous vous "
            "engagez à nous prévenir si vous ne pouvez pas venir."
        ),
        "how_it_works": (
            "Après votre demande, un·e accompagnant·e vous appelle pour un premier échange. "
            "Nous construisons ensuite un parcours sur mesure : ligne d'appui, coaching du "
            "bureau, tutorat, codéveloppement. Un point d'étape a lieu tous les trois mois."
        ),
        "contact_email": "collectifs@reseau-solidaire-val.example.org",
        "contact_phone": "01 43 98 76 54",
    },
}

# (programme title, title of the event, description, days ahead, hour, minutes)
OPEN_EVENTS = [
    (
        "Fabrique des initiatives citoyennes 2026-2027",
        "Réunion d'information : découvrir la Fabrique",
        (
            "Une heure et demie pour comprendre comment la Fabrique peut vous aider, rencontrer "
            "l'équipe et des porteur·euses de projet accompagné·es. Ouvert à toutes et tous, "
            "sans inscription préalable au programme. Un café vous attend."
        ),
        9,
        18,
        90,
    ),
    (
        "Agir ensemble dans le Val : accompagnement des collectifs 2026-2027",
        "Soirée partage d'expériences entre collectifs",
        (
            "Des collectifs d'habitant·es accompagné·es l'an dernier racontent leur projet, "
            "leurs difficultés et ce qui les a aidé·es. Venez avec vos questions : "
            "l'équipe présente aussi l'accompagnement de cette année."
        ),
        12,
        19,
        120,
    ),
]


def _publish(programme: Programme, fields: dict) -> bool:
    """Set the public page of `programme`; True when something changed."""
    changed = False
    if not programme.slug:
        programme.slug = unique_programme_slug(programme.title, exclude_pk=programme.pk)
        changed = True
    for name, value in {"is_published": True, **fields}.items():
        if getattr(programme, name) != value:
            setattr(programme, name, value)
            changed = True
    if changed:
        programme.save()
    return changed


def _event_offer(programme: Programme) -> Offer | None:
    """The programme's group offer an event hangs on: a workshop first, else any group offer."""
    offers = programme.offers.filter(mode=OfferMode.GROUP).order_by("kind", "pk")
    return offers.filter(kind="workshop").first() or offers.first()


def seed_catalogue(stdout=None) -> None:
    """Publish the open demo programmes and add their open events."""
    published = events = 0
    for title, fields in PUBLIC_PAGES.items():
        programme = Programme.objects.filter(title=title, status=ProgrammeStatus.OPEN).first()
        if programme is None:
            continue
        published += _publish(programme, fields)
    today = timezone.localdate()
    for programme_title, title, description, days, hour, minutes in OPEN_EVENTS:
        programme = Programme.objects.filter(title=programme_title).first()
        offer = _event_offer(programme) if programme else None
        organiser = offer.mentors.order_by("pk").first() if offer else None
        if organiser is None:
            continue
        if GroupSession.objects.filter(offer=offer, title=title).exists():
            continue
        day = today + datetime.timedelta(days=days)
        # At half past: the agenda's weekly sessions start on the hour (core/demo/agenda.py).
        starts_at = datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=PARIS)
        GroupSession.objects.create(
            offer=offer,
            organiser=organiser,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=minutes),
            capacity=30,
            channel=Channel.IN_PERSON,
            location=f"{programme.organization.name}, salle polyvalente",
            status=GroupSessionStatus.SCHEDULED,
            is_open_event=True,
            public_description=description,
        )
        events += 1
    if stdout is not None:
        stdout.write(f"Catalogue: {published} programme page(s) updated, {events} open event(s).")

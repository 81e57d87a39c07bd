"""Demo support requests (issue 8): four requests to the Lyon programme, sent from the public
catalogue, by phone only, by a structure and through a partner's site, one of which booked a
first appointment; and one offer of the programme bookable by anyone with the link.

Idempotent: a request already recorded (same programme and name) is left as it is."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from beneficiaires.enums import BeneficiaryKind, Situation
from outreach.enums import PreferredChannel, RequestOrigin
from outreach.models import SupportRequest
from outreach.services.requests import (
    first_appointment_offer,
    support_request_book,
    support_request_create,
)
from programmes.enums import BookingAudience, OfferKind, OfferMode
from programmes.models import Offer, Programme
from seances.slots import first_available

PROGRAMME = "Fabrique des initiatives citoyennes 2026-2027"
LINK_OFFER = "Rendez-vous individuel confidentiel"

REQUESTS = [
    {
        "origin": RequestOrigin.CATALOGUE,
        "requester_kind": BeneficiaryKind.INDIVIDUAL,
        "name": "Inès Benali",
        "email": "ines.benali@example.org",
        "phone": "06 71 22 48 90",
        "postal_code": "69008",
        "territory": "Lyon 8e — Mermoz",
        "situation": Situation.WANTS_TO_ACT,
        "needs": (
            "Avec des voisines, on aimerait ouvrir une bibliothèque de rue au pied de notre "
            "immeuble, mais on ne sait pas à qui demander l'autorisation ni comment s'organiser."
        ),
        "preferred_channel": PreferredChannel.EMAIL,
        "book": True,
    },
    {
        "origin": RequestOrigin.CATALOGUE,
        "requester_kind": BeneficiaryKind.INDIVIDUAL,
        "name": "Mamadou Diallo",
        "email": "",
        "phone": "07 58 13 26 44",
        "postal_code": "69120",
        "territory": "Vaulx-en-Velin",
        "situation": "",
        "needs": (
            "Je répare des vélos pour les jeunes du quartier le samedi. Des gens me disent "
            "de créer une association mais je ne sais pas si c'est pour moi."
        ),
        "preferred_channel": PreferredChannel.PHONE,
    },
    {
        "origin": RequestOrigin.CATALOGUE,
        "requester_kind": BeneficiaryKind.ASSOCIATION,
        "name": "Association Les Amis du parc Blandan",
        "contact_name": "Hélène Marchand",
        "email": "amis.parcblandan@example.org",
        "phone": "",
        "postal_code": "69007",
        "territory": "Lyon 7e",
        "situation": Situation.ALREADY_STARTED,
        "needs": (
            "Notre association existe depuis deux ans. Le bureau s'essouffle et nous "
            "voudrions de l'aide pour mieux répartir les rôles et trouver de nouveaux bénévoles."
        ),
        "preferred_channel": PreferredChannel.EMAIL,
        "offer": "Coaching de porteur·euse de projet",
    },
    {
        "origin": RequestOrigin.API,
        "requester_kind": BeneficiaryKind.YOUTH_GROUP,
        "name": "Collectif Jeunes du Tonkin",
        "contact_name": "Yanis Haddad",
        "email": "jeunes.tonkin@example.org",
        "phone": "06 20 31 75 12",
        "postal_code": "69100",
        "territory": "Villeurbanne — Tonkin",
        "situation": Situation.NO_PROJECT,
        "needs": (
            "Nous sommes six jeunes de 17 à 20 ans et nous voulons faire quelque chose pour "
            "le quartier cet été, sans savoir encore quoi. Le centre social nous a parlé de vous."
        ),
        "preferred_channel": PreferredChannel.TEXT_MESSAGE,
    },
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"{message}\n")


def _publish(programme: Programme) -> None:
    """The requests need the programme on the public catalogue (the catalogue's demo may
    have done it already: then nothing changes)."""
    changed = []
    if not programme.is_published:
        programme.is_published = True
        changed.append("is_published")
    if not programme.slug:
        programme.slug = slugify(programme.title)[:80]
        changed.append("slug")
    if not programme.contact_email:
        programme.contact_email = "accompagnement@maison-initiatives.example.org"
        changed.append("contact_email")
    if changed:
        programme.save(update_fields=changed)


def _link_offer(programme: Programme) -> Offer | None:
    """An individual offer anyone with the link may book: the confidential appointment."""
    offers = Offer.objects.filter(programme=programme, mode=OfferMode.INDIVIDUAL, is_active=True)
    existing = offers.filter(booking_audience=BookingAudience.LINK).first()
    if existing is not None:
        return existing
    offer = (
        offers.filter(title=LINK_OFFER).first()
        or offers.filter(kind=OfferKind.INDIVIDUAL_APPOINTMENT).first()
    )
    if offer is not None:
        offer.booking_audience = BookingAudience.LINK
        offer.save(update_fields=["booking_audience"])
    return offer


def _book_first_appointment(support_request: SupportRequest) -> None:
    offer = first_appointment_offer(support_request)
    if offer is None:
        return
    today = timezone.localdate()
    slots = first_available(offer=offer, start=today, end=today + datetime.timedelta(days=28))
    if slots:
        slot = slots[min(2, len(slots) - 1)]
        support_request_book(
            support_request=support_request, mentor=slot.mentor, starts_at=slot.starts_at
        )


def seed_requests(stdout=None) -> None:
    programme = Programme.objects.filter(title=PROGRAMME).first()
    if programme is None:
        _say(stdout, "seed_requests: the demo programme is missing, nothing done.")
        return
    _publish(programme)
    _link_offer(programme)
    created = 0
    for spec in REQUESTS:
        spec = dict(spec)
        book = spec.pop("book", False)
        offer_title = spec.pop("offer", None)
        if SupportRequest.objects.filter(programme=programme, name=spec["name"]).exists():
            continue
        offer = (
            Offer.objects.filter(programme=programme, title=offer_title).first()
            if offer_title
            else None
        )
        support_request = support_request_create(
            programme=programme, offer=offer, consent_contact=True, **spec
        )
        created += 1
        if book:
            _book_first_appointment(support_request)
    _say(stdout, f"seed_requests: {created} support request(s) added.")

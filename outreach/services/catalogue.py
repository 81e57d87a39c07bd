"""The public catalogue's one write: registering for an open event without an account
(issue 8, item 5). Programme publication lives with the programme services
(programmes.services: slug and public page fields)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaires.enums import ConsentPurpose, OutreachStage, Source
from beneficiaires.models import Beneficiary, Consent
from programmes.enums import ProgrammeStatus
from seances.enums import ACTIVE_REGISTRATION_STATUSES, GroupSessionStatus
from seances.models import GroupSession, Registration
from seances.services.groups import registration_create

PHONE_RE = re.compile(r"^\+?[0-9 .()-]{6,30}$")


def normalize_phone(phone: str) -> str:
    """« 06 12 34 56 78 » and « 06.12.34.56.78 » are the same number: keep + and digits."""
    phone = (phone or "").strip()
    return ("+" if phone.startswith("+") else "") + re.sub(r"\D", "", phone)


def event_is_open(session: GroupSession, now=None) -> bool:
    """Whether the public may register: an open event, scheduled, not started, of a
    published open programme."""
    now = now or timezone.now()
    programme = session.offer.programme
    return (
        session.is_open_event
        and session.status == GroupSessionStatus.SCHEDULED
        and session.starts_at > now
        and programme.is_published
        and programme.status == ProgrammeStatus.OPEN
    )


def _find_person(organization_id: int, email: str, phone: str) -> Beneficiary | None:
    """The structure's record for this email (else phone): the oldest when several match."""
    people = Beneficiary.objects.filter(organization_id=organization_id).order_by("pk")
    if email:
        found = people.filter(email__iexact=email).first()
        if found is not None or not phone:
            return found
    raw = phone.strip()
    return people.filter(Q(phone=raw) | Q(phone=normalize_phone(raw))).first()


def open_event_register(
    *, session: GroupSession, name: str, email: str = "", phone: str = "", territory: str = ""
) -> Registration:
    """Register a person without an account for an open event: find or create their record in
    the structure's outreach list (stage "to contact", source "event"), record their consent
    to be contacted, then take a seat or a place on the waitlist."""
    name, email, territory = name.strip(), email.strip().lower(), territory.strip()
    phone = phone.strip()
    errors = {}
    if not name:
        errors["name"] = _("Give your name.")
    if not email and not phone:
        errors["email"] = _("Give an email address or a phone number, so we can reach you.")
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = _("This phone number does not look right.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        # The session row is locked first: two people sending the same email at once get one
        # record, and the seat count cannot change under us.
        locked = (
            GroupSession.objects.select_for_update(of=("self",))
            .select_related("offer__programme")
            .get(pk=session.pk)
        )
        if not event_is_open(locked, now):
            raise ValidationError(_("Registration for this event is closed."), code="closed")
        programme = locked.offer.programme
        beneficiary = _find_person(programme.organization_id, email, phone)
        if beneficiary is None:
            beneficiary = Beneficiary.objects.create(
                organization_id=programme.organization_id,
                name=name[:200],
                email=email,
                phone=phone,
                territory=territory[:200],
                programme=programme,
                stage=OutreachStage.TO_CONTACT,
                stage_changed_at=now,
                source=Source.EVENT,
                source_detail=(locked.title or locked.offer.title)[:200],
            )
        elif locked.registrations.filter(
            beneficiary=beneficiary, status__in=ACTIVE_REGISTRATION_STATUSES
        ).exists():
            raise ValidationError(
                _(
                    "You are already registered for this event (or on its waitlist) with this "
                    "email address or phone number."
                ),
                code="already_registered",
            )
        if not beneficiary.consents.filter(
            purpose=ConsentPurpose.CONTACT, withdrawn_at__isnull=True
        ).exists():
            Consent.objects.create(
                beneficiary=beneficiary, purpose=ConsentPurpose.CONTACT, given_at=now
            )
        return registration_create(
            session=locked, beneficiary=beneficiary, acting_user=None, open_event=True
        )

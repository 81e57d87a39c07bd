"""Support requests ("demandes d'accompagnement") from the public catalogue, a campaign reply or
the API: the request, its record in the outreach list, the consent to be contacted, the
acknowledgement and the coordinators' notice, all in one transaction; and the first
appointment the requester may book right after."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from beneficiaires.enums import BeneficiaryKind, ConsentPurpose, OutreachStage, Situation, Source
from beneficiaires.models import Beneficiary, Consent
from notifications.enums import Channel, NotificationKind
from notifications.services import notify, render_notification
from outreach.enums import PreferredChannel, RequestOrigin
from outreach.models import Campaign, SupportRequest
from programmes.enums import BookingAudience, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme
from seances.models import Appointment
from seances.notification_scans import absolute_url
from seances.services import appointments as booking

REQUEST_OBJECT = "outreach.support_request"
NEEDS_MAX_LENGTH = 3000
# What the acknowledgement promises: someone of the team calls or writes back within this.
CONTACT_WITHIN_DAYS = 5
BOOKING_SALT = "outreach.support_request.booking"
BOOKING_LINK_MAX_AGE = datetime.timedelta(days=30)


# --- Links ---------------------------------------------------------------------------------


def booking_token(support_request: SupportRequest) -> str:
    """A signed token that opens the request's first-appointment page from the email."""
    return signing.dumps(str(support_request.public_id), salt=BOOKING_SALT)


def booking_token_matches(token: str, support_request: SupportRequest) -> bool:
    try:
        value = signing.loads(token, salt=BOOKING_SALT, max_age=BOOKING_LINK_MAX_AGE)
    except signing.BadSignature:
        return False
    return value == str(support_request.public_id)


def booking_url(support_request: SupportRequest) -> str:
    path = reverse(
        "outreach:support_request_book",
        args=[support_request.programme.slug, support_request.public_id],
    )
    return absolute_url(f"{path}?cle={booking_token(support_request)}")


# --- Reads ---------------------------------------------------------------------------------


def requestable_programmes():
    """The programmes whose public page takes support requests: published and open."""
    return Programme.objects.filter(
        is_published=True, status=ProgrammeStatus.OPEN, slug__isnull=False
    ).select_related("organization")


def first_appointment_offer(support_request: SupportRequest) -> Offer | None:
    """The offer a requester may book a first appointment in: one of the programme's active,
    individual offers booked by "anyone with the link" and with an active mentor; the offer
    they chose when it is one of those."""
    offers = (
        Offer.objects.filter(
            programme_id=support_request.programme_id,
            booking_audience=BookingAudience.LINK,
            mode=OfferMode.INDIVIDUAL,
            is_active=True,
            mentors__is_active=True,
        )
        .select_related("programme__organization")
        .distinct()
        .order_by("title", "pk")
    )
    offers = list(offers)
    chosen = next((o for o in offers if o.pk == support_request.offer_id), None)
    return chosen or (offers[0] if offers else None)


# --- Writes --------------------------------------------------------------------------------


def _clean_phone(value: str) -> str:
    return " ".join((value or "").split())


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit() or ch == "+")


def validate_request_data(
    *,
    programme: Programme,
    requester_kind: str,
    name: str,
    contact_name: str,
    email: str,
    phone: str,
    situation: str,
    needs: str,
    preferred_channel: str,
    offer: Offer | None,
    consent_contact: bool,
) -> None:
    """The rules a request follows whoever sends it (form, API): field errors in French."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if requester_kind not in BeneficiaryKind.values:
        add("requester_kind", _("Choose who you are in the list."))
    if not name.strip():
        add("name", _("Tell us your name, or the name of your structure."))
    if requester_kind != BeneficiaryKind.INDIVIDUAL and not contact_name.strip():
        add("contact_name", _("Tell us who we should ask for in your structure."))
    if not email and not phone:
        add("email", _("Give an email address or a phone number, so that we can reach you."))
    if phone and len(_digits(phone)) < 8:
        add("phone", _("This phone number looks incomplete."))
    if situation and situation not in Situation.values:
        add("situation", _("Choose a situation in the list."))
    if not needs.strip():
        add("needs", _("Tell us in a few words what you would like help with."))
    elif len(needs) > NEEDS_MAX_LENGTH:
        add("needs", _("Please keep it under %(n)s characters.") % {"n": NEEDS_MAX_LENGTH})
    if preferred_channel not in PreferredChannel.values:
        add("preferred_channel", _("Choose how you would like to be contacted."))
    elif preferred_channel in (PreferredChannel.PHONE, PreferredChannel.TEXT_MESSAGE) and not phone:
        add("phone", _("Give a phone number to be contacted by phone or text message."))
    elif preferred_channel == PreferredChannel.EMAIL and not email:
        add("email", _("Give an email address to be contacted by email."))
    if offer is not None and (offer.programme_id != programme.pk or not offer.is_active):
        add("offer", _("Choose an offer of this programme in the list."))
    if not consent_contact:
        add("consent_contact", _("We can only answer if you agree to be contacted."))
    if errors:
        raise ValidationError(errors)


def _find_beneficiary(organization_id: int, *, email: str, phone: str) -> Beneficiary | None:
    """The structure's record of this person: by email, else by phone (digits only)."""
    records = Beneficiary.objects.select_for_update().filter(organization_id=organization_id)
    if email:
        found = records.filter(email__iexact=email).order_by("pk").first()
        if found is not None:
            return found
    if phone:
        wanted = _digits(phone)
        for record in (
            records.exclude(phone="")
            .filter(Q(phone=phone) | Q(phone__endswith=wanted[-4:]))
            .order_by("pk")
        ):
            if _digits(record.phone) == wanted:
                return record
    return None


def _source_detail(origin: str, campaign: Campaign | None) -> str:
    if origin == RequestOrigin.CAMPAIGN and campaign is not None:
        return (_("Campaign: %(subject)s") % {"subject": campaign.subject})[:200]
    if origin == RequestOrigin.API:
        return _("API")
    return _("Catalogue")


def support_request_create(
    *,
    programme: Programme,
    origin: str = RequestOrigin.CATALOGUE,
    campaign: Campaign | None = None,
    requester_kind: str = BeneficiaryKind.INDIVIDUAL,
    name: str,
    contact_name: str = "",
    email: str = "",
    phone: str = "",
    postal_code: str = "",
    territory: str = "",
    situation: str = "",
    needs: str,
    preferred_channel: str = PreferredChannel.EMAIL,
    offer: Offer | None = None,
    consent_contact: bool,
    now: datetime.datetime | None = None,
) -> SupportRequest:
    """Record a support request, its outreach-list record, the consent, the acknowledgement
    and the coordinators' notice, all or nothing."""
    now = now or timezone.now()
    if not (programme.is_published and programme.status == ProgrammeStatus.OPEN):
        raise ValidationError(_("This programme does not take requests at the moment."))
    if origin not in RequestOrigin.values:
        raise ValidationError(_("Unknown origin."))
    if campaign is not None and campaign.programme_id != programme.pk:
        campaign = None
    if campaign is None and origin == RequestOrigin.CAMPAIGN:
        origin = RequestOrigin.CATALOGUE
    name, contact_name = name.strip(), contact_name.strip()
    email = (email or "").strip().lower()
    phone = _clean_phone(phone)
    if requester_kind == BeneficiaryKind.INDIVIDUAL:
        contact_name = ""
    validate_request_data(
        programme=programme,
        requester_kind=requester_kind,
        name=name,
        contact_name=contact_name,
        email=email,
        phone=phone,
        situation=situation,
        needs=needs,
        preferred_channel=preferred_channel,
        offer=offer,
        consent_contact=consent_contact,
    )
    with transaction.atomic():
        beneficiary = _find_beneficiary(programme.organization_id, email=email, phone=phone)
        if beneficiary is None:
            beneficiary = Beneficiary(
                organization_id=programme.organization_id,
                kind=requester_kind,
                name=name,
                contact_name=contact_name,
                email=email,
                phone=phone,
                postal_code=postal_code.strip(),
                territory=territory.strip(),
                situation=situation,
                programme=programme,
                stage=OutreachStage.TO_CONTACT,
                stage_changed_at=now,
                source=Source.SUPPORT_REQUEST,
                source_detail=_source_detail(origin, campaign),
            )
            beneficiary.full_clean()
            beneficiary.save()
        support_request = SupportRequest(
            programme=programme,
            offer=offer,
            beneficiary=beneficiary,
            campaign=campaign,
            origin=origin,
            requester_kind=requester_kind,
            name=name,
            contact_name=contact_name,
            email=email,
            phone=phone,
            postal_code=postal_code.strip(),
            territory=territory.strip(),
            situation=situation,
            needs=needs.strip(),
            preferred_channel=preferred_channel,
            consent_contact=True,
        )
        support_request.full_clean()
        support_request.save()
        if not Consent.objects.filter(
            beneficiary=beneficiary, purpose=ConsentPurpose.CONTACT, withdrawn_at__isnull=True
        ).exists():
            Consent.objects.create(
                beneficiary=beneficiary, purpose=ConsentPurpose.CONTACT, given_at=now
            )
        _write_acknowledgement(support_request)
        _write_coordinator_notices(support_request)
    return support_request


def _acknowledgement_context(support_request: SupportRequest) -> dict:
    programme = support_request.programme
    offer = first_appointment_offer(support_request)
    return {
        "recipient_name": support_request.contact_name or support_request.name,
        "programme_name": programme.title,
        "organization_name": programme.organization.name,
        "contact_within_days": CONTACT_WITHIN_DAYS,
        "preferred_channel": support_request.get_preferred_channel_display(),
        "contact_email": programme.contact_email,
        "contact_phone": programme.contact_phone,
        "booking_url": booking_url(support_request) if offer is not None else "",
        "needs": support_request.needs,
    }


def _write_acknowledgement(support_request: SupportRequest) -> None:
    """To the requester: by email, else by text message."""
    kind = NotificationKind.SUPPORT_REQUEST_ACK
    if support_request.email:
        channel, address = Channel.EMAIL, support_request.email
    else:
        channel, address = Channel.SMS, support_request.phone
    rendered = render_notification(kind, _acknowledgement_context(support_request))
    is_sms = channel == Channel.SMS
    notify(
        kind=kind,
        channel=channel,
        to_address=address,
        subject=rendered.subject,
        body_text=rendered.sms_text if is_sms and rendered.sms_text else rendered.body_text,
        body_html="" if is_sms else rendered.body_html,
        object_type=REQUEST_OBJECT,
        object_id=support_request.pk,
        scheduled_for=support_request.created_at,
        programme=support_request.programme,
    )


def request_coordinators(programme: Programme) -> list:
    """Who hears of a new request: the programme's coordinators, else the coordinators of
    its organisation."""
    users = [u for u in programme.coordinators.filter(is_active=True).order_by("pk") if u.email]
    if users:
        return users
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization_id=programme.organization_id,
            memberships__role=Role.COORDINATOR,
            memberships__is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _write_coordinator_notices(support_request: SupportRequest) -> None:
    kind = NotificationKind.SUPPORT_REQUEST_NEW
    programme = support_request.programme
    rendered = render_notification(
        kind,
        {
            "programme_name": programme.title,
            "name": support_request.name,
            "origin": support_request.get_origin_display(),
            "preferred_channel": support_request.get_preferred_channel_display(),
            "needs": support_request.needs,
            "record_url": absolute_url(
                reverse("beneficiaires:detail", args=[support_request.beneficiary.public_id])
            ),
        },
    )
    for user in request_coordinators(programme):
        notify(
            kind=kind,
            channel=Channel.EMAIL,
            to_address=user.email,
            subject=rendered.subject,
            body_text=rendered.body_text,
            body_html=rendered.body_html,
            object_type=REQUEST_OBJECT,
            object_id=support_request.pk,
            scheduled_for=support_request.created_at,
            recipient=user,
            programme=programme,
        )


def support_request_book(
    *,
    support_request: SupportRequest,
    mentor,
    starts_at: datetime.datetime,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Book the requester's first appointment, once per request, with the offer's rules.

    The requester has no account: the door is the request itself (its browser session or the
    signed link of the acknowledgement), checked by the caller; seances' appointment_book
    applies every booking rule (who may book the offer, the mentor, notice and horizon, the
    slot recomputed, the maximum of upcoming bookings, the overlap refusal)."""
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock makes "once per request" hold against a double click.
        locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
        if locked.appointment_id is not None:
            raise ValidationError(
                _("A first appointment is already booked for this request."), code="already"
            )
        beneficiary = locked.beneficiary
        offer = first_appointment_offer(locked)
        if beneficiary is None or offer is None:
            raise ValidationError(
                _("This programme does not offer to book a first appointment online."),
                code="no_offer",
            )
        appointment = booking.appointment_book(
            offer=offer,
            mentor=mentor,
            beneficiary=beneficiary,
            starts_at=starts_at,
            reason=locked.needs[: booking.REASON_MAX_LENGTH],
            acting_user=None,
            from_request=True,
            now=now,
        )
        locked.appointment = appointment
        locked.save(update_fields=["appointment"])
    support_request.appointment = appointment
    return appointment

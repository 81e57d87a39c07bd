"""Demo information campaigns (issue 8): one campaign sent to the Lyon programme's outreach
list, with a few links opened, one unsubscription and one reply as a support request; and a
draft invitation to an information meeting.

Idempotent: campaigns are looked up by programme and subject; a campaign already sent is
left as it is. Call it with mail kept local (seed_demo's locmem block): the demo addresses
are fictitious."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from beneficiaires.enums import OutreachStage
from notifications.enums import NotificationStatus
from notifications.models import Notification
from outreach.enums import CampaignKind, CampaignStatus, RequestOrigin
from outreach.models import Campaign, SupportRequest
from outreach.services.campaigns import (
    campaign_create,
    campaign_send,
    link_opened,
    unsubscribe,
    upcoming_sessions,
)
from programmes.models import Programme

PROGRAMME = "Fabrique des initiatives citoyennes 2026-2027"
COORDINATOR = "coordinatrice@example.org"
SENT_SUBJECT = "La Fabrique des initiatives citoyennes ouvre ses portes"
SENT_BODY = (
    "Vous avez un projet pour votre quartier, une idée d'association ou une envie d'agir "
    "sans savoir par où commencer ?\n\n"
    "La Fabrique des initiatives citoyennes vous accompagne gratuitement : rendez-vous "
    "individuels, ateliers collectifs et mise en relation avec les partenaires du territoire.\n\n"
    "Découvrez le programme et faites une demande d'accompagnement en deux minutes."
)
DRAFT_SUBJECT = "Réunion d'information : la Fabrique en une heure"
DRAFT_BODY = (
    "Nous présentons le programme, ses ateliers et la façon dont se passe l'accompagnement, "
    "puis nous répondons à vos questions. Venez avec vos idées, même floues !"
)
OPENED = 4
REPLY_NEEDS = (
    "J'ai reçu votre message : avec d'autres parents de l'école, nous voulons lancer une "
    "bourse aux fournitures à la rentrée et nous aurions besoin d'aide pour nous organiser."
)


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"{message}\n")


def _publish(programme: Programme) -> None:
    """The messages link to the public page: the programme must be on the catalogue (the
    catalogue's demo may have done it already: then nothing changes)."""
    changed = []
    if not programme.is_published:
        programme.is_published = True
        changed.append("is_published")
    if not programme.slug:
        programme.slug = slugify(programme.title)[:80]
        changed.append("slug")
    if changed:
        programme.save(update_fields=changed)


def _sent_campaign(programme: Programme, coordinator, now: datetime.datetime) -> Campaign:
    campaign = Campaign.objects.filter(programme=programme, subject=SENT_SUBJECT).first()
    if campaign is None:
        campaign = campaign_create(
            programme=programme,
            kind=CampaignKind.INFORMATION,
            subject=SENT_SUBJECT,
            body=SENT_BODY,
            filters={"territory": "Lyon"},
            per_minute=5,
            acting_user=coordinator,
        )
    if campaign.status != CampaignStatus.DRAFT:
        return campaign
    campaign_send(campaign=campaign, acting_user=coordinator)
    # The demo's messages went out a few days ago: the outbox rows are marked sent (no mail
    # leaves), a few links opened, one person unsubscribed.
    sent_at = now - datetime.timedelta(days=3)
    Campaign.objects.filter(pk=campaign.pk).update(sent_at=sent_at)
    recipients = list(campaign.recipients.order_by("pk"))
    Notification.objects.filter(pk__in=[r.notification_id for r in recipients]).update(
        status=NotificationStatus.SENT, sent_at=sent_at, attempts=1
    )
    for recipient in recipients[:OPENED]:
        link_opened(recipient=recipient)
    if len(recipients) > OPENED:
        unsubscribe(recipient=recipients[-1])
    if recipients:
        _reply(campaign, recipients[0])
    return campaign


def _reply(campaign: Campaign, recipient) -> None:
    """One person answered through the campaign's link with a support request."""
    if SupportRequest.objects.filter(campaign=campaign).exists():
        return
    person = recipient.beneficiary
    SupportRequest.objects.create(
        programme=campaign.programme,
        beneficiary=person,
        campaign=campaign,
        origin=RequestOrigin.CAMPAIGN,
        requester_kind=person.kind,
        name=person.name,
        contact_name=person.contact_name,
        email=recipient.email,
        phone=person.phone,
        postal_code=person.postal_code,
        territory=person.territory,
        situation=person.situation,
        needs=REPLY_NEEDS,
        consent_contact=True,
    )


def _draft(programme: Programme, coordinator) -> Campaign | None:
    existing = Campaign.objects.filter(programme=programme, subject=DRAFT_SUBJECT).first()
    if existing is not None:
        return existing
    # An open event (an information meeting on the catalogue) if there is one.
    session = upcoming_sessions(programme).order_by("-is_open_event", "starts_at", "pk").first()
    return campaign_create(
        programme=programme,
        kind=CampaignKind.MEETING if session is not None else CampaignKind.INFORMATION,
        group_session=session,
        subject=DRAFT_SUBJECT,
        body=DRAFT_BODY,
        filters={"stage": OutreachStage.TO_CONTACT},
        per_minute=30,
        acting_user=coordinator,
    )


def seed_campaigns(stdout=None) -> None:
    programme = Programme.objects.filter(title=PROGRAMME).first()
    coordinator = get_user_model().objects.filter(email=COORDINATOR).first()
    if programme is None or coordinator is None:
        _say(stdout, "seed_campaigns: the demo programme or coordinator is missing, nothing done.")
        return
    _publish(programme)
    now = timezone.now()
    sent = _sent_campaign(programme, coordinator, now)
    _draft(programme, coordinator)
    _say(
        stdout,
        f"seed_campaigns: « {sent.subject} » sent to {sent.recipients.count()} people, "
        "and a draft.",
    )

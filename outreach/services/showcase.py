"""The network showcase: project cards, the beneficiary's consent, contact through the
coordinator (issue 8, item 4)."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaires.enums import ConsentPurpose
from beneficiaires.models import Beneficiary, Consent
from notifications.enums import Channel, NotificationKind
from notifications.services import notify, render_notification
from outreach.models import ProjectCard, ShowcaseContact
from outreach.permissions import can_write_card, coordinates_programme, is_own_record
from programmes.models import Programme, Theme

CONTACT_OBJECT = "outreach.showcasecontact"


def has_network_consent(beneficiary: Beneficiary) -> bool:
    return beneficiary.consents.filter(
        purpose=ConsentPurpose.NETWORK_SHARING, withdrawn_at__isnull=True
    ).exists()


def card_programmes(beneficiary: Beneficiary) -> QuerySet[Programme]:
    """The programmes a card may be written for: those the person is or was enrolled in, or
    approached for."""
    return (
        Programme.objects.filter(organization_id=beneficiary.organization_id)
        .filter(
            Q(pk__in=beneficiary.enrollments.values("offer__programme_id"))
            | Q(pk=beneficiary.programme_id)
        )
        .order_by("-start_date", "title")
    )


def card_save(
    *,
    beneficiary: Beneficiary,
    programme: Programme,
    title: str,
    summary: str,
    territory: str = "",
    themes: Iterable[Theme] = (),
    needs_partners: str = "",
    needs_skills: str = "",
    needs_resources: str = "",
    is_public: bool = False,
    acting_user,
    card: ProjectCard | None = None,
) -> ProjectCard:
    """Write (or rewrite) the person's card for a programme."""
    if not can_write_card(acting_user, beneficiary):
        raise PermissionDenied
    if card is not None and card.beneficiary_id != beneficiary.pk:
        raise PermissionDenied
    if not card_programmes(beneficiary).filter(pk=programme.pk).exists():
        raise ValidationError({"programme": _("This person is not followed in this programme.")})
    themes = list(themes)
    if any(theme.organization_id != programme.organization_id for theme in themes):
        raise ValidationError({"themes": _("Choose themes of the programme's structure.")})
    if not (title.strip() and summary.strip()):
        raise ValidationError(_("Give the project a title and a few lines."))
    fields = {
        "programme": programme,
        "title": title.strip(),
        "summary": summary.strip(),
        "territory": territory.strip(),
        "needs_partners": needs_partners.strip(),
        "needs_skills": needs_skills.strip(),
        "needs_resources": needs_resources.strip(),
        "is_public": is_public,
    }
    try:
        with transaction.atomic():
            if card is None:
                card = ProjectCard.objects.create(
                    beneficiary=beneficiary, created_by=acting_user, **fields
                )
            else:
                card = ProjectCard.objects.select_for_update().get(pk=card.pk)
                for name, value in fields.items():
                    setattr(card, name, value)
                card.save()
            card.themes.set(themes)
    except IntegrityError as exc:
        raise ValidationError(
            {"programme": _("This person already has a project card for this programme.")}
        ) from exc
    return card


def card_delete(*, card: ProjectCard, acting_user) -> None:
    if not can_write_card(acting_user, card.beneficiary):
        raise PermissionDenied
    card.delete()


def own_consent_set(*, beneficiary: Beneficiary, consent: bool, acting_user) -> bool:
    """The person gives or withdraws their own "relay in the network" consent. Withdrawn, every
    card of theirs disappears from the showcase at the next request (cards read the consent,
    nothing is cached). Returns whether anything changed."""
    if not is_own_record(acting_user, beneficiary):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        current = Consent.objects.filter(
            beneficiary=beneficiary,
            purpose=ConsentPurpose.NETWORK_SHARING,
            withdrawn_at__isnull=True,
        ).first()
        if consent and current is None:
            Consent.objects.create(
                beneficiary=beneficiary,
                purpose=ConsentPurpose.NETWORK_SHARING,
                given_at=now,
                recorded_by=acting_user,
            )
            return True
        if not consent and current is not None:
            current.withdrawn_at = now
            current.save(update_fields=["withdrawn_at"])
            return True
    return False


def contact_send(
    *,
    card: ProjectCard,
    sender_name: str,
    sender_email: str,
    message: str,
    sender=None,
) -> ShowcaseContact:
    """Someone asks to be put in touch: stored for the coordinators, who are emailed."""
    if not ProjectCard.objects.with_consent().filter(pk=card.pk).exists():
        raise ValidationError(_("This project is no longer shown in the network."))
    if not (sender_name.strip() and sender_email.strip() and message.strip()):
        raise ValidationError(_("Give your name, your email and a message."))
    programme = card.programme
    with transaction.atomic():
        contact = ShowcaseContact.objects.create(
            card=card,
            sender=sender if sender is not None and sender.is_authenticated else None,
            sender_name=sender_name.strip(),
            sender_email=sender_email.strip(),
            message=message.strip(),
        )
        from seances.notification_scans import absolute_url  # outreach sits above seances

        for coordinator in programme.coordinators.filter(is_active=True).exclude(email=""):
            rendered = render_notification(
                NotificationKind.SHOWCASE_CONTACT,
                {
                    "recipient_name": coordinator.get_full_name() or coordinator.email,
                    "programme_name": programme.title,
                    "project_title": card.title,
                    "sender_name": contact.sender_name,
                    "sender_email": contact.sender_email,
                    "message": contact.message,
                    "contacts_url": absolute_url(reverse("outreach:showcase_contacts")),
                },
            )
            notify(
                kind=NotificationKind.SHOWCASE_CONTACT,
                channel=Channel.EMAIL,
                to_address=coordinator.email,
                subject=rendered.subject,
                body_text=rendered.body_text,
                body_html=rendered.body_html,
                object_type=CONTACT_OBJECT,
                object_id=contact.pk,
                scheduled_for=contact.created_at,
                recipient=coordinator,
                programme=programme,
            )
    return contact


def contact_mark_handled(*, contact: ShowcaseContact, acting_user) -> None:
    if not coordinates_programme(acting_user, contact.card.programme):
        raise PermissionDenied
    with transaction.atomic():
        locked = ShowcaseContact.objects.select_for_update().get(pk=contact.pk)
        if locked.handled_at is None:
            locked.handled_at = timezone.now()
            locked.save(update_fields=["handled_at"])

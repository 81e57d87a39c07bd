"""Information campaigns (issue 8, item 3): write a campaign, send it through the notification
outbox (spread out, exactly once per address), follow its links and honour unsubscriptions."""

import datetime
import secrets
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from beneficiaires.filters import BeneficiaryFilter
from beneficiaires.models import Beneficiary
from diagnostics.enums import DiagnosticMethod, DiagnosticStatus
from diagnostics.models import DiagnosticInvitation, NeedsDiagnostic, hash_token
from diagnostics.services import INVITATION_VALIDITY, questionnaire_url
from notifications.enums import Channel, NotificationKind
from notifications.models import Notification
from notifications.services import cancel_pending, notify, render_notification
from outreach.enums import CampaignKind, CampaignStatus
from outreach.models import Campaign, CampaignRecipient, Unsubscription
from outreach.permissions import coordinates_programme
from outreach.permissions_campaigns import can_manage_campaign
from programmes.models import Programme
from seances.models import GroupSession
from seances.notification_scans import absolute_url, preferences_url

RECIPIENT_OBJECT = "outreach.campaignrecipient"
# The outreach-list filters a selection may use (the programme is the campaign's own).
SELECTION_FIELDS = ("q", "stage", "situation", "priority", "kind", "source", "territory")
UNSUBSCRIBE_SALT = "outreach.campaign.unsubscribe"
SURVEY_SALT = "outreach.campaign.survey"


# The selection


def selection_filterset(
    programme: Programme | None, data: dict | None, *, prefix: str | None = None
) -> BeneficiaryFilter:
    """The outreach list's FilterSet on the programme's own list (its structure's records
    approached for this programme), without its programme and sort fields.

    `data` is Campaign.filters, or a form's data with its `prefix`."""
    if prefix is None:
        data = {name: data[name] for name in SELECTION_FIELDS if data and data.get(name)}
    queryset = (
        Beneficiary.objects.filter(organization_id=programme.organization_id, programme=programme)
        if programme is not None
        else Beneficiary.objects.none()
    )
    filterset = BeneficiaryFilter(data, queryset=queryset, request=None, prefix=prefix)
    for name in ("programme", "sort"):
        filterset.form.fields.pop(name, None)
    return filterset


def cleaned_filters(filterset: BeneficiaryFilter) -> dict[str, str]:
    """What Campaign.filters stores: the valid, non-empty values, as query parameters."""
    data = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    return {name: str(data[name]) for name in SELECTION_FIELDS if data.get(name) not in ("", None)}


def normalized(email: str) -> str:
    return email.strip().lower()


@dataclass
class Selection:
    """Who a campaign reaches: one address once, without the unsubscribed and the unreachable."""

    selected: int = 0
    without_email: int = 0
    unsubscribed: int = 0
    duplicates: int = 0
    recipients: list[tuple[str, Beneficiary]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.recipients)


def campaign_selection(campaign: Campaign) -> Selection:
    """Two queries: the selected records and the structure's unsubscribed addresses."""
    programme = campaign.programme
    people = (
        selection_filterset(programme, campaign.filters)
        .qs.select_related("user")
        .order_by("name", "pk")
    )
    unsubscribed = set(
        Unsubscription.objects.filter(organization_id=programme.organization_id)
        .annotate(address=Lower("email"))
        .values_list("address", flat=True)
    )
    result = Selection()
    seen: set[str] = set()
    for person in people:
        result.selected += 1
        address = normalized(person.email)
        if not address:
            result.without_email += 1
        elif address in unsubscribed:
            result.unsubscribed += 1
        elif address in seen:
            result.duplicates += 1
        else:
            seen.add(address)
            result.recipients.append((address, person))
    return result


def spreading_minutes(count: int, per_minute: int) -> int:
    """Minutes between the first and the last message: recipient i leaves at i // per_minute."""
    return (count - 1) // per_minute if count else 0


# Writing a campaign


def upcoming_sessions(programme: Programme) -> QuerySet[GroupSession]:
    return (
        GroupSession.objects.upcoming(timezone.now())
        .filter(offer__programme=programme)
        .select_related("offer")
        .order_by("starts_at", "pk")
    )


def _validate(
    *, programme: Programme, kind: str, group_session: GroupSession | None, per_minute: int
) -> None:
    errors = {}
    if kind not in CampaignKind.values:
        errors["kind"] = _("Choose a kind of campaign from the list.")
    if kind == CampaignKind.MEETING:
        if group_session is None:
            errors["group_session"] = _("Choose the information meeting the message invites to.")
        elif not upcoming_sessions(programme).filter(pk=group_session.pk).exists():
            errors["group_session"] = _("Choose an upcoming group session of this programme.")
    if kind in (CampaignKind.INFORMATION, CampaignKind.MEETING) and not (
        programme.is_published or (group_session is not None and group_session.is_open_event)
    ):
        errors["programme"] = _(
            "The message links to the programme's public page: publish the programme on the "
            "catalogue first."
        )
    if per_minute is None or per_minute < 1:
        errors["per_minute"] = _("Send at least one email per minute.")
    if errors:
        raise ValidationError(errors)


def campaign_create(
    *,
    programme: Programme,
    kind: str,
    subject: str,
    body: str,
    filters: dict[str, str],
    per_minute: int = 30,
    group_session: GroupSession | None = None,
    acting_user,
) -> Campaign:
    """Write a draft campaign for a programme the acting user coordinates."""
    if not coordinates_programme(acting_user, programme):
        raise PermissionDenied
    if kind != CampaignKind.MEETING:
        group_session = None
    _validate(programme=programme, kind=kind, group_session=group_session, per_minute=per_minute)
    with transaction.atomic():
        return Campaign.objects.create(
            programme=programme,
            kind=kind,
            subject=subject.strip(),
            body=body.strip(),
            group_session=group_session,
            filters=dict(filters),
            per_minute=per_minute,
            created_by=acting_user,
        )


def campaign_update(
    *,
    campaign: Campaign,
    programme: Programme,
    kind: str,
    subject: str,
    body: str,
    filters: dict[str, str],
    per_minute: int,
    group_session: GroupSession | None = None,
    acting_user,
) -> Campaign:
    """Change a draft; a campaign being sent or sent stays as it went out."""
    if not (
        can_manage_campaign(acting_user, campaign) and coordinates_programme(acting_user, programme)
    ):
        raise PermissionDenied
    if kind != CampaignKind.MEETING:
        group_session = None
    _validate(programme=programme, kind=kind, group_session=group_session, per_minute=per_minute)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise ValidationError(_("This campaign has been sent: it can no longer be changed."))
        locked.programme = programme
        locked.kind = kind
        locked.subject = subject.strip()
        locked.body = body.strip()
        locked.group_session = group_session
        locked.filters = dict(filters)
        locked.per_minute = per_minute
        locked.save()
    return locked


# Sending


def unsubscribe_token(recipient: CampaignRecipient) -> str:
    """Signed from the recipient's token hash, so that the outbox can rebuild the link for the
    List-Unsubscribe header (the raw token is never stored)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(recipient.token_hash)


def recipient_for_unsubscribe_token(token: str) -> CampaignRecipient | None:
    try:
        token_hash = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        CampaignRecipient.objects.select_related("campaign__programme__organization")
        .filter(token_hash=token_hash)
        .first()
    )


def unsubscribe_url(recipient: CampaignRecipient) -> str:
    return absolute_url(
        reverse("outreach:campaign_unsubscribe", args=[unsubscribe_token(recipient)])
    )


def campaign_email_headers(notification: Notification) -> dict[str, str]:
    """The List-Unsubscribe headers of a campaign message (RFC 2369 and 8058 one-click)."""
    recipient = CampaignRecipient.objects.filter(pk=notification.object_id).first()
    if recipient is None:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(recipient)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def survey_token(raw_token: str) -> str:
    """The needs questionnaire's one-time token, derived from the campaign link's token: the
    link opens the questionnaire without either raw token being stored."""
    return salted_hmac(SURVEY_SALT, raw_token, algorithm="sha256").hexdigest()


def _public_url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # The public catalogue is not routed.
        return None


def target_url(campaign: Campaign, raw_token: str) -> str:
    """Where a campaign link leads: the questionnaire, the open event, the programme page."""
    if campaign.kind == CampaignKind.NEEDS_SURVEY:
        return questionnaire_url(survey_token(raw_token))
    session = campaign.group_session
    if campaign.kind == CampaignKind.MEETING and session is not None and session.is_open_event:
        url = _public_url("outreach:catalogue_event", session.public_id)
        if url:
            return url
    return _public_url("outreach:catalogue_programme", campaign.programme.slug) or "/"


def _survey_invitation(
    *, beneficiary: Beneficiary, email: str, raw_token: str, now, acting_user
) -> DiagnosticInvitation:
    """A questionnaire link on the person's diagnostic in progress, or on a new one.

    Written here rather than with diagnostics.services.diagnostic_invite, whose token is random:
    the campaign derives it from its own link token (see survey_token)."""
    diagnostic = (
        NeedsDiagnostic.objects.filter(beneficiary=beneficiary, status=DiagnosticStatus.DRAFT)
        .order_by("-held_on", "-pk")
        .first()
    )
    if diagnostic is None:
        diagnostic = NeedsDiagnostic.objects.create(
            beneficiary=beneficiary, method=DiagnosticMethod.SURVEY, held_on=now.date()
        )
    return DiagnosticInvitation.objects.create(
        diagnostic=diagnostic,
        token_hash=hash_token(survey_token(raw_token)),
        sent_to=email,
        expires_at=now + INVITATION_VALIDITY,
        created_by=acting_user,
    )


def _message_context(campaign: Campaign, recipient: CampaignRecipient, raw_token: str) -> dict:
    beneficiary = recipient.beneficiary
    has_account = beneficiary is not None and beneficiary.user_id is not None
    programme = campaign.programme
    return {
        "recipient_name": (beneficiary.contact_name or beneficiary.name) if beneficiary else "",
        "programme_name": programme.title,
        "organization_name": programme.organization.name,
        "kind": campaign.kind,
        "subject": campaign.subject,
        "message": campaign.body,
        "group_session": campaign.group_session,
        "link_url": absolute_url(reverse("outreach:campaign_link", args=[raw_token])),
        "unsubscribe_url": unsubscribe_url(recipient),
        "preferences_url": preferences_url() if has_account else "",
        "survey_expires_at": (
            timezone.now() + INVITATION_VALIDITY
            if campaign.kind == CampaignKind.NEEDS_SURVEY
            else None
        ),
    }


def campaign_send(*, campaign: Campaign, acting_user) -> int:
    """Send a draft to its selection through the outbox, spread at `per_minute`; returns the
    number of recipients.

    Exactly once: the campaign row is locked and must be a draft, so a second send (or a
    concurrent one, waiting on the lock) finds it sent and is refused; the recipients are
    unique per campaign and address, each with one outbox row."""
    if not can_manage_campaign(acting_user, campaign):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("programme__organization", "group_session")
            .get(pk=campaign.pk)
        )
        if locked.status != CampaignStatus.DRAFT:
            raise ValidationError(_("This campaign has already been sent."), code="sent")
        chosen = campaign_selection(locked)
        if not chosen.recipients:
            raise ValidationError(
                _("Nobody in the selection can receive this campaign: widen the selection."),
                code="empty",
            )
        locked.status = CampaignStatus.SENDING
        locked.save(update_fields=["status"])
        now = timezone.now()
        programme = locked.programme
        kind = NotificationKind.CAMPAIGN_MESSAGE
        for index, (address, person) in enumerate(chosen.recipients):
            raw_token = secrets.token_urlsafe(32)
            recipient = CampaignRecipient.objects.create(
                campaign=locked, beneficiary=person, email=address, token_hash=hash_token(raw_token)
            )
            if locked.kind == CampaignKind.NEEDS_SURVEY:
                _survey_invitation(
                    beneficiary=person,
                    email=address,
                    raw_token=raw_token,
                    now=now,
                    acting_user=acting_user,
                )
            rendered = render_notification(kind, _message_context(locked, recipient, raw_token))
            recipient.notification = notify(
                kind=kind,
                channel=Channel.EMAIL,
                to_address=address,
                subject=rendered.subject,
                body_text=rendered.body_text,
                body_html=rendered.body_html,
                object_type=RECIPIENT_OBJECT,
                object_id=recipient.pk,
                # The rate limit: the minute scan sends what is due.
                scheduled_for=now + datetime.timedelta(minutes=index // locked.per_minute),
                recipient=person.user,
                programme=programme,
            )
            recipient.save(update_fields=["notification"])
        locked.status = CampaignStatus.SENT
        locked.sent_at = now
        locked.sent_by = acting_user
        locked.save(update_fields=["status", "sent_at", "sent_by"])
    campaign.status, campaign.sent_at, campaign.sent_by = locked.status, now, acting_user
    return chosen.count


# The public side: links and unsubscriptions


def recipient_for_link(raw_token: str) -> CampaignRecipient | None:
    return (
        CampaignRecipient.objects.select_related("campaign__programme", "campaign__group_session")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def link_opened(*, recipient: CampaignRecipient) -> bool:
    """Record the first opening of the link; True the first time only."""
    opened = CampaignRecipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    return bool(opened)


def _cancel_queued_messages(organization_id: int, address: str) -> int:
    """The structure's campaign messages to this address not sent yet (a campaign is spread
    over minutes, or another one is queued): cancelled, so unsubscribing takes effect now."""
    queued = CampaignRecipient.objects.filter(
        campaign__programme__organization_id=organization_id,
        email__iexact=address,
        notification__isnull=False,
    ).values("pk")
    total = 0
    for row in queued:
        total += cancel_pending(
            object_type=RECIPIENT_OBJECT,
            object_id=row["pk"],
            kinds=[NotificationKind.CAMPAIGN_MESSAGE],
        )
    return total


def unsubscribe(*, recipient: CampaignRecipient) -> Unsubscription:
    """The address receives no more campaigns from this structure, including the messages
    still queued; asking twice is the same."""
    organization_id = recipient.campaign.programme.organization_id
    address = normalized(recipient.email)
    existing = Unsubscription.objects.filter(
        organization_id=organization_id, email__iexact=address
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            unsubscription = Unsubscription.objects.create(
                organization_id=organization_id, email=address, campaign=recipient.campaign
            )
            _cancel_queued_messages(organization_id, address)
            return unsubscription
    except IntegrityError:  # The same click twice at once.
        return Unsubscription.objects.get(organization_id=organization_id, email=address)


def is_unsubscribed(recipient: CampaignRecipient) -> bool:
    return Unsubscription.objects.filter(
        organization_id=recipient.campaign.programme.organization_id,
        email__iexact=normalized(recipient.email),
    ).exists()

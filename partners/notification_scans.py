"""The periodic scan of referrals still waiting for the partner's answer (issue 6).

One row per referral and recipient, scheduled at a fixed time derived from the sending date,
so that running the scan again (or twice at once) finds the row already written.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership
from beneficiaires.models import Enrollment
from notifications.enums import NotificationKind
from partners.enums import UNANSWERED_AFTER_DAYS, ReferralStatus
from partners.models import Referral
from seances.notification_scans import absolute_url, preferences_url, write_notification

PARIS = ZoneInfo("Europe/Paris")
# A referral sent on day D is flagged at 09:00 (Paris) on day D + 7: office hours.
REMINDER_HOUR = 9
# Referrals flagged longer ago than this are history: no reminder about them any more.
LOOKBACK = datetime.timedelta(days=14)


def reminder_time(referral: Referral) -> datetime.datetime:
    """When the referral counts as unanswered: the deterministic key of its reminder."""
    day = referral.sent_on + datetime.timedelta(days=UNANSWERED_AFTER_DAYS)
    return datetime.datetime.combine(day, datetime.time(REMINDER_HOUR), tzinfo=PARIS)


def unanswered_referrals(now: datetime.datetime) -> list[Referral]:
    """Referrals whose reminder time has come, with their recipients prefetched: the active
    coordinators of the referring structure, and the author while they still see it."""
    today = timezone.localdate(now, PARIS)
    oldest = today - datetime.timedelta(days=UNANSWERED_AFTER_DAYS) - LOOKBACK
    author_is_referent = Exists(
        Enrollment.objects.filter(
            beneficiary_id=OuterRef("beneficiary_id"), referent_mentor_id=OuterRef("created_by_id")
        )
    ) & Exists(
        Membership.objects.filter(
            user_id=OuterRef("created_by_id"), role=Role.MENTOR, is_active=True
        )
    )
    referrals = (
        Referral.objects.filter(status=ReferralStatus.SENT, sent_on__gte=oldest)
        .unanswered(today)
        .annotate(author_is_referent=author_is_referent)
        .select_related(
            "beneficiary", "partner", "programme", "referring_organization", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "referring_organization__memberships",
                queryset=Membership.objects.filter(
                    role=Role.COORDINATOR, is_active=True, user__is_active=True
                )
                .select_related("user")
                .order_by("user_id"),
                to_attr="active_coordinators",
            )
        )
        .order_by("sent_on", "pk")
    )
    return [referral for referral in referrals if reminder_time(referral) <= now]


def recipients(referral: Referral) -> list:
    users = {m.user.pk: m.user for m in referral.referring_organization.active_coordinators}
    author = referral.created_by
    if author is not None and author.is_active and referral.author_is_referent:
        users.setdefault(author.pk, author)
    return [users[pk] for pk in sorted(users)]


def scan_unanswered_referrals(now: datetime.datetime | None = None) -> int:
    """Tell the referring coordinators (and the author) about referrals unanswered after
    7 days; returns the number of referrals concerned."""
    now = now or timezone.now()
    referrals = unanswered_referrals(now)
    with transaction.atomic():
        for referral in referrals:
            programme = referral.programme
            context = {
                "programme_name": programme.title
                if programme
                else referral.referring_organization.name,
                "beneficiary_name": referral.beneficiary.name,
                "partner_name": referral.partner.name,
                "sent_on": referral.sent_on,
                "days": UNANSWERED_AFTER_DAYS,
                "referral_url": absolute_url(
                    reverse("partners:referral_update", args=[referral.public_id])
                ),
                "preferences_url": preferences_url(),
            }
            for user in recipients(referral):
                write_notification(
                    kind=NotificationKind.REFERRAL_UNANSWERED,
                    user=user,
                    context=context,
                    object_type="partners.referral",
                    object_id=str(referral.public_id),
                    scheduled_for=reminder_time(referral),
                    programme=programme,
                    organization=referral.referring_organization,
                )
    return len(referrals)

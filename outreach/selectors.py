"""Reads on information campaigns: the campaigns a coordinator sees, and their figures."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from notifications.enums import NotificationStatus
from outreach.models import Campaign, CampaignRecipient, SupportRequest, Unsubscription
from programmes.models import Programme

# The figures campaign_figures() annotates, in the order the pages show them.
FIGURES = ("recipients", "sent", "failed", "pending", "opened", "replies", "unsubscribed")


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """The campaigns of the programmes the user coordinates (all of them for an admin)."""
    return Campaign.objects.filter(programme__in=Programme.objects.managed_by(user))


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT per campaign: one subquery each, no join multiplying the rows."""
    counted = (
        queryset.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def campaign_figures(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotate each campaign with its figures, in SQL (the list's query count is constant):
    recipients, sent, failed, pending (in the outbox), opened (a link followed), replies
    (support requests in reply) and unsubscribed (through this campaign)."""
    recipients = CampaignRecipient.objects.all()
    return campaigns.annotate(
        recipients_count=_count(recipients),
        sent_count=_count(recipients.filter(notification__status=NotificationStatus.SENT)),
        failed_count=_count(recipients.filter(notification__status=NotificationStatus.FAILED)),
        pending_count=_count(recipients.filter(notification__status=NotificationStatus.PENDING)),
        opened_count=_count(recipients.filter(opened_at__isnull=False)),
        replies_count=_count(SupportRequest.objects.all()),
        unsubscribed_count=_count(Unsubscription.objects.all()),
    )

"""Reads of the partner network that other pages use (coordinator home, programme dashboard)."""

from django.db.models import Prefetch

from accounts.models import Organization
from partners.models import Referral, ReferralQuerySet
from programmes.models import Programme, Theme


def unanswered_referrals_for(user, *, programme: Programme | None = None) -> ReferralQuerySet:
    """Referrals the person may see that have waited 7 days or more for the partner's answer,
    oldest first; optionally those of one programme. Lazy: slice or count it as needed."""
    referrals = (
        Referral.objects.visible_to(user)
        .unanswered()
        .select_related("beneficiary", "partner")
        .order_by("sent_on", "pk")
    )
    if programme is not None:
        referrals = referrals.filter(programme=programme)
    return referrals


def partner_directory():
    """Every partner structure of the network, with its steward and its themes prefetched."""
    return (
        Organization.objects.partners()
        .select_related("steward")
        .prefetch_related(Prefetch("partner_themes", queryset=Theme.objects.order_by("name", "pk")))
        .order_by("name", "pk")
    )


def theme_names(themes) -> list[str]:
    """Theme names once each: several structures may tag a partner with the same theme."""
    return sorted({theme.name for theme in themes}, key=str.casefold)

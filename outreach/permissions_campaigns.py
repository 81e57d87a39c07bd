"""Who may do what with information campaigns: pure functions (a query for the role lookup).

Coordinators write and send the campaigns of the programmes of their structures; mentors and
beneficiaries have no campaign pages (403); a campaign of another structure is a 404."""

from outreach.enums import CampaignStatus
from outreach.permissions import coordinates_programme


def can_manage_campaigns(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_coordinator)


def can_manage_campaign(user, campaign) -> bool:
    return coordinates_programme(user, campaign.programme)


def can_edit_campaign(user, campaign) -> bool:
    return campaign.status == CampaignStatus.DRAFT and can_manage_campaign(user, campaign)

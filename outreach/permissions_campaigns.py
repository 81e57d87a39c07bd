"""Who may do what with information campaigns: pure functions (a query for the role lookup).

Coordinators write and send the campaigns of the programmes of their structures; mentors and
beneficiaries have no campaign pages (403); a campaign of another structure is a 404."""

from accounts.rules import can, holds, register_relations
from outreach.enums import CampaignStatus
from outreach.models import Campaign

register_relations(
    Campaign, coordinator_of=lambda user, c: holds(user, "coordinator_of", c.programme)
)


def can_manage_campaigns(user) -> bool:
    return can(user, "campaign.list")


def can_manage_campaign(user, campaign) -> bool:
    return can(user, "campaign.manage", campaign)


def can_edit_campaign(user, campaign) -> bool:
    return campaign.status == CampaignStatus.DRAFT and can_manage_campaign(user, campaign)

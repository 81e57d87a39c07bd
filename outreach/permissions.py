"""Who may do what in outreach: pure functions, no query unless said.

Network showcase (issue 8):
- every coordinator and mentor of the network (any support structure on the platform) browses
  the project cards whose beneficiary currently consents to the relay; the public sees those
  marked public;
- a card is written by the people who follow the beneficiary (coordinators of the structure,
  the active referent mentor): beneficiaires.permissions.can_follow_beneficiary;
- contact requests reach the coordinators of the card's programme, who alone read them;
- the beneficiary reads their own cards and gives or withdraws their consent themselves.
"""

from accounts.enums import Role
from beneficiaires.permissions import can_follow_beneficiary


def can_browse_showcase(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_coordinator or user.is_mentor)


def can_write_card(user, beneficiary) -> bool:
    return user.is_authenticated and can_follow_beneficiary(user, beneficiary)


def coordinates_programme(user, programme) -> bool:
    """Coordinators of the programme's structure (a query for the role lookup)."""
    return user.is_authenticated and (
        user.is_superuser
        or programme.organization_id in user.organization_ids_with_role(Role.COORDINATOR)
    )


def is_own_record(user, beneficiary) -> bool:
    return (
        user.is_authenticated
        and beneficiary.user_id is not None
        and (beneficiary.user_id == user.pk)
    )

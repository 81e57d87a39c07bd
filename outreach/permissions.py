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

from accounts.rules import can, holds


def can_browse_showcase(user) -> bool:
    return can(user, "showcase.browse")


def can_write_card(user, beneficiary) -> bool:
    return can(user, "beneficiary.follow", beneficiary)


def coordinates_programme(user, programme) -> bool:
    """Coordinators of the programme's structure (a query for the role lookup)."""
    return can(user, "programme.read_contact_requests", programme)


def is_own_record(user, beneficiary) -> bool:
    return holds(user, "self", beneficiary)

"""Who may do what with their own account."""

from accounts.models import User
from accounts.rules import can


def can_use_two_factor(user: User) -> bool:
    """Coordinators, mentors and administrators protect their access with a second factor."""
    return can(user, "account.two_factor")

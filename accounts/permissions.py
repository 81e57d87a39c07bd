"""Who may do what with their own account."""

from accounts.models import User


def can_use_two_factor(user: User) -> bool:
    """Coordinators, mentors and administrators protect their access with a second factor."""
    return user.is_authenticated and (user.is_superuser or user.is_coordinator or user.is_mentor)

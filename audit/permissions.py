"""Who reads the access journal: names for the rules of `accounts.rules.TABLE`."""

from accounts.rules import can


def can_view_audit_journal(user) -> bool:
    """The administrators of an organisation: its coordinators (and superusers)."""
    return can(user, "audit.journal")

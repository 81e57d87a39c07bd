"""Who may do what with needs diagnostics: names for the rules of `accounts.rules.TABLE`.

The rows a person may see at all come from `NeedsDiagnostic.objects.visible_to(user)`; these
rules decide what they may do with them. A diagnostic answers the relations of the person it
is about (the coordinators of their structure, their active referent mentor)."""

from accounts.rules import can, holds, register_relations
from diagnostics.models import NeedsDiagnostic

register_relations(
    NeedsDiagnostic,
    coordinator_of=lambda user, d: holds(user, "coordinator_of", d.beneficiary),
    mentor_of=lambda user, d: holds(user, "mentor_of", d.beneficiary),
)


def is_support_team(user) -> bool:
    return can(user, "diagnostic.view")


def can_view_diagnostic(user, diagnostic) -> bool:
    """The support team reads diagnostics; the beneficiary answers the questionnaire instead
    (the team's notes are not for them). Which rows, comes from `visible_to`."""
    return can(user, "diagnostic.view", diagnostic)


def can_create_diagnostic(user, beneficiary) -> bool:
    """Coordinators of the beneficiary's structure and the beneficiary's referent mentors."""
    return can(user, "diagnostic.write", beneficiary)


def can_edit_diagnostic(user, diagnostic) -> bool:
    return can(user, "diagnostic.write", diagnostic)


def can_enroll_from_diagnostic(user, diagnostic) -> bool:
    """Enrolling is a coordinator's decision (mentors suggest, coordinators confirm)."""
    return can(user, "diagnostic.enroll", diagnostic)

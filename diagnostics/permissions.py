"""Who may do what with needs diagnostics. The rows a person may see at all come from
`NeedsDiagnostic.objects.visible_to(user)`; these rules decide what they may do with them."""

from accounts.enums import Role
from beneficiaires.models import Enrollment


def is_referent_mentor(user, beneficiary) -> bool:
    """Whether `user` is a referent mentor of one of the beneficiary's enrollments."""
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_referent_cache", {})
    if beneficiary.pk not in cache:
        cache[beneficiary.pk] = Enrollment.objects.filter(
            beneficiary_id=beneficiary.pk, referent_mentor_id=user.pk
        ).exists()
    return cache[beneficiary.pk]


def is_coordinator_of(user, beneficiary) -> bool:
    return user.is_superuser or beneficiary.organization_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )


def is_support_team(user) -> bool:
    return user.is_superuser or user.is_coordinator or user.is_mentor


def can_view_diagnostic(user, diagnostic) -> bool:
    """The support team reads diagnostics; the beneficiary answers the questionnaire instead
    (the team's notes are not for them). Which rows, comes from `visible_to`."""
    return is_support_team(user)


def can_create_diagnostic(user, beneficiary) -> bool:
    """Coordinators of the beneficiary's structure and the beneficiary's referent mentors."""
    return is_coordinator_of(user, beneficiary) or is_referent_mentor(user, beneficiary)


def can_edit_diagnostic(user, diagnostic) -> bool:
    return can_create_diagnostic(user, diagnostic.beneficiary)


def can_enroll_from_diagnostic(user, diagnostic) -> bool:
    """Enrolling is a coordinator's decision (mentors suggest, coordinators confirm)."""
    return is_coordinator_of(user, diagnostic.beneficiary)

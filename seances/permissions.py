"""Who may do what with a séance and what hangs from it: one place for the rules that pages,
API and templates share."""

from accounts.enums import Role


def is_seance_mentor(user, seance) -> bool:
    """The séance's mentor or one of its co-mentors."""
    if not user.is_authenticated:
        return False
    if seance.mentor_id == user.pk:
        return True
    return seance.co_mentors.filter(pk=user.pk).exists()


def coordinates_seance(user, seance) -> bool:
    """A coordinator of the organisation that runs the séance's programme (or a superuser)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return seance.offer.programme.organization_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )


def can_edit_seance(user, seance) -> bool:
    """Attendance, records and steps are written by the séance's mentor(s)."""
    return is_seance_mentor(user, seance)


def can_read_confidential(user, seance, beneficiary) -> bool:
    """Confidential notes: the séance's mentor(s) and the beneficiary concerned, nobody else
    (seed 002). Coordinators and superusers are not let in."""
    if not user.is_authenticated:
        return False
    if beneficiary.user_id is not None and beneficiary.user_id == user.pk:
        return True
    return is_seance_mentor(user, seance)


def is_participant(user, seance) -> bool:
    """The person is a beneficiary who took part in the séance."""
    if not user.is_authenticated:
        return False
    return seance.attendances.filter(beneficiary__user=user).exists()

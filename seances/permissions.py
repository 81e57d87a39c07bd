"""Who may do what with a séance and what hangs from it: names for the rules of
`accounts.rules.TABLE`, shared by pages, API and templates.

A séance answers the relations: coordinator of the structure running its programme, its mentor
or co-mentors, and (as "the person it is about") its participants. A confidential note answers
them for the one person it concerns."""

from accounts.enums import Role
from accounts.models import Membership
from accounts.rules import can, holds, register_relations
from programmes.permissions import runs_offer
from seances.models import Availability, ConfidentialNote, GroupSession, Seance


def is_seance_mentor(user, seance) -> bool:
    """The séance's mentor or one of its co-mentors."""
    if not user.is_authenticated:
        return False
    if seance.mentor_id == user.pk:
        return True
    return seance.co_mentors.filter(pk=user.pk).exists()


def _took_part(user, seance) -> bool:
    return seance.attendances.filter(beneficiary__user=user).exists()


def _runs_programme(user, seance) -> bool:
    return seance.offer.programme.organization_id in user.organization_ids_with_role(
        Role.COORDINATOR
    )


register_relations(
    Seance, coordinator_of=_runs_programme, mentor_of=is_seance_mentor, self=_took_part
)
register_relations(
    ConfidentialNote,
    coordinator_of=lambda user, note: _runs_programme(user, note.seance),
    mentor_of=lambda user, note: is_seance_mentor(user, note.seance),
    self=lambda user, note: (
        note.beneficiary.user_id is not None and note.beneficiary.user_id == user.pk
    ),
)


register_relations(
    GroupSession,
    coordinator_of=lambda user, session: holds(user, "coordinator_of", session.offer),
    mentor_of=lambda user, session: (
        session.organiser_id == user.pk or runs_offer(user, session.offer)
    ),
)


def _coordinates_mentor(user, mentor) -> bool:
    return Membership.objects.filter(
        user=mentor,
        role=Role.MENTOR,
        is_active=True,
        organization_id__in=user.organization_ids_with_role(Role.COORDINATOR),
    ).exists()


register_relations(
    Availability,
    # a coordinator of the offer's structure who also coordinates the mentor
    coordinator_of=lambda user, row: (
        holds(user, "coordinator_of", row.offer) and _coordinates_mentor(user, row.mentor)
    ),
    self=lambda user, row: row.mentor_id == user.pk,
)


def coordinates_seance(user, seance) -> bool:
    """A coordinator of the organisation that runs the séance's programme (or a superuser)."""
    return can(user, "seance.coordinate", seance)


def can_edit_seance(user, seance) -> bool:
    """Attendance, records and steps are written by the séance's mentor(s)."""
    return can(user, "seance.edit", seance)


def can_read_confidential(user, seance, beneficiary) -> bool:
    """Confidential notes: the séance's mentor(s) and the beneficiary concerned, nobody else
    (seed 002). Coordinators and superusers are not let in."""
    note = ConfidentialNote(seance=seance, beneficiary=beneficiary)
    return can(user, "seance.read_confidential", note)

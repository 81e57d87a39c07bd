"""Who may do what with beneficiaries: pure functions, no query unless said.

The rules, in one place:
- coordinators of the structure holding a record manage it: edit, prioritise, move in the
  pipeline, log contacts, record consents, merge, import, bulk-edit and export lists;
- a mentor who is the referent of one of the record's *active* enrollments works with that
  person: they may move the record in the pipeline, log contacts and record consents (they are
  the ones meeting the person), but never import, merge, bulk-edit or export lists;
- a beneficiary sees their own page, not the outreach data written about them (stage, priority,
  notes, contact log), which is the team's working material.
"""

from accounts.enums import Role
from accounts.rules import can, register_relations
from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Beneficiary


def coordinates_record(user, beneficiary) -> bool:
    return beneficiary.organization_id in user.organization_ids_with_role(Role.COORDINATOR)


def is_active_referent(user, beneficiary) -> bool:
    """Whether `user` is the referent mentor of one of the record's *active* enrollments.

    List selectors annotate `user_is_referent` so a page of rows costs no query per row."""
    annotated = getattr(beneficiary, "user_is_referent", None)
    if annotated is not None:
        return bool(annotated)
    if not user.is_authenticated or beneficiary.pk is None:
        return False
    return beneficiary.enrollments.filter(
        referent_mentor=user, status__in=ACTIVE_ENROLLMENT_STATUSES
    ).exists()


def is_own_record(user, beneficiary) -> bool:
    return beneficiary.user_id is not None and beneficiary.user_id == user.pk


register_relations(
    Beneficiary,
    coordinator_of=coordinates_record,
    mentor_of=lambda user, beneficiary: user.is_mentor and is_active_referent(user, beneficiary),
    self=is_own_record,
)


def can_list_beneficiaries(user) -> bool:
    return can(user, "beneficiary.list")


def can_manage_beneficiary(user, beneficiary) -> bool:
    """Coordinators of the structure holding the record may edit it."""
    return can(user, "beneficiary.manage", beneficiary)


def can_follow_beneficiary(user, beneficiary) -> bool:
    """Coordinators of the structure, or the person's active referent mentor."""
    return can(user, "beneficiary.follow", beneficiary)


def can_view_outreach(user, beneficiary) -> bool:
    """Stage, priority, notes and contact log: the team's working data, not the beneficiary's."""
    return can(user, "beneficiary.view_outreach", beneficiary)


def can_create_beneficiary(user) -> bool:
    return can(user, "beneficiary.create")


def can_edit_beneficiary(user, beneficiary) -> bool:
    return can(user, "beneficiary.manage", beneficiary)


def can_change_beneficiary_stage(user, beneficiary) -> bool:
    return can(user, "beneficiary.follow", beneficiary)


def can_set_beneficiary_priority(user, beneficiary) -> bool:
    """Prioritising the outreach list is the coordinator's call (DOMAIN.md: who uses it)."""
    return can(user, "beneficiary.manage", beneficiary)


def can_log_contact(user, beneficiary) -> bool:
    return can(user, "beneficiary.follow", beneficiary)


def can_record_consent(user, beneficiary) -> bool:
    return can(user, "beneficiary.follow", beneficiary)


def can_bulk_edit_beneficiaries(user) -> bool:
    return can(user, "beneficiary.bulk")


def can_export_beneficiaries(user) -> bool:
    """A list export takes personal data out of the platform: coordinators only."""
    return can(user, "beneficiary.bulk")


def can_import_beneficiaries(user) -> bool:
    return can(user, "beneficiary.bulk")


def can_merge_beneficiaries(user, keep=None, remove=None) -> bool:
    """Coordinators merge records of their own structure; without records: may open the page."""
    if not can(user, "beneficiary.bulk"):
        return False
    return all(
        record is None or can(user, "beneficiary.manage", record) for record in (keep, remove)
    )

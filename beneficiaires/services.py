"""Writes on beneficiaries and enrollments."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from beneficiaires.models import Beneficiary, Enrollment
from programmes.enums import ProgrammeStatus
from programmes.models import Offer
from programmes.permissions import can_manage_programme


def enrollment_create(
    *,
    beneficiary: Beneficiary,
    offer: Offer,
    referent_mentor=None,
    started_on: datetime.date | None = None,
    acting_user,
) -> Enrollment:
    """Enroll a beneficiary in an offer; one active enrollment per offer, held by the database."""
    programme = offer.programme
    if not can_manage_programme(acting_user, programme):
        raise PermissionDenied
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("This programme is closed: no new enrollment is possible."))
    if beneficiary.organization_id != programme.organization_id:
        raise ValidationError(_("This beneficiary is followed by another structure."))
    if (
        referent_mentor is not None
        and not referent_mentor.memberships.filter(
            organization_id=programme.organization_id, role=Role.MENTOR, is_active=True
        ).exists()
    ):
        raise ValidationError(_("The referent mentor must be a mentor of the structure."))
    try:
        with transaction.atomic():
            return Enrollment.objects.create(
                beneficiary=beneficiary,
                offer=offer,
                referent_mentor=referent_mentor,
                started_on=started_on or timezone.localdate(),
                created_by=acting_user,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This beneficiary is already enrolled in this offer."), code="duplicate"
        ) from exc

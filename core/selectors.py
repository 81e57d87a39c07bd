"""What each role's home shows; every query starts from visible_to()."""

from django.db.models import Count, Q

from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES
from beneficiaires.models import Beneficiary, Enrollment
from programmes.models import Programme


def coordinator_home(user) -> dict:
    programmes = (
        Programme.objects.managed_by(user)
        .select_related("organization")
        .annotate(
            offer_count=Count("offers", distinct=True),
            active_enrollment_count=Count(
                "offers__enrollments",
                filter=Q(offers__enrollments__status__in=ACTIVE_ENROLLMENT_STATUSES),
                distinct=True,
            ),
        )
        .order_by("status", "-start_date")
    )
    return {
        "programmes": programmes,
        "beneficiary_count": Beneficiary.objects.visible_to(user).count(),
    }


def mentor_home(user) -> dict:
    enrollments = (
        Enrollment.objects.filter(referent_mentor=user)
        .active()
        .select_related("beneficiary", "offer__programme")
        .order_by("beneficiary__name")
    )
    return {"enrollments": enrollments}


def beneficiary_home(user) -> dict:
    beneficiary = user.beneficiary_profile
    enrollments = (
        Enrollment.objects.filter(beneficiary=beneficiary)
        .select_related("offer__programme", "referent_mentor")
        .order_by("-started_on")
    )
    return {"beneficiary": beneficiary, "enrollments": enrollments}

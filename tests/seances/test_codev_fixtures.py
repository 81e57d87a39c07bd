"""Fixtures of the co-development and logbook tests: modules load them with
`pytest_plugins = ["tests.seances.test_codev_fixtures"]`.

A co-development group (offer of kind codevelopment, mode group) of `programme` run by
`mentor`; a séance of it where beneficiaries A and B and a third person, Chloé, were present
and Damien was excused."""

import pytest

from programmes.enums import OfferKind, OfferMode
from seances.enums import AttendanceStatus, SeanceKind
from seances.services import codev
from tests.factories import BeneficiaryFactory, EnrollmentFactory, OfferFactory, UserFactory
from tests.seances.conftest import AttendanceFactory, SeanceFactory

__all__ = ["run_to_step"]


@pytest.fixture
def codev_offer(programme, mentor):
    offer = OfferFactory(
        programme=programme,
        kind=OfferKind.CODEVELOPMENT,
        mode=OfferMode.GROUP,
        capacity=12,
        title="Club managers",
    )
    offer.mentors.add(mentor)
    return offer


@pytest.fixture
def chloe(organization, codev_offer, mentor):
    person = BeneficiaryFactory(organization=organization, name="Chloé Martin", user=UserFactory())
    EnrollmentFactory(beneficiary=person, offer=codev_offer, referent_mentor=mentor)
    return person


@pytest.fixture
def codev_seance(codev_offer, mentor, beneficiary, other_beneficiary, chloe, organization):
    seance = SeanceFactory(
        kind=SeanceKind.CODEVELOPMENT, offer=codev_offer, mentor=mentor, duration_minutes=120
    )
    for person in (beneficiary, other_beneficiary, chloe):
        AttendanceFactory(seance=seance, beneficiary=person)
    damien = BeneficiaryFactory(organization=organization, name="Damien Roux", user=UserFactory())
    AttendanceFactory(seance=seance, beneficiary=damien, status=AttendanceStatus.EXCUSED)
    return seance


def run_to_step(seance, mentor, client, step: int, topic: str = "Comment déléguer ?"):
    """Prepare the séance with `client` and advance it to `step` (0…7)."""
    codev.codev_prepare(seance=seance, client=client, topic=topic, acting_user=mentor)
    for number in range(step):
        codev.codev_next_step(seance=seance, notes=f"Notes de l'étape {number}", acting_user=mentor)
    seance.refresh_from_db()
    return seance

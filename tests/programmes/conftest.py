"""Fixtures for the programme pages: a draft programme, a second support structure."""

import datetime

import pytest

from accounts.enums import Role
from programmes.enums import ProgrammeStatus
from tests.factories import MembershipFactory, OrganizationFactory, ProgrammeFactory


@pytest.fixture
def draft_programme(organization, coordinator):
    programme = ProgrammeFactory(
        organization=organization,
        status=ProgrammeStatus.DRAFT,
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    programme.coordinators.add(coordinator)
    return programme


@pytest.fixture
def second_organization(coordinator):
    """Another structure that `coordinator` also coordinates."""
    organization = OrganizationFactory(name="Réseau voisin")
    MembershipFactory(user=coordinator, organization=organization, role=Role.COORDINATOR)
    coordinator.__dict__.pop("_role_cache", None)
    return organization

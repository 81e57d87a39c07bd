"""Persona fixtures shared by every test, and the rules for tests needing real services."""

import os

import pytest
from django.db import connection

from accounts.enums import Role
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    MembershipFactory,
    OfferFactory,
    OrganizationFactory,
    ProgrammeFactory,
    ThemeFactory,
    UserFactory,
)

# Playwright drives the browser from an event loop in the main thread; Django's
# synchronous ORM calls from fixtures are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Tests needing PostgreSQL or Redis are skipped, with the reason, when they are absent."""
    on_postgres = connection.vendor == "postgresql"
    has_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
            )
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://…"))


def pytest_sessionfinish(session, exitstatus):
    """In CI (FAIL_ON_SKIP=1) a skipped test is a failure: nothing may hide there."""
    if not os.environ.get("FAIL_ON_SKIP"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"FAIL_ON_SKIP: {len(skipped)} test(s) skipped; CI requires every test to run.",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Maison des projets")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Autre structure")


@pytest.fixture
def coordinator(organization):
    return MembershipFactory(organization=organization, role=Role.COORDINATOR).user


@pytest.fixture
def other_organization_coordinator(other_organization):
    return MembershipFactory(organization=other_organization, role=Role.COORDINATOR).user


@pytest.fixture
def mentor(organization):
    return MembershipFactory(organization=organization, role=Role.MENTOR).user


@pytest.fixture
def other_mentor(organization):
    return MembershipFactory(organization=organization, role=Role.MENTOR).user


@pytest.fixture
def programme(organization, coordinator):
    programme = ProgrammeFactory(organization=organization)
    programme.coordinators.add(coordinator)
    return programme


@pytest.fixture
def offer(programme, mentor, other_mentor):
    offer = OfferFactory(programme=programme)
    offer.mentors.add(mentor, other_mentor)
    return offer


@pytest.fixture
def beneficiary(organization, offer, mentor):
    """Beneficiary A: has an account, enrolled with `mentor` as referent."""
    beneficiary = BeneficiaryFactory(organization=organization, user=UserFactory())
    EnrollmentFactory(beneficiary=beneficiary, offer=offer, referent_mentor=mentor)
    return beneficiary


@pytest.fixture
def other_beneficiary(organization, offer, other_mentor):
    """Beneficiary B: same programme, followed by `other_mentor`."""
    beneficiary = BeneficiaryFactory(organization=organization, user=UserFactory())
    EnrollmentFactory(beneficiary=beneficiary, offer=offer, referent_mentor=other_mentor)
    return beneficiary


@pytest.fixture
def admin(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def themes(organization):
    """Three need themes of the structure."""
    return [
        ThemeFactory(organization=organization, name=name)
        for name in ("Gouvernance associative", "Financement", "Mobilisation des habitants")
    ]


@pytest.fixture
def partner(db, organization):
    """A partner structure of the network, maintained by `organization`."""
    return OrganizationFactory(partner=True, name="Centre social des Pentes", steward=organization)

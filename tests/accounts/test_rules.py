"""The permission table itself: how rules combine, who holds which role, and that the printed
table and the code agree."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from accounts.enums import Role
from accounts.management.commands.permission_table import render_table
from accounts.rules import TABLE, can, holds
from tests.factories import BeneficiaryFactory, MembershipFactory, OrganizationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "audit",
    "beneficiaires",
    "core",
    "diagnostics",
    "evaluation",
    "notifications",
    "outreach",
    "partners",
    "privacy",
    "programmes",
    "seances",
]


def test_the_documented_table_is_the_code():
    out = io.StringIO()
    call_command("permission_table", stdout=out)
    assert out.getvalue() == render_table()
    assert (ROOT / "docs" / "permissions.md").read_text() == render_table(), (
        "docs/permissions.md is stale: python manage.py permission_table > docs/permissions.md"
    )


def test_every_rule_is_asked_somewhere():
    """No dead rule: each action of the table is named by a page, an API module, a template or
    a permissions module."""
    sources = "\n".join(
        path.read_text()
        for app in [*APPS, "templates"]
        for path in (ROOT / app).rglob("*")
        if path.suffix in {".py", ".html"} and path.name != "rules.py" and path.is_file()
    )
    unused = [action for action in TABLE if not re.search(rf'"{re.escape(action)}"', sources)]
    assert unused == []


def test_unknown_action_is_a_programming_error(db):
    with pytest.raises(KeyError):
        can(UserFactory(), "beneficiary.teleport")


def test_anonymous_holds_no_role_and_no_relation(db):
    anonymous = AnonymousUser()
    beneficiary = BeneficiaryFactory()
    assert not any(can(anonymous, action, beneficiary) for action in TABLE)


def test_object_relations_need_an_object(db):
    organization = OrganizationFactory()
    coordinator = MembershipFactory(organization=organization, role=Role.COORDINATOR).user
    assert can(coordinator, "beneficiary.manage", BeneficiaryFactory(organization=organization))
    assert not can(coordinator, "beneficiary.manage")


def test_coordinator_of_is_about_the_structure_holding_the_record(db):
    organization, other = OrganizationFactory(), OrganizationFactory()
    coordinator = MembershipFactory(organization=organization, role=Role.COORDINATOR).user
    assert holds(coordinator, "coordinator_of", BeneficiaryFactory(organization=organization))
    assert not holds(coordinator, "coordinator_of", BeneficiaryFactory(organization=other))


def test_a_refusing_relation_wins(db):
    """A mentor who is also followed as a beneficiary never reads the team's notes on themself."""
    organization = OrganizationFactory()
    mentor = MembershipFactory(organization=organization, role=Role.MENTOR).user
    someone = BeneficiaryFactory(organization=organization)
    themself = BeneficiaryFactory(organization=organization, user=mentor)
    assert can(mentor, "beneficiary.view_outreach", someone)
    assert not can(mentor, "beneficiary.view_outreach", themself)


def test_a_partner_structure_membership_grants_no_team_role(db):
    """A partner's staff member, even with the coordinator role in the partner structure, is
    neither a coordinator nor a mentor of the network."""
    partner = OrganizationFactory(partner=True)
    staff = MembershipFactory(organization=partner, role=Role.COORDINATOR).user
    assert not staff.is_coordinator
    assert not staff.is_mentor
    assert not any(
        can(staff, action) for action in TABLE if action.endswith((".list", ".create", ".browse"))
    )
    assert not can(staff, "programme.create")
    assert not can(staff, "partner.edit", partner)


def test_superusers_do_not_read_confidential_notes_by_rule():
    rule = TABLE["seance.read_confidential"]
    assert "superuser" not in rule.allow
    assert "coordinator_of" not in rule.allow

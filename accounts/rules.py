"""The permission table: who may do what, in one place (role × action × relation to the object).

Every page, API endpoint and template asks `can(user, action, obj)`; the per-app
``permissions`` modules only give the rules readable names and add the state conditions that
are not about people (a campaign still a draft, a shipped questionnaire read-only).

A rule lists the *relations* that grant an action, and may list relations that refuse it
whatever else holds. Relations are of two kinds:

- roles, known without an object: anyone, a logged-in person, a superuser, a coordinator or a
  mentor of a support structure (a membership in a partner structure is neither), a person who
  has a beneficiary record;
- relations to the object, answered by resolvers that each app registers for its models
  (`register_relations`): the coordinator of the structure holding the object, the mentor who
  works with the person on it, the person the object is about.

Which rows a person sees at all is SQL (`QuerySet.visible_to`); the table says what they may do
with a row they see, and for pages without an object, who may open them. `docs/permissions.md`
is printed from this table by ``python manage.py permission_table``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Relation(StrEnum):
    ANYONE = "anyone"
    AUTHENTICATED = "authenticated"
    SUPERUSER = "superuser"
    COORDINATOR = "coordinator"
    MENTOR = "mentor"
    BENEFICIARY = "beneficiary"
    # relations to the object
    COORDINATOR_OF = "coordinator_of"
    MENTOR_OF = "mentor_of"
    SELF = "self"


OBJECT_RELATIONS = frozenset({Relation.COORDINATOR_OF, Relation.MENTOR_OF, Relation.SELF})

RELATION_LABELS = {
    Relation.ANYONE: "anyone, logged in or not",
    Relation.AUTHENTICATED: "any logged-in person",
    Relation.SUPERUSER: "a platform administrator (superuser)",
    Relation.COORDINATOR: "a coordinator of a support structure",
    Relation.MENTOR: "a mentor of a support structure",
    Relation.BENEFICIARY: "a person with a beneficiary record",
    Relation.COORDINATOR_OF: "a coordinator of the structure holding the object",
    Relation.MENTOR_OF: "the mentor working with the person on the object",
    Relation.SELF: "the person the object is about",
}


@dataclass(frozen=True)
class Rule:
    # Tuples, not sets: relations are checked in the order written, the same in every
    # process (a set's order follows the hash seed, and some checks cost a query).
    allow: tuple[Relation, ...]
    deny: tuple[Relation, ...] = ()
    why: str = ""


def rule(*allow: Relation, deny: tuple[Relation, ...] = (), why: str = "") -> Rule:
    return Rule(tuple(allow), tuple(deny), why)


R = Relation
TEAM = (R.SUPERUSER, R.COORDINATOR, R.MENTOR)
COORDINATORS = (R.SUPERUSER, R.COORDINATOR)
HOLDER = (R.SUPERUSER, R.COORDINATOR_OF)

TABLE: dict[str, Rule] = {
    # accounts
    "account.two_factor": rule(*TEAM, why="people who read others' personal data"),
    # programmes and offers
    "programme.list": rule(*TEAM),
    "programme.create": rule(*COORDINATORS),
    "programme.manage": rule(*HOLDER, why="edit, open, close, duplicate, pilotage"),
    "programme.view_evaluation": rule(*HOLDER, why="dashboard, exports, report"),
    "programme.read_contact_requests": rule(*HOLDER),
    "organization.act_for": rule(*HOLDER, why="create programmes, themes in a structure"),
    "theme.list": rule(*COORDINATORS),
    "theme.manage": rule(*HOLDER),
    # beneficiaries and outreach
    "beneficiary.list": rule(*TEAM),
    "beneficiary.create": rule(*COORDINATORS),
    "beneficiary.manage": rule(*HOLDER, why="edit, priority, erasure"),
    "beneficiary.follow": rule(
        *HOLDER, R.MENTOR_OF, why="pipeline stage, contacts, consents, diagnostics, cards"
    ),
    "beneficiary.view_outreach": rule(
        *HOLDER, R.MENTOR, deny=(R.SELF,), why="the team's working notes, not the person's"
    ),
    "beneficiary.bulk": rule(*COORDINATORS, why="bulk edit, CSV import and export, merge"),
    "beneficiary.erase": rule(*HOLDER),
    "beneficiary.own_data": rule(R.SELF, why="download, rectify"),
    "retention.manage": rule(*COORDINATORS),
    # needs diagnostics
    "diagnostic.view": rule(*TEAM, why="rows from visible_to; never the beneficiary"),
    "diagnostic.write": rule(*HOLDER, R.MENTOR_OF),
    "diagnostic.enroll": rule(*HOLDER, why="mentors suggest, coordinators decide"),
    # partner network
    "partner.list": rule(*TEAM, why="the directory is shared by the network's teams"),
    "partner.create": rule(*COORDINATORS),
    "partner.edit": rule(*HOLDER, why="the steward structure keeps the entry"),
    "referral.list": rule(*TEAM),
    "referral.write": rule(*HOLDER, R.MENTOR_OF, why="send, record the partner's answer"),
    # agenda
    "agenda.view": rule(*TEAM, why="mentors' weeks, group sessions"),
    "agenda.coordinate": rule(*COORDINATORS, why="booking on behalf, all mentors' weeks"),
    "calendar.subscribe": rule(R.MENTOR, R.BENEFICIARY),
    "appointment.book": rule(*TEAM, R.BENEFICIARY, why="oneself, or on behalf (per person)"),
    "group_session.create": rule(*HOLDER, R.MENTOR_OF, why="on an offer: its mentors"),
    "group_session.manage": rule(*HOLDER, R.MENTOR_OF, why="its organiser, the offer's mentors"),
    "availability.manage": rule(*HOLDER, R.SELF, why="the mentor whose week it is"),
    # séances and their records
    "seance.list": rule(*TEAM, R.BENEFICIARY, why="rows from visible_to"),
    "seance.create": rule(R.MENTOR),
    "seance.show_names": rule(*TEAM),
    "seance.edit": rule(R.MENTOR_OF, why="attendance, records, steps: the séance's mentors"),
    "seance.coordinate": rule(*HOLDER),
    # The person concerned first: that check costs no query, the mentor's one does.
    "seance.read_confidential": rule(
        R.SELF, R.MENTOR_OF, why="between mentor and beneficiary only (seed 002)"
    ),
    "logbook.read_shared": rule(R.MENTOR),
    # evaluation
    "questionnaire.list": rule(*COORDINATORS),
    "questionnaire.manage": rule(*HOLDER),
    "evaluation.answer": rule(R.BENEFICIARY, R.MENTOR, why="mentors enter answers given by phone"),
    # showcase and campaigns
    "showcase.browse": rule(*TEAM),
    "showcase.moderate": rule(*COORDINATORS),
    "campaign.list": rule(*COORDINATORS),
    "campaign.manage": rule(*HOLDER),
    # audit journal
    "audit.journal": rule(*COORDINATORS, why="the organisation's administrators"),
}

Resolver = Callable[[object, models.Model], bool]
_RESOLVERS: dict[str, dict[Relation, Resolver]] = {}


def register_relations(model: type[models.Model], **resolvers: Resolver) -> None:
    """An app says how its model answers the object relations (keys: Relation values)."""
    _RESOLVERS[model._meta.label_lower] = {Relation(name): fn for name, fn in resolvers.items()}


def _has_role(user, relation: Relation) -> bool:
    if relation is Relation.ANYONE:
        return True
    if not user.is_authenticated:
        return False
    match relation:
        case Relation.AUTHENTICATED:
            return True
        case Relation.SUPERUSER:
            return user.is_superuser
        case Relation.COORDINATOR:
            return user.is_coordinator
        case Relation.MENTOR:
            return user.is_mentor
        case Relation.BENEFICIARY:
            return user.is_beneficiary
    raise ValueError(relation)


def holds(user, relation: Relation | str, obj: models.Model | None) -> bool:
    """Whether `user` stands in `relation` (to `obj` for the object relations)."""
    relation = Relation(relation)
    if relation not in OBJECT_RELATIONS:
        return _has_role(user, relation)
    if obj is None or not user.is_authenticated:
        return False
    resolver = _RESOLVERS.get(obj._meta.label_lower, {}).get(relation)
    return bool(resolver and resolver(user, obj))


def can(user, action: str, obj: models.Model | None = None) -> bool:
    """The one question pages, API and templates ask. Unknown actions are programming errors."""
    entry = TABLE[action]
    if any(holds(user, relation, obj) for relation in entry.deny):
        return False
    return any(holds(user, relation, obj) for relation in entry.allow)


def registered_relations() -> dict[str, frozenset[Relation]]:
    """Model label → the object relations it answers (for the printed table and its test)."""
    return {label: frozenset(resolvers) for label, resolvers in sorted(_RESOLVERS.items())}

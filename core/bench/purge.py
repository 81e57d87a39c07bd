"""Find and delete the bench dataset, and only it: the support structures named "Banc d'essai …",
the users @bench.example.org, and every row hanging from them.

The large tables are emptied with one DELETE each (no row is loaded in Python). Rows of other
tables that point at a bench row (written by a load test, say) follow their foreign key's
rule through the ORM: set to NULL, or deleted. Foreign keys are checked at commit, so the
order below only has to delete children before the parents their filters go through."""

from django.db import models
from django.db.models import Q

from accounts.models import Membership, Organization, User
from beneficiaires.models import Beneficiary, Consent, ContactLog, Enrollment
from core.bench.plan import BENCH_EMAIL_DOMAIN, BENCH_ORGANIZATION_PREFIX
from diagnostics.models import Need, NeedsDiagnostic
from evaluation.models import Answer, Invitation, Question, Questionnaire, Response
from notifications.models import Notification
from programmes.models import Offer, Programme, Theme
from seances.models import (
    ActionItem,
    Appointment,
    Attendance,
    Availability,
    AvailabilityException,
    ClosingRecord,
    CodevStep,
    GroupSession,
    HotlineCall,
    Registration,
    Seance,
)

ORG = Q(name__startswith=BENCH_ORGANIZATION_PREFIX)
USER_EMAIL = f"@{BENCH_EMAIL_DOMAIN}"


def _org(path: str) -> Q:
    return Q(**{f"{path}__name__startswith": BENCH_ORGANIZATION_PREFIX})


def bench_tables() -> list[tuple[type[models.Model], Q]]:
    """Each table the seeder writes, leaves first, with the filter of its bench rows."""
    offer = "offer__programme__organization"
    return [
        (
            Notification,
            _org("organization")
            | _org("programme__organization")
            | Q(to_address__endswith=USER_EMAIL),
        ),
        (Answer, _org("response__programme__organization")),
        (Response, _org("programme__organization") | _org("beneficiary__organization")),
        (
            Invitation,
            _org("questionnaire__programme__organization") | _org("beneficiary__organization"),
        ),
        (Question, _org("questionnaire__programme__organization")),
        (Questionnaire, _org("programme__organization") | _org("organization")),
        (ActionItem, _org("beneficiary__organization")),
        (ClosingRecord, _org(f"seance__{offer}") | _org("beneficiary__organization")),
        (CodevStep, _org(f"seance__{offer}")),
        (HotlineCall, _org(f"seance__{offer}")),
        (Attendance, _org(f"seance__{offer}") | _org("beneficiary__organization")),
        (Seance.co_mentors.through, _org(f"seance__{offer}")),
        (Seance, _org(offer)),
        (Registration, _org(f"session__{offer}") | _org("beneficiary__organization")),
        (GroupSession, _org(offer)),
        (Appointment, _org(offer) | _org("beneficiary__organization")),
        (Availability, _org(offer)),
        (AvailabilityException, Q(mentor__email__endswith=USER_EMAIL)),
        (Need, _org("diagnostic__beneficiary__organization")),
        (NeedsDiagnostic, _org("beneficiary__organization")),
        (Consent, _org("beneficiary__organization")),
        (ContactLog, _org("beneficiary__organization")),
        (Enrollment, _org("beneficiary__organization") | _org(offer)),
        (Beneficiary, _org("organization")),
        (Offer.mentors.through, _org("offer__programme__organization")),
        (Offer.themes.through, _org("offer__programme__organization")),
        (Offer, _org("programme__organization")),
        (Programme.coordinators.through, _org("programme__organization")),
        (Programme.partner_organizations.through, _org("programme__organization")),
        (Programme, _org("organization")),
        (Theme.mentors.through, _org("theme__organization")),
        (Theme.partners.through, _org("theme__organization")),
        (Theme, _org("organization")),
        (Membership, _org("organization") | Q(user__email__endswith=USER_EMAIL)),
        (Organization, ORG),
        (User, Q(email__endswith=USER_EMAIL)),
    ]


def bench_exists() -> bool:
    return (
        Organization.objects.filter(ORG).exists()
        or User.objects.filter(email__endswith=USER_EMAIL).exists()
    )


def purge_bench(write=None) -> int:
    """Delete the bench dataset (call inside a transaction); returns the rows deleted."""
    tables = bench_tables()
    managed = {model for model, _ in tables}
    deleted = 0
    for model, condition in tables:
        rows = model._base_manager.filter(condition)
        _release_foreign_rows(model, rows, managed)
        count = rows._raw_delete(rows.db)
        deleted += count
        if write is not None and count:
            write(f"  deleted {count:>9,} {model._meta.db_table}")
    return deleted


def _release_foreign_rows(model, rows, managed) -> None:
    """Rows of tables the seeder does not write that point at rows about to go."""
    # include_hidden: foreign keys declared with related_name="+" (the audit journal's) too.
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        related = relation.related_model
        if related in managed or relation.many_to_many or not relation.field.concrete:
            continue
        on_delete = relation.on_delete
        if on_delete is models.DO_NOTHING:
            continue
        pointing = related._base_manager.filter(**{f"{relation.field.name}__in": rows.values("pk")})
        if on_delete is models.SET_NULL:
            pointing.update(**{relation.field.name: None})
        else:
            pointing.delete()

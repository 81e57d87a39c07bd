"""Reads on beneficiaries that cross models: the outreach list, the board, duplicates."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from accounts.enums import Role
from accounts.models import Organization
from beneficiaires.enums import ACTIVE_ENROLLMENT_STATUSES, OutreachStage
from beneficiaires.models import Beneficiary, ContactLog, Enrollment
from programmes.models import Programme

BOARD_COLUMN_SIZE = 50


def normalize_name(value: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for duplicate detection."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in letters.casefold()).split()
    return " ".join(words)


def with_outreach(
    queryset: QuerySet[Beneficiary], user, *, last_contact: bool = True
) -> QuerySet[Beneficiary]:
    """Add what the table, the board and the export print, without a query per row.

    `last_contact_at` is the latest contact log entry; `user_is_referent` tells the
    permission functions whether `user` follows the person in an active enrollment."""
    referent = Enrollment.objects.filter(
        beneficiary=OuterRef("pk"),
        referent_mentor_id=user.pk,
        status__in=ACTIVE_ENROLLMENT_STATUSES,
    )
    queryset = queryset.select_related("organization", "programme").annotate(
        user_is_referent=Exists(referent)
    )
    if last_contact:
        # A subquery on the (beneficiary, -contacted_at) index rather than a join and GROUP BY:
        # sorted by name, PostgreSQL reads it for the page's rows only, not for every record.
        latest = ContactLog.objects.filter(beneficiary=OuterRef("pk")).order_by("-contacted_at")
        queryset = queryset.annotate(last_contact_at=Subquery(latest.values("contacted_at")[:1]))
    return queryset


def manageable_beneficiaries(user) -> QuerySet[Beneficiary]:
    """Records `user` may edit: those of the structures they coordinate (all, for an admin)."""
    queryset = Beneficiary.objects.visible_to(user)
    if user.is_superuser:
        return queryset
    return queryset.filter(organization_id__in=user.organization_ids_with_role(Role.COORDINATOR))


def visible_programmes(user) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user).order_by("title", "pk")


def managed_programmes(user) -> QuerySet[Programme]:
    return Programme.objects.managed_by(user).select_related("organization").order_by("title", "pk")


def organization_mentors(user):
    """Mentors of the structures `user` coordinates (every active mentor, for an admin)."""
    memberships = {"memberships__role": Role.MENTOR, "memberships__is_active": True}
    if not user.is_superuser:
        memberships["memberships__organization_id__in"] = user.organization_ids_with_role(
            Role.COORDINATOR
        )
    return (
        get_user_model()
        .objects.filter(**memberships)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


def outreach_board(queryset: QuerySet[Beneficiary], user, limit: int = BOARD_COLUMN_SIZE):
    """Columns by stage, each holding at most `limit` cards, in two queries whatever the size.

    `queryset` is the filtered list without annotations. A window function numbers the cards
    inside each stage and filtering on it keeps the first `limit` of each column (SQLite
    ≥ 3.25 and PostgreSQL both have ROW_NUMBER)."""
    ordering = [F("priority").asc(), F("name").asc(), F("pk").asc()]
    cards = (
        with_outreach(queryset, user, last_contact=False)
        .annotate(board_rank=Window(RowNumber(), partition_by=[F("stage")], order_by=ordering))
        .filter(board_rank__lte=limit)
        .order_by("stage", "board_rank")
    )
    totals = dict(queryset.order_by().values_list("stage").annotate(n=Count("pk")))
    by_stage: dict[str, list] = {stage: [] for stage in OutreachStage.values}
    for card in cards:
        by_stage[card.stage].append(card)
    return [
        BoardColumn(stage=value, label=label, cards=by_stage[value], total=totals.get(value, 0))
        for value, label in OutreachStage.choices
    ]


def find_likely_duplicates(
    *,
    organization: Organization,
    name: str,
    email: str,
    postal_code: str,
    exclude: Beneficiary | None = None,
) -> list[Beneficiary]:
    """Records of the structure that look like the same actor: same email (any case), or the
    same name (ignoring case and accents) with the same postal code."""
    email = (email or "").strip()
    postal_code = (postal_code or "").strip()
    wanted_name = normalize_name(name)
    if not email and not (wanted_name and postal_code):
        return []
    condition = Q()
    if email:
        condition |= Q(email__iexact=email)
    if wanted_name and postal_code:
        condition |= Q(postal_code=postal_code)
    candidates = Beneficiary.objects.filter(condition, organization=organization).order_by(
        "name", "pk"
    )
    if exclude is not None and exclude.pk:
        candidates = candidates.exclude(pk=exclude.pk)
    return [
        candidate
        for candidate in candidates.select_related("programme")
        if (email and candidate.email.lower() == email.lower())
        or (
            postal_code
            and candidate.postal_code == postal_code
            and normalize_name(candidate.name) == wanted_name
        )
    ]


@dataclass(frozen=True)
class DuplicateKeys:
    """What the import compares new rows against: emails and (name, postal code) pairs."""

    emails: frozenset[str]
    names: frozenset[tuple[str, str]]


def existing_duplicate_keys(organization: Organization) -> DuplicateKeys:
    """The keys of every record of the structure, read in one query."""
    rows = Beneficiary.objects.filter(organization=organization).values_list(
        "name", "email", "postal_code"
    )
    emails, names = set(), set()
    for name, email, postal_code in rows.iterator(chunk_size=2000):
        if email:
            emails.add(email.lower())
        if postal_code:
            names.add((normalize_name(name), postal_code))
    return DuplicateKeys(emails=frozenset(emails), names=frozenset(names))

"""Reads that cross models: offer recommendations and mentor suggestions from a diagnostic.

Every function runs a constant number of queries, whatever the number of offers, themes or
mentors: rows are fetched in bulk and combined in memory.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.enums import Role
from accounts.models import Membership, User
from beneficiaires.enums import Priority
from beneficiaires.models import Beneficiary, Enrollment
from diagnostics.models import Need, NeedsDiagnostic
from diagnostics.territory import same_territory
from programmes.enums import ProgrammeStatus
from programmes.models import Offer, Theme

# A need's weight in the ranking, by priority.
PRIORITY_WEIGHTS = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}

# Mentor score: points per weighted theme in common, for the same territory, and for a light
# load (the bonus shrinks by LOAD_STEP per beneficiary already followed, down to zero at ten).
# Expertise weighs most; territory and load separate mentors of similar expertise.
THEME_POINTS = 10
TERRITORY_POINTS = 15
LOAD_BONUS = 20
LOAD_STEP = 2


@dataclass
class Recommendation:
    offer: Offer
    score: int
    matched_themes: list[Theme]
    already_enrolled: bool = False
    suggestions: list["Suggestion"] = field(default_factory=list)


@dataclass
class Suggestion:
    mentor: User
    score: int
    themes_in_common: list[Theme]
    load: int
    same_territory: bool
    reasons: list[str]


def weighted_needs(diagnostic: NeedsDiagnostic) -> dict[int, int]:
    """{theme id: weight} of the diagnostic's needs (one query)."""
    return {
        theme_id: PRIORITY_WEIGHTS.get(priority, 1)
        for theme_id, priority in Need.objects.filter(diagnostic=diagnostic).values_list(
            "theme_id", "priority"
        )
    }


def recommend_offers(
    diagnostic: NeedsDiagnostic, *, weights: dict[int, int] | None = None
) -> list[Recommendation]:
    """Open offers of the beneficiary's structure that address the diagnostic's needs, best first:
    the sum of the weights of the themes in common (high 3, medium 2, low 1)."""
    if weights is None:
        weights = weighted_needs(diagnostic)
    if not weights:
        return []
    beneficiary = diagnostic.beneficiary
    score = Sum(
        Case(
            *(
                When(themes__id=theme_id, then=Value(weight))
                for theme_id, weight in weights.items()
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    offers = (
        Offer.objects.filter(open_offer_filter(beneficiary), themes__id__in=list(weights))
        .select_related("programme")
        .annotate(score=score, matched=Count("themes"))
        .prefetch_related(
            Prefetch(
                "themes",
                queryset=Theme.objects.filter(id__in=list(weights)).order_by("name"),
                to_attr="matched_themes",
            )
        )
        .order_by("-score", "-matched", "programme__title", "title", "pk")
    )
    enrolled = set(
        Enrollment.objects.active()
        .filter(beneficiary_id=beneficiary.pk)
        .values_list("offer_id", flat=True)
    )
    return [
        Recommendation(
            offer=offer,
            score=offer.score,
            matched_themes=offer.matched_themes,
            already_enrolled=offer.pk in enrolled,
        )
        for offer in offers
    ]


def free_availability_by_mentor(mentor_ids: Iterable[int]) -> dict[int, int]:
    """Extension point for mentor matching: free hours per mentor in the coming weeks.

    Availability does not exist yet (the booking issue adds it). When it does, return
    {mentor id: free hours} in one query and `suggest_mentors_for_offers` scores it."""
    return {}


def suggest_mentors_for_offers(
    *,
    beneficiary: Beneficiary,
    offers: list[Offer],
    diagnostic: NeedsDiagnostic | None = None,
    weights: dict[int, int] | None = None,
) -> dict[int, list[Suggestion]]:
    """{offer id: ranked suggestions} for several offers at once, in a constant number of queries.

    Candidates are the offer's mentors who are active mentors of the structure (only they can
    be referents); when an offer names none, all the structure's active mentors."""
    if weights is None:
        weights = weighted_needs(diagnostic) if diagnostic is not None else {}
    memberships = (
        Membership.objects.filter(
            organization_id=beneficiary.organization_id, role=Role.MENTOR, is_active=True
        )
        .select_related("user")
        .filter(user__is_active=True)
    )
    territory_of = {m.user_id: m.territory for m in memberships}
    mentors = {m.user_id: m.user for m in memberships}
    if not mentors or not offers:
        return {offer.pk: [] for offer in offers}

    offer_mentors: dict[int, list[int]] = defaultdict(list)
    for offer_id, user_id in Offer.mentors.through.objects.filter(
        offer_id__in=[offer.pk for offer in offers], user_id__in=list(mentors)
    ).values_list("offer_id", "user_id"):
        offer_mentors[offer_id].append(user_id)

    expertise: dict[int, list[Theme]] = defaultdict(list)
    if weights:
        for link in (
            Theme.mentors.through.objects.filter(
                theme_id__in=list(weights), user_id__in=list(mentors)
            )
            .select_related("theme")
            .order_by("theme__name")
        ):
            expertise[link.user_id].append(link.theme)

    loads = dict(
        Enrollment.objects.active()
        .filter(referent_mentor_id__in=list(mentors))
        .values("referent_mentor_id")
        .annotate(n=Count("id"))
        .values_list("referent_mentor_id", "n")
    )
    availability = free_availability_by_mentor(list(mentors))

    suggestions_by_mentor = {
        user_id: _suggestion(
            mentor,
            themes=expertise.get(user_id, []),
            weights=weights,
            load=loads.get(user_id, 0),
            same_place=same_territory_of(territory_of[user_id], beneficiary),
            free_hours=availability.get(user_id),
        )
        for user_id, mentor in mentors.items()
    }
    ranked_all = _ranked(suggestions_by_mentor.values())
    result = {}
    for offer in offers:
        candidate_ids = offer_mentors.get(offer.pk)
        if candidate_ids:
            result[offer.pk] = _ranked(suggestions_by_mentor[i] for i in candidate_ids)
        else:
            result[offer.pk] = ranked_all
    return result


def suggest_mentors(
    *, beneficiary: Beneficiary, offer: Offer, diagnostic: NeedsDiagnostic | None = None
) -> list[Suggestion]:
    """Mentors to follow `beneficiary` in `offer`, best first, each with a score and reasons."""
    return suggest_mentors_for_offers(
        beneficiary=beneficiary, offers=[offer], diagnostic=diagnostic
    )[offer.pk]


def same_territory_of(mentor_territory: str, beneficiary: Beneficiary) -> bool:
    return same_territory(
        mentor_territory, territory=beneficiary.territory, postal_code=beneficiary.postal_code
    )


def _ranked(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    return sorted(
        suggestions,
        key=lambda s: (-s.score, s.load, s.mentor.last_name, s.mentor.first_name, s.mentor.pk),
    )


def _suggestion(
    mentor: User,
    *,
    themes: list[Theme],
    weights: dict[int, int],
    load: int,
    same_place: bool,
    free_hours: int | None,
) -> Suggestion:
    score = THEME_POINTS * sum(weights.get(theme.pk, 0) for theme in themes)
    score += max(0, LOAD_BONUS - LOAD_STEP * load)
    reasons = []
    if themes:
        reasons.append(
            ngettext(
                "%(count)d theme in common: %(themes)s",
                "%(count)d themes in common: %(themes)s",
                len(themes),
            )
            % {"count": len(themes), "themes": ", ".join(theme.name for theme in themes)}
        )
    else:
        reasons.append(_("No theme in common"))
    if same_place:
        score += TERRITORY_POINTS
        reasons.append(_("Same territory"))
    reasons.append(
        ngettext("Follows %(count)d beneficiary", "Follows %(count)d beneficiaries", load)
        % {"count": load}
        if load
        else _("Follows no beneficiary yet")
    )
    if free_hours:
        score += free_hours
        reasons.append(
            ngettext(
                "%(count)d free hour in the coming weeks",
                "%(count)d free hours in the coming weeks",
                free_hours,
            )
            % {"count": free_hours}
        )
    return Suggestion(
        mentor=mentor,
        score=score,
        themes_in_common=themes,
        load=load,
        same_territory=same_place,
        reasons=reasons,
    )


def diagnostics_of_beneficiary(user, beneficiary: Beneficiary):
    """The beneficiary's diagnostics `user` may see, newest first, with their number of needs."""
    return (
        NeedsDiagnostic.objects.visible_to(user)
        .filter(beneficiary_id=beneficiary.pk)
        .select_related("conducted_by")
        .annotate(needs_count=Count("needs", distinct=True))
        .order_by("-held_on", "-pk")
    )


def open_offer_filter(beneficiary: Beneficiary) -> Q:
    return Q(
        is_active=True,
        programme__status=ProgrammeStatus.OPEN,
        programme__organization_id=beneficiary.organization_id,
    )

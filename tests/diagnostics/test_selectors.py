import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.enums import Role
from beneficiaires.enums import EnrollmentStatus, Priority
from diagnostics.selectors import recommend_offers, suggest_mentors
from programmes.enums import ProgrammeStatus
from tests.diagnostics.conftest import NeedFactory, NeedsDiagnosticFactory
from tests.factories import (
    BeneficiaryFactory,
    EnrollmentFactory,
    MembershipFactory,
    OfferFactory,
    ProgrammeFactory,
    ThemeFactory,
)


@pytest.fixture
def person(organization):
    """A beneficiary of the structure, not enrolled anywhere yet, in Lyon 3e."""
    return BeneficiaryFactory(organization=organization, postal_code="69003", territory="Lyon 3e")


@pytest.fixture
def needs_diagnostic(person, themes):
    """Needs: governance high (3), funding medium (2), mobilisation low (1)."""
    diagnostic = NeedsDiagnosticFactory(beneficiary=person)
    for theme, priority in zip(themes, [Priority.HIGH, Priority.MEDIUM, Priority.LOW], strict=True):
        NeedFactory(diagnostic=diagnostic, theme=theme, priority=priority)
    return diagnostic


def offer_with(programme, *themes, **kwargs):
    offer = OfferFactory(programme=programme, **kwargs)
    offer.themes.set(themes)
    return offer


def mentor_of(organization, *, territory="", themes=(), active=True):
    membership = MembershipFactory(
        organization=organization, role=Role.MENTOR, territory=territory, is_active=active
    )
    for theme in themes:
        theme.mentors.add(membership.user)
    return membership.user


def give_load(mentor, count, organization):
    for _ in range(count):
        EnrollmentFactory(
            beneficiary=BeneficiaryFactory(organization=organization),
            offer=OfferFactory(programme=ProgrammeFactory(organization=organization)),
            referent_mentor=mentor,
        )


# --- recommend_offers --------------------------------------------------------------------------


@pytest.mark.django_db
def test_offers_are_ranked_by_weighted_themes_in_common(
    needs_diagnostic, themes, programme, organization, other_organization
):
    governance, funding, mobilisation = themes
    only_high = offer_with(programme, governance, title="Gouvernance")
    medium_and_low = offer_with(programme, funding, mobilisation, title="Financer et mobiliser")
    high_and_medium = offer_with(programme, governance, funding, title="Gouvernance et budget")
    only_low = offer_with(programme, mobilisation, title="Mobiliser")
    offer_with(programme, title="Sans thème")
    offer_with(programme, governance, title="Fermée", is_active=False)
    closed = ProgrammeFactory(organization=organization, status=ProgrammeStatus.CLOSED)
    offer_with(closed, governance, title="Programme clos")
    draft = ProgrammeFactory(organization=organization, status=ProgrammeStatus.DRAFT)
    offer_with(draft, governance, title="Programme en préparation")
    elsewhere = ProgrammeFactory(organization=other_organization)
    offer_with(elsewhere, ThemeFactory(organization=other_organization), title="Ailleurs")

    recommendations = recommend_offers(needs_diagnostic)

    assert [r.offer for r in recommendations] == [
        high_and_medium,  # 3 + 2
        medium_and_low,  # 2 + 1, two themes
        only_high,  # 3, one theme
        only_low,  # 1
    ]
    assert [r.score for r in recommendations] == [5, 3, 3, 1]
    assert [t.name for t in recommendations[0].matched_themes] == [
        "Financement",
        "Gouvernance associative",
    ]


@pytest.mark.django_db
def test_an_offer_already_followed_is_flagged(needs_diagnostic, themes, programme):
    offer = offer_with(programme, themes[0])
    EnrollmentFactory(beneficiary=needs_diagnostic.beneficiary, offer=offer)

    [recommendation] = recommend_offers(needs_diagnostic)

    assert recommendation.already_enrolled


@pytest.mark.django_db
def test_no_need_no_recommendation(person, themes, programme):
    offer_with(programme, *themes)
    assert recommend_offers(NeedsDiagnosticFactory(beneficiary=person)) == []


@pytest.mark.django_db
def test_recommendations_run_a_constant_number_of_queries(
    needs_diagnostic, themes, programme, organization
):
    def count():
        with CaptureQueriesContext(connection) as context:
            result = recommend_offers(needs_diagnostic)
        return len(context.captured_queries), len(result)

    offer_with(programme, *themes)
    few, n_few = count()
    for _ in range(29):
        offer_with(programme, *themes)
    many, n_many = count()

    assert (n_few, n_many) == (1, 30)
    assert few == many <= 4


# --- suggest_mentors ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_mentors_are_ranked_by_themes_in_common(needs_diagnostic, themes, programme, organization):
    governance, funding, mobilisation = themes
    expert = mentor_of(organization, themes=[governance, funding])
    low_only = mentor_of(organization, themes=[mobilisation])
    novice = mentor_of(organization)
    offer = offer_with(programme, governance)
    offer.mentors.set([novice, low_only, expert])

    suggestions = suggest_mentors(
        beneficiary=needs_diagnostic.beneficiary, offer=offer, diagnostic=needs_diagnostic
    )

    assert [s.mentor for s in suggestions] == [expert, low_only, novice]
    assert suggestions[0].themes_in_common == [funding, governance]
    assert "Gouvernance associative" in suggestions[0].reasons[0]
    assert suggestions[0].score > suggestions[1].score > suggestions[2].score


@pytest.mark.django_db
def test_a_lighter_load_ranks_first(needs_diagnostic, themes, programme, organization):
    busy = mentor_of(organization, themes=[themes[0]])
    free = mentor_of(organization, themes=[themes[0]])
    give_load(busy, 3, organization)
    EnrollmentFactory(
        beneficiary=BeneficiaryFactory(organization=organization),
        offer=OfferFactory(programme=programme),
        referent_mentor=free,
        status=EnrollmentStatus.COMPLETED,  # finished: not part of the load
    )
    offer = offer_with(programme, themes[0])
    offer.mentors.set([busy, free])

    suggestions = suggest_mentors(
        beneficiary=needs_diagnostic.beneficiary, offer=offer, diagnostic=needs_diagnostic
    )

    assert [(s.mentor, s.load) for s in suggestions] == [(free, 0), (busy, 3)]
    assert any("3" in reason for reason in suggestions[1].reasons)


@pytest.mark.django_db
def test_same_territory_ranks_first(needs_diagnostic, programme, organization):
    far = mentor_of(organization, territory="Val-de-Marne")
    near = mentor_of(organization, territory="Lyon et Métropole de Lyon (Rhône)")
    offer = offer_with(programme)
    offer.mentors.set([far, near])

    suggestions = suggest_mentors(
        beneficiary=needs_diagnostic.beneficiary, offer=offer, diagnostic=needs_diagnostic
    )

    assert [(s.mentor, s.same_territory) for s in suggestions] == [(near, True), (far, False)]


@pytest.mark.django_db
def test_offer_without_mentors_suggests_the_active_mentors_of_the_structure(
    person, programme, organization, other_organization, mentor, other_mentor
):
    mentor_of(organization, active=False)
    mentor_of(other_organization)
    offer = offer_with(programme)

    suggestions = suggest_mentors(beneficiary=person, offer=offer)

    assert {s.mentor for s in suggestions} == {mentor, other_mentor}


@pytest.mark.django_db
def test_offer_mentors_who_left_the_structure_are_not_suggested(
    person, programme, organization, mentor
):
    gone = mentor_of(organization, active=False)
    offer = offer_with(programme)
    offer.mentors.set([gone, mentor])

    suggestions = suggest_mentors(beneficiary=person, offer=offer)

    assert [s.mentor for s in suggestions] == [mentor]


@pytest.mark.django_db
def test_suggestions_run_a_constant_number_of_queries(
    needs_diagnostic, themes, programme, organization
):
    offer = offer_with(programme, *themes)

    def grow(n):
        for i in range(n):
            mentor = mentor_of(organization, territory="Rhône", themes=themes[: i % 3 + 1])
            give_load(mentor, 1, organization)
            offer.mentors.add(mentor)

    def count():
        with CaptureQueriesContext(connection) as context:
            result = suggest_mentors(
                beneficiary=needs_diagnostic.beneficiary, offer=offer, diagnostic=needs_diagnostic
            )
        return len(context.captured_queries), len(result)

    grow(1)
    few, n_few = count()
    grow(29)
    many, n_many = count()

    assert (n_few, n_many) == (1, 30)
    assert few == many <= 5

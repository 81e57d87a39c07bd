"""Reads of the network showcase: the cards shown, with their consent checked in SQL."""

from django.db.models import Q, QuerySet

from accounts.enums import Role
from outreach.models import ProjectCard, ShowcaseContact


def shown_cards(*, public_only: bool = False, q: str = "", territory: str = "", theme: str = ""):
    """Cards whose beneficiary consents now; `public_only` for the public catalogue."""
    cards = ProjectCard.objects.with_consent().select_related("programme__organization")
    if public_only:
        cards = cards.filter(is_public=True)
    if q:
        cards = cards.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(needs_partners__icontains=q)
            | Q(needs_skills__icontains=q)
            | Q(needs_resources__icontains=q)
        )
    if territory:
        cards = cards.filter(territory__icontains=territory)
    if theme:
        cards = cards.filter(themes__name__iexact=theme).distinct()
    return cards.prefetch_related("themes").order_by("-updated_at", "-pk")


def theme_names(cards: QuerySet[ProjectCard]) -> list[str]:
    from programmes.models import Theme

    return sorted(
        set(
            Theme.objects.filter(project_cards__in=cards.values("pk")).values_list(
                "name", flat=True
            )
        ),
        key=str.lower,
    )


def contacts_for(user) -> QuerySet[ShowcaseContact]:
    """The contact requests about the cards of programmes the user coordinates."""
    contacts = ShowcaseContact.objects.select_related("card__programme", "sender")
    if user.is_superuser:
        return contacts
    return contacts.filter(
        card__programme__organization__memberships__user=user,
        card__programme__organization__memberships__role=Role.COORDINATOR,
        card__programme__organization__memberships__is_active=True,
    )

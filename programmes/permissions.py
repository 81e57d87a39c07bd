"""Who may do what with programmes and themes: names for the rules of `accounts.rules.TABLE`."""

from accounts.enums import OrganizationKind, Role
from accounts.models import Organization
from accounts.rules import can, register_relations
from programmes.models import Offer, Programme, Theme


def _coordinates_organization(user, organization_id) -> bool:
    return organization_id in user.organization_ids_with_role(Role.COORDINATOR)


register_relations(
    Programme, coordinator_of=lambda user, p: _coordinates_organization(user, p.organization_id)
)


def runs_offer(user, offer) -> bool:
    """Whether `user` is one of the offer's mentors (uses a prefetch when there is one)."""
    cache = getattr(offer, "_prefetched_objects_cache", {})
    if "mentors" in cache:
        return any(mentor.pk == user.pk for mentor in offer.mentors.all())
    return offer.mentors.filter(pk=user.pk).exists()


register_relations(
    Offer,
    coordinator_of=lambda user, o: _coordinates_organization(user, o.programme.organization_id),
    mentor_of=runs_offer,
)
register_relations(
    Theme, coordinator_of=lambda user, t: _coordinates_organization(user, t.organization_id)
)


def _holding_structure(organization) -> int | None:
    """A support structure holds itself; a partner's entry is held by its steward structure."""
    if organization.kind == OrganizationKind.PARTNER:
        return organization.steward_id
    return organization.pk


register_relations(
    Organization,
    coordinator_of=lambda user, o: _coordinates_organization(user, _holding_structure(o)),
)


def can_list_programmes(user) -> bool:
    return can(user, "programme.list")


def can_manage_programme(user, programme) -> bool:
    """Coordinators of the programme's organisation run it."""
    return can(user, "programme.manage", programme)


def can_create_programme(user, organization=None) -> bool:
    """Any coordinator creates programmes, in an organisation they coordinate."""
    if organization is None:
        return can(user, "programme.create")
    return organization.kind == OrganizationKind.SUPPORT and can(
        user, "organization.act_for", organization
    )


def can_list_themes(user) -> bool:
    """The theme list is the coordinators' tool; mentors see themes through offers."""
    return can(user, "theme.list")


def can_manage_theme(user, theme) -> bool:
    return can(user, "theme.manage", theme)

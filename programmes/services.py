"""Writes on programmes, their offers and the themes of a structure."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.enums import OrganizationKind, Role
from accounts.models import Organization, User
from programmes.enums import Audience, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme, Theme
from programmes.permissions import can_create_programme, can_manage_programme, can_manage_theme

PROGRAMME_FIELDS = frozenset(
    {
        "title",
        "description",
        "objectives",
        "target_public",
        "territory",
        "logo",
        "start_date",
        "end_date",
        "confidentiality_statement",
        # The public catalogue (issue 8)
        "is_published",
        "slug",
        "audiences",
        "is_free",
        "price",
        "frame",
        "how_it_works",
        "contact_email",
        "contact_phone",
    }
)
PUBLIC_PAGE_FIELDS = frozenset(
    {
        "is_published",
        "slug",
        "audiences",
        "is_free",
        "price",
        "frame",
        "how_it_works",
        "contact_email",
        "contact_phone",
    }
)
# Paths of the public catalogue that a programme's slug must not take (/catalogue/<slug>/).
RESERVED_SLUGS = frozenset({"projets", "evenements", "api"})
SLUG_MAX_LENGTH = 80
OFFER_FIELDS = frozenset(
    {
        "kind",
        "title",
        "description",
        "mode",
        "channel_in_person",
        "channel_phone",
        "channel_video",
        "duration_minutes",
        "capacity",
        "partner_organization",
        "is_active",
        # booking rules
        "min_notice_hours",
        "horizon_days",
        "booking_audience",
        "cancel_allowed",
        "cancel_until_hours",
        "reschedule_allowed",
        "reschedule_until_hours",
        "max_active_bookings",
        "reminder_hours",
    }
)
# Reminders go out at most two weeks before, at least one hour before.
MIN_REMINDER_HOURS = 1
MAX_REMINDER_HOURS = 336
THEME_FIELDS = frozenset({"name", "description", "is_active"})
MIN_DURATION_MINUTES = 5
MIN_GROUP_CAPACITY = 2


# Who may be named where: the same rules the forms use to build their choices.


def coordinators_of(organization_ids: Iterable[int]) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__organization_id__in=organization_ids,
            memberships__role=Role.COORDINATOR,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def mentors_of(organization_ids: Iterable[int]) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__organization_id__in=organization_ids,
            memberships__role=Role.MENTOR,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def partner_organizations() -> QuerySet[Organization]:
    return Organization.objects.partners().order_by("name")


def offer_shape_errors(
    *, mode: str, capacity: int | None, has_channel: bool, duration_minutes: int | None
) -> dict[str, str]:
    """The database's offer constraints as field errors (form and service share them)."""
    errors = {}
    if mode == OfferMode.GROUP and (capacity is None or capacity < MIN_GROUP_CAPACITY):
        errors["capacity"] = _("A group offer needs a capacity of at least 2 participants.")
    if not has_channel:
        errors["channels"] = _("Choose at least one channel: in person, by phone or by video.")
    if duration_minutes is not None and duration_minutes < MIN_DURATION_MINUTES:
        errors["duration_minutes"] = _("A session lasts at least 5 minutes.")
    return errors


def reminder_hours_error(hours) -> str | None:
    """Why a list of reminder delays is not acceptable, or None (form and service share it)."""
    if not isinstance(hours, list) or any(
        isinstance(value, bool) or not isinstance(value, int) for value in hours
    ):
        return _("Give the reminders as whole numbers of hours.")
    if any(not MIN_REMINDER_HOURS <= value <= MAX_REMINDER_HOURS for value in hours):
        return _("Each reminder is between %(min)s and %(max)s hours before.") % {
            "min": MIN_REMINDER_HOURS,
            "max": MAX_REMINDER_HOURS,
        }
    return None


def _end_date_error(start_date, end_date) -> dict[str, str]:
    if start_date and end_date and end_date < start_date:
        return {"end_date": _("The end date must be on or after the start date.")}
    return {}


def _outsiders(users: Iterable, allowed: QuerySet) -> bool:
    ids = {user.pk for user in users}
    return bool(ids - set(allowed.filter(pk__in=ids).values_list("pk", flat=True)))


def _people_errors(
    organization_id: int,
    *,
    coordinators: Iterable | None = None,
    mentors: Iterable | None = None,
    partners: Iterable | None = None,
    partners_key: str = "partner_organizations",
) -> dict[str, str]:
    errors = {}
    if coordinators is not None and _outsiders(coordinators, coordinators_of([organization_id])):
        errors["coordinators"] = _("Only coordinators of the structure can coordinate it.")
    if mentors is not None and _outsiders(mentors, mentors_of([organization_id])):
        errors["mentors"] = _("Only active mentors of the structure can be named.")
    if partners is not None and any(p.kind != OrganizationKind.PARTNER for p in partners):
        errors[partners_key] = _("Only partner structures can be named as partners.")
    return errors


# Programmes


def programme_slug_error(slug: str, *, exclude_pk: int | None = None) -> str | None:
    """Why `slug` cannot be a programme's address on the catalogue, or None."""
    if slug in RESERVED_SLUGS:
        return _("This address is reserved: choose another one.")
    if Programme.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        return _("Another programme already has this address: choose another one.")
    return None


def unique_programme_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A free catalogue address made from `title`: « Fabrique 2026 » → fabrique-2026(-2…)."""
    base = slugify(title)[: SLUG_MAX_LENGTH - 4].strip("-") or "programme"
    candidate, number = base, 1
    while programme_slug_error(candidate, exclude_pk=exclude_pk) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _public_page_errors(programme: Programme) -> dict[str, str]:
    """Fill in the slug when empty and check the public fields (form and API share them)."""
    errors = {}
    programme.price = (programme.price or "").strip()
    if not programme.is_free and not programme.price:
        errors["price"] = _("Give the price, or choose « free of charge ».")
    if programme.is_free:
        programme.price = ""
    if programme.slug:
        error = programme_slug_error(programme.slug, exclude_pk=programme.pk)
        if error:
            errors["slug"] = error
    elif programme.is_published:
        programme.slug = unique_programme_slug(programme.title, exclude_pk=programme.pk)
    else:
        programme.slug = None  # the unique column takes NULL, never two empty strings
    audiences = programme.audiences or []
    if not isinstance(audiences, list) or any(a not in Audience.values for a in audiences):
        errors["audiences"] = _("Choose among the publics of the list.")
    return errors


@transaction.atomic
def programme_create(
    *,
    organization: Organization,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    description: str = "",
    objectives: str = "",
    target_public: str = "",
    territory: str = "",
    confidentiality_statement: str = "",
    coordinators: Iterable[User] = (),
    partner_organizations: Iterable[Organization] = (),
    logo=None,
    acting_user: User,
    **public_page,
) -> Programme:
    """Create a draft programme in an organisation the acting user coordinates; its public
    page fields (`PUBLIC_PAGE_FIELDS`) may come with it."""
    if not can_create_programme(acting_user, organization):
        raise PermissionDenied
    unknown = set(public_page) - PUBLIC_PAGE_FIELDS
    if unknown:
        raise TypeError(f"programme_create() got unexpected fields: {sorted(unknown)}")
    coordinators, partner_organizations = list(coordinators), list(partner_organizations)
    errors = _end_date_error(start_date, end_date)
    if organization.kind != OrganizationKind.SUPPORT:
        errors["organization"] = _("Only a support structure runs programmes.")
    errors |= _people_errors(
        organization.pk, coordinators=coordinators, partners=partner_organizations
    )
    programme = Programme(
        organization=organization,
        title=title,
        description=description,
        objectives=objectives,
        target_public=target_public,
        territory=territory,
        start_date=start_date,
        end_date=end_date,
        confidentiality_statement=confidentiality_statement,
        logo=logo or "",
        status=ProgrammeStatus.DRAFT,
        **public_page,
    )
    errors |= _public_page_errors(programme)
    if errors:
        raise ValidationError(errors)
    programme.save()
    programme.coordinators.set(coordinators)
    programme.partner_organizations.set(partner_organizations)
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    acting_user: User,
    coordinators: Iterable[User] | None = None,
    partner_organizations: Iterable[Organization] | None = None,
    **changes,
) -> Programme:
    """Change a programme's description, period and team; its organisation never changes."""
    if not can_manage_programme(acting_user, programme):
        raise PermissionDenied
    unknown = set(changes) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"programme_update() got unexpected fields: {sorted(unknown)}")
    if coordinators is not None:
        coordinators = list(coordinators)
    if partner_organizations is not None:
        partner_organizations = list(partner_organizations)
    for name, value in changes.items():
        if name == "logo" and value is False:  # "clear" ticked on the form
            value = ""
        setattr(programme, name, value)
    errors = _end_date_error(programme.start_date, programme.end_date)
    errors |= _people_errors(
        programme.organization_id, coordinators=coordinators, partners=partner_organizations
    )
    errors |= _public_page_errors(programme)
    if errors:
        raise ValidationError(errors)
    programme.save()
    if coordinators is not None:
        programme.coordinators.set(coordinators)
    if partner_organizations is not None:
        programme.partner_organizations.set(partner_organizations)
    return programme


def _lock(programme: Programme) -> Programme:
    """The programme's row, locked until the end of the transaction (status changes race)."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


@transaction.atomic
def programme_open(*, programme: Programme, acting_user: User) -> Programme:
    """Open a draft or closed programme to enrollments; it needs at least one offer."""
    if not can_manage_programme(acting_user, programme):
        raise PermissionDenied
    locked = _lock(programme)
    if locked.status == ProgrammeStatus.OPEN:
        raise ValidationError(_("This programme is already open."), code="already_open")
    if not locked.offers.exists():
        raise ValidationError(
            _("Add at least one offer before opening this programme."), code="no_offer"
        )
    locked.status = ProgrammeStatus.OPEN
    locked.save(update_fields=["status", "updated_at"])
    programme.status = locked.status
    return locked


@transaction.atomic
def programme_close(*, programme: Programme, acting_user: User) -> Programme:
    """Close an open programme: no new enrollment, current ones go on."""
    if not can_manage_programme(acting_user, programme):
        raise PermissionDenied
    locked = _lock(programme)
    if locked.status != ProgrammeStatus.OPEN:
        raise ValidationError(_("Only an open programme can be closed."), code="not_open")
    locked.status = ProgrammeStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    programme.status = locked.status
    return locked


@transaction.atomic
def programme_duplicate(
    *,
    programme: Programme,
    start_date: datetime.date,
    end_date: datetime.date | None,
    title: str,
    acting_user: User,
) -> Programme:
    """A draft copy of a programme and its offers for a new period, without enrollments."""
    if not can_manage_programme(acting_user, programme):
        raise PermissionDenied
    errors = _end_date_error(start_date, end_date)
    if errors:
        raise ValidationError(errors)
    organization_id = programme.organization_id
    copy = Programme.objects.create(
        organization_id=organization_id,
        title=title,
        description=programme.description,
        objectives=programme.objectives,
        target_public=programme.target_public,
        territory=programme.territory,
        start_date=start_date,
        end_date=end_date,
        confidentiality_statement=programme.confidentiality_statement,
        status=ProgrammeStatus.DRAFT,
        duplicated_from=programme,
    )
    # People who left the structure since are not carried over to the new period:
    # the forms would not offer them anyway.
    copy.coordinators.set(
        coordinators_of([organization_id]).filter(coordinated_programmes=programme)
    )
    copy.partner_organizations.set(programme.partner_organizations.all())
    current_mentors = set(mentors_of([organization_id]).values_list("pk", flat=True))
    for offer in programme.offers.prefetch_related("mentors", "themes").order_by("pk"):
        offer_copy = Offer.objects.create(
            programme=copy,
            **{name: getattr(offer, name) for name in OFFER_FIELDS},
        )
        offer_copy.mentors.set([m for m in offer.mentors.all() if m.pk in current_mentors])
        offer_copy.themes.set(offer.themes.all())
    return copy


# Offers


def _offer_errors(offer: Offer, mentors, themes) -> dict[str, str]:
    errors = offer_shape_errors(
        mode=offer.mode,
        capacity=offer.capacity,
        has_channel=offer.channel_in_person or offer.channel_phone or offer.channel_video,
        duration_minutes=offer.duration_minutes,
    )
    organization_id = offer.programme.organization_id
    partners = [offer.partner_organization] if offer.partner_organization else None
    errors |= _people_errors(
        organization_id, mentors=mentors, partners=partners, partners_key="partner_organization"
    )
    reminder_error = reminder_hours_error(offer.reminder_hours)
    if reminder_error:
        errors["reminder_hours"] = reminder_error
    if themes is not None and any(theme.organization_id != organization_id for theme in themes):
        errors["themes"] = _("Only themes of the structure can be chosen.")
    if "channels" in errors:
        # No form field is called "channels" on the model side: report it for the whole offer.
        errors[NON_FIELD_ERRORS] = errors.pop("channels")
    return errors


def _save_offer(offer: Offer, mentors, themes) -> Offer:
    if offer.mode == OfferMode.INDIVIDUAL:
        offer.capacity = 1
    if reminder_hours_error(offer.reminder_hours) is None:
        offer.reminder_hours = sorted(set(offer.reminder_hours), reverse=True)
    errors = _offer_errors(offer, mentors, themes)
    if errors:
        raise ValidationError(errors)
    offer.save()
    if mentors is not None:
        offer.mentors.set(mentors)
    if themes is not None:
        offer.themes.set(themes)
    return offer


@transaction.atomic
def offer_create(
    *,
    programme: Programme,
    acting_user: User,
    mentors: Iterable[User] = (),
    themes: Iterable[Theme] = (),
    **fields,
) -> Offer:
    """Add an offer to a programme that is not closed; an individual offer seats one person."""
    if not can_manage_programme(acting_user, programme):
        raise PermissionDenied
    unknown = set(fields) - OFFER_FIELDS
    if unknown:
        raise TypeError(f"offer_create() got unexpected fields: {sorted(unknown)}")
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("This programme is closed: reopen it to add an offer."))
    offer = Offer(programme=programme, **fields)
    return _save_offer(offer, list(mentors), list(themes))


@transaction.atomic
def offer_update(
    *,
    offer: Offer,
    acting_user: User,
    mentors: Iterable[User] | None = None,
    themes: Iterable[Theme] | None = None,
    **changes,
) -> Offer:
    """Change an offer; its enrollments stay as they are."""
    if not can_manage_programme(acting_user, offer.programme):
        raise PermissionDenied
    unknown = set(changes) - OFFER_FIELDS
    if unknown:
        raise TypeError(f"offer_update() got unexpected fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(offer, name, value)
    return _save_offer(
        offer,
        None if mentors is None else list(mentors),
        None if themes is None else list(themes),
    )


# Themes


def _duplicate_name_error() -> dict[str, str]:
    return {"name": _("A theme with this name already exists in this structure.")}


def _save_theme(theme: Theme, mentors, partners) -> Theme:
    errors = _people_errors(
        theme.organization_id, mentors=mentors, partners=partners, partners_key="partners"
    )
    if theme.organization.kind != OrganizationKind.SUPPORT:
        errors["organization"] = _("Only a support structure keeps a theme list.")
    if (
        Theme.objects.filter(organization_id=theme.organization_id, name__iexact=theme.name)
        .exclude(pk=theme.pk)
        .exists()
    ):
        errors |= _duplicate_name_error()
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            theme.save()
    except IntegrityError as exc:  # a concurrent request took the name in between
        raise ValidationError(_duplicate_name_error(), code="duplicate") from exc
    if mentors is not None:
        theme.mentors.set(mentors)
    if partners is not None:
        theme.partners.set(partners)
    return theme


@transaction.atomic
def theme_create(
    *,
    organization: Organization,
    name: str,
    description: str = "",
    is_active: bool = True,
    mentors: Iterable[User] = (),
    partners: Iterable[Organization] = (),
    acting_user: User,
) -> Theme:
    """Add a need theme to a structure's list; names are unique within the structure."""
    theme = Theme(
        organization=organization, name=name.strip(), description=description, is_active=is_active
    )
    if not can_manage_theme(acting_user, theme):
        raise PermissionDenied
    return _save_theme(theme, list(mentors), list(partners))


@transaction.atomic
def theme_update(
    *,
    theme: Theme,
    acting_user: User,
    mentors: Iterable[User] | None = None,
    partners: Iterable[Organization] | None = None,
    **changes,
) -> Theme:
    """Rename, describe, switch off a theme or change who works on it."""
    if not can_manage_theme(acting_user, theme):
        raise PermissionDenied
    unknown = set(changes) - THEME_FIELDS
    if unknown:
        raise TypeError(f"theme_update() got unexpected fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(theme, name, value.strip() if name == "name" else value)
    return _save_theme(
        theme,
        None if mentors is None else list(mentors),
        None if partners is None else list(partners),
    )

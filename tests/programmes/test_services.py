import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from accounts.enums import Role
from beneficiaires.models import Enrollment
from programmes import services
from programmes.enums import OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Programme, Theme
from tests.factories import (
    MembershipFactory,
    OfferFactory,
    OrganizationFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2027, 9, 1)
END = datetime.date(2028, 6, 30)


def offer_fields(**overrides):
    fields = {
        "kind": OfferKind.COACHING,
        "title": "Coaching des porteurs",
        "mode": OfferMode.INDIVIDUAL,
        "capacity": 1,
        "duration_minutes": 60,
        "channel_in_person": True,
        "channel_phone": False,
        "channel_video": False,
    }
    return fields | overrides


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


# programme_create / programme_update


def test_programme_create_makes_a_draft_with_its_team(organization, coordinator, partner):
    programme = services.programme_create(
        organization=organization,
        title="Accompagner les collectifs",
        start_date=START,
        end_date=END,
        territory="Villeurbanne",
        coordinators=[coordinator],
        partner_organizations=[partner],
        acting_user=coordinator,
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.organization == organization
    assert list(programme.coordinators.all()) == [coordinator]
    assert list(programme.partner_organizations.all()) == [partner]


def test_programme_create_in_another_organization_is_denied(
    organization, other_organization_coordinator
):
    with pytest.raises(PermissionDenied):
        services.programme_create(
            organization=organization,
            title="Intrus",
            start_date=START,
            acting_user=other_organization_coordinator,
        )
    assert not Programme.objects.filter(title="Intrus").exists()


def test_programme_create_is_denied_to_a_mentor(organization, mentor):
    with pytest.raises(PermissionDenied):
        services.programme_create(
            organization=organization, title="X", start_date=START, acting_user=mentor
        )


def test_programme_create_refuses_an_end_before_the_start(organization, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.programme_create(
            organization=organization,
            title="À l'envers",
            start_date=END,
            end_date=START,
            acting_user=coordinator,
        )
    assert error_fields(excinfo) == {"end_date"}


def test_programme_create_refuses_coordinators_and_partners_from_elsewhere(
    organization, coordinator, other_organization_coordinator, other_organization
):
    with pytest.raises(ValidationError) as excinfo:
        services.programme_create(
            organization=organization,
            title="X",
            start_date=START,
            coordinators=[other_organization_coordinator],
            partner_organizations=[other_organization],  # a support structure, not a partner
            acting_user=coordinator,
        )
    assert error_fields(excinfo) == {"coordinators", "partner_organizations"}


def test_programme_update_changes_fields_and_team(programme, coordinator, partner):
    services.programme_update(
        programme=programme,
        title="Nouveau titre",
        territory="Métropole de Lyon",
        coordinators=[],
        partner_organizations=[partner],
        acting_user=coordinator,
    )
    programme.refresh_from_db()
    assert programme.title == "Nouveau titre"
    assert programme.territory == "Métropole de Lyon"
    assert programme.coordinators.count() == 0
    assert list(programme.partner_organizations.all()) == [partner]


def test_programme_update_by_another_organization_is_denied(
    programme, other_organization_coordinator
):
    with pytest.raises(PermissionDenied):
        services.programme_update(
            programme=programme, title="Pris", acting_user=other_organization_coordinator
        )
    programme.refresh_from_db()
    assert programme.title != "Pris"


def test_programme_update_refuses_an_end_before_the_start(programme, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.programme_update(
            programme=programme, end_date=datetime.date(2020, 1, 1), acting_user=coordinator
        )
    assert error_fields(excinfo) == {"end_date"}


def test_programme_update_rejects_unknown_fields(programme, coordinator):
    with pytest.raises(TypeError):
        services.programme_update(programme=programme, status="open", acting_user=coordinator)


# programme_open / programme_close


def test_open_a_draft_with_an_offer(draft_programme, coordinator):
    OfferFactory(programme=draft_programme)
    services.programme_open(programme=draft_programme, acting_user=coordinator)
    draft_programme.refresh_from_db()
    assert draft_programme.status == ProgrammeStatus.OPEN


def test_cannot_open_a_programme_without_offer(draft_programme, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.programme_open(programme=draft_programme, acting_user=coordinator)
    assert excinfo.value.code == "no_offer"
    draft_programme.refresh_from_db()
    assert draft_programme.status == ProgrammeStatus.DRAFT


def test_cannot_open_an_open_programme(programme, offer, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.programme_open(programme=programme, acting_user=coordinator)
    assert excinfo.value.code == "already_open"


def test_reopen_a_closed_programme(programme, offer, coordinator):
    services.programme_close(programme=programme, acting_user=coordinator)
    services.programme_open(programme=programme, acting_user=coordinator)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.OPEN


def test_close_an_open_programme(programme, coordinator):
    services.programme_close(programme=programme, acting_user=coordinator)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.CLOSED


def test_cannot_close_a_draft(draft_programme, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.programme_close(programme=draft_programme, acting_user=coordinator)
    assert excinfo.value.code == "not_open"


@pytest.mark.parametrize("service", [services.programme_open, services.programme_close])
def test_status_changes_by_another_organization_are_denied(
    service, draft_programme, other_organization_coordinator, mentor
):
    OfferFactory(programme=draft_programme)
    for user in (other_organization_coordinator, mentor):
        with pytest.raises(PermissionDenied):
            service(programme=draft_programme, acting_user=user)


# programme_duplicate


def test_duplicate_copies_the_programme_its_team_and_offers_without_enrollments(
    programme, offer, beneficiary, other_beneficiary, coordinator, mentor, partner, themes
):
    programme.objectives = "Des objectifs"
    programme.confidentiality_statement = "Reste entre vous."
    programme.save()
    programme.partner_organizations.add(partner)
    offer.themes.set(themes[:2])
    offer.partner_organization = partner
    offer.save()
    group_offer = OfferFactory(programme=programme, group=True, channel_video=True)
    group_offer.mentors.add(mentor)
    assert Enrollment.objects.filter(offer__programme=programme).count() == 2

    copy = services.programme_duplicate(
        programme=programme,
        start_date=START,
        end_date=END,
        title="Édition 2027",
        acting_user=coordinator,
    )

    copy.refresh_from_db()
    assert copy.pk != programme.pk
    assert copy.title == "Édition 2027"
    assert (copy.start_date, copy.end_date) == (START, END)
    assert copy.status == ProgrammeStatus.DRAFT
    assert copy.duplicated_from == programme
    assert copy.organization == programme.organization
    assert copy.objectives == "Des objectifs"
    assert copy.confidentiality_statement == "Reste entre vous."
    assert list(copy.coordinators.all()) == [coordinator]
    assert list(copy.partner_organizations.all()) == [partner]
    copies = {o.title: o for o in copy.offers.all()}
    assert set(copies) == {offer.title, group_offer.title}
    coaching = copies[offer.title]
    assert coaching.pk != offer.pk
    assert set(coaching.mentors.all()) == set(offer.mentors.all())
    assert set(coaching.themes.all()) == set(themes[:2])
    assert coaching.partner_organization == partner
    workshop = copies[group_offer.title]
    assert (workshop.mode, workshop.capacity, workshop.channel_video) == (
        OfferMode.GROUP,
        10,
        True,
    )
    assert list(workshop.mentors.all()) == [mentor]
    assert not Enrollment.objects.filter(offer__programme=copy).exists()
    # The original is untouched.
    assert Enrollment.objects.filter(offer__programme=programme).count() == 2
    assert programme.offers.count() == 2


def test_duplicate_leaves_out_people_who_left_the_structure(
    programme, offer, coordinator, mentor, other_mentor
):
    mentor.memberships.filter(role=Role.MENTOR).update(is_active=False)
    copy = services.programme_duplicate(
        programme=programme, start_date=START, end_date=None, title="Suite", acting_user=coordinator
    )
    assert list(copy.offers.get().mentors.all()) == [other_mentor]


def test_duplicate_by_another_organization_is_denied(programme, other_organization_coordinator):
    with pytest.raises(PermissionDenied):
        services.programme_duplicate(
            programme=programme,
            start_date=START,
            end_date=END,
            title="Copie",
            acting_user=other_organization_coordinator,
        )
    assert not Programme.objects.filter(title="Copie").exists()


def test_duplicate_refuses_an_end_before_the_start(programme, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.programme_duplicate(
            programme=programme, start_date=END, end_date=START, title="X", acting_user=coordinator
        )
    assert error_fields(excinfo) == {"end_date"}


# Offers


def test_offer_create_with_mentors_themes_and_partner(
    programme, coordinator, mentor, themes, partner
):
    offer = services.offer_create(
        programme=programme,
        mentors=[mentor],
        themes=themes[:1],
        partner_organization=partner,
        acting_user=coordinator,
        **offer_fields(),
    )
    offer.refresh_from_db()
    assert offer.programme == programme
    assert list(offer.mentors.all()) == [mentor]
    assert list(offer.themes.all()) == themes[:1]
    assert offer.partner_organization == partner


def test_an_individual_offer_seats_one_person(programme, coordinator):
    offer = services.offer_create(
        programme=programme, acting_user=coordinator, **offer_fields(capacity=8)
    )
    offer.refresh_from_db()
    assert offer.capacity == 1


def test_a_group_offer_needs_two_seats(programme, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.offer_create(
            programme=programme,
            acting_user=coordinator,
            **offer_fields(mode=OfferMode.GROUP, capacity=1),
        )
    assert error_fields(excinfo) == {"capacity"}
    assert not programme.offers.exists()


def test_an_offer_needs_a_channel(programme, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.offer_create(
            programme=programme, acting_user=coordinator, **offer_fields(channel_in_person=False)
        )
    assert error_fields(excinfo) == {NON_FIELD_ERRORS}


def test_an_offer_lasts_at_least_five_minutes(programme, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.offer_create(
            programme=programme, acting_user=coordinator, **offer_fields(duration_minutes=4)
        )
    assert error_fields(excinfo) == {"duration_minutes"}


def test_offer_people_and_themes_come_from_the_structure(
    programme, coordinator, other_organization, other_organization_coordinator
):
    outsider = MembershipFactory(organization=other_organization, role=Role.MENTOR).user
    foreign_theme = ThemeFactory(organization=other_organization)
    with pytest.raises(ValidationError) as excinfo:
        services.offer_create(
            programme=programme,
            mentors=[outsider, other_organization_coordinator],
            themes=[foreign_theme],
            partner_organization=other_organization,
            acting_user=coordinator,
            **offer_fields(),
        )
    assert error_fields(excinfo) == {"mentors", "themes", "partner_organization"}


def test_no_new_offer_in_a_closed_programme(programme, coordinator):
    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    with pytest.raises(ValidationError):
        services.offer_create(programme=programme, acting_user=coordinator, **offer_fields())


def test_offer_create_by_another_organization_is_denied(programme, other_organization_coordinator):
    with pytest.raises(PermissionDenied):
        services.offer_create(
            programme=programme, acting_user=other_organization_coordinator, **offer_fields()
        )


def test_offer_update_switches_to_group(offer, coordinator, themes):
    services.offer_update(
        offer=offer,
        kind=OfferKind.WORKSHOP,
        mode=OfferMode.GROUP,
        capacity=12,
        themes=themes,
        acting_user=coordinator,
    )
    offer.refresh_from_db()
    assert (offer.kind, offer.mode, offer.capacity) == (OfferKind.WORKSHOP, "group", 12)
    assert offer.themes.count() == 3
    assert offer.mentors.count() == 2  # untouched when not given


def test_offer_update_by_another_organization_is_denied(offer, other_organization_coordinator):
    with pytest.raises(PermissionDenied):
        services.offer_update(offer=offer, title="Pris", acting_user=other_organization_coordinator)


# Themes


def test_theme_create_with_mentors_and_partners(organization, coordinator, mentor, partner):
    theme = services.theme_create(
        organization=organization,
        name="  Communication  ",
        mentors=[mentor],
        partners=[partner],
        acting_user=coordinator,
    )
    theme.refresh_from_db()
    assert theme.name == "Communication"
    assert list(theme.mentors.all()) == [mentor]
    assert list(theme.partners.all()) == [partner]


def test_theme_names_are_unique_in_a_structure_whatever_the_case(organization, coordinator, themes):
    with pytest.raises(ValidationError) as excinfo:
        services.theme_create(
            organization=organization, name="financement", acting_user=coordinator
        )
    assert error_fields(excinfo) == {"name"}
    assert Theme.objects.filter(organization=organization).count() == 3


def test_the_same_theme_name_in_another_structure_is_fine(
    themes, other_organization, other_organization_coordinator
):
    theme = services.theme_create(
        organization=other_organization,
        name=themes[0].name,
        acting_user=other_organization_coordinator,
    )
    assert theme.pk


def test_theme_rename_to_a_taken_name_is_refused(coordinator, themes):
    with pytest.raises(ValidationError) as excinfo:
        services.theme_update(theme=themes[0], name=themes[1].name, acting_user=coordinator)
    assert error_fields(excinfo) == {"name"}


def test_theme_update_switches_off_and_names_people(coordinator, themes, mentor):
    services.theme_update(
        theme=themes[0], is_active=False, mentors=[mentor], acting_user=coordinator
    )
    themes[0].refresh_from_db()
    assert themes[0].is_active is False
    assert list(themes[0].mentors.all()) == [mentor]


def test_theme_mentors_must_be_mentors_of_the_structure(organization, coordinator):
    stranger = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.theme_create(
            organization=organization, name="X", mentors=[stranger], acting_user=coordinator
        )
    assert error_fields(excinfo) == {"mentors"}


def test_themes_of_another_structure_are_out_of_reach(
    themes, organization, other_organization_coordinator, mentor
):
    with pytest.raises(PermissionDenied):
        services.theme_update(
            theme=themes[0], name="Pris", acting_user=other_organization_coordinator
        )
    with pytest.raises(PermissionDenied):
        services.theme_create(organization=organization, name="Y", acting_user=mentor)


def test_a_partner_structure_keeps_no_theme_list(coordinator, admin):
    partner_org = OrganizationFactory(partner=True)
    with pytest.raises(ValidationError) as excinfo:
        services.theme_create(organization=partner_org, name="X", acting_user=admin)
    assert error_fields(excinfo) == {"organization"}


def test_theme_name_race_ends_as_a_form_error(organization, coordinator, themes, monkeypatch):
    """Two requests checking the name at once: the database constraint decides, cleanly."""
    from django.db.models import QuerySet

    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError) as excinfo:
        services.theme_create(
            organization=organization, name=themes[0].name, acting_user=coordinator
        )
    monkeypatch.undo()
    assert error_fields(excinfo) == {"name"}
    assert Theme.objects.filter(organization=organization).count() == 3

import datetime

import pytest
from django import forms

from accounts.enums import Role
from programmes.enums import OfferKind, OfferMode
from programmes.forms import OfferForm, ProgrammeDuplicateForm, ProgrammeForm, ThemeForm
from tests.factories import MembershipFactory, OfferFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def offer_data(**overrides):
    data = {
        "kind": OfferKind.WORKSHOP,
        "title": "Atelier d'échanges",
        "mode": OfferMode.GROUP,
        "channels": ["channel_in_person"],
        "duration_minutes": "120",
        "capacity": "12",
        "is_active": "on",
    }
    return data | overrides


def programme_data(**overrides):
    data = {
        "title": "Accompagner les associations",
        "start_date": "2027-09-01",
        "end_date": "2028-06-30",
    }
    return data | overrides


# OfferForm


def test_offer_form_accepts_a_group_offer(programme):
    form = OfferForm(offer_data(), programme=programme)
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["capacity"] == 12
    assert (kwargs["channel_in_person"], kwargs["channel_phone"], kwargs["channel_video"]) == (
        True,
        False,
        False,
    )
    assert "channels" not in kwargs


def test_offer_form_group_mode_needs_two_seats(programme):
    form = OfferForm(offer_data(capacity="1"), programme=programme)
    assert not form.is_valid()
    assert list(form.errors) == ["capacity"]


def test_offer_form_group_mode_without_capacity_is_an_error(programme):
    form = OfferForm(offer_data(capacity=""), programme=programme)
    assert not form.is_valid()
    assert list(form.errors) == ["capacity"]


def test_offer_form_individual_mode_forces_one_seat(programme):
    form = OfferForm(
        offer_data(kind=OfferKind.COACHING, mode=OfferMode.INDIVIDUAL, capacity="6"),
        programme=programme,
    )
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["capacity"] == 1


def test_offer_form_needs_a_channel(programme):
    form = OfferForm(offer_data(channels=[]), programme=programme)
    assert not form.is_valid()
    assert list(form.errors) == ["channels"]


def test_offer_form_minimum_duration(programme):
    form = OfferForm(offer_data(duration_minutes="3"), programme=programme)
    assert not form.is_valid()
    assert list(form.errors) == ["duration_minutes"]


def test_offer_form_choices_come_from_the_structure(
    programme, mentor, other_mentor, coordinator, other_organization, themes, partner
):
    MembershipFactory(organization=other_organization, role=Role.MENTOR)
    ThemeFactory(organization=other_organization)
    switched_off = ThemeFactory(organization=programme.organization, is_active=False)
    form = OfferForm(programme=programme)
    assert set(form.fields["mentors"].queryset) == {mentor, other_mentor}
    assert set(form.fields["themes"].queryset) == set(themes)
    assert switched_off not in form.fields["themes"].queryset
    assert list(form.fields["partner_organization"].queryset) == [partner]


def test_offer_form_keeps_a_switched_off_theme_already_on_the_offer(programme):
    theme = ThemeFactory(organization=programme.organization, is_active=False)
    offer = OfferFactory(programme=programme)
    offer.themes.add(theme)
    form = OfferForm(instance=offer, programme=programme)
    assert theme in form.fields["themes"].queryset


def test_offer_form_shows_the_offer_channels(programme):
    offer = OfferFactory(programme=programme, channel_in_person=False, channel_phone=True)
    form = OfferForm(instance=offer, programme=programme)
    assert form.fields["channels"].initial == ["channel_phone"]


# ProgrammeForm


def test_programme_form_end_before_start_is_an_error(coordinator):
    form = ProgrammeForm(
        programme_data(start_date="2028-01-01", end_date="2027-01-01"), user=coordinator
    )
    assert not form.is_valid()
    assert list(form.errors) == ["end_date"]


def test_programme_form_hides_the_only_organization(coordinator, organization):
    form = ProgrammeForm(programme_data(), user=coordinator)
    assert isinstance(form.fields["organization"].widget, forms.HiddenInput)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organization"] == organization


def test_programme_form_lets_choose_among_coordinated_organizations(
    coordinator, organization, second_organization, other_organization
):
    form = ProgrammeForm(user=coordinator)
    field = form.fields["organization"]
    assert not isinstance(field.widget, forms.HiddenInput)
    assert set(field.queryset) == {organization, second_organization}
    tampered = ProgrammeForm(programme_data(organization=other_organization.pk), user=coordinator)
    assert not tampered.is_valid()
    assert "organization" in tampered.errors


def test_programme_form_coordinators_are_those_of_the_organization(
    coordinator, other_organization_coordinator, mentor
):
    form = ProgrammeForm(
        programme_data(coordinators=[other_organization_coordinator.pk]), user=coordinator
    )
    assert list(form.fields["coordinators"].queryset) == [coordinator]
    assert form.fields["coordinators"].initial == [coordinator.pk]
    assert not form.is_valid()
    assert list(form.errors) == ["coordinators"]


def test_programme_form_edit_has_no_organization_field(programme, coordinator):
    form = ProgrammeForm(instance=programme, user=coordinator)
    assert "organization" not in form.fields


def test_duplicate_form_end_before_start_is_an_error(programme):
    form = ProgrammeDuplicateForm(
        {"title": "Suite", "start_date": "2028-01-01", "end_date": "2027-01-01"},
        programme=programme,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["end_date"]


def test_duplicate_form_proposes_the_next_year(programme):
    form = ProgrammeDuplicateForm(programme=programme)
    assert form.initial["start_date"] == programme.start_date.replace(year=2027)
    assert form.initial["end_date"] == datetime.date(2028, 6, 30)


# ThemeForm


def test_theme_form_duplicate_name_is_a_field_error(coordinator, organization, themes):
    form = ThemeForm({"organization": organization.pk, "name": "FINANCEMENT"}, user=coordinator)
    assert not form.is_valid()
    assert list(form.errors) == ["name"]


def test_theme_form_edit_keeps_its_own_name(coordinator, themes):
    form = ThemeForm(
        {"name": themes[0].name, "is_active": "on"}, instance=themes[0], user=coordinator
    )
    assert form.is_valid(), form.errors

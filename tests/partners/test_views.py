import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganizationKind
from accounts.models import Organization
from partners.enums import ReferralStatus
from partners.models import Referral
from tests.factories import (
    BeneficiaryFactory,
    OfferFactory,
    OrganizationFactory,
    ProgrammeFactory,
    ThemeFactory,
)
from tests.partners.conftest import ReferralFactory, days_ago

pytestmark = pytest.mark.django_db


def names_in(response):
    return [partner.name for partner in response.context["page"].object_list]


# Directory


def test_directory_lists_every_partner_of_the_network(
    client, other_organization_coordinator, partner, organization
):
    # Stewarded by another structure: still shown, information is shared across the network.
    client.force_login(other_organization_coordinator)

    response = client.get(reverse("partners:list"))

    assert names_in(response) == [partner.name]
    assert organization.name not in names_in(response)


def test_directory_filters_by_kind_territory_theme_and_text(client, mentor, organization, themes):
    a = OrganizationFactory(partner=True, name="Alpha", territory="Lyon", partner_kind="company")
    b = OrganizationFactory(partner=True, name="Beta", territory="Vénissieux")
    c = OrganizationFactory(partner=True, name="Gamma", territory="Lyon", description="Jardins")
    themes[0].partners.add(b, c)
    # The same theme name given by another structure matches too.
    ThemeFactory(organization=OrganizationFactory(), name=themes[1].name).partners.add(a)
    client.force_login(mentor)
    url = reverse("partners:list")

    assert names_in(client.get(url, {"partner_kind": "company"})) == ["Alpha"]
    assert names_in(client.get(url, {"territory": "Lyon"})) == ["Alpha", "Gamma"]
    assert names_in(client.get(url, {"theme": themes[0].name})) == ["Beta", "Gamma"]
    assert names_in(client.get(url, {"theme": themes[1].name})) == ["Alpha"]
    assert names_in(client.get(url, {"q": "jardin"})) == ["Gamma"]
    assert names_in(client.get(url, {"territory": "Lyon", "theme": themes[0].name})) == ["Gamma"]


def test_directory_keeps_filters_in_pagination_links(client, coordinator):
    for n in range(25):
        OrganizationFactory(partner=True, name=f"Partenaire {n:02}", territory="Lyon")
    client.force_login(coordinator)

    response = client.get(reverse("partners:list"), {"territory": "Lyon"})

    assert response.context["page"].paginator.count == 25
    assert b"territory=Lyon&amp;page=2" in response.content


def test_directory_shows_each_theme_name_once(client, coordinator, partner, themes):
    themes[0].partners.add(partner)
    ThemeFactory(organization=OrganizationFactory(), name=themes[0].name).partners.add(partner)
    client.force_login(coordinator)

    response = client.get(reverse("partners:list"))

    assert response.context["page"].object_list[0].theme_names == [themes[0].name]


# Partner page


def test_partner_page_shows_visible_programmes_offers_and_referrals(
    client, mentor, partner, programme, offer, beneficiary, other_beneficiary, other_organization
):
    programme.partner_organizations.add(partner)
    offer.partner_organization = partner
    offer.save()
    hidden_programme = ProgrammeFactory(organization=other_organization, title="Programme caché")
    hidden_programme.partner_organizations.add(partner)
    OfferFactory(programme=hidden_programme, partner_organization=partner, title="Offre cachée")
    mine = ReferralFactory(beneficiary=beneficiary, partner=partner)
    ReferralFactory(beneficiary=other_beneficiary, partner=partner)
    client.force_login(mentor)

    response = client.get(reverse("partners:detail", args=[partner.public_id]))

    assert list(response.context["programmes"]) == [programme]
    assert list(response.context["offers"]) == [offer]
    assert response.context["referrals"] == [mine]
    assert response.context["can_edit"] is False
    assert "Programme caché".encode() not in response.content


def test_partner_page_offers_edit_to_the_steward_coordinators(client, coordinator, partner):
    client.force_login(coordinator)

    response = client.get(reverse("partners:detail", args=[partner.public_id]))

    assert response.context["can_edit"] is True
    assert reverse("partners:edit", args=[partner.public_id]).encode() in response.content


# Create and edit


def test_coordinator_adds_a_partner(client, coordinator, organization, themes, other_organization):
    foreign_theme = ThemeFactory(organization=other_organization, name="Thème étranger")
    client.force_login(coordinator)
    url = reverse("partners:create")

    form = client.get(url).context["form"]
    assert set(form.fields["themes"].queryset) == set(themes)
    assert foreign_theme not in form.fields["themes"].queryset

    response = client.post(
        url,
        {
            "name": "Mission locale",
            "partner_kind": "public_service",
            "territory": "Lyon 8e",
            "steward": organization.pk,
            "themes": [themes[0].pk],
            "email": "contact@mission-locale.example.org",
        },
    )

    partner = Organization.objects.get(name="Mission locale")
    assert response.status_code == 302
    assert response.url == reverse("partners:detail", args=[partner.public_id])
    assert partner.kind == OrganizationKind.PARTNER
    assert partner.steward == organization
    assert list(partner.partner_themes.all()) == [themes[0]]


def test_a_duplicate_partner_name_is_a_form_error(client, coordinator, organization, partner):
    client.force_login(coordinator)

    response = client.post(
        reverse("partners:create"),
        {"name": partner.name.lower(), "partner_kind": "association", "steward": organization.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Organization.objects.filter(name__iexact=partner.name).count() == 1


def test_a_duplicate_name_on_edit_is_a_form_error(client, coordinator, partner):
    OrganizationFactory(partner=True, name="Déjà là")
    client.force_login(coordinator)

    response = client.post(
        reverse("partners:edit", args=[partner.public_id]),
        {"name": "Déjà là", "partner_kind": "association"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    partner.refresh_from_db()
    assert partner.name == "Centre social des Pentes"


def test_steward_coordinator_edits_a_partner(client, coordinator, partner, themes):
    client.force_login(coordinator)

    response = client.post(
        reverse("partners:edit", args=[partner.public_id]),
        {
            "name": "Centre social des Pentes",
            "partner_kind": "ess_structure",
            "contact_name": "Awa Diallo",
            "themes": [themes[2].pk],
        },
    )

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.partner_kind == "ess_structure"
    assert partner.contact_name == "Awa Diallo"
    assert list(partner.partner_themes.all()) == [themes[2]]


def test_other_structure_coordinator_may_not_post_an_edit(
    client, other_organization_coordinator, partner
):
    client.force_login(other_organization_coordinator)

    response = client.post(
        reverse("partners:edit", args=[partner.public_id]),
        {"name": "Pris", "partner_kind": "company"},
    )

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.name == "Centre social des Pentes"


# Referrals


def test_referral_form_defaults_to_today_and_offers_the_structure_programmes(
    client, coordinator, beneficiary, programme, other_organization
):
    foreign = ProgrammeFactory(organization=other_organization)
    client.force_login(coordinator)

    response = client.get(reverse("partners:referral_create", args=[beneficiary.public_id]))

    form = response.context["form"]
    assert form["sent_on"].value() == timezone.localdate()
    assert list(form.fields["programme"].queryset) == [programme]
    assert foreign not in form.fields["programme"].queryset


def test_mentor_refers_the_beneficiary_they_follow(client, mentor, beneficiary, partner):
    client.force_login(mentor)

    response = client.post(
        reverse("partners:referral_create", args=[beneficiary.public_id]),
        {"partner": partner.pk, "reason": "Recherche d'un local", "sent_on": days_ago(1)},
    )

    assert response.status_code == 302
    assert response.url == reverse("beneficiaires:detail", args=[beneficiary.public_id])
    referral = Referral.objects.get()
    assert referral.beneficiary == beneficiary
    assert referral.created_by == mentor
    assert referral.sent_on == days_ago(1)


def test_a_second_pending_referral_is_a_form_error(client, coordinator, beneficiary, partner):
    ReferralFactory(beneficiary=beneficiary, partner=partner)
    client.force_login(coordinator)

    response = client.post(
        reverse("partners:referral_create", args=[beneficiary.public_id]),
        {"partner": partner.pk, "reason": "Encore", "sent_on": days_ago(0)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["partner"]
    assert Referral.objects.count() == 1


def test_recording_an_answer_before_sending_is_a_clear_form_error(client, coordinator, referral):
    client.force_login(coordinator)

    response = client.post(
        reverse("partners:referral_update", args=[referral.public_id]),
        {"status": "accepted", "answered_on": days_ago(10)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["answered_on"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_recording_an_answer_goes_back_where_it_came_from(client, mentor, referral, beneficiary):
    client.force_login(mentor)
    back = reverse("beneficiaires:detail", args=[beneficiary.public_id])

    response = client.post(
        reverse("partners:referral_update", args=[referral.public_id]),
        {
            "status": "declined",
            "answered_on": days_ago(1),
            "answer_notes": "Plus de place",
            "next": back,
        },
    )

    assert response.status_code == 302
    assert response.url == back
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.answered_on == days_ago(1)
    assert referral.answer_notes == "Plus de place"


def test_answer_form_ignores_an_outside_next_address(client, coordinator, referral):
    client.force_login(coordinator)

    response = client.post(
        reverse("partners:referral_update", args=[referral.public_id]),
        {"status": "accepted", "answered_on": days_ago(0), "next": "https://evil.example/"},
    )

    assert response.url == reverse("partners:referrals")


def test_referrals_list_flags_unanswered_with_the_days_waiting(
    client, coordinator, beneficiary, other_beneficiary, partner
):
    old = ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(9))
    recent = ReferralFactory(beneficiary=other_beneficiary, partner=partner, sent_on=days_ago(2))
    client.force_login(coordinator)
    url = reverse("partners:referrals")

    response = client.get(url)

    assert list(response.context["page"].object_list) == [recent, old]
    assert response.context["unanswered_count"] == 1
    assert response.content.count(b'class="table-warning"') == 1
    assert list(client.get(url, {"unanswered": "on"}).context["page"].object_list) == [old]


def test_referrals_list_filters_by_status_and_partner(client, coordinator, beneficiary, partner):
    other_partner = OrganizationFactory(partner=True)
    accepted = ReferralFactory(
        beneficiary=beneficiary,
        partner=partner,
        sent_on=days_ago(9),
        status=ReferralStatus.ACCEPTED,
        answered_on=days_ago(8),
    )
    elsewhere = ReferralFactory(beneficiary=beneficiary, partner=other_partner)
    client.force_login(coordinator)
    url = reverse("partners:referrals")

    by_status = client.get(url, {"status": "accepted"}).context["page"].object_list
    by_partner = client.get(url, {"partner": other_partner.public_id}).context["page"].object_list

    assert list(by_status) == [accepted]
    assert list(by_partner) == [elsewhere]


def test_referrals_list_of_a_mentor_holds_only_followed_beneficiaries(
    client, mentor, beneficiary, other_beneficiary, partner, other_organization
):
    mine = ReferralFactory(beneficiary=beneficiary, partner=partner)
    ReferralFactory(beneficiary=other_beneficiary, partner=partner)
    ReferralFactory(
        beneficiary=BeneficiaryFactory(organization=other_organization), partner=partner
    )
    client.force_login(mentor)

    response = client.get(reverse("partners:referrals"))

    assert list(response.context["page"].object_list) == [mine]


# The section of a beneficiary's page


def render_section(user, beneficiary):
    request = RequestFactory().get("/beneficiaires/")
    request.user = user
    template = Template("{% load partners_tags %}{% beneficiary_referrals beneficiary %}")
    return template.render(Context({"request": request, "beneficiary": beneficiary}))


def test_section_lists_referrals_and_offers_to_refer(coordinator, referral, beneficiary):
    html = render_section(coordinator, beneficiary)

    assert referral.partner.name in html
    assert reverse("partners:referral_create", args=[beneficiary.public_id]) in html
    assert reverse("partners:referral_update", args=[referral.public_id]) in html


def test_section_flags_a_referral_waiting_for_seven_days(mentor, beneficiary, partner):
    ReferralFactory(beneficiary=beneficiary, partner=partner, sent_on=days_ago(8))

    html = render_section(mentor, beneficiary)

    assert 'class="table-warning"' in html
    assert "8" in html


def test_section_is_absent_for_the_beneficiary(referral, beneficiary):
    html = render_section(beneficiary.user, beneficiary)

    assert html.strip() == ""


def test_section_without_the_right_to_refer_has_no_button(admin, coordinator, beneficiary):
    # A mentor of the structure who does not follow this beneficiary.
    from accounts.enums import Role
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(organization=beneficiary.organization, role=Role.MENTOR).user

    html = render_section(stranger, beneficiary)

    assert reverse("partners:referral_create", args=[beneficiary.public_id]) not in html
    assert "empty-state" in html


def test_edit_form_starts_from_the_partner_own_themes(
    client, coordinator, partner, themes, other_organization
):
    foreign = ThemeFactory(organization=other_organization)
    partner.partner_themes.set([themes[1], foreign])
    client.force_login(coordinator)

    form = client.get(reverse("partners:edit", args=[partner.public_id])).context["form"]

    assert list(form["themes"].value()) == [themes[1].pk]
    assert "steward" not in form.fields


def test_territory_and_theme_filters_offer_one_empty_choice(client, coordinator, partner, themes):
    client.force_login(coordinator)

    form = client.get(reverse("partners:list")).context["filter"].form

    territory_values = [value for value, _label in form.fields["territory"].choices]
    theme_values = [value for value, _label in form.fields["theme"].choices]
    assert territory_values == ["", partner.territory]
    assert theme_values == ["", *sorted(theme.name for theme in themes)]

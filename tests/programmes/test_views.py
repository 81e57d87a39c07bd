import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programmes.enums import OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme, Theme
from tests.factories import OfferFactory, ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def detail_url(programme):
    return reverse("programmes:detail", args=[programme.public_id])


def message_levels(response):
    return [message.level_tag for message in get_messages(response.wsgi_request)]


# Programmes


def test_create_redirects_to_the_new_draft(client, coordinator, organization, partner):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:create"),
        {
            "title": "Fabrique à projets",
            "territory": "Vaulx-en-Velin",
            "start_date": "2027-01-15",
            "end_date": "2027-12-15",
            "coordinators": [coordinator.pk],
            "partner_organizations": [partner.pk],
        },
    )
    programme = Programme.objects.get(title="Fabrique à projets")
    assert response.status_code == 302
    assert response.url == detail_url(programme)
    assert programme.organization == organization
    assert programme.status == ProgrammeStatus.DRAFT
    assert list(programme.coordinators.all()) == [coordinator]
    assert list(programme.partner_organizations.all()) == [partner]


def test_create_with_errors_shows_them_on_the_fields(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:create"),
        {"title": "", "start_date": "2027-12-01", "end_date": "2027-01-01"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "end_date"}
    assert b"is-invalid" in response.content
    assert not Programme.objects.exists()


def test_create_form_offers_dates_as_date_inputs(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("programmes:create"))
    assert response.content.count(b'type="date"') == 2
    assert b'type="hidden" name="organization"' in response.content


def test_edit_saves_and_redirects(client, coordinator, programme):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:edit", args=[programme.public_id]),
        {
            "title": "Titre revu",
            "territory": "Lyon 8e",
            "start_date": "2026-09-01",
            "end_date": "",
            "coordinators": [coordinator.pk],
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.territory, programme.end_date) == (
        "Titre revu",
        "Lyon 8e",
        None,
    )


def test_refused_edit_does_not_show_as_saved(client, coordinator, programme):
    client.force_login(coordinator)
    old_title = programme.title
    response = client.post(
        reverse("programmes:edit", args=[programme.public_id]),
        {"title": "Pas enregistré", "start_date": "2026-09-01", "end_date": "2020-01-01"},
    )
    assert response.status_code == 200
    assert response.context["programme"].title == old_title
    programme.refresh_from_db()
    assert programme.title == old_title


def test_open_and_close_by_post(client, coordinator, draft_programme):
    OfferFactory(programme=draft_programme)
    client.force_login(coordinator)
    response = client.post(reverse("programmes:open", args=[draft_programme.public_id]))
    assert response.url == detail_url(draft_programme)
    draft_programme.refresh_from_db()
    assert draft_programme.status == ProgrammeStatus.OPEN
    client.post(reverse("programmes:close", args=[draft_programme.public_id]))
    draft_programme.refresh_from_db()
    assert draft_programme.status == ProgrammeStatus.CLOSED


def test_open_without_offer_shows_a_message(client, coordinator, draft_programme):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:open", args=[draft_programme.public_id]), follow=True
    )
    assert response.status_code == 200
    assert message_levels(response) == ["error"]
    assert b"alert-danger" in response.content
    draft_programme.refresh_from_db()
    assert draft_programme.status == ProgrammeStatus.DRAFT


def test_close_in_the_wrong_state_shows_a_message(client, coordinator, draft_programme):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:close", args=[draft_programme.public_id]), follow=True
    )
    assert response.status_code == 200
    assert b"alert-danger" in response.content


def test_duplicate_creates_a_draft_copy(client, coordinator, programme, offer, beneficiary):
    client.force_login(coordinator)
    url = reverse("programmes:duplicate", args=[programme.public_id])
    assert client.get(url).context["form"].initial["title"] == programme.title
    response = client.post(
        url, {"title": "Deuxième édition", "start_date": "2027-09-01", "end_date": "2028-06-30"}
    )
    copy = Programme.objects.get(title="Deuxième édition")
    assert response.url == detail_url(copy)
    assert copy.duplicated_from == programme
    assert copy.status == ProgrammeStatus.DRAFT
    assert copy.offers.count() == 1
    assert not copy.offers.get().enrollments.exists()


def test_duplicate_with_bad_dates_shows_the_form_again(client, coordinator, programme):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:duplicate", args=[programme.public_id]),
        {"title": "X", "start_date": "2028-09-01", "end_date": "2027-06-30"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["end_date"]
    assert Programme.objects.count() == 1


def test_detail_shows_management_actions_to_coordinators(client, coordinator, programme, offer):
    client.force_login(coordinator)
    response = client.get(detail_url(programme))
    content = response.content.decode()
    assert reverse("programmes:edit", args=[programme.public_id]) in content
    assert reverse("programmes:close", args=[programme.public_id]) in content
    assert reverse("programmes:open", args=[programme.public_id]) not in content
    assert reverse("programmes:duplicate", args=[programme.public_id]) in content
    assert reverse("programmes:offer_create", args=[programme.public_id]) in content
    assert reverse("programmes:offer_edit", args=[programme.public_id, offer.public_id]) in content
    assert "data-confirm" in content
    assert "INVALID_VARIABLE" not in content


def test_detail_hides_management_actions_from_mentors(client, mentor, programme, offer):
    client.force_login(mentor)
    content = client.get(detail_url(programme)).content.decode()
    assert reverse("programmes:edit", args=[programme.public_id]) not in content
    assert reverse("programmes:offer_edit", args=[programme.public_id, offer.public_id]) not in (
        content
    )


def test_detail_shows_the_themes_of_each_offer(client, mentor, programme, offer, themes):
    offer.themes.set(themes[:2])
    client.force_login(mentor)
    content = client.get(detail_url(programme)).content.decode()
    assert themes[0].name in content
    assert themes[1].name in content
    assert themes[2].name not in content


def test_a_closed_programme_offers_to_reopen_not_to_add_offers(client, coordinator, programme):
    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    client.force_login(coordinator)
    content = client.get(detail_url(programme)).content.decode()
    assert reverse("programmes:open", args=[programme.public_id]) in content
    assert reverse("programmes:offer_create", args=[programme.public_id]) not in content
    response = client.get(reverse("programmes:offer_create", args=[programme.public_id]))
    assert response.status_code == 302


def test_list_filters_by_territory_and_keeps_filters_in_pagination(
    client, coordinator, organization
):
    for n in range(25):
        ProgrammeFactory(organization=organization, territory=f"Villeurbanne {n}")
    ProgrammeFactory(organization=organization, territory="Grenoble")
    client.force_login(coordinator)
    response = client.get(reverse("programmes:list"), {"territory": "villeur"})
    page = response.context["page"]
    assert page.paginator.count == 25
    assert all("Villeurbanne" in p.territory for p in page.object_list)
    assert "territory=villeur&amp;page=2" in response.content.decode()
    assert reverse("programmes:create") in response.content.decode()


def test_list_has_no_create_button_for_mentors(client, mentor, programme, offer):
    client.force_login(mentor)
    response = client.get(reverse("programmes:list"))
    assert reverse("programmes:create") not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/not-a-uuid/",
        "/programmes/12345/modifier/",
        "/programmes/00000000-0000-0000-0000-000000000000/",
        "/programmes/themes/abc/modifier/",
        "/programmes/themes/999999/modifier/",
    ],
)
def test_bad_identifiers_are_404(client, coordinator, path):
    client.force_login(coordinator)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_status_change_of_an_unknown_programme_is_404(client, coordinator):
    client.force_login(coordinator)
    for action in ("ouvrir", "cloturer"):
        path = f"/programmes/00000000-0000-0000-0000-000000000000/{action}/"
        assert client.post(path).status_code == 404
        assert client.get(path).status_code == 405


# Offers


def test_offer_create_adds_a_group_offer(client, coordinator, programme, mentor, themes):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:offer_create", args=[programme.public_id]),
        {
            "kind": OfferKind.CODEVELOPMENT,
            "title": "Groupe de codéveloppement",
            "mode": OfferMode.GROUP,
            "channels": ["channel_in_person", "channel_video"],
            "duration_minutes": "150",
            "capacity": "8",
            "mentors": [mentor.pk],
            "themes": [themes[0].pk],
            "is_active": "on",
        },
    )
    assert response.url == detail_url(programme)
    offer = programme.offers.get()
    assert (offer.mode, offer.capacity, offer.channel_video, offer.channel_phone) == (
        OfferMode.GROUP,
        8,
        True,
        False,
    )
    assert list(offer.mentors.all()) == [mentor]
    assert list(offer.themes.all()) == [themes[0]]


def test_offer_form_errors_are_shown_not_raised(client, coordinator, programme):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:offer_create", args=[programme.public_id]),
        {
            "kind": OfferKind.WORKSHOP,
            "title": "Atelier",
            "mode": OfferMode.GROUP,
            "duration_minutes": "60",
            "capacity": "1",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"capacity", "channels"}
    assert not Offer.objects.exists()


def test_offer_form_page_carries_the_group_kinds(client, coordinator, programme):
    client.force_login(coordinator)
    content = client.get(
        reverse("programmes:offer_create", args=[programme.public_id])
    ).content.decode()
    assert 'data-group-kinds="codevelopment training workshop"' in content
    assert "js/programmes.js" in content


def test_offer_edit_saves(client, coordinator, programme, offer):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:offer_edit", args=[programme.public_id, offer.public_id]),
        {
            "kind": OfferKind.HOTLINE,
            "title": "Permanence téléphonique",
            "mode": OfferMode.INDIVIDUAL,
            "channels": ["channel_phone"],
            "duration_minutes": "30",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.kind, offer.title, offer.channel_in_person, offer.channel_phone) == (
        OfferKind.HOTLINE,
        "Permanence téléphonique",
        False,
        True,
    )
    assert offer.capacity == 1
    assert offer.is_active is False  # unchecked box


def test_offer_of_another_programme_is_404(client, coordinator, programme, organization):
    elsewhere = OfferFactory(programme=ProgrammeFactory(organization=organization))
    client.force_login(coordinator)
    url = reverse("programmes:offer_edit", args=[programme.public_id, elsewhere.public_id])
    assert client.get(url).status_code == 404


# Themes


def test_theme_create_and_list(client, coordinator, organization, mentor, partner):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:theme_create"),
        {
            "name": "Gouvernance partagée",
            "description": "Instances, rôles, décisions",
            "is_active": "on",
            "mentors": [mentor.pk],
            "partners": [partner.pk],
        },
    )
    assert response.url == reverse("programmes:themes")
    theme = Theme.objects.get(name="Gouvernance partagée")
    assert theme.organization == organization
    assert list(theme.mentors.all()) == [mentor]
    content = client.get(reverse("programmes:themes")).content.decode()
    assert "Gouvernance partagée" in content
    assert partner.name in content


def test_theme_duplicate_name_is_a_form_error_not_a_500(client, coordinator, themes):
    client.force_login(coordinator)
    response = client.post(reverse("programmes:theme_create"), {"name": themes[0].name})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    response = client.post(
        reverse("programmes:theme_edit", args=[themes[1].pk]), {"name": themes[0].name}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]


def test_theme_edit_switches_off(client, coordinator, themes):
    client.force_login(coordinator)
    response = client.post(
        reverse("programmes:theme_edit", args=[themes[0].pk]),
        {"name": themes[0].name, "description": "Plus proposé"},
    )
    assert response.status_code == 302
    themes[0].refresh_from_db()
    assert themes[0].is_active is False


def test_theme_list_shows_only_the_coordinators_structure(
    client, coordinator, themes, other_organization
):
    ThemeFactory(organization=other_organization, name="Thème d'ailleurs")
    client.force_login(coordinator)
    response = client.get(reverse("programmes:themes"))
    assert response.context["page"].paginator.count == 3
    assert "Thème d'ailleurs" not in response.content.decode()
    filtered = client.get(reverse("programmes:themes"), {"q": "financ"})
    assert [t.name for t in filtered.context["page"].object_list] == ["Financement"]

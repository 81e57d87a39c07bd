"""The public catalogue's pages pass axe-core at phone and desktop widths, on the demo data
with its published programmes and open events (core.demo.catalogue); so do the forms where
coordinators publish them."""

from django.urls import reverse

from core.demo.catalogue import seed_catalogue
from programmes.models import Programme
from seances.models import GroupSession
from tests.e2e.conftest import assert_accessible, log_in

WIDTHS = (390, 1280)


def public_pages() -> list[str]:
    programme = Programme.objects.get(title="Fabrique des initiatives citoyennes 2026-2027")
    event = GroupSession.objects.filter(is_open_event=True, offer__programme=programme).first()
    return [
        reverse("outreach:catalogue"),
        reverse("outreach:catalogue") + "?public=associations&territory=Val-de-Marne",
        reverse("outreach:catalogue") + "?q=aucun-programme-ne-parle-de-cela",
        reverse("outreach:catalogue_programme", args=[programme.slug]),
        reverse("outreach:catalogue_event", args=[event.public_id]),
    ]


def test_public_pages_pass_axe_on_a_phone_and_a_desktop(browser, demo):
    seed_catalogue()
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
        page = context.new_page()
        for path in public_pages():
            response = page.goto(f"{demo.url}{path}")
            assert response.status == 200, (width, path)
            assert_accessible(page)
        # A registration refused for a missing field, then the thank-you page.
        page.locator("#event-registration [type=submit]").click()
        assert_accessible(page)
        page.wait_for_timeout(3_200)
        page.fill("#id_name", f"Visiteur {width}")
        page.fill("#id_email", f"visiteur{width}@example.org")
        page.check("#id_consent")
        page.locator("#event-registration [type=submit]").click()
        page.wait_for_url("**/merci/")
        assert_accessible(page)
        context.close()


def test_publishing_forms_pass_axe(page, demo):
    seed_catalogue()
    programme = Programme.objects.get(title="Fabrique des initiatives citoyennes 2026-2027")
    event = GroupSession.objects.filter(is_open_event=True, offer__programme=programme).first()
    log_in(page, demo, "coordinatrice@example.org")
    for path in (
        reverse("programmes:edit", args=[programme.public_id]),
        reverse("programmes:detail", args=[programme.public_id]),
        reverse("seances:group_session_edit", args=[event.public_id]),
    ):
        response = page.goto(f"{demo.url}{path}")
        assert response.status == 200, path
        assert_accessible(page)

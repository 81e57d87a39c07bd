"""In Chromium: the coordinator enrolls from the diagnostic with a suggested mentor; the
beneficiary answers the questionnaire on a phone. Both pages pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

from beneficiaires.enums import Priority
from beneficiaires.models import Enrollment
from diagnostics.enums import NeedSource
from diagnostics.models import DiagnosticInvitation
from tests.diagnostics.conftest import NeedFactory, NeedsDiagnosticFactory, make_invitation
from tests.e2e.conftest import assert_accessible
from tests.factories import OfferFactory

PASSWORD = "un-mot-de-passe-solide"  # tests.factories.UserFactory's password


@pytest.fixture
def diagnostic(beneficiary, coordinator):
    """A draft diagnostic of beneficiary A, conducted by the coordinator."""
    return NeedsDiagnosticFactory(beneficiary=beneficiary, conducted_by=coordinator)


def new_page(browser, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.mark.django_db(transaction=True)
def test_coordinator_enrolls_with_a_suggested_mentor(
    browser,
    live_server,
    coordinator,
    diagnostic,
    themes,
    programme,
    mentor,
    other_mentor,
):
    NeedFactory(diagnostic=diagnostic, theme=themes[0], priority=Priority.HIGH)
    offer = OfferFactory(programme=programme, title="Coaching gouvernance")
    offer.themes.add(themes[0])
    offer.mentors.add(mentor, other_mentor)
    page = new_page(browser, 1280)
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/diagnostics/{diagnostic.public_id}/")
    assert_accessible(page)
    form = page.locator("form[action$='/inscrire/']")
    expect(form.locator("input[type=radio]").first).to_be_checked()
    form.get_by_label(re.compile(str(other_mentor))).check()
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/beneficiaires/{diagnostic.beneficiary.public_id}/")
    enrollment = Enrollment.objects.get(beneficiary=diagnostic.beneficiary, offer=offer)
    assert enrollment.referent_mentor == other_mentor


@pytest.mark.django_db(transaction=True)
def test_beneficiary_answers_the_questionnaire_on_a_phone(browser, live_server, diagnostic, themes):
    make_invitation(diagnostic, token="lien-pour-telephone")
    page = new_page(browser, 375)

    page.goto(f"{live_server.url}/diagnostics/questionnaire/lien-pour-telephone/")

    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    row = page.locator("fieldset.need-row", has_text=themes[1].name)
    expect(row.locator("textarea")).to_be_hidden()
    row.locator("input[type=checkbox]").check()
    expect(row.locator("textarea")).to_be_visible()
    assert_accessible(page)
    row.locator("select").select_option(str(Priority.HIGH.value))
    row.locator("textarea").fill("Trouver de quoi payer la salle")
    page.locator("textarea[name=expectations]").fill("Ne plus être seuls")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    assert DiagnosticInvitation.objects.get().answered_at is not None
    need = diagnostic.needs.get()
    assert (need.theme, need.priority, need.source) == (
        themes[1],
        Priority.HIGH,
        NeedSource.BENEFICIARY,
    )
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/diagnostics/questionnaire/lien-pour-telephone/")
    assert response.status == 410
    assert_accessible(page)

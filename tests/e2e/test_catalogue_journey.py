"""In Chromium, on a phone: a visitor filters the public catalogue, opens a programme's page,
then registers for its open event without an account; the coordinator finds the person in
the outreach list, and the event shows one seat fewer.

Selectors use names and ids, not the French labels of strings still being translated."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from beneficiaires.enums import OutreachStage, Source
from beneficiaires.models import Beneficiary
from programmes.enums import Audience
from seances.enums import RegistrationStatus
from seances.models import Registration
from tests.e2e.conftest import assert_accessible
from tests.factories import ProgrammeFactory
from tests.outreach.catalogue_fixtures import *  # noqa: F403 (fixtures)


def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.mark.django_db(transaction=True)
def test_a_visitor_finds_a_programme_and_registers_for_its_open_event(
    browser, live_server, catalogue_programme, open_event, organization
):
    # Another published programme, for young people only: the filter leaves it out.
    ProgrammeFactory(
        organization=organization,
        title="Jeunes en action",
        is_published=True,
        slug="jeunes-en-action",
        audiences=[Audience.YOUTH],
    )
    phone = phone_page(browser)

    phone.goto(f"{live_server.url}{reverse('outreach:catalogue')}")
    expect(phone.locator("main article")).to_have_count(2)
    assert_accessible(phone)
    phone.select_option("#id_public", Audience.ASSOCIATIONS)  # submits the filter form
    phone.wait_for_url("**/catalogue/?*public=associations*")
    expect(phone.locator("main article")).to_have_count(1)
    assert_accessible(phone)

    phone.get_by_role("link", name=catalogue_programme.title).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(catalogue_programme.title)
    expect(phone.locator("main")).to_contain_text("Six mois, confidentiel.")
    assert_accessible(phone)

    phone.get_by_role("link", name="Réunion d'information").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Réunion d'information")
    assert_accessible(phone)
    # Sent at once, the form is taken for a bot's; a person takes a few seconds anyway.
    phone.wait_for_timeout(3_200)
    phone.fill("#id_name", "Camille Martin")
    phone.fill("#id_email", "camille@example.org")
    phone.fill("#id_territory", "Villeurbanne")
    phone.check("#id_consent")
    phone.locator("#event-registration [type=submit]").click()

    phone.wait_for_url("**/merci/")
    assert_accessible(phone)
    expect(phone.locator("main")).not_to_contain_text("camille@example.org")
    phone.context.close()

    person = Beneficiary.objects.get(email="camille@example.org")
    assert (person.stage, person.source) == (OutreachStage.TO_CONTACT, Source.EVENT)
    registration = Registration.objects.get(session=open_event, beneficiary=person)
    assert registration.status == RegistrationStatus.REGISTERED


@pytest.mark.django_db(transaction=True)
def test_the_form_shows_field_errors_without_losing_the_input(browser, live_server, open_event):
    phone = phone_page(browser)
    url = reverse("outreach:catalogue_event", args=[open_event.public_id])
    phone.goto(f"{live_server.url}{url}")
    phone.wait_for_timeout(3_200)
    phone.fill("#id_name", "Camille Martin")
    phone.check("#id_consent")
    # Neither email nor phone: the browser lets it through, the server says what is missing.
    phone.locator("#event-registration [type=submit]").click()

    expect(phone.locator("#id_name")).to_have_value("Camille Martin")
    expect(phone.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    assert_accessible(phone)
    assert not Registration.objects.exists()
    phone.context.close()

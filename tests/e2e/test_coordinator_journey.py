"""Issue 3's journey: from a contact list to a diagnosed beneficiary enrolled with a mentor.

A coordinator imports a contact list, records a first contact, runs a needs diagnostic,
enrolls the beneficiary in a recommended offer with the suggested mentor, and finds them on
the programme's pilotage page.
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Organization
from beneficiaires.models import Beneficiary, Enrollment
from programmes.models import Programme, Theme
from tests.e2e.conftest import assert_accessible, log_in

ACTOR = "Collectif du jardin des Canuts"
CSV = (
    "nom;type;contact;email;telephone;code_postal;territoire;situation;priorite;notes\n"
    f"{ACTOR};Collectif d'habitants;Mireille Faure;jardin.canuts@example.net;;69004;"
    "Lyon 4e;Veut agir, ne sait pas comment;Haute;Rencontré au forum\n"
    "Amicale bouliste de la Croix-Rousse;Association;Henri Blanc;;04 78 00 00 00;69004;"
    "Lyon 4e;Pas encore de projet envisagé;Basse;\n"
)


def test_from_contact_list_to_enrolled_with_a_suggested_mentor(page, demo):
    url = demo.url
    programme = Programme.objects.get(title="Fabrique des initiatives citoyennes 2026-2027")
    log_in(page, demo, "coordinatrice@example.org")

    # 1. Import the contact list, from the outreach list.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Bénéficiaires", exact=True
    ).click()
    page.locator(f"a[href='{reverse('beneficiaires:import')}']").first.click()
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(
        {"name": "contacts.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.locator("#id_programme").select_option(str(programme.pk))
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/import/apercu/"))
    expect(page.locator("main table")).to_contain_text(ACTOR)
    assert_accessible(page)
    page.locator("main form:has(input[name=token]) button[type=submit]").click()
    actor = Beneficiary.objects.get(name=ACTOR)
    assert (actor.stage, actor.programme_id, actor.source) == ("to_contact", programme.pk, "import")
    assert Beneficiary.objects.filter(name="Amicale bouliste de la Croix-Rousse").exists()

    # 2. Record a first contact: the actor moves to "contacted".
    page.goto(f"{url}{reverse('beneficiaires:list')}?q=Canuts")
    page.get_by_role("link", name=ACTOR).click()
    assert_accessible(page)
    page.locator("summary", has_text="Enregistrer un contact").click()
    page.locator("#id_outcome").fill("Premier appel : présentation du cadre, intéressé·es.")
    page.locator(
        f"form[action='{reverse('beneficiaires:contact_add', args=[actor.public_id])}'] "
        "[type=submit]"
    ).click()
    expect(page.locator("main")).to_contain_text("Premier appel : présentation du cadre")
    actor.refresh_from_db()
    assert actor.stage == "contacted"

    # 3. Run the needs diagnostic: two themes, then complete it.
    page.locator(f"a[href='{reverse('diagnostics:create', args=[actor.public_id])}']").first.click()
    assert_accessible(page)
    lyon = Organization.objects.get(name="Maison des initiatives citoyennes")
    for name in ("Financement", "Montage de projet"):
        theme = Theme.objects.get(organization=lyon, name=name)
        page.locator(f"#id_theme_{theme.pk}_selected").check()
    page.locator("#id_method").select_option("interview")
    page.locator("#id_expectations").fill("Trouver des financements pour le jardin partagé.")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/diagnostics/[0-9a-f-]{36}/$"))
    page.get_by_role("button", name="Marquer comme terminé").click()
    actor.refresh_from_db()
    assert actor.stage == "diagnosed"
    assert_accessible(page)

    # 4. Enroll in the best recommended offer with the suggested (pre-selected) mentor.
    first = page.locator("article.recommendation:has(form)").first
    offer_title = first.locator("h3").inner_text()
    suggested = first.locator("input[name=mentor]:checked")
    mentor_label = first.locator(f"label[for='{suggested.get_attribute('id')}']").inner_text()
    first.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/beneficiaires/{actor.public_id}/"))
    enrollment = Enrollment.objects.select_related("offer", "referent_mentor").get(
        beneficiary=actor
    )
    assert enrollment.offer.title == offer_title
    assert str(enrollment.referent_mentor) in mentor_label
    actor.refresh_from_db()
    assert actor.stage == "enrolled"

    # 5. The programme's pilotage page counts them; its "enrolled" bar lists them.
    page.goto(url)
    page.locator(
        f"a[href='{reverse('core:programme_dashboard', args=[programme.public_id])}']"
    ).click()
    assert_accessible(page)
    page.locator("table.bar-chart a[href$='stage=enrolled']").click()
    expect(page.get_by_role("link", name=ACTOR)).to_be_visible()

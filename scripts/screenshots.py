"""Screenshots of the main pages for the README: `python scripts/screenshots.py URL`.

Needs a running server with the demo data (`make run`) and Debian's chromium. The closing
report's first page is made with `pdftoppm` from a PDF downloaded from the site.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "demo-accompagnement"  # noqa: S105 (the public demo password)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SHOTS = [
    # (file, login, path, viewport width)
    ("login.png", None, "/compte/connexion/", 1280),
    ("coordinator-home.png", "coordinatrice@example.org", "/", 1280),
    ("programme-detail.png", "coordinatrice@example.org", "PROGRAMME", 1280),
    ("pilotage.png", "coordinatrice@example.org", "PILOTAGE", 1280),
    ("outreach-table.png", "coordinatrice@example.org", "/beneficiaires/", 1280),
    ("diagnostic.png", "coordinatrice@example.org", "DIAGNOSTIC", 1280),
    ("mentor-home.png", "accompagnant@example.org", "/", 1280),
    ("mentor-agenda.png", "accompagnant@example.org", "/agenda/", 1280),
    ("booking-week-phone.png", "beneficiaire@example.org", "BOOKING", 390),
    ("group-session.png", "coordinatrice@example.org", "GROUP", 1280),
    ("beneficiary-home-phone.png", "beneficiaire@example.org", "/", 390),
    ("seance-record.png", "beneficiaire@example.org", "RECORD", 1280),
    ("action-plan.png", "accompagnant@example.org", "/plan-d-action/", 1280),
    ("codev-facilitator-phone.png", "accompagnant@example.org", "CODEV", 390),
    ("evaluation-dashboard.png", "coordinatrice@example.org", "EVALUATION", 1280),
    ("questionnaire-phone.png", "beneficiaire@example.org", "QUESTIONNAIRE", 390),
    ("catalogue.png", None, "/catalogue/", 1280),
    ("support-request-phone.png", None, "REQUEST", 390),
    ("campaign.png", "coordinatrice@example.org", "CAMPAIGN", 1280),
    ("showcase.png", "accompagnant@example.org", "/reseau/projets/", 1280),
    ("audit-journal.png", "coordinatrice@example.org", "/journal/", 1280),
]


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, email, path, width in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
            page = context.new_page()
            if email:
                page.goto(f"{base}/compte/connexion/")
                page.get_by_label("Adresse e-mail").fill(email)
                page.get_by_label("Mot de passe").fill(PASSWORD)
                page.get_by_role("button", name="Se connecter").click()
                page.wait_for_load_state("networkidle")
            if path == "PROGRAMME":
                page.goto(f"{base}/programmes/")
                page.locator("tbody a").first.click()
            elif path == "PILOTAGE":
                page.goto(f"{base}/")
                page.locator("a[href$='/pilotage/']").last.click()
            elif path == "BOOKING":
                page.goto(f"{base}/rendez-vous/")
                page.locator("main a[href*='/rendez-vous/offre/']").first.click()
                if "/creneaux/" not in page.url:
                    page.locator("main form[method=get] [type=submit]").click()
            elif path == "GROUP":
                page.goto(f"{base}/sessions-collectives/")
                links = page.locator("main a[href^='/sessions-collectives/'][href$='/']")
                links.filter(has_text="Atelier").first.click()
            elif path == "DIAGNOSTIC":
                page.goto(f"{base}/beneficiaires/?stage=diagnosed")
                page.locator("tbody a[href^='/beneficiaires/']").first.click()
                diagnostic_links = "main a[href^='/diagnostics/']:not([href*='beneficiaire'])"
                page.locator(diagnostic_links).first.click()
            elif path == "RECORD":
                page.goto(f"{base}/")
                page.locator("main a[href^='/clotures/']").first.click()
            elif path == "CODEV":
                page.goto(f"{base}/seances/?kind=codevelopment")
                page.locator("main li a[href^='/seances/']").first.click()
                page.locator("main a[href$='/codeveloppement/']").first.click()
            elif path == "EVALUATION":
                page.goto(f"{base}/")
                page.locator("a[href$='/pilotage/']").last.click()
                page.locator("main a[href$='/tableau-de-bord/']").first.click()
            elif path == "QUESTIONNAIRE":
                page.goto(f"{base}/evaluation/mes-questionnaires/")
                page.locator("main a[href^='/evaluation/mes-questionnaires/']").first.click()
            elif path == "REQUEST":
                page.goto(f"{base}/catalogue/")
                page.locator("main h2 a[href^='/catalogue/']").last.click()
                page.locator("main a[href$='/demande/']").first.click()
            elif path == "CAMPAIGN":
                page.goto(f"{base}/campagnes/")
                page.locator("main tbody a[href^='/campagnes/']").last.click()
            else:
                page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / name, full_page=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")

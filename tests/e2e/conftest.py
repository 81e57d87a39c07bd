"""Browser journeys: Playwright drives Debian's Chromium against the live server."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "demo-accompagnement"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture(autouse=True)
def _short_timeouts(live_server, page):
    # live_server first: started before the browser, it stops after it, so no request of
    # Chromium's is still being answered while the server shuts down.
    page.set_default_timeout(10_000)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup, django_db_blocker):
    """pytest-django's live server, and afterwards no request thread left holding a connection.

    The server's request threads are daemons: one still finishing a request when the server
    stops keeps its PostgreSQL session, and the test database could not be dropped."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(request.config.getvalue("liveserver") or "localhost")
    yield server
    server.stop()
    if connections["default"].vendor == "postgresql":
        with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _close_connections():
    """Queries a journey makes while Playwright's loop is current open a connection bound to
    that context; close it, or PostgreSQL refuses to drop the test database at the end."""
    yield
    if connections["default"].vendor == "postgresql":
        connections.close_all()


@pytest.fixture
def demo(live_server):
    """The demo data set, in the live server's database."""
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server


def log_in(page, live_server, email, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")


def assert_accessible(page):
    """axe-core finds no serious or critical violation on the current page."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm ci` (the Makefile's test target does)")
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']})"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], f"{page.url}:\n" + "\n".join(serious)


def follow_nav(page, href: str) -> None:
    """Click the main navigation's link to `href`, opening its menu first when it sits in one."""
    nav = page.get_by_role("navigation", name="Navigation principale")
    link = nav.locator(f"a[href='{href}']").first
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/button").click()
    link.click()
    page.wait_for_load_state("networkidle")

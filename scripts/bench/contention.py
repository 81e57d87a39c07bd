"""Booking contention over HTTP: many people click the same free slot at the same moment.

Logs in one session per contention account (targets.json), asks the slots API for a free
slot of the offer, then sends every session's booking of that slot at once (a barrier) to
the real booking endpoint, POST /api/v1/appointments/. Exactly one may succeed (201); the
others must be refused (4xx), never a server error. The booked appointment is cancelled
afterwards, so the run leaves the slot free.
"""

from __future__ import annotations

import datetime
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from proxy import TlsProxyAdapter

LOGIN_URL = "/compte/connexion/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUERY_HEADER = "X-Query-Count"
LOGIN_THREADS = 4


class Browser:
    """One logged-in person: a requests session that behaves like a browser behind the proxy."""

    def __init__(self, base_url: str):
        self.base_url = self.origin = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.mount("https://", TlsProxyAdapter())

    def log_in(self, email: str, password: str) -> None:
        page = self.session.get(self.base_url + LOGIN_URL, timeout=60)
        token = CSRF_FIELD.search(page.text)
        response = self.session.post(
            self.base_url + LOGIN_URL,
            data={
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers=self._headers(LOGIN_URL),
            allow_redirects=False,
            timeout=60,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login refused for {email} ({response.status_code})")

    def get(self, path: str, **params) -> requests.Response:
        return self.session.get(self.base_url + path, params=params, timeout=60)

    def post_json(self, path: str, payload: dict) -> requests.Response:
        return self.session.post(
            self.base_url + path, json=payload, headers=self._headers("/rendez-vous/"), timeout=120
        )

    def _headers(self, path: str) -> dict:
        return {
            "Origin": self.origin,
            "Referer": self.origin + path,
            "X-CSRFToken": self.session.cookies.get("csrftoken", ""),
        }


def run(base_url: str, targets: dict) -> dict:
    contention = targets["contention"]
    emails = contention["emails"]
    browsers = [Browser(base_url) for _ in emails]
    with ThreadPoolExecutor(LOGIN_THREADS) as pool:
        list(
            pool.map(
                lambda pair: pair[0].log_in(pair[1], targets["password"]),
                zip(browsers, emails, strict=True),
            )
        )

    today = datetime.date.today()
    slots = browsers[0].get(
        "/api/v1/slots/",
        offer=contention["offer"],
        start=(today + datetime.timedelta(days=2)).isoformat(),
        end=(today + datetime.timedelta(days=20)).isoformat(),
    )
    slots.raise_for_status()
    if not slots.json():
        raise RuntimeError("No free slot to fight over for the contention offer.")
    slot = slots.json()[-1]  # the latest: away from the load test's bookings
    payload = {
        "offer": contention["offer"],
        "mentor": slot["mentor"],
        "starts_at": slot["starts_at"],
    }

    barrier = threading.Barrier(len(browsers))
    results: list[dict] = [{} for _ in browsers]

    def attempt(number: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            response = browsers[number].post_json("/api/v1/appointments/", payload)
        except requests.RequestException as exc:
            results[number] = {"status": 0, "error": str(exc)}
            return
        results[number] = {
            "status": response.status_code,
            "ms": (time.perf_counter() - started) * 1000,
            "queries": int(response.headers.get(QUERY_HEADER) or 0) or None,
            "id": response.json().get("id") if response.status_code == 201 else None,
        }

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for number, result in enumerate(results):
        if result.get("id"):
            browsers[number].post_json(f"/api/v1/appointments/{result['id']}/cancel/", {})
    statuses = [r["status"] for r in results]
    return {
        "attempts": len(results),
        "distinct_accounts": contention["distinct"],
        "successes": statuses.count(201),
        "refused": sum(1 for s in statuses if 400 <= s < 500),
        "server_errors": sum(1 for s in statuses if s >= 500),
        "failed": statuses.count(0),
        "timings": sorted(r["ms"] for r in results if "ms" in r),
        "queries": [r["queries"] for r in results if r.get("queries")],
        "slot": slot["starts_at"],
    }

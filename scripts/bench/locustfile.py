"""`make bench`: three kinds of people on their key pages and API endpoints.

Run by scripts/bench/run.py (locust headless); reads the accounts and objects from
BENCH_TARGETS (written by scripts/bench/targets.py) and writes every request it timed, with
the `X-Query-Count` header of the response, to BENCH_SAMPLES when locust quits.

Requests are named by endpoint, not by URL. Each person logs in through the login form
(CSRF token included). The server runs the production settings, which expect a TLS proxy in
front: the host is https://…, and proxy.TlsProxyAdapter plays that proxy's part.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path

from gevent.lock import Semaphore
from locust import HttpUser, between, events, task
from proxy import TlsProxyAdapter

TARGETS = json.loads(Path(os.environ["BENCH_TARGETS"]).read_text())
SAMPLES_FILE = Path(os.environ["BENCH_SAMPLES"])
THINK_MIN, THINK_MAX = (float(x) for x in os.environ.get("BENCH_THINK", "0.5,1.5").split(","))
QUERY_HEADER = "X-Query-Count"
LOGIN_URL = "/compte/connexion/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# name → [[ms, queries or None, status, error, refused, during warm-up], …]
SAMPLES: dict[str, list] = defaultdict(list)
# Warm-up: until every user has logged in (logins hash passwords: they hold a worker each).
STATE = {"logged_in": 0, "ready_at": None, "expected": int(os.environ.get("BENCH_USERS", "8"))}
# One booking at a time per account: two users sharing an account would hit its booking limit.
BOOKING_LOCKS: dict[str, Semaphore] = defaultdict(Semaphore)
_account_numbers: dict[str, itertools.count] = defaultdict(itertools.count)
# Which page, filter or slot comes next: load-test choices, nothing secret.
pick = random.Random()  # noqa: S311


@events.request.add_listener
def record(name, response_time, response, exception, context, **kwargs):
    queries = response.headers.get(QUERY_HEADER) if response is not None else None
    status = getattr(response, "status_code", 0) or 0
    SAMPLES[name].append(
        [
            round(response_time, 2),
            int(queries) if queries else None,
            status,
            exception is not None,
            bool(context.get("refused")),
            STATE["ready_at"] is None or time.time() < STATE["ready_at"],
        ]
    )


@events.quitting.add_listener
def write_samples(environment, **kwargs):
    SAMPLES_FILE.write_text(json.dumps({"samples": SAMPLES}))


class Person(HttpUser):
    abstract = True
    wait_time = between(THINK_MIN, THINK_MAX)
    role = ""

    def on_start(self):
        accounts = TARGETS[self.role]
        self.account = accounts[next(_account_numbers[self.role]) % len(accounts)]
        self.origin = self.host.rstrip("/")
        self.client.mount("https://", TlsProxyAdapter())
        self.log_in()
        STATE["logged_in"] += 1
        if STATE["logged_in"] >= STATE["expected"] and STATE["ready_at"] is None:
            STATE["ready_at"] = time.time()

    def log_in(self):
        page = self.client.get(LOGIN_URL, name="login form")
        token = CSRF_FIELD.search(page.text)
        with self.client.post(
            LOGIN_URL,
            data={
                "username": self.account["email"],
                "password": TARGETS["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers=self.post_headers(LOGIN_URL),
            allow_redirects=False,
            name="login (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused for {self.account['email']}")

    def post_headers(self, path: str) -> dict:
        return {
            "Origin": self.origin,
            "Referer": self.origin + path,
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
        }

    def get(self, path: str, name: str, **params):
        """A page or endpoint that must answer 200 (a redirect would be to the login page)."""
        with self.client.get(
            path, params=params or None, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
        return response


def this_week(offset_weeks: int = 0) -> str:
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    return (monday + datetime.timedelta(weeks=offset_weeks)).isoformat()


class Coordinator(Person):
    weight = 2
    role = "coordinators"

    @task(3)
    def home(self):
        self.get("/", "coordinator: home")

    @task(4)
    def beneficiary_list_filtered(self):
        account = self.account
        filters = pick.choice(
            [
                {"stage": pick.choice(account["stages"]), "sort": "-priority"},
                {"programme": pick.choice(account["programmes"] or [""])},
                {
                    "programme": pick.choice(account["programmes"] or [""]),
                    "stage": pick.choice(account["stages"]),
                },
                {"q": pick.choice(account["searches"] or ["a"])},
                {"priority": "1", "kind": "association", "sort": "-stage_changed"},
                {"situation": "wants_to_act", "page": "2"},
            ]
        )
        self.get("/beneficiaires/", "coordinator: beneficiary list (filters)", **filters)

    @task(1)
    def beneficiary_list(self):
        self.get("/beneficiaires/", "coordinator: beneficiary list")

    @task(2)
    def beneficiary_detail(self):
        if self.account["beneficiaries"]:
            beneficiary = pick.choice(self.account["beneficiaries"])
            self.get(f"/beneficiaires/{beneficiary}/", "coordinator: beneficiary record")

    @task(2)
    def evaluation_dashboard(self):
        if self.account["programmes"]:
            programme = pick.choice(self.account["programmes"])
            self.get(
                f"/evaluation/programmes/{programme}/tableau-de-bord/",
                "coordinator: evaluation dashboard",
            )

    @task(1)
    def programme_pilotage(self):
        if self.account["programmes"]:
            programme = pick.choice(self.account["programmes"])
            self.get(f"/programmes/{programme}/pilotage/", "coordinator: programme pilotage")

    @task(2)
    def mentors_agenda(self):
        self.get("/agenda/accompagnants/", "coordinator: mentors' agenda")

    @task(1)
    def one_mentor_week(self):
        if self.account["mentors"]:
            mentor = pick.choice(self.account["mentors"])
            self.get("/agenda/", "coordinator: a mentor's week", mentor=mentor)

    @task(1)
    def api_beneficiaries(self):
        self.get("/api/v1/beneficiaires/", "API: beneficiaries (coordinator)")


class Mentor(Person):
    weight = 3
    role = "mentors"

    @task(3)
    def home(self):
        self.get("/", "mentor: home")

    @task(3)
    def agenda(self):
        self.get("/agenda/", "mentor: agenda (week)", week=this_week(pick.randint(-2, 2)))

    @task(3)
    def seance_detail(self):
        if self.account["seances"]:
            seance = pick.choice(self.account["seances"])
            self.get(f"/seances/{seance}/", "mentor: séance detail")

    @task(1)
    def seance_list(self):
        self.get("/seances/", "mentor: séance list")

    @task(1)
    def api_appointments(self):
        self.get(
            "/api/v1/appointments/",
            "API: appointments of the week (mentor)",
            **{"from": this_week(), "to": this_week(1)},
        )


class Beneficiary(Person):
    weight = 3
    role = "beneficiaries"

    @task(3)
    def home(self):
        self.get("/", "beneficiary: home")

    @task(1)
    def booking_offers(self):
        self.get("/rendez-vous/", "beneficiary: booking, offers")

    @task(2)
    def booking_week(self):
        offer = pick.choice(self.account["offers"])
        self.get(
            f"/rendez-vous/offre/{offer['id']}/creneaux/",
            "beneficiary: booking, free slots (page)",
            accompagnant=offer["mentor"],
        )

    @task(3)
    def book_and_cancel(self):
        """Free slots from the API, book one, cancel it: the slots do not run out."""
        offer = pick.choice(self.account["offers"])
        today = datetime.date.today()
        slots = self.client.get(
            "/api/v1/slots/",
            params={
                "offer": offer["id"],
                "mentor": offer["mentor"],
                "start": today.isoformat(),
                "end": (today + datetime.timedelta(days=offer["horizon_days"] - 1)).isoformat(),
            },
            name="API: free slots",
        )
        if slots.status_code != 200 or not slots.json():
            return
        slot = pick.choice(slots.json())
        with BOOKING_LOCKS[self.account["email"]]:
            self.book(offer, slot)

    def book(self, offer: dict, slot: dict):
        with self.client.post(
            "/api/v1/appointments/",
            json={"offer": offer["id"], "mentor": slot["mentor"], "starts_at": slot["starts_at"]},
            headers=self.post_headers("/rendez-vous/"),
            name="API: book a slot",
            catch_response=True,
        ) as response:
            if response.status_code == 400:
                # Someone else took the slot between the list and the click: a refusal the
                # person sees, not an error (counted apart).
                response.request_meta["context"]["refused"] = True
                response.success()
                return
            if response.status_code != 201:
                return
            appointment = response.json()["id"]
        self.client.post(
            f"/api/v1/appointments/{appointment}/cancel/",
            json={"reason": ""},
            headers=self.post_headers("/rendez-vous/"),
            name="API: cancel the appointment",
        )

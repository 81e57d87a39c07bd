"""Fixtures for the outbox: a way to write notifications, the SMS outbox, a real SMTP server."""

import asyncio
import os
import socket
import threading
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.fixups.django import DjangoWorkerFixup
from django.utils import timezone

from accompagnement.celery import app
from notifications import sms
from notifications.enums import Channel, NotificationKind
from notifications.services import notify


@pytest.fixture(autouse=True)
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def make_notification(db):
    """notify() with the arguments of an appointment reminder, any of them overridden."""
    counter = iter(range(1, 10_000))

    def make(**overrides):
        arguments = {
            "kind": NotificationKind.APPOINTMENT_REMINDER,
            "channel": Channel.EMAIL,
            "to_address": "ines@example.org",
            "subject": "Rappel",
            "body_text": "Votre rendez-vous",
            "body_html": "<p>Votre rendez-vous</p>",
            "object_type": "seances.appointment",
            "object_id": next(counter),
            "scheduled_for": timezone.now() - timedelta(minutes=1),
        }
        arguments.update(overrides)
        return notify(**arguments)

    return make


class RecordingHandler:
    """Collects what the SMTP server accepted."""

    def __init__(self) -> None:
        self.envelopes = []
        self.lock = threading.Lock()
        # Seconds spent before answering: widens the window in which two senders could race.
        self.delay = 0.0
        # The SMTP sessions (one per connection) messages came through.
        self.sessions = []
        # Recipients answered "451" at DATA: a temporary refusal of that one message.
        self.refuse = set()
        # A recipient whose RCPT is held unanswered until `release` is set, and the signal
        # that a sender is waiting on it: a client stuck in the middle of a message.
        self.hold = None
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        await asyncio.sleep(self.delay)
        if self.refuse & set(envelope.rcpt_tos):
            return "451 Try again later"
        with self.lock:
            self.envelopes.append(envelope)
            if not any(known is session for known in self.sessions):
                self.sessions.append(session)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a fixed port, which a test starts when it wants."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = RecordingHandler()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list:
        with self.handler.lock:
            return list(self.handler.envelopes)

    def message_ids(self) -> list[str]:
        return [
            message_from_bytes(envelope.original_content)["Message-ID"]
            for envelope in self.received
        ]


@pytest.fixture
def smtp_server(settings):
    """Not started: the test calls .start(). Django sends through SMTP to it."""
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def redis_worker(monkeypatch):
    """A real Celery worker thread consuming from REDIS_URL (as in tests/core)."""
    # Celery's Django fixup would close the database connections the worker thread shares
    # with the test, as it does after a fork.
    monkeypatch.setattr(DjangoWorkerFixup, "on_worker_process_init", lambda self, **kw: None)
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=os.environ["REDIS_URL"], task_always_eager=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as w:
            yield w
    finally:
        app.conf.update(previous)


@pytest.fixture
def beat_schedule(db):
    """The periodic tasks the data migrations create. A transactional test run earlier empties
    every table (migration data included), so they are written again, as the migrations do."""
    import importlib

    from django.apps import apps

    for name, function in (
        ("notifications.migrations.0002_beat_dispatch_due", "create_periodic_task"),
        ("notifications.migrations.0003_beat_notification_scans", "create_periodic_tasks"),
        ("evaluation.migrations.0003_beat_evaluation_invitations", "create_periodic_task"),
    ):
        migration = importlib.import_module(name)
        getattr(migration, function)(apps, None)

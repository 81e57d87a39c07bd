"""The email task goes through the real Redis broker and a real Celery worker."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.fixups.django import DjangoWorkerFixup
from django.core import mail
from django.urls import reverse

from accompagnement.celery import app
from tests.factories import UserFactory


@pytest.fixture
def redis_worker(monkeypatch):
    # The worker runs as a thread of this process: Celery's Django fixup would close the
    # database file descriptors it shares with the test, as it does after a fork.
    monkeypatch.setattr(DjangoWorkerFixup, "on_worker_process_init", lambda self, **kw: None)
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=os.environ["REDIS_URL"], task_always_eager=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as w:
            yield w
    finally:
        app.conf.update(previous)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)  # the worker's start closes the test's connection
def test_password_reset_email_is_delivered_by_a_worker(client, redis_worker):
    UserFactory(email="ines@example.org")

    client.post(reverse("accounts:password_reset"), {"email": "ines@example.org"})

    # task_always_eager is off: the message can only arrive through Redis and the worker.
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m.to for m in mail.outbox] == [["ines@example.org"]]
    assert "Réinitialis" in mail.outbox[0].subject or "Reset" in mail.outbox[0].subject

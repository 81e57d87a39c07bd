"""The daily retention task through the real broker and a worker: notice written, email sent."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.fixups.django import DjangoWorkerFixup
from django.core import mail

from accompagnement.celery import app
from privacy.models import RetentionNotice
from privacy.tasks import apply_retention
from tests.privacy.test_retention import dormant  # noqa: F401 (fixture)


@pytest.fixture
def redis_worker(monkeypatch):
    # The worker runs as a thread of this process (see tests/core/test_celery_redis.py).
    monkeypatch.setattr(DjangoWorkerFixup, "on_worker_process_init", lambda self, **kw: None)
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=os.environ["REDIS_URL"], task_always_eager=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as w:
            yield w
    finally:
        app.conf.update(previous)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_daily_task_runs_in_a_worker(dormant, coordinator, redis_worker):  # noqa: F811
    apply_retention.delay()

    deadline = time.monotonic() + 30
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert RetentionNotice.objects.get().beneficiary == dormant
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

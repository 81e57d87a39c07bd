"""A worker process killed in the middle of a chunk: nothing lost, nothing sent twice.

Real parts only: Celery worker processes started like `make worker` does, Redis, PostgreSQL
(the test database, committed rows) and an SMTP server. The SMTP server holds one message at
RCPT, so the worker is killed (SIGKILL, no warm shutdown) at a known point: some rows of its
chunk sent and committed, one being sent under its row lock, the rest not started.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection, transaction

from accompagnement.celery import app
from notifications.channels import message_id
from notifications.enums import NotificationStatus
from notifications.models import Notification
from notifications.tasks import deliver_notifications, dispatch_due_notifications

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROWS = 12
HELD = 5  # The sixth row of the chunk is the one in flight when the worker dies.


def wait_for(condition, timeout: float = 60, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def lock_released(pk: int) -> bool:
    with transaction.atomic():
        return Notification.objects.select_for_update(skip_locked=True).filter(pk=pk).exists()


def start_worker(name: str, smtp_port: int) -> subprocess.Popen:
    """A worker in its own process group, on the test database, sending to the test server."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accompagnement.settings.base",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "REDIS_URL": os.environ["REDIS_URL"],
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DEBUG": "false",
        "SECRET_KEY": "worker-killed-test",
        "ALLOWED_HOSTS": "localhost",
    }
    return subprocess.Popen(  # noqa: S603 (a fixed argv)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "accompagnement",
            "worker",
            "--pool",
            "solo",
            "-n",
            f"{name}@%h",
            "-l",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        start_new_session=True,
    )


def wait_until_ready(name: str) -> None:
    def answered() -> bool:
        replies = app.control.ping(timeout=1.0) or []
        return any(worker.startswith(name + "@") for reply in replies for worker in reply)

    assert wait_for(answered, timeout=60, every=0), f"worker {name} did not start"


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def broker(settings):
    """Tasks go to Redis (not run in this process); the queue starts empty."""
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=os.environ["REDIS_URL"], task_always_eager=False)
    app.control.purge()
    yield app
    app.control.purge()
    app.conf.update(previous)


def test_a_worker_killed_mid_chunk_loses_nothing_and_sends_nothing_twice(
    make_notification, smtp_server, broker
):
    smtp_server.start()
    handler = smtp_server.handler
    handler.hold = f"personne{HELD}@example.org"
    notifications = [make_notification(to_address=f"personne{i}@example.org") for i in range(ROWS)]
    # notify() enqueued a single delivery per row after commit: drop those, one chunk instead.
    broker.control.purge()
    first = start_worker("doomed", smtp_server.port)
    try:
        wait_until_ready("doomed")
        dispatch_due_notifications.delay()  # One chunk: the default size is above ROWS.
        assert handler.holding.wait(60), "the worker never reached the held message"

        # The held row is locked by the worker, mid-transaction; its predecessors are sent.
        held = Notification.objects.get(to_address=handler.hold)
        assert held.status == NotificationStatus.PENDING
        assert Notification.objects.filter(status=NotificationStatus.SENT).count() == HELD

        stop(first, signal.SIGKILL)
    finally:
        stop(first, signal.SIGKILL)
    handler.hold = None
    handler.release.set()

    # PostgreSQL rolled back the dead worker's transaction: the held row is as before.
    assert wait_for(lambda: lock_released(held.pk), timeout=10)
    held.refresh_from_db()
    assert held.status == NotificationStatus.PENDING
    assert held.attempts == 0
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == ROWS - HELD

    second = start_worker("survivor", smtp_server.port)
    try:
        wait_until_ready("survivor")
        # The unacknowledged chunk coming back (Redis redelivers it after its visibility
        # timeout) and the next minute's scan: both at once.
        deliver_notifications.delay([n.pk for n in notifications])
        dispatch_due_notifications.delay()
        assert wait_for(
            lambda: Notification.objects.filter(status=NotificationStatus.SENT).count() == ROWS
        )
        time.sleep(1)  # Anything still in the queue has had time to send a copy.
    finally:
        stop(second)

    counts = Counter(smtp_server.message_ids())
    assert sorted(counts) == sorted(message_id(n) for n in notifications), "none lost"
    assert set(counts.values()) == {1}, "none sent twice"
    held.refresh_from_db()
    assert held.attempts == 1

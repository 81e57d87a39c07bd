"""Benchmark: how fast real Celery workers send due reminders through SMTP, and whether once.

Needs the real parts (PostgreSQL, Redis): it writes `--count` due reminder rows, starts
`--workers` Celery worker processes that send to a local SMTP sink, enqueues one delivery per
row, waits until no row is pending, then counts what the sink received. Cleans up after itself.
"""

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from notifications.enums import Channel, NotificationKind, NotificationStatus
from notifications.models import Notification

BENCH_OBJECT_TYPE = "bench"
TARGET_SECONDS = 60
# Refusal without the real parts: a usage problem, like argparse's own errors.
REFUSED = 2


class SinkHandler:
    """aiosmtpd handler: counts the messages it accepts by their Message-ID."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_message_id: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope) -> str:  # The name aiosmtpd calls.
        message_id = message_from_bytes(envelope.original_content or envelope.content).get(
            "Message-ID", ""
        )
        with self.lock:
            self.by_message_id[message_id.strip()] += 1
        return "250 Message accepted"

    @property
    def received(self) -> int:
        with self.lock:
            return sum(self.by_message_id.values())

    @property
    def distinct(self) -> int:
        with self.lock:
            return len(self.by_message_id)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = (
        "Benchmark reminder dispatch on the real parts (PostgreSQL, Redis, Celery workers, "
        "SMTP): time to send --count due reminders and the number of duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10000, help="Reminders to send.")
        parser.add_argument("--workers", type=int, default=2, help="Celery worker processes.")
        parser.add_argument(
            "--timeout", type=int, default=180, help="Seconds to wait for the rows to be sent."
        )

    def handle(self, *args, count: int, workers: int, timeout: int, **options):
        if count < 1 or workers < 1 or timeout < 1:
            raise CommandError("--count, --workers and --timeout must be at least 1.")
        if not settings.REDIS_URL:
            raise CommandError(
                "REDIS_URL is not set: this benchmark needs Redis and real Celery workers.",
                returncode=REFUSED,
            )
        if connection.vendor != "postgresql":
            raise CommandError(
                "DATABASE_URL is not PostgreSQL: this benchmark needs the production database.",
                returncode=REFUSED,
            )
        from aiosmtpd.controller import Controller

        from accompagnement.celery import app
        from notifications.tasks import enqueue_in_chunks

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs each command.
        handler = SinkHandler()
        port = free_port()
        sink = Controller(handler, hostname="127.0.0.1", port=port)
        sink.start()
        processes: list[subprocess.Popen] = []
        try:
            self._delete_rows()
            ids = self._write_rows(count)
            self.stdout.write(f"{count} due reminders written; SMTP sink on 127.0.0.1:{port}")
            app.control.purge()  # Nothing left over from an interrupted run.
            processes = self._start_workers(workers, port)
            self._wait_for_workers(app, workers)
            self.stdout.write(f"{workers} workers ready; enqueueing")

            # What the beat scan does with the due rows (only the bench's rows here: a real
            # reminder in this database must not go to the sink).
            started = timezone.now()
            tasks = enqueue_in_chunks(ids)
            enqueued = (timezone.now() - started).total_seconds()

            deadline = time.monotonic() + timeout
            statuses = self._statuses()
            while statuses.get(NotificationStatus.PENDING, 0) and time.monotonic() < deadline:
                time.sleep(0.5)
                statuses = self._statuses()
            last_sent = Notification.objects.filter(object_type=BENCH_OBJECT_TYPE).aggregate(
                last=Max("sent_at")
            )["last"]
            # A message the sink accepted just before the worker's COMMIT is already counted.
            self._report(
                count=count,
                workers=workers,
                tasks=tasks,
                enqueued=enqueued,
                seconds=(last_sent - started).total_seconds() if last_sent else None,
                statuses=statuses,
                handler=handler,
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            sink.stop()
            self._delete_rows()

    def _write_rows(self, count: int) -> list[int]:
        now = timezone.now()
        rows = [
            Notification(
                kind=NotificationKind.APPOINTMENT_REMINDER,
                channel=Channel.EMAIL,
                to_address=f"bench-{n}@example.invalid",
                object_type=BENCH_OBJECT_TYPE,
                object_id=str(n),
                scheduled_for=now,
                subject=f"Reminder {n}",
                body_text=f"Benchmark reminder {n}.",
                status=NotificationStatus.PENDING,
            )
            for n in range(count)
        ]
        with transaction.atomic():
            Notification.objects.bulk_create(rows, batch_size=1000)
        return list(
            Notification.objects.filter(object_type=BENCH_OBJECT_TYPE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def _delete_rows(self) -> None:
        Notification.objects.filter(object_type=BENCH_OBJECT_TYPE).delete()

    def _statuses(self) -> dict[str, int]:
        return dict(
            Notification.objects.filter(object_type=BENCH_OBJECT_TYPE)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )

    def _start_workers(self, workers: int, port: int) -> list[subprocess.Popen]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            # DEBUG would keep every query in memory; base settings then want these two.
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-insecure-key"),
            "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "localhost"),
        }
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        return [
            subprocess.Popen(  # noqa: S603 (a fixed argv: no outside input)
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "accompagnement",
                    "worker",
                    "--pool",
                    "prefork",
                    "--concurrency",
                    "1",
                    "-Q",
                    queue,
                    "-n",
                    f"bench{n}@%h",
                    "-l",
                    "WARNING",
                    "--without-gossip",
                    "--without-mingle",
                ],
                env=env,
                cwd=settings.BASE_DIR,
            )
            for n in range(workers)
        ]

    def _wait_for_workers(self, app, workers: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=1.0) or []
            names = {name for reply in replies for name in reply if name.startswith("bench")}
            if len(names) >= workers:
                return
        raise CommandError("The Celery workers did not answer within 60 seconds.")

    def _report(self, *, count, workers, tasks, enqueued, seconds, statuses, handler) -> None:
        sent = statuses.get(NotificationStatus.SENT, 0)
        failed = statuses.get(NotificationStatus.FAILED, 0)
        pending = statuses.get(NotificationStatus.PENDING, 0)
        received, distinct = handler.received, handler.distinct
        duplicates = received - distinct
        met = sent == count and seconds is not None and seconds <= TARGET_SECONDS
        met = met and duplicates == 0
        lines = [
            f"count: {count}, workers: {workers}",
            f"enqueue time: {enqueued:.1f} s ({tasks} tasks of up to "
            f"{settings.NOTIFICATIONS_CHUNK_SIZE} rows)",
            f"sent: {sent}, failed: {failed}, still pending: {pending}",
            "first enqueue to last sent: "
            + (f"{seconds:.1f} s" if seconds is not None else "nothing sent"),
            "throughput: " + (f"{sent / seconds:.0f} / s" if seconds else "n/a"),
            f"sink received: {received}, distinct: {distinct}, duplicates: {duplicates}",
            f"target (all sent within {TARGET_SECONDS} s, 0 duplicates): "
            + ("met" if met else "NOT met"),
        ]
        self.stdout.write("\n".join(lines))

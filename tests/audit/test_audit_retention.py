"""The journal keeps AUDIT_RETENTION_DAYS of entries: the daily task, the command and beat."""

import datetime
import importlib
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.fixups.django import DjangoWorkerFixup
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accompagnement.celery import app
from audit.models import AuditEntry
from audit.services import purge_expired
from audit.tasks import purge_audit_journal
from tests.audit.conftest import read_entry

pytestmark = pytest.mark.django_db


def aged(entry: AuditEntry, days: float) -> AuditEntry:
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - datetime.timedelta(days=days))
    return entry


@pytest.fixture
def old_and_new(coordinator, beneficiary):
    old = aged(read_entry(coordinator, beneficiary), 366)
    recent = aged(read_entry(coordinator, beneficiary), 364)
    today = read_entry(coordinator, beneficiary)
    return old, [recent, today]


def test_entries_past_the_retention_are_deleted_newer_kept(old_and_new):
    _old, kept = old_and_new

    assert purge_expired() == 1

    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {e.pk for e in kept}


def test_the_retention_follows_the_setting(settings, old_and_new):
    settings.AUDIT_RETENTION_DAYS = 30

    assert purge_expired() == 2


def test_purge_at_a_given_moment(old_and_new):
    later = timezone.now() + datetime.timedelta(days=2)

    assert purge_expired(now=later) == 2
    assert purge_expired(now=later) == 0


def test_the_command_prints_how_many_were_deleted(old_and_new, capsys):
    call_command("purge_audit_journal")

    assert capsys.readouterr().out.startswith("audit journal entries deleted: 1 ")
    assert AuditEntry.objects.count() == 2


def test_the_command_with_nothing_to_delete(capsys):
    call_command("purge_audit_journal")

    assert capsys.readouterr().out.startswith("audit journal entries deleted: 0 ")


def test_the_task_purges_and_says_how_many(old_and_new):
    assert purge_audit_journal.delay().get() == 1


def test_beat_runs_the_purge_every_night():
    # A transactional test run earlier empties the tables: write the beat entry as the
    # migration does.
    migration = importlib.import_module("audit.migrations.0002_beat_purge_audit_journal")
    migration.create_periodic_task(apps, None)
    migration.create_periodic_task(apps, None)  # idempotent

    task = PeriodicTask.objects.select_related("crontab").get(task=migration.TASK)
    crontab = task.crontab
    assert task.enabled
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("15", "4", "*")
    assert str(crontab.timezone) == "Europe/Paris"
    app.loader.import_default_modules()
    assert task.task in app.tasks


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
def test_the_daily_task_runs_in_a_worker(old_and_new, redis_worker):
    purge_audit_journal.delay()

    deadline = time.monotonic() + 30
    while AuditEntry.objects.count() != 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert AuditEntry.objects.count() == 2

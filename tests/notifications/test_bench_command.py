"""The reminder benchmark refuses to run on the embedded parts and checks its arguments."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications.models import Notification


@pytest.mark.django_db
def test_refuses_without_redis(settings):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="REDIS_URL") as excinfo:
        call_command("bench_reminders", count=10)
    assert excinfo.value.returncode == 2
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_refuses_sqlite_even_with_redis(settings, monkeypatch):
    from django.db import connection

    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    # Whatever database the suite runs on, the command sees SQLite here (in CI it is
    # PostgreSQL, where the command would really start its workers).
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL") as excinfo:
        call_command("bench_reminders", count=10)
    assert excinfo.value.returncode == 2


@pytest.mark.parametrize("option", ["count", "workers", "timeout"])
def test_counts_must_be_positive(option):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("bench_reminders", **{option: 0})

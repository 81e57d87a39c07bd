"""The backup procedure of docs/backups.md, end to end, with the real scripts: a scratch database
migrated and seeded with the demo, dumped by scripts/backup.sh, dropped, recreated empty and
restored by scripts/restore.sh, holds the same rows as before, table by table."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(settings.BASE_DIR)
# Tables the demo fills: a restore that loses them is not a restore.
KEY_TABLES = [
    "django_migrations",
    "accounts_user",
    "accounts_organization",
    "programmes_programme",
    "beneficiaires_beneficiary",
    "beneficiaires_enrollment",
    "seances_appointment",
]


def _url(params: dict, name: str) -> str:
    user = quote(params.get("USER") or "", safe="")
    password = params.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}" if password else user
    host = params.get("HOST") or "localhost"
    port = params.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{name}"


@pytest.fixture
def scratch_database():
    """An empty database next to the test database, dropped at the end whatever happens."""
    params = settings.DATABASES["default"]
    # The test database is test_<name>: the scratch one is <name>_backup_<random>.
    base = params["NAME"].removeprefix("test_")
    name = f"{base}_backup_{uuid.uuid4().hex[:8]}"
    admin_url = _url(params, "postgres")

    def admin(statement: sql.Composable) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(statement)

    admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name, _url(params, name), admin
    finally:
        admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _run(args: list[str], database_url: str, **env) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "accompagnement.settings.test",
        **env,
    }
    environment.pop("REDIS_URL", None)  # the demo's tasks run in-process
    return subprocess.run(  # noqa: S603 (our own scripts and manage.py)
        args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def _snapshot(database_url: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its exact row count and a digest of its rows."""
    with psycopg.connect(database_url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        snapshot = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') "
                "FROM {} AS t"
            ).format(sql.Identifier(table))
            count, digest = conn.execute(query).fetchone()
            snapshot[table] = (count, digest)
    return snapshot


@pytest.mark.postgres
def test_a_dump_restored_into_a_dropped_database_gives_back_every_row(scratch_database, tmp_path):
    name, database_url, admin = scratch_database
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        done = _run([*manage, *command], database_url)
        assert done.returncode == 0, done.stderr
    before = _snapshot(database_url)
    assert all(before[table][0] > 0 for table in KEY_TABLES), before

    backup = _run(["scripts/backup.sh"], database_url, BACKUP_DIR=str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    [dump] = tmp_path.glob("*.dump")

    refused = _run(["scripts/restore.sh", str(dump)], database_url, CONFIRM="")
    assert refused.returncode == 1
    assert "CONFIRM=yes" in refused.stderr

    admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
    admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    assert _snapshot(database_url) == {}

    restore = _run(["scripts/restore.sh", str(dump)], database_url, CONFIRM="yes")
    assert restore.returncode == 0, restore.stderr

    after = _snapshot(database_url)
    assert {table: count for table, (count, _) in after.items()} == {
        table: count for table, (count, _) in before.items()
    }
    assert after == before  # the same rows, not only as many


def test_the_scripts_refuse_a_database_that_is_not_postgresql(tmp_path):
    backup = _run(["scripts/backup.sh"], f"sqlite:///{tmp_path / 'db.sqlite3'}")
    restore = _run(["scripts/restore.sh", str(tmp_path / "none.dump")], "sqlite:///x")

    assert backup.returncode == restore.returncode == 1
    assert "copy db.sqlite3" in backup.stderr
    assert not list(tmp_path.iterdir())

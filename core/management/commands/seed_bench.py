"""A realistic dataset for load tests: `python manage.py seed_bench --scale 1` writes 50
programmes, 20,000 beneficiaries, 500 mentors, 200,000 appointments and séances, 50,000
evaluation answers and 100,000 notifications with bulk inserts, in one transaction.

Bench rows are marked (structures "Banc d'essai …", users @bench.example.org) so that --reset
deletes them and nothing else; without --reset the command refuses to add a second dataset.
Every bench user logs in with the same password (core.bench.plan.BENCH_PASSWORD)."""

import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings

from core.bench.plan import BENCH_PASSWORD, Plan
from core.bench.purge import bench_exists, purge_bench
from core.bench.seed import bench_logins, seed_bench

# SQLite holds the small scales the tests use; the full dataset is for PostgreSQL.
SQLITE_MAX_SCALE = 0.2


def _analyse(tables: list[str]) -> None:
    """Planner statistics for the tables just filled. Until autovacuum gets to them the
    planner guesses, and guesses badly: a beneficiary's closing records through the API took
    15 s instead of 0.1 s at scale 1."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(map(connection.ops.quote_name, tables))}")
        else:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Write a large, realistic bench dataset (see docs/benchmarks.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = the issue's figures (default)."
        )
        parser.add_argument("--seed", type=int, default=10, help="Random seed (default 10).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the previous bench dataset first."
        )

    def handle(self, *args, scale: float, seed: int, reset: bool, **options) -> None:
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError("seed_bench runs on PostgreSQL or SQLite.")
        if connection.vendor == "sqlite" and scale > SQLITE_MAX_SCALE:
            self.stderr.write(
                f"SQLite: scales above {SQLITE_MAX_SCALE} are slow; PostgreSQL is the target."
            )
        started = time.monotonic()
        write = self.stdout.write
        # DEBUG keeps the SQL of every query; the bulk INSERTs would fill the memory.
        with override_settings(DEBUG=False), transaction.atomic():
            if bench_exists():
                if not reset:
                    raise CommandError(
                        "The database already holds bench data: run with --reset to replace it."
                    )
                purge_started = time.monotonic()
                deleted = purge_bench(write)
                write(f"previous bench data deleted: {deleted:,} rows "
                      f"in {time.monotonic() - purge_started:.1f} s")  # fmt: skip
            plan = Plan.for_scale(scale)
            write(f"seed_bench --scale {scale:g} --seed {seed} on {connection.vendor}")
            ctx = seed_bench(plan, seed=seed, write=write)
            logins = bench_logins()
            committing = time.monotonic()
        # Foreign keys are checked at commit (deferred constraints): part of the cost.
        write(f"{'commit':<52} {'':>14} {time.monotonic() - committing:>7.1f} s")
        analysing = time.monotonic()
        _analyse(sorted(ctx.rows))
        write(f"{'analyse':<52} {'':>14} {time.monotonic() - analysing:>7.1f} s")
        total = time.monotonic() - started
        self._summary(ctx, total, logins)

    def _summary(self, ctx, total: float, logins) -> None:
        write = self.stdout.write
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
        peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
        write("")
        write(f"{'table':<44} {'rows':>10} {'insert s':>9}")
        for table, rows in sorted(ctx.rows.items(), key=lambda item: -item[1]):
            write(f"{table:<44} {rows:>10,} {ctx.seconds[table]:>9.1f}")
        write(f"{'total':<44} {sum(ctx.rows.values()):>10,}")
        write("")
        write(
            f"Appointments {ctx.plan.appointments:,} + séances {ctx.plan.seances:,}, "
            f"evaluation answers {ctx.plan.answers:,}, notifications {ctx.plan.notifications:,}."
        )
        write(f"Total time: {total:.1f} s; peak RSS: {peak_mb:.0f} MB")
        if logins is not None:
            write(f"Logins (password {BENCH_PASSWORD}):")
            write(f"  coordinator: {logins.coordinator}")
            write(f"  mentor:      {logins.mentor}")
            write(f"  beneficiary: {logins.beneficiary}")

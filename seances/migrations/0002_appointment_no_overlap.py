"""A mentor's appointments that hold time never overlap, held by PostgreSQL.

An exclusion constraint (btree_gist) on the mentor and the half-open range [starts_at, ends_at):
two bookings of the same slot from two connections cannot both commit."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from core.migration_operations import PostgresOnlyRunSQL


class Migration(migrations.Migration):
    dependencies = [("seances", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        PostgresOnlyRunSQL(
            sql="""
                ALTER TABLE seances_appointment
                ADD CONSTRAINT appointment_no_overlap_per_mentor
                EXCLUDE USING gist (
                    mentor_id WITH =,
                    tstzrange(starts_at, ends_at, '[)') WITH &&
                ) WHERE (status <> 'cancelled')
            """,
            reverse_sql=(
                "ALTER TABLE seances_appointment DROP CONSTRAINT appointment_no_overlap_per_mentor"
            ),
        ),
    ]

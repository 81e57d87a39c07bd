from django.conf import settings
from django.core.management.base import BaseCommand

from audit.services import purge_expired


class Command(BaseCommand):
    help = "Delete the audit journal entries past the retention period (what the daily task does)."

    def handle(self, *args, **options) -> None:
        deleted = purge_expired()
        self.stdout.write(
            f"audit journal entries deleted: {deleted} "
            f"(older than {settings.AUDIT_RETENTION_DAYS} days)"
        )

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from notifications import services


class Command(BaseCommand):
    help = (
        "Run the scans that write reminders (settings.NOTIFICATION_SCANS), then deliver the "
        "due notifications in this process: what beat and a worker do, without Redis."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Rows per scan.")
        parser.add_argument(
            "--no-scans", action="store_true", help="Only deliver; write no new reminders."
        )

    def handle(self, *args, batch: int, no_scans: bool, **options):
        written = 0
        if not no_scans:
            # The domain apps' scans are named in the settings: this app imports none of them.
            for path in settings.NOTIFICATION_SCANS:
                written += import_string(path)() or 0
        outcomes = services.deliver_many(services.due_notification_ids(batch=batch))
        self.stdout.write(
            f"written: {written}, "
            f"sent: {outcomes[services.Outcome.SENT]}, "
            f"retrying: {outcomes[services.Outcome.RETRYING]}, "
            f"failed: {outcomes[services.Outcome.FAILED]}"
        )

from collections import Counter

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Deliver the due notifications in this process (one scan; no Redis needed)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Rows per scan.")

    def handle(self, *args, batch: int, **options):
        outcomes = Counter(
            services.deliver(notification_id)
            for notification_id in services.due_notification_ids(batch=batch)
        )
        self.stdout.write(
            f"sent: {outcomes[services.Outcome.SENT]}, "
            f"retrying: {outcomes[services.Outcome.RETRYING]}, "
            f"failed: {outcomes[services.Outcome.FAILED]}"
        )

from django.core.management.base import BaseCommand

from privacy.services import retention_scan


class Command(BaseCommand):
    help = "Apply the retention period now (what the daily task does)."

    def handle(self, *args, **options) -> None:
        result = retention_scan()
        self.stdout.write(
            "notified: {notified}, cancelled: {cancelled}, anonymised: {anonymised}".format(
                **result
            )
        )

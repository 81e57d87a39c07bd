"""Text messages behind a small backend interface, chosen by the SMS_BACKEND setting.

No real provider yet: a provider backend implements `send(to=, body=)` and raises
SmsDeliveryError (retried by the delivery task) when the provider refuses or is down.
"""

import json
import sys
import threading
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsDeliveryError(Exception):
    """The message could not be handed to the provider; the delivery will be retried."""


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class ConsoleSmsBackend:
    """Development: prints each message."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, *, to: str, body: str) -> None:
        self.stream.write(f"SMS to {to}:\n{body}\n{'-' * 40}\n")
        self.stream.flush()


_file_lock = threading.Lock()


class FileSmsBackend:
    """Appends one JSON line per message to SMS_FILE_PATH."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(self, *, to: str, body: str) -> None:
        line = json.dumps({"at": timezone.now().isoformat(), "to": to, "body": body})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock, self.path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")


# The messages LocmemSmsBackend "sent"; tests empty it.
outbox: list[dict[str, str]] = []


class LocmemSmsBackend:
    """Tests: keeps the messages in `notifications.sms.outbox`."""

    def send(self, *, to: str, body: str) -> None:
        outbox.append({"to": to, "body": body})


def get_sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()

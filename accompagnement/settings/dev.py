"""Local development: DEBUG, plain HTTP, SQLite and in-process tasks unless told otherwise."""

import os

os.environ.setdefault("DEBUG", "true")

from accompagnement.settings.base import *  # noqa: E402, F403
from accompagnement.settings.base import env  # noqa: E402

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

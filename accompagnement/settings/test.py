"""Tests: DATABASE_URL and REDIS_URL from the environment when set (CI sets both)."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from accompagnement.settings.base import *  # noqa: F403
from accompagnement.settings.base import TEMPLATES, env

ALLOWED_HOSTS = ["*"]
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///:memory:")}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; tests marked `redis` start a real worker on REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Query counts are the same with or without REDIS_URL (tests/accounts/test_sessions_cache.py
# checks the Redis-backed sessions of production).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Fail on unknown template variables instead of rendering an empty string.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "INVALID_VARIABLE<%s>"
LANGUAGE_CODE = "fr"
# Static files come from the finders (runserver / live server), not from a collected STATIC_ROOT.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "whitenoise.runserver_nostatic"]  # noqa: F405
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405

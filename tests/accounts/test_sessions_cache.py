"""With Redis, sessions are read from the shared cache and written through to the database
(settings: SESSION_ENGINE = cached_db when REDIS_URL is set)."""

import os
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def use_redis_sessions(settings):
    """Production's settings with REDIS_URL, under a key prefix of this test's own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL", ""),
            "KEY_PREFIX": f"test-sessions-{uuid.uuid4().hex}",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def redis_sessions(settings):
    use_redis_sessions(settings)
    yield
    cache.clear()


def queries_of_a_page(client) -> int:
    client.get(reverse("core:home"))  # the activity stamp is written on the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    return len(queries)


def test_a_page_reads_the_session_from_redis_not_the_database(coordinator, settings):
    database = Client()
    database.force_login(coordinator)
    from_database = queries_of_a_page(database)

    use_redis_sessions(settings)
    cached = Client()
    cached.force_login(coordinator)
    from_cache = queries_of_a_page(cached)
    cache.clear()

    assert from_cache == from_database - 1


def test_the_session_is_written_through_to_the_database(client, coordinator, redis_sessions):
    client.force_login(coordinator)

    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("core:home")).status_code == 200


def test_logging_out_ends_the_session_for_every_process(coordinator, redis_sessions):
    browser = Client()
    browser.force_login(coordinator)
    same_cookie = Client()
    same_cookie.cookies = browser.cookies  # another worker serving the same browser
    assert same_cookie.get(reverse("core:home")).status_code == 200

    browser.post(reverse("accounts:logout"))

    response = same_cookie.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

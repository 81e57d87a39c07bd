"""The query-count header of `make bench`: only when BENCH_QUERY_HEADER turns it on."""

import runpy

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.bench_middleware import QUERY_COUNT_HEADER, QueryCountMiddleware

MIDDLEWARE_PATH = f"{QueryCountMiddleware.__module__}.{QueryCountMiddleware.__name__}"
BASE_SETTINGS = django_settings.BASE_DIR / "accompagnement" / "settings" / "base.py"


def base_middleware(monkeypatch, value: str | None) -> list[str]:
    """MIDDLEWARE as the production settings compute it with this BENCH_QUERY_HEADER."""
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "bench-middleware-test")
    if value is None:
        monkeypatch.delenv("BENCH_QUERY_HEADER", raising=False)
    else:
        monkeypatch.setenv("BENCH_QUERY_HEADER", value)
    return runpy.run_path(str(BASE_SETTINGS))["MIDDLEWARE"]


def test_settings_add_the_middleware_first_only_when_asked(monkeypatch):
    assert MIDDLEWARE_PATH not in base_middleware(monkeypatch, None)
    assert MIDDLEWARE_PATH not in base_middleware(monkeypatch, "0")
    assert base_middleware(monkeypatch, "1")[0] == MIDDLEWARE_PATH


@pytest.mark.django_db
def test_header_counts_the_queries_of_the_request(client, settings, coordinator):
    settings.MIDDLEWARE = [MIDDLEWARE_PATH, *settings.MIDDLEWARE]
    client.force_login(coordinator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert int(response[QUERY_COUNT_HEADER]) == len(queries) > 0


@pytest.mark.django_db
def test_header_is_absent_by_default(client, coordinator):
    assert MIDDLEWARE_PATH not in django_settings.MIDDLEWARE
    client.force_login(coordinator)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert QUERY_COUNT_HEADER not in response

"""Work a server process does once, before its first request rather than during it.

A new process loads the translation catalogues, builds the URL resolver and compiles each
template the first time a page needs it: the first visitor of every page after a deploy or a
worker restart waited for that (0.5 to 0.9 s instead of 20 to 100 ms, seen in the load test).
`warm_up()` does it when the WSGI application is created, before the worker accepts requests.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.template.backends.django import DjangoTemplates
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".ics")


@dataclass(frozen=True)
class WarmUp:
    languages: int
    url_patterns: int
    templates: int
    seconds: float


def template_names(engine: DjangoTemplates) -> list[str]:
    """Every template the engine can find, by the name a view would ask for."""
    names: set[str] = set()
    for directory in engine.template_dirs:
        root = Path(directory)
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in TEMPLATE_SUFFIXES:
                names.add(path.relative_to(root).as_posix())
    return sorted(names)


def _populate(resolver) -> int:
    """Build the reverse lookups of a resolver and of every namespace under it."""
    count = sum(isinstance(key, str) for key in resolver.reverse_dict)
    for _prefix, namespace in resolver.namespace_dict.values():
        count += _populate(namespace)
    return count


def warm_up() -> WarmUp:
    """Load every language's catalogue, the URL patterns and every template of the site."""
    started = time.perf_counter()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    url_patterns = _populate(get_resolver())
    templates = 0
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        for name in template_names(engine):
            try:
                engine.get_template(name)
            except TemplateSyntaxError:
                # A library's template for a setup the site does not use (a tag library of
                # another package): it would fail the same way if ever rendered.
                logger.debug("Warm-up: %s not compiled", name, exc_info=True)
                continue
            templates += 1
    result = WarmUp(
        languages=len(settings.LANGUAGES),
        url_patterns=url_patterns,
        templates=templates,
        seconds=time.perf_counter() - started,
    )
    logger.info(
        "Warm-up: %d languages, %d URL names, %d templates in %.2f s",
        result.languages,
        result.url_patterns,
        result.templates,
        result.seconds,
    )
    return result

"""The warm-up a server process does before its first request (core/warmup.py)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template import engines

from core.warmup import template_names, warm_up

BASE_DIR = Path(settings.BASE_DIR)


def _project_templates(engine) -> list[str]:
    names = []
    for directory in engine.template_dirs:
        root = Path(directory).resolve()
        if root.is_relative_to(BASE_DIR) and ".venv" not in root.parts:
            names.extend(name for name in template_names(engine) if (root / name).is_file())
    return sorted(set(names))


def test_every_template_of_the_project_compiles():
    """A template with a syntax error fails here, not in front of the first person to open it."""
    engine = engines["django"]
    names = _project_templates(engine)

    assert "layout/base.html" in names
    assert "evaluation/dashboard/programme.html" in names
    for name in names:
        engine.get_template(name)


def test_warm_up_leaves_the_templates_compiled_in_the_cache():
    engine = engines["django"]
    cached = engine.engine.template_loaders[0]
    cached.reset()

    result = warm_up()

    assert result.languages == len(settings.LANGUAGES)
    assert result.url_patterns > 100
    assert result.templates >= len(_project_templates(engine))
    assert "layout/base.html" in cached.get_template_cache
    assert "evaluation/dashboard/programme.html" in cached.get_template_cache


def _import_wsgi(warm: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accompagnement.settings.test",
        "WARM_UP_ON_START": warm,
        "LOG_LEVEL": "INFO",
    }
    return subprocess.run(
        [sys.executable, "-c", "import accompagnement.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_the_wsgi_application_warms_up_when_the_setting_says_so():
    warmed = _import_wsgi("true")
    cold = _import_wsgi("false")

    assert "Warm-up: 2 languages" in warmed.stderr + warmed.stdout
    assert "Warm-up" not in cold.stderr + cold.stdout

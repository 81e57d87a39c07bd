# Production image for Accompagnement.
#
#   docker build -t accompagnement .
#   docker run --env-file .env -p 127.0.0.1:8000:8000 accompagnement
#
# The settings module is accompagnement.settings.base (production): it needs at least
# SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL at run time (see .env.example).
# docker-compose.yml runs this image as web, worker and beat.

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=accompagnement.settings.base \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# WeasyPrint (PDF) needs Pango and HarfBuzz's subsetter (without libharfbuzz-subset0 it emits a
# warning); DejaVu gives it a font. gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml changes.
# pyproject.toml declares `[tool.setuptools] packages = []`, so `pip install .` installs the
# project's dependencies and an empty distribution; the source itself is copied into /app below.
# (README.md* is a glob so that the build works whether or not the README exists yet.)
WORKDIR /tmp/build
COPY pyproject.toml README.md* ./
RUN pip install . \
    && rm -rf /tmp/build

WORKDIR /app
COPY . .

# Translations (when catalogues exist) and static files are built into the image.
# The SECRET_KEY below exists only for these commands; it is not kept in the image's environment.
RUN if find . -name '*.po' -not -path './node_modules/*' | grep -q .; then \
        SECRET_KEY=build-only-not-a-secret python manage.py compilemessages --ignore 'node_modules'; \
    fi \
    && SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput

# The code stays owned by root (read-only for the app); only media is writable.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app \
    && mkdir -p /app/media \
    && chown app:app /app/media

USER app

EXPOSE 8000

CMD ["gunicorn", "accompagnement.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]

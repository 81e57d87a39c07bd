# Accompagnement: everyday commands. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Production-like environment for `check --deploy`.
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=accompagnement.settings.base DEBUG=false \
	SECRET_KEY=quality-check-$$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
	ALLOWED_HOSTS=accompagnement.example.org

.PHONY: run test quality fix seed worker messages install system-deps node-deps clean backup restore

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed

## run: install, migrate the SQLite database, seed the demo and serve http://127.0.0.1:8000;
## without Redis, reminders due are sent by a scan a minute running beside the server
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Reminders: python manage.py send_due_notifications runs every minute in the background."
	@(while true; do $(MANAGE) send_due_notifications >/dev/null 2>&1; sleep 60; done) & \
	scan=$$!; trap 'kill $$scan 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

## seed: (re)load the demo data
seed: install
	$(MANAGE) seed_demo

## worker: a Celery worker and beat (needs REDIS_URL)
worker: install
	$(VENV)/bin/celery -A accompagnement worker --beat -l info \
		--scheduler django_celery_beat.schedulers:DatabaseScheduler

# Debian packages the tests need: Chromium for the browser journeys, poppler for PDFs,
# harfbuzz-subset for WeasyPrint. Installed only when missing and when we are root.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Please install:$$missing (sudo apt-get install$$missing)"; exit 1; fi; \
	fi

node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## test: install everything and run the whole suite (DATABASE_URL / REDIS_URL used when set)
test: install system-deps node-deps
	$(PY) -m pytest

## quality: linters, migrations, deploy checks, compose file
quality: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(MANAGE) compilemessages --ignore=.venv >/dev/null && git diff --exit-code -- locale
	@if command -v docker-compose >/dev/null; then \
		docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml is valid"; \
	else echo "docker-compose not installed: compose file not validated"; exit 1; fi

## fix: format and autofix
fix: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## messages: extract translatable strings and compile the catalogues
messages: install
	$(MANAGE) makemessages -l fr -l en --ignore=.venv --ignore=node_modules --ignore=static
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles

## bench-reminders: time real workers sending due reminders (needs DATABASE_URL on PostgreSQL and REDIS_URL)
bench-reminders: install
	$(MANAGE) bench_reminders

## seed-bench: write the load-test dataset (SCALE=1: 20,000 beneficiaries, 200,000 appointments
## and séances…) into DATABASE_URL, replacing an earlier one; PostgreSQL for the full scale
SCALE ?= 1
seed-bench: install
	$(MANAGE) seed_bench --scale $(SCALE) --reset

## bench: the load test at scale BENCH_SCALE (default 1) for BENCH_TIME (default 180s) on
## PostgreSQL (BENCH_DATABASE_URL) and Redis (BENCH_REDIS_URL): seed, gunicorn, Celery, locust,
## contention, PDF, reminders, memory; prints the table and writes bench/out/report.md
.PHONY: bench
BENCH_SCALE ?= 1
BENCH_TIME ?= 180s
bench: $(VENV)/.bench-installed
	BENCH_SCALE=$(BENCH_SCALE) BENCH_TIME=$(BENCH_TIME) $(PY) scripts/bench/run.py

$(VENV)/.bench-installed: $(VENV)/.installed pyproject.toml
	$(VENV)/bin/pip install --quiet ".[test,bench]"
	touch $@

## backup: pg_dump -Fc of DATABASE_URL into backups/<timestamp>.dump (PostgreSQL only)
backup:
	@scripts/backup.sh

## restore: pg_restore --clean FILE=backups/<timestamp>.dump into DATABASE_URL (needs CONFIRM=yes)
restore:
	@CONFIRM="$(CONFIRM)" scripts/restore.sh "$(FILE)"

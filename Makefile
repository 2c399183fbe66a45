# Developer entry points (see shared ARCHITECTURE.md, "Running").
#
#   make run                 migrate, load the demo gym, print its logins, serve on :$(PORT)
#   make test [ARGS=...]     ruff, import-linter and mypy (make lint), then pytest (e.g. make test ARGS='tests/trainers -k invite')
#   make bench [NAME=...]    every bench/*.py, or only bench/$(NAME).py
#
# Without DATABASE_URL every target uses an embedded PostgreSQL under .data/pg that listens on a
# unix socket only (scripts/devdb.py); with DATABASE_URL set, that server is used instead.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.stamp
REQUIREMENTS := $(wildcard requirements/*.txt)
PORT ?= 8000
ARGS ?=
NAME ?=
DATA_DIR ?= .data

# The database every target talks to: DATABASE_URL from the environment, else the embedded server's.
export_db = export DATABASE_URL="$${DATABASE_URL:-$$($(PY) scripts/devdb.py url)}"

.PHONY: help venv db run test lint format messages compilemessages worker bench clean-db schema screenshots

help:
	@echo "make run       serve the demo on http://demo.localhost:$(PORT) (logins are printed)"
	@echo "make test      ruff + pytest; ARGS='tests/trainers -k invite' narrows it"
	@echo "make worker    Celery worker (needs REDIS_URL)"
	@echo "make bench     every bench/*.py, or NAME=x for bench/x.py"
	@echo "make schema    write docs/openapi.yaml (a test fails when it is stale)"
	@echo "make screenshots  the user guide's screenshots (docs/guide/images/screens/)"
	@echo "make lint | format | messages | venv | db | clean-db"

# ------------------------------------------------------------------ environment

venv: $(STAMP)

# (Re)creates .venv when missing or built from another Python; reinstalls when requirements change.
$(STAMP): $(REQUIREMENTS) .python-version
	@want=$$(cut -d. -f1,2 .python-version); \
	if [ -x $(PY) ] && [ "$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')" = "$$want" ]; then :; \
	else \
		python=$$(scripts/find-python.sh); \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV); \
		"$$python" -m venv $(VENV); \
	fi
	PIP_NO_INPUT=1 $(PY) -m pip install --disable-pip-version-check -q -r requirements/dev.txt
	@touch $@

db: venv
	@if [ -n "$${DATABASE_URL:-}" ]; then \
		echo "Using DATABASE_URL from the environment (no embedded PostgreSQL)."; \
	else \
		$(PY) scripts/devdb.py start; \
	fi

# .mo files are build output (.gitignore): compile the stale ones, in pure Python (no gettext needed).
compilemessages: venv
	@$(PY) scripts/compilemessages.py

# ------------------------------------------------------------------ everyday targets

run: venv db compilemessages
	@$(export_db); \
	export DJANGO_SETTINGS_MODULE=config.settings.dev SITE_PORT="$${SITE_PORT:-$(PORT)}"; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py setup_demo; \
	exec $(PY) manage.py runserver 0.0.0.0:$(PORT)

test: lint db compilemessages
	@scripts/ensure-chromium.sh
	@$(export_db); \
	export DJANGO_SETTINGS_MODULE=config.settings.test; \
	$(PY) -m pytest $(ARGS)

# The user guide's screenshots of the demo gym (docs/guide/images/screens/), phone and desktop, English and Korean.
screenshots: venv db compilemessages
	@scripts/ensure-chromium.sh
	@$(export_db); $(PY) scripts/guide_screenshots.py

# ruff; the layer contracts of pyproject.toml (import-linter); the types of the modules [tool.mypy] lists (mypy with
# django-stubs, which imports the settings but opens no database connection).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

# The OpenAPI description of /api/v1/ (drf-spectacular), committed so that every API change shows in review.
schema: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py spectacular --urlconf config.urls_tenant \
		--file docs/openapi.yaml --validate --fail-on-warn

format: venv
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

messages: venv
	@command -v xgettext >/dev/null || { \
		echo "makemessages needs GNU gettext (xgettext, msgmerge): apt-get install gettext" >&2; exit 1; }
	@mkdir -p locale
	$(PY) manage.py makemessages -l ko -l en --ignore=.venv --ignore=.data
	$(PY) scripts/compilemessages.py --force

worker: venv
	@if [ -z "$${REDIS_URL:-}" ]; then \
		echo "make worker needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker" >&2; \
		echo "(without REDIS_URL tasks run eagerly in the web process and no worker is needed;" >&2; \
		echo " a throwaway Redis: $(VENV)/bin/redis-server --port 6380 --save '')" >&2; \
		exit 1; \
	fi
	@$(MAKE) --no-print-directory db
	@$(export_db); \
	export DJANGO_SETTINGS_MODULE="$${DJANGO_SETTINGS_MODULE:-config.settings.dev}"; \
	exec $(VENV)/bin/celery -A config worker --beat --schedule "$(DATA_DIR)/celerybeat-schedule" -l info

# Same database as `make run`; bench scripts configure Django themselves.
bench: venv db compilemessages
	@$(export_db); \
	export DJANGO_SETTINGS_MODULE="$${DJANGO_SETTINGS_MODULE:-config.settings.dev}"; \
	export PYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}"; \
	if [ -n "$(NAME)" ]; then \
		scripts="bench/$(NAME).py"; \
		[ -f "$$scripts" ] || { echo "no such bench script: $$scripts" >&2; exit 1; }; \
	else \
		scripts=$$(find bench -maxdepth 1 -name '*.py' ! -name '_*' 2>/dev/null | sort); \
	fi; \
	if [ -z "$$scripts" ]; then echo "no bench scripts in bench/"; exit 0; fi; \
	$(PY) manage.py migrate --noinput; \
	failed=""; \
	for script in $$scripts; do \
		echo "=== $$script"; \
		$(PY) "$$script" || failed="$$failed $$script"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed:$$failed" >&2; exit 1; fi

clean-db:
	@if [ -x $(PY) ]; then $(PY) scripts/devdb.py stop; fi
	rm -rf "$(DATA_DIR)/pg" "$(DATA_DIR)/run"

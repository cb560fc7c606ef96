# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# One definition of how the catalogues are extracted, for `make messages` and the test
# that fails when they are out of date (tests/test_translations.py).
MESSAGES_ARGS := -l es -l pt_BR -l ja --add-location=file --no-obsolete \
	--ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=node_modules
# One lock file, uv.lock: exact versions and hashes of every dependency, resolved once for
# every Python 3.11–3.13 and every platform (markers instead of hand-added pins).
# requirements.lock is its export for the container image (runtime dependencies only).
# uv itself is the one tool installed by version; it checks every other hash.
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml uv.lock | sha1sum | cut -c1-12)
EXPORT_ARGS := --frozen --no-dev --no-emit-project --no-header --quiet

.PHONY: run test lint format setup lock bench clean messages

$(BIN)/uv:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'

# --inexact: keep pip and uv, which the lock does not list.
$(STAMP): pyproject.toml uv.lock $(BIN)/uv
	VIRTUAL_ENV=$(VENV) $(BIN)/uv sync --frozen --extra dev --inexact --active --quiet
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

# After changing dependencies in pyproject.toml: `make lock` resolves what changed and
# keeps the other versions; `make lock UPGRADE=1` moves everything to the newest allowed.
lock: $(BIN)/uv
	$(BIN)/uv lock $(if $(UPGRADE),--upgrade)
	$(BIN)/uv export $(EXPORT_ARGS) --output-file requirements.lock

# Laptop defaults: SQLite, filesystem broker, mail as files in var/mail. `PORT=8001 make
# run` serves on another port. alliance/dev_run.py prints the demo sign-in again once the
# server answers and makes Ctrl-C a clean stop (exit 0).
PORT ?= 8000
run: export DJANGO_DEBUG ?= true
run: $(STAMP)
	$(BIN)/python manage.py compile_catalogues
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py ensure_demo_admin
	$(BIN)/python -m alliance.dev_run --port $(PORT) --var-dir "$${ALLIANCE_VAR_DIR:-var}" \
		-- $(BIN)/honcho start -f Procfile.dev --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: export DJANGO_DEBUG ?= true
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/uv lock --check --quiet
	@$(BIN)/uv export $(EXPORT_ARGS) | diff -q - requirements.lock >/dev/null || { \
		echo "requirements.lock is not the export of uv.lock: run 'make lock'."; exit 1; }
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# After changing user-facing strings: update the catalogues (needs GNU gettext), then
# translate the new entries in locale/*/LC_MESSAGES/django.po.
messages: export DJANGO_DEBUG ?= true
messages: $(STAMP)
	$(BIN)/python manage.py makemessages $(MESSAGES_ARGS)

clean:
	rm -rf $(VENV) var

# Directory response times at 200,000 cities (needs PostgreSQL; fills it first if short):
# DATABASE_URL=postgres://… make bench BENCH_ARGS="--runs 50 --fill 0"
bench: $(STAMP)
	$(BIN)/python bench/directory.py $(BENCH_ARGS)

# Reminder throughput against the SMTP ceiling, and worker memory (needs PostgreSQL and
# Redis): DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://… make bench-reminders
# BENCH_ARGS="--count 2000" for a shorter run (--pools went with the one pool, threads).
.PHONY: bench-reminders
bench-reminders: $(STAMP)
	$(BIN)/python bench/reminders.py $(BENCH_ARGS)

# The admin's city and membership changelists at 200,000 cities, and a 20,000-row city
# import (needs PostgreSQL): DATABASE_URL=postgres://… make bench-admin
.PHONY: bench-admin
bench-admin: $(STAMP)
	$(BIN)/python bench/admin.py $(BENCH_ARGS)

# Every page type at 200,000 cities, on a cache miss and warm, against a bare view
# (needs PostgreSQL; fills it first if short): DATABASE_URL=postgres://… make bench-pages
# BENCH_ARGS="--runs 30" for a shorter run.
.PHONY: bench-pages
bench-pages: $(STAMP)
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

# The map of member cities at 200,000 cities, cold and warm, against a bare view (needs
# PostgreSQL): DATABASE_URL=postgres://… make bench-map BENCH_ARGS="--runs 30"
.PHONY: bench-map
bench-map: $(STAMP)
	$(BIN)/python bench/map.py $(BENCH_ARGS)

# The open-data API's cities at 200,000 cities against /directory/ and a bare view
# (needs PostgreSQL; Redis for a production-like cache): DATABASE_URL=postgres://…
# REDIS_URL=redis://… make bench-api BENCH_ARGS="--runs 60"
.PHONY: bench-api
bench-api: $(STAMP)
	$(BIN)/python bench/api.py $(BENCH_ARGS)

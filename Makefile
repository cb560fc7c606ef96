# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# One definition of how the catalogues are extracted, for `make messages` and the test
# that fails when they are out of date (tests/test_translations.py).
MESSAGES_ARGS := -l es -l pt_BR -l ja --add-location=file --no-obsolete \
	--ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=node_modules
# Exact versions and hashes of every dependency: requirements.lock is what the image
# installs, requirements-dev.lock (the same pins plus the dev extra) what we test with.
LOCK := requirements-dev.lock
RUNTIME_LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(wildcard $(LOCK)) | sha1sum | cut -c1-12)
LOCK_ARGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links $(if $(UPGRADE),--upgrade)

.PHONY: run test lint format setup lock bench clean messages

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "The lock files miss what pyproject.toml asks for: run 'make lock'."; exit 1; }
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

# After changing dependencies in pyproject.toml: `make lock` pins what changed and keeps
# the other pins; `make lock UPGRADE=1` moves everything to the newest allowed versions.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'pip-tools>=7.4,<8'
	$(BIN)/pip-compile $(LOCK_ARGS) --extra dev --output-file $(LOCK) pyproject.toml
	$(BIN)/pip-compile $(LOCK_ARGS) --constraint $(LOCK) --output-file $(RUNTIME_LOCK) \
		pyproject.toml

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
# BENCH_ARGS="--count 2000 --pools solo" for a shorter run.
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

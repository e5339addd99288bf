"""The test databases: one migrated template, copied for each test process.

Building a test database means running every migration, and Django renders the model state again
after each operation (most of the time of `migrate`: ~20 s on a quiet two-core machine, minutes on a
busy one). With pytest-xdist each process used to do it for itself, at the same moment, on the same
cores. Now the first process to take the lock migrates a template database; every process then takes
a copy of it (PostgreSQL's `CREATE DATABASE … TEMPLATE`, a file copy).

The template is kept between runs and labelled with a fingerprint of what decides its contents: the
migration files, the project modules they import, and the installed packages (Django's and
third-party apps' own migrations). A run whose fingerprint matches copies it without migrating; any
change to those migrates it afresh. Nothing else writes to a fresh database (Hive has no
post_migrate handlers; Django's contenttypes and permissions follow the migrations).
"""

import ast
import fcntl
import hashlib
import tempfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
LABEL = "hive test template "


def migrations_fingerprint() -> str:
    """Changes whenever a fresh migrate could give a different database."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py"))
    for path in files + sorted(_project_modules_imported_by(files)):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages + list(settings.INSTALLED_APPS)).encode())
    return digest.hexdigest()[:32]


def _project_modules_imported_by(files: list[Path]) -> set[Path]:
    """Project modules a migration imports (recognition.defaults, ...), at any depth of the file."""
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                module = ROOT.joinpath(*name.split("."))
                for candidate in (module.with_suffix(".py"), module / "__init__.py"):
                    if candidate.is_file() and "migrations" not in candidate.parts:
                        found.add(candidate)
    return found


@contextmanager
def _lock(name: str):
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


def _template_label(cursor, template: str) -> str | None:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
    )
    row = cursor.fetchone()
    return row[0] if row else None


def template_copy_create(*, name: str, template: str) -> str:
    """Make `name` a copy of the migrated `template` (migrating the template first if it is missing
    or out of date), switch the connection to it and return the database name it had before."""
    original = connection.settings_dict["NAME"]
    label = LABEL + migrations_fingerprint()
    with _lock(template):
        with connection._nodb_cursor() as cursor:
            current = _template_label(cursor, template) == label
        if not current:
            connection.settings_dict["TEST"]["NAME"] = template
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            with connection.cursor() as cursor:
                cursor.execute(f"COMMENT ON DATABASE {_quote(template)} IS %s", [label])
            connection.close()  # a database being copied must have no sessions
        # Under the lock: two copies of one template at once can fail ("being accessed by other users").
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
            cursor.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(template)}")
    connection.settings_dict["TEST"]["NAME"] = name
    _use_database(name)
    return original


def template_copy_drop(*, name: str, original: str) -> None:
    _use_database(original)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")

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

On a clean machine (CI) there is no template yet, and migrating it was the longest step of the run. So
the migrated database is also kept in the repository, as Rails keeps structure.sql: `tests/schema.sql`,
a pg_dump of a freshly migrated database headed by the fingerprint it was made from. When that
fingerprint is today's, the template is loaded from the file (about a second); when it is not (a
migration was added since), the template is migrated as before and the run says the file is stale.
`make test-schema` writes it again: `python -m tests.database` migrates a scratch database and dumps it.
"""

import ast
import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
LABEL = "hive test template "
SNAPSHOT = ROOT / "tests" / "schema.sql"
SNAPSHOT_HEADER = "-- " + LABEL


def migrations_fingerprint() -> str:
    """Changes whenever a fresh migrate could give a different database."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py"))
    for path in files + sorted(_project_modules_imported_by(files)):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    digest.update("\n".join(_app_packages() + list(settings.INSTALLED_APPS)).encode())
    return digest.hexdigest()[:32]


def _app_packages() -> list[str]:
    """Versions of the installed packages that bring apps (Django, allauth, taggit): only they carry
    migrations. Not every installed package: pip, setuptools or a test plugin changing version would
    make a clean checkout's fingerprint differ from the one `tests/schema.sql` was made with."""
    owners = metadata.packages_distributions()
    names = {name for app in settings.INSTALLED_APPS for name in owners.get(app.split(".")[0], [])}
    return sorted(f"{name}=={metadata.version(name)}" for name in names)


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
            _template_build(template, label)
        # Under the lock: two copies of one template at once can fail ("being accessed by other users").
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
            cursor.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(template)}")
    connection.settings_dict["TEST"]["NAME"] = name
    _use_database(name)
    return original


def _template_build(template: str, label: str) -> None:
    """A migrated `template`: loaded from tests/schema.sql when it was made from these migrations,
    else migrated (and the run told that the file is stale)."""
    if _snapshot_label() == label:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(template)}")
            cursor.execute(f"CREATE DATABASE {_quote(template)}")
        _psql(template, "--single-transaction", "--file", str(SNAPSHOT))
    else:
        if SNAPSHOT.exists():
            print(
                f"\n{SNAPSHOT.relative_to(ROOT)} was made from other migrations: migrating instead "
                "(about 20 s). `make test-schema` writes it again.",
                file=sys.stderr,
            )
        connection.settings_dict["TEST"]["NAME"] = template
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"COMMENT ON DATABASE {_quote(template)} IS %s", [label])
    connection.close()  # a database being copied must have no sessions


def _snapshot_label() -> str | None:
    if not SNAPSHOT.exists():
        return None
    with SNAPSHOT.open() as snapshot:
        first = snapshot.readline().rstrip("\n")
    return first.removeprefix("-- ") if first.startswith(SNAPSHOT_HEADER) else None


def _client_args(database: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for PostgreSQL's own tools (psql, pg_dump), from Django's settings."""
    config = connection.settings_dict
    args = ["--dbname", database, "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            args += [flag, str(config[key])]
    env = dict(os.environ, PGPASSWORD=config.get("PASSWORD") or "")
    return args, env


def _psql(database: str, *args: str) -> None:
    client, env = _client_args(database)
    command = ["psql", "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", *client, *args]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def snapshot_write() -> None:
    """Migrate a scratch database and dump it into tests/schema.sql, headed by its fingerprint."""
    scratch = f"{connection.settings_dict['NAME']}_schema_snapshot"
    original = connection.settings_dict["NAME"]
    label = LABEL + migrations_fingerprint()
    connection.settings_dict["TEST"]["NAME"] = scratch
    connection.creation.create_test_db(verbosity=1, autoclobber=True, serialize=False)
    connection.close()
    client, env = _client_args(scratch)
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "--no-comments", *client],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # pg_dump 15.14+ fences the script with \restrict <random key>: psql-only lines that would make
    # every dump differ from the last.
    lines = [line for line in dump.splitlines() if not line.startswith(("\\restrict", "\\unrestrict"))]
    lines = _applied_times_fixed(lines)
    SNAPSHOT.write_text(f"-- {label}\n-- Written by `make test-schema` (tests/database.py); do not edit.\n")
    with SNAPSHOT.open("a") as snapshot:
        snapshot.write("\n".join(lines) + "\n")
    _use_database(original)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(scratch)}")
    print(f"{SNAPSHOT.relative_to(ROOT)}: {len(lines)} lines, {label.removeprefix(LABEL)}")


def _applied_times_fixed(lines: list[str]) -> list[str]:
    """django_migrations records when each migration ran: one fixed time, so that the file changes only
    when the schema does."""
    fixed, inside = [], False
    for line in lines:
        if line.startswith("COPY public.django_migrations "):
            inside = True
        elif inside and line == "\\.":
            inside = False
        elif inside:
            line = line.rsplit("\t", 1)[0] + "\t2000-01-01 00:00:00+00"
        fixed.append(line)
    return fixed


def template_copy_drop(*, name: str, original: str) -> None:
    _use_database(original)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    snapshot_write()

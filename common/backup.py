"""Backups: the PostgreSQL database (pg_dump's custom format) and the uploaded files, in one folder
with a manifest of checksums, and the restore that puts both back on a fresh database and media folder.

pg_dump takes a consistent snapshot while Hive keeps running; the media archive is taken right after,
so a file uploaded in between is in the archive without a row pointing at it (harmless), never the
reverse. Restore refuses a database that already has tables: it is for a fresh one.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.utils import timezone

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    database_bytes: int
    media_files: int


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection arguments for Django's database, password in the environment."""
    if connection.vendor != "postgresql":
        raise BackupError(
            f"Backups need PostgreSQL, but the database is {connection.vendor}. "
            "For the SQLite demo, copy db.sqlite3 and the media folder while Hive is stopped."
        )
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def backup_create(*, into: Path, media_root: Path) -> BackupResult:
    """Writes a new folder `hive-<UTC time>` under `into`; a half-written one is removed on failure."""
    args, env = _pg_env()
    folder = into / timezone.now().strftime("hive-%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True, exist_ok=False)
    try:
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(folder / DUMP),
                *args,
            ],
            env,
        )
        files = 0
        with tarfile.open(folder / MEDIA, "w:gz") as archive:
            if media_root.is_dir():
                for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
                    archive.add(path, arcname=str(path.relative_to(media_root)))
                    files += 1
        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": connection.settings_dict["NAME"],
            "media_files": files,
            "sha256": {name: _sha256(folder / name) for name in (DUMP, MEDIA)},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return BackupResult(folder=folder, database_bytes=(folder / DUMP).stat().st_size, media_files=files)


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def backup_restore(*, folder: Path, media_root: Path) -> int:
    """Restores `folder` into Django's (empty) database and an empty media folder; returns the number of
    files restored. Checks the manifest's checksums first, so a damaged backup changes nothing."""
    args, env = _pg_env()
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            f"{folder} is not a Hive backup: {MANIFEST} is missing or unreadable ({error})."
        ) from None
    for name, expected in manifest["sha256"].items():
        if not (folder / name).is_file() or _sha256(folder / name) != expected:
            raise BackupError(
                f"{folder / name} is missing or damaged (its checksum differs); nothing was restored."
            )
    if not _database_is_empty():
        raise BackupError(
            f"Database {connection.settings_dict['NAME']} already has tables; restore into a new, empty "
            "database (createdb) so nothing is mixed or overwritten."
        )
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty; restore into an empty one.")
    connection.close()  # pg_restore works on its own connection
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(folder / DUMP)], env)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, links out or devices
        return len([m for m in archive.getmembers() if m.isfile()])

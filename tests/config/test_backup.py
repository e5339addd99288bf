"""`make backup` and `manage.py restore`: a backup restored into a fresh database and media folder gives
back every row and every file, identical; a damaged backup or a database in use is refused untouched."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import CommentFactory, PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed

ROOT = Path(__file__).resolve().parents[2]


def _admin():
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    return admin


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = _admin()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _table_fingerprints(database: str) -> dict[str, tuple[int, str]]:
    """Every public table's row count and a hash of all its rows, in a stable order."""
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    conn = psycopg2.connect(**{**params, "dbname": database})
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        prints = {}
        for table in tables:
            rows = "string_agg(t::text, '|' ORDER BY t::text)"
            cursor.execute(f"SELECT count(*), md5(coalesce({rows}, '')) FROM \"{table}\" t")
            prints[table] = cursor.fetchone()
    conn.close()
    return prints


def _restore(folder: Path, *, database: str, media: Path) -> subprocess.CompletedProcess:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{database}",
        "HIVE_MEDIA_ROOT": str(media),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def company(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "photos" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "2026" / "ada.jpg").write_bytes(os.urandom(50_000))
    (settings.MEDIA_ROOT / "posts").mkdir()
    (settings.MEDIA_ROOT / "posts" / "launch.png").write_bytes(os.urandom(20_000))
    ada = ProfileFactory(display_name="Ada Author")
    post = PostFactory(author=ada, body='Launch day ✨ with "quotes" and a\nnewline')
    CommentFactory(post=post, author=ProfileFactory())
    return settings.MEDIA_ROOT


def _backup(tmp_path: Path) -> Path:
    call_command("backup", into=str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


def test_restore_gives_back_every_row_and_every_file(company, tmp_path, fresh_database):
    folder = _backup(tmp_path)
    restored_media = tmp_path / "restored-media"

    done = _restore(folder, database=fresh_database, media=restored_media)

    assert done.returncode == 0, done.stderr
    assert "2 files" in done.stdout
    original = _table_fingerprints(connection.settings_dict["NAME"])
    assert _table_fingerprints(fresh_database) == original
    assert original["feed_post"][0] == 1 and original["profiles_profile"][0] >= 2
    for path in company.rglob("*"):
        if path.is_file():
            assert (restored_media / path.relative_to(company)).read_bytes() == path.read_bytes()


def test_a_damaged_backup_is_refused_and_restores_nothing(company, tmp_path, fresh_database):
    folder = _backup(tmp_path)
    dump = folder / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    done = _restore(folder, database=fresh_database, media=tmp_path / "restored-media")

    assert done.returncode != 0
    assert "damaged" in done.stderr
    assert _table_fingerprints(fresh_database) == {}
    assert not (tmp_path / "restored-media").exists()


def test_restore_refuses_a_database_that_is_in_use(company, tmp_path):
    folder = _backup(tmp_path)
    before = _table_fingerprints(connection.settings_dict["NAME"])

    done = _restore(folder, database=connection.settings_dict["NAME"], media=tmp_path / "restored-media")

    assert done.returncode != 0
    assert "already has tables" in done.stderr
    assert _table_fingerprints(connection.settings_dict["NAME"]) == before

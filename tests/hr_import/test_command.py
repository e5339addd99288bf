"""`manage.py import_employees`: progress, summary, errors by line and the exit status."""

import re

import pytest
from django.core.management import CommandError, call_command

from profiles.models import User
from tests.factories import ProfileFactory
from tests.helpers import hr_csv

from .make_csv import rows

pytestmark = pytest.mark.django_db


def _write(tmp_path, data: bytes):
    path = tmp_path / "hr.csv"
    path.write_bytes(data)
    return str(path)


def _generated(count: int) -> bytes:
    people = rows(count)
    return hr_csv(*(",".join(p.values()) for p in people))


def test_command_prints_progress_and_summary(tmp_path, capsys):
    path = _write(tmp_path, _generated(2500))

    call_command("import_employees", path)

    out = capsys.readouterr().out
    assert "validated 1,000 / 2,500" in out
    assert "validated 2,500 / 2,500" in out
    assert "created accounts 2,500 / 2,500" in out
    assert "created:" in out and "2,500" in out
    assert "Import applied." in out
    assert User.objects.count() == 2500


def test_running_the_command_twice_reports_everyone_unchanged(tmp_path, capsys):
    path = _write(tmp_path, _generated(50))
    call_command("import_employees", path)
    capsys.readouterr()

    call_command("import_employees", path)

    out = capsys.readouterr().out
    assert re.search(r"created:\s+0\n", out)
    assert re.search(r"updated:\s+0\n", out)
    assert re.search(r"unchanged:\s+50\n", out)


def test_errors_are_listed_by_line_capped_and_the_command_fails(tmp_path, capsys):
    lines = ["ann@example.com,Ann,,,,,"] + [f"p{i}@example.com,,,,,," for i in range(205)]
    path = _write(tmp_path, hr_csv(*lines))

    with pytest.raises(CommandError, match="205 errors on 205 rows"):
        call_command("import_employees", path)

    captured = capsys.readouterr()
    assert "line 3: name is empty" in captured.err
    assert "line 202: name is empty" in captured.err
    assert "line 203: name is empty" not in captured.err
    assert "... and 5 more errors" in captured.err
    assert User.objects.filter(email="ann@example.com").exists()  # the valid row still applies


def test_dry_run_writes_nothing(tmp_path, capsys):
    path = _write(tmp_path, _generated(20))

    call_command("import_employees", path, "--dry-run")

    assert "Dry run" in capsys.readouterr().out
    assert not User.objects.exists()


def test_full_export_guard_and_override(tmp_path, capsys):
    for i in range(4):
        ProfileFactory(user__email=f"old{i}@example.com")
    admin = ProfileFactory(user__email="hr@example.com", user__is_staff=True)
    path = _write(tmp_path, _generated(3))

    with pytest.raises(CommandError, match="would deactivate 4 of 5 active accounts"):
        call_command("import_employees", path, "--full", "--as", "HR@example.com")
    assert User.objects.filter(is_active=True).count() == 5

    call_command("import_employees", path, "--full", "--as", "hr@example.com", "--allow-mass-deactivation")

    assert set(User.objects.filter(is_active=False).values_list("email", flat=True)) == {
        f"old{i}@example.com" for i in range(4)
    }
    admin.user.refresh_from_db()
    assert admin.user.is_active


def test_unreadable_files_are_command_errors(tmp_path):
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_employees", _write(tmp_path, "email,name\nann@x.com,Zoë\n".encode("utf-16")))
    with pytest.raises(CommandError, match="Can't read"):
        call_command("import_employees", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="no account has that email"):
        call_command("import_employees", _write(tmp_path, hr_csv()), "--as", "nobody@example.com")

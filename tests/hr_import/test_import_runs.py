"""The record of each HR import (profiles.ImportRun): who ran it, from where, which file, what came of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from profiles import hr_import
from profiles.hr_import import HRFileError, employees_import
from profiles.models import Department, ImportRun, User
from tests.factories import ProfileFactory, UserFactory
from tests.helpers import client_for, hr_csv

pytestmark = pytest.mark.django_db

COMPANY = [
    "cy@example.com,Cy Coder,Engineer,Engineering,Lisbon,bo@example.com,2022-03-01",
    "ann@example.com,Ann Chief,CEO,Board,Berlin,,2010-01-04",
    "bo@example.com,Bo Boss,Engineering Manager,Engineering,Lisbon,ann@example.com,2015-06-30",
]


@pytest.fixture
def hr_admin(db):
    return UserFactory(email="hr@example.com", is_staff=True, is_superuser=True)


def test_an_applied_import_records_who_where_which_file_and_the_figures(hr_admin):
    data = hr_csv(*COMPANY, "dee@example.com,,Designer,Design,Lisbon,,2021-01-01")

    employees_import(data=data, actor=hr_admin, source=ImportRun.Source.ADMIN, file_name="march.csv")

    run = ImportRun.objects.get()
    assert (run.actor, run.actor_email, run.source, run.file_name) == (
        hr_admin,
        "hr@example.com",
        "admin",
        "march.csv",
    )
    assert run.outcome == ImportRun.Outcome.APPLIED and not run.full
    assert (run.rows, run.created, run.updated, run.deactivated, run.error_count) == (4, 3, 0, 0, 1)
    assert (run.departments_created, run.locations_created) == (2, 2)
    assert run.errors == ["line 5: name is empty"]
    assert run.message == "Import applied. 1 rows with errors were skipped."
    assert run.started_at <= run.finished_at


def test_a_second_run_of_the_same_file_is_recorded_as_unchanged():
    employees_import(data=hr_csv(*COMPANY))
    employees_import(data=hr_csv(*COMPANY))

    latest = ImportRun.objects.order_by("-started_at", "-id").first()
    assert ImportRun.objects.count() == 2
    assert (latest.created, latest.updated, latest.unchanged) == (0, 0, 3)
    assert latest.actor is None and latest.actor_email == "" and latest.source == "command"


def test_a_dry_run_writes_no_record():
    employees_import(data=hr_csv(*COMPANY), dry_run=True)

    assert not ImportRun.objects.exists()


def test_a_refused_full_export_is_recorded_with_its_reason_and_errors():
    data = hr_csv(*COMPANY, "not-an-email,Zed,,,,,")

    employees_import(data=data, full=True)

    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.REFUSED and run.full
    assert "A full export must have no errors" in run.message
    assert run.errors == ["line 5: email 'not-an-email' is not a valid email address"]
    assert not User.objects.exists()


def test_a_failure_while_writing_rolls_back_the_import_but_records_the_failure(monkeypatch):
    def explode(pairs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(hr_import, "_managers_set", explode)

    with pytest.raises(RuntimeError):
        employees_import(data=hr_csv(*COMPANY), file_name="hr.csv")

    assert not User.objects.exists() and not Department.objects.exists()
    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.FAILED
    assert run.message == "Nothing was imported. RuntimeError: database went away"
    assert (run.created, run.updated, run.error_count) == (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_the_failure_record_survives_the_rollback_of_a_real_transaction(monkeypatch):
    monkeypatch.setattr(hr_import, "_managers_set", lambda pairs: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        employees_import(data=hr_csv(*COMPANY))

    assert not User.objects.exists()
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.FAILED


def test_the_record_is_written_in_the_import_transaction(monkeypatch):
    """If the record can't be written, the import's changes go too (and the failure is recorded)."""
    real_save = ImportRun.save

    def refuse_applied(run, *args, **kwargs):
        if run.outcome == ImportRun.Outcome.APPLIED:
            raise RuntimeError("audit table full")
        real_save(run, *args, **kwargs)

    monkeypatch.setattr(ImportRun, "save", refuse_applied)

    with pytest.raises(RuntimeError, match="audit table full"):
        employees_import(data=hr_csv(*COMPANY))

    assert not User.objects.exists()
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.FAILED


def test_an_unreadable_file_is_recorded_as_failed():
    with pytest.raises(HRFileError):
        employees_import(data=b"email,name,salary\n", file_name="payroll.csv")

    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.FAILED and run.file_name == "payroll.csv"
    assert "unknown column 'salary'" in run.message


def test_only_the_first_error_lines_are_kept_but_all_are_counted(monkeypatch):
    monkeypatch.setattr(hr_import, "MAX_ERRORS_RECORDED", 2)

    employees_import(data=hr_csv(*COMPANY, "a,A,,,,,", "b,B,,,,,", "c,C,,,,,"))

    run = ImportRun.objects.get()
    assert run.error_count == 3 and len(run.errors) == 2


# --- From the command and the admin upload -------------------------------------------------------


def test_the_command_records_its_file_name_and_the_as_account(tmp_path, hr_admin):
    path = tmp_path / "export-2026-11.csv"
    path.write_bytes(hr_csv(*COMPANY))

    call_command("import_employees", str(path), "--as", "HR@example.com")

    run = ImportRun.objects.get()
    assert (run.source, run.file_name, run.actor) == ("command", "export-2026-11.csv", hr_admin)


def test_a_command_refused_for_mass_deactivation_is_recorded(tmp_path):
    for i in range(5):
        ProfileFactory(user__email=f"p{i}@example.com")
    path = tmp_path / "one-team.csv"
    path.write_bytes(hr_csv("p0@example.com,P 0,,,,,"))

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_employees", str(path), "--full")

    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.REFUSED and run.deactivated == 4
    assert User.objects.filter(is_active=True).count() == 5


@pytest.mark.urls("tests.hr_import.urls")
def test_the_admin_upload_records_the_uploader_and_file_name_and_links_the_history(client, hr_admin):
    upload = SimpleUploadedFile("people.csv", hr_csv(*COMPANY), content_type="text/csv")

    response = client_for_user(client, hr_admin).post("/admin/profiles/profile/import/", {"file": upload})

    run = ImportRun.objects.get()
    assert (run.source, run.file_name, run.actor, run.created) == ("admin", "people.csv", hr_admin, 3)
    assert 'href="/admin/profiles/importrun/"' in response.content.decode()


def client_for_user(client, user):
    client.force_login(user)
    return client


# --- Browsing the records in admin -----------------------------------------------------------------


def test_admins_browse_the_records_but_cannot_add_change_or_delete_them(client, hr_admin):
    employees_import(data=hr_csv(*COMPANY, "a,A,,,,,"), actor=hr_admin, file_name="march.csv")
    run = ImportRun.objects.get()
    c = client_for_user(client, hr_admin)

    listing = c.get("/admin/profiles/importrun/")
    detail = c.get(f"/admin/profiles/importrun/{run.pk}/change/")

    assert listing.status_code == 200 and "march.csv" in listing.content.decode()
    assert detail.status_code == 200
    assert "line 5: email &#x27;a&#x27; is not a valid email address" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()
    assert c.get("/admin/profiles/importrun/add/").status_code == 403
    assert c.post(f"/admin/profiles/importrun/{run.pk}/change/", {"file_name": "x.csv"}).status_code == 403
    assert c.post(f"/admin/profiles/importrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    run.refresh_from_db()
    assert run.file_name == "march.csv"


def test_employees_without_staff_rights_cannot_see_the_records(client, colleague):
    employees_import(data=hr_csv(*COMPANY))

    response = client_for(client, colleague).get("/admin/profiles/importrun/")

    assert response.status_code == 302 and "/admin/login/" in response.url

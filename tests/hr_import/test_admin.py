"""The admin upload page: only staff allowed to change profiles import; the page shows the summary."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from profiles import admin_import
from profiles.models import User
from tests.factories import ProfileFactory
from tests.helpers import client_for
from tests.helpers import hr_csv as _hr_csv

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.hr_import.urls")]

URL = "/admin/profiles/profile/import/"


@pytest.fixture
def hr_admin(db):
    profile = ProfileFactory(user__email="hr@example.com", user__is_staff=True)
    profile.user.user_permissions.add(Permission.objects.get(codename="change_profile"))
    return profile


@pytest.fixture
def hr_client(client, hr_admin):
    return client_for(client, hr_admin)


def hr_csv(*lines: str) -> bytes:
    return _hr_csv(*lines, header="email,name")


def _upload(data: bytes, name: str = "hr.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_non_staff_are_sent_to_the_admin_login(client, colleague):
    response = client_for(client, colleague).get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_permission_to_change_profiles_are_refused(client):
    staff = ProfileFactory(user__is_staff=True)

    response = client_for(client, staff).post(URL, {"file": _upload(hr_csv("ann@example.com,Ann"))})

    assert response.status_code == 403
    assert not User.objects.filter(email="ann@example.com").exists()


def test_the_profile_changelist_links_to_the_import(hr_client):
    response = hr_client.get("/admin/profiles/profile/")

    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()


def test_upload_form_is_shown_with_dry_run_ticked(hr_client):
    response = hr_client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert 'id="id_dry_run" checked' in page
    assert "Full export" in page


def test_upload_applies_the_valid_rows_and_lists_errors_by_line(hr_client):
    data = _hr_csv("ann@example.com,Ann,CEO,Board,Berlin,,2010-01-04", "bo@example.com,Bo,,,,,2023-13-01")

    response = hr_client.post(URL, {"file": _upload(data)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Import applied" in page
    assert "line 3: start_date &#x27;2023-13-01&#x27; is not a date (use YYYY-MM-DD)" in page
    assert User.objects.filter(email="ann@example.com").exists()
    assert not User.objects.filter(email="bo@example.com").exists()


def test_dry_run_upload_shows_the_summary_and_writes_nothing(hr_client):
    response = hr_client.post(URL, {"file": _upload(hr_csv("ann@example.com,Ann")), "dry_run": "on"})

    page = response.content.decode()
    assert "Dry run: what would change" in page
    assert '<th scope="row">Created</th><td>1</td>' in page
    assert not User.objects.filter(email="ann@example.com").exists()


def test_full_export_upload_never_deactivates_the_uploader(hr_client, hr_admin):
    ProfileFactory(user__email="leaver@example.com")
    for i in range(5):
        ProfileFactory(user__email=f"p{i}@example.com")
    data = hr_csv(*[f"p{i}@example.com,P {i}" for i in range(5)])  # the uploader is not in the file

    response = hr_client.post(URL, {"file": _upload(data), "full": "on"})

    assert response.status_code == 200
    assert "Import applied" in response.content.decode()
    assert not User.objects.get(email="leaver@example.com").is_active
    assert User.objects.get(email="hr@example.com").is_active


def test_mass_deactivation_is_refused_on_the_page(hr_client):
    for i in range(3):
        ProfileFactory(user__email=f"old{i}@example.com")

    response = hr_client.post(URL, {"file": _upload(hr_csv("ann@example.com,Ann")), "full": "on"})

    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "would deactivate 3 of 4 active accounts" in page
    assert User.objects.filter(is_active=True).count() == 4


def test_a_file_that_is_not_utf8_gets_a_clear_error(hr_client):
    response = hr_client.post(URL, {"file": _upload("email,name\nann@example.com,Zoë\n".encode("cp1252"))})

    assert "The file is not UTF-8 text" in response.content.decode()
    assert not User.objects.filter(email="ann@example.com").exists()


def test_a_file_that_is_not_csv_is_refused(hr_client):
    response = hr_client.post(URL, {"file": _upload(b"%PDF-1.7", name="people.pdf")})

    assert "Upload a .csv file" in response.content.decode()


def test_an_oversized_file_is_refused(hr_client, monkeypatch):
    monkeypatch.setattr(admin_import, "MAX_UPLOAD_BYTES", 100)

    response = hr_client.post(URL, {"file": _upload(hr_csv(*[f"p{i}@example.com,P {i}" for i in range(10)]))})

    assert "the limit is 100" in response.content.decode()
    assert User.objects.count() == 1

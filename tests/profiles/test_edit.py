"""Editing one's own profile: the fields, links, languages and photo (checked and cropped, or not saved)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from profiles.models import Profile
from tests.factories import LocationFactory, ProfileFactory, UserFactory
from tests.helpers import client_for, image_bytes, image_upload

pytestmark = pytest.mark.django_db


def _form(profile: Profile, **changes) -> dict:
    data = {
        "display_name": profile.display_name,
        "pronouns": profile.pronouns,
        "job_title": profile.job_title,
        "department": profile.department_id or "",
        "location": profile.location_id or "",
        "bio": profile.bio,
        "languages": ", ".join(profile.languages),
        "phone": profile.phone,
    }
    for n, link in enumerate(profile.links):
        data[f"link_{n}_label"] = link["label"]
        data[f"link_{n}_url"] = link["url"]
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _files_in(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()]


def test_owner_saves_pronouns_languages_phone_and_links(author_client, author):
    response = author_client.post(
        f"/people/{author.pk}/edit/",
        _form(
            author,
            pronouns="she/her",
            languages=" English,Portuguese , english,, Klingon ",
            phone="+351 21 000 0000",
            bio="I build **things**.",
            link_0_label="GitHub",
            link_0_url="https://github.com/ada",
            link_2_url="http://ada.example.com/blog",
        ),
    )

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.pronouns == "she/her"
    assert author.languages == ["English", "Portuguese", "Klingon"]
    assert author.phone == "+351 21 000 0000"
    assert author.bio == "I build **things**."
    assert author.links == [
        {"label": "GitHub", "url": "https://github.com/ada"},
        {"label": "ada.example.com", "url": "http://ada.example.com/blog"},
    ]


def test_edit_form_shows_saved_languages_and_links(author_client, author):
    author.languages = ["English", "French"]
    author.links = [{"label": "Site", "url": "https://ada.example.com"}]
    author.save()

    page = author_client.get(f"/people/{author.pk}/edit/").content.decode()

    assert 'value="English, French"' in page
    assert 'value="https://ada.example.com"' in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>x</script>",
        "ftp://x.com",
        "github.com/ada",
    ],
)
def test_link_that_is_not_http_is_refused_with_a_clear_error_and_nothing_saved(author_client, author, url):
    before = Profile.objects.values().get(pk=author.pk)

    response = author_client.post(
        f"/people/{author.pk}/edit/", _form(author, job_title="Changed", link_0_label="Me", link_0_url=url)
    )

    assert response.status_code == 200
    assert "Enter a web address that starts with http:// or https://." in response.content.decode()
    assert Profile.objects.values().get(pk=author.pk) == before


def test_link_label_without_an_address_is_an_error(author_client, author):
    response = author_client.post(f"/people/{author.pk}/edit/", _form(author, link_1_label="Blog"))

    assert "Add the web address for this link" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"phone": "call me maybe"}, "Enter a phone number"),
        ({"languages": ",".join(f"Lang {n}" for n in range(11))}, "at most 10 languages"),
        ({"pronouns": "x" * 41}, "at most 40 characters"),
    ],
)
def test_bad_details_show_an_error_and_save_nothing(author_client, author, changes, error):
    before = Profile.objects.values().get(pk=author.pk)

    response = author_client.post(f"/people/{author.pk}/edit/", _form(author, job_title="Changed", **changes))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Profile.objects.values().get(pk=author.pk) == before


def test_owner_cannot_change_their_start_date_but_an_admin_can(client, author):
    author.start_date = date(2020, 1, 6)
    author.save()

    client_for(client, author).post(f"/people/{author.pk}/edit/", _form(author, start_date="2010-01-01"))
    author.refresh_from_db()
    assert author.start_date == date(2020, 1, 6)

    admin = ProfileFactory(user=UserFactory(is_superuser=True, is_staff=True))
    client_for(client, admin).post(f"/people/{author.pk}/edit/", _form(author, start_date="2019-03-04"))
    author.refresh_from_db()
    assert author.start_date == date(2019, 3, 4)


def test_colleague_cannot_upload_a_photo_to_someone_elses_profile(client, author, colleague, media_root):
    client_for(client, colleague)

    response = client.post(f"/people/{author.pk}/edit/", {**_form(author), "photo": image_upload()})

    assert response.status_code == 403
    author.refresh_from_db()
    assert not author.photo
    assert _files_in(media_root) == []


# --- Photo ----------------------------------------------------------------------------------


def test_photo_upload_is_cropped_to_a_square_and_shown_on_the_profile(author_client, author, media_root):
    response = author_client.post(
        f"/people/{author.pk}/edit/",
        {**_form(author, job_title="Photographer"), "photo": image_upload(size=(900, 500))},
    )

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.job_title == "Photographer"
    assert author.photo.name.startswith("profile-photos/")
    stored = media_root / author.photo.name
    with Image.open(stored) as image:
        assert image.size == (400, 400)
        assert image.format == "JPEG"
    page = author_client.get(f"/people/{author.pk}/").content.decode()
    assert f'src="/media/{author.photo.name}"' in page


@pytest.mark.parametrize("image_format", ["JPEG", "GIF", "WEBP"])
def test_other_image_formats_are_accepted(author_client, author, image_format):
    upload = image_upload(name="me.img", image_format=image_format, size=(300, 320))

    response = author_client.post(f"/people/{author.pk}/edit/", {**_form(author), "photo": upload})

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.photo


def test_transparent_photo_is_kept_as_png(author_client, author, media_root):
    upload = image_upload(mode="RGBA", color=(10, 20, 30, 0), size=(120, 100))

    author_client.post(f"/people/{author.pk}/edit/", {**_form(author), "photo": upload})

    author.refresh_from_db()
    with Image.open(media_root / author.photo.name) as image:
        assert image.format == "PNG"
        assert image.size == (100, 100)  # small photos are not blown up


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile(
            "notes.png", b"this is just text pretending to be a png", content_type="image/png"
        ),
        SimpleUploadedFile("half.png", image_bytes()[:60], content_type="image/png"),
        SimpleUploadedFile("pic.bmp", image_bytes(image_format="BMP"), content_type="image/bmp"),
    ],
    ids=["text-renamed-png", "truncated-png", "bmp"],
)
def test_non_image_photo_is_refused_and_nothing_is_saved(author_client, author, media_root, upload):
    before = Profile.objects.values().get(pk=author.pk)

    response = author_client.post(
        f"/people/{author.pk}/edit/", {**_form(author, job_title="Changed"), "photo": upload}
    )

    assert response.status_code == 200
    assert "That file is not an image we can read" in response.content.decode()
    assert Profile.objects.values().get(pk=author.pk) == before
    assert _files_in(media_root) == []


def test_oversized_photo_is_refused_and_nothing_is_saved(author_client, author, media_root, settings):
    settings.HIVE_PHOTO_MAX_BYTES = 1000
    before = Profile.objects.values().get(pk=author.pk)
    upload = image_upload(size=(800, 800), image_format="BMP")  # about 1.9 MB of pixels
    assert upload.size > 1000

    response = author_client.post(
        f"/people/{author.pk}/edit/", {**_form(author, job_title="Changed"), "photo": upload}
    )

    assert response.status_code == 200
    assert "the limit is 1000\xa0bytes" in response.content.decode()
    assert Profile.objects.values().get(pk=author.pk) == before
    assert _files_in(media_root) == []


def test_default_photo_limit_is_five_megabytes(author_client, author, media_root):
    big = io.BytesIO(image_bytes() + b"\0" * (5 * 1024 * 1024))
    upload = SimpleUploadedFile("big.png", big.getvalue(), content_type="image/png")

    response = author_client.post(f"/people/{author.pk}/edit/", {**_form(author), "photo": upload})

    assert "the limit is 5.0\xa0MB" in response.content.decode()
    assert _files_in(media_root) == []


def test_replacing_the_photo_deletes_the_old_file(
    author_client, author, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(f"/people/{author.pk}/edit/", {**_form(author), "photo": image_upload()})
    author.refresh_from_db()
    first = author.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(
            f"/people/{author.pk}/edit/", {**_form(author), "photo": image_upload(name="b.png")}
        )
    author.refresh_from_db()

    assert author.photo.name != first
    assert [p.relative_to(media_root).as_posix() for p in _files_in(media_root)] == [author.photo.name]


def test_owner_removes_their_photo_and_gets_initials_back(
    author_client, author, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(f"/people/{author.pk}/edit/", {**_form(author), "photo": image_upload()})

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(f"/people/{author.pk}/edit/", _form(author, photo_remove="on"))

    assert response.status_code == 302
    author.refresh_from_db()
    assert not author.photo
    assert _files_in(media_root) == []
    page = author_client.get(f"/people/{author.pk}/").content.decode()
    assert '<span class="avatar"' in page and ">AA</span>" in page


def test_bad_field_with_a_good_photo_saves_neither(author_client, author, media_root):
    response = author_client.post(
        f"/people/{author.pk}/edit/",
        {
            **_form(author, display_name="", location=LocationFactory(name="Porto").pk),
            "photo": image_upload(),
        },
    )

    assert response.status_code == 200
    author.refresh_from_db()
    assert not author.photo
    assert author.location.name == "Lisbon"
    assert _files_in(media_root) == []

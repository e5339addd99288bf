"""Profile photos are served by Hive, to signed-in people only, and only from MEDIA_ROOT."""

import pytest

from tests.helpers import client_for, image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.profiles.media_urls")]


@pytest.fixture
def photo(media_root):
    folder = media_root / "profile-photos" / "2026" / "03"
    folder.mkdir(parents=True)
    (folder / "7-abc.png").write_bytes(image_bytes(size=(10, 10)))
    (media_root.parent / "secret.txt").write_text("top secret")
    return "profile-photos/2026/03/7-abc.png"


def test_signed_in_person_gets_the_photo(client, colleague, photo):
    response = client_for(client, colleague).get(f"/media/{photo}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == image_bytes(size=(10, 10))
    assert "private" in response["Cache-Control"]


def test_signed_out_visitor_is_sent_to_sign_in(client, photo):
    response = client.get(f"/media/{photo}")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "profile-photos/../../secret.txt",
        "%2e%2e/secret.txt",
        "..%2fsecret.txt",
        "/etc/passwd",
    ],
)
def test_path_traversal_is_refused(client, colleague, photo, path):
    response = client_for(client, colleague).get(f"/media/{path}")

    assert response.status_code == 404
    assert b"top secret" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_missing_file_and_folder_are_not_found(client, colleague, photo):
    client_for(client, colleague)

    assert client.get("/media/profile-photos/2026/03/nope.png").status_code == 404
    assert client.get("/media/profile-photos/2026/").status_code == 404


def test_a_file_that_is_not_an_image_is_only_ever_downloaded(client, colleague, media_root):
    (media_root / "profile-photos").mkdir(exist_ok=True)
    (media_root / "profile-photos" / "page.html").write_text("<script>alert(1)</script>")

    response = client_for(client, colleague).get("/media/profile-photos/page.html")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_only_profile_photos_are_served_here_other_uploads_have_their_own_checks(
    client, colleague, media_root
):
    (media_root / "post-images").mkdir()
    (media_root / "post-images" / "private.png").write_bytes(b"not served from here")

    assert client_for(client, colleague).get("/media/post-images/private.png").status_code == 404

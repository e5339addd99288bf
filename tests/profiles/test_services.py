"""profiles.services called directly: the rules hold whatever page or script calls them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from profiles import services
from profiles.models import Profile
from tests.helpers import image_upload

pytestmark = pytest.mark.django_db


def test_profile_update_refuses_someone_elses_profile(author, colleague):
    with pytest.raises(PermissionDenied):
        services.profile_update(profile=author, editor=colleague.user, job_title="Hacked")


def test_profile_update_refuses_javascript_links_even_without_the_form(author):
    with pytest.raises(ValidationError) as caught:
        services.profile_update(
            profile=author, editor=author.user, links=[{"label": "x", "url": "javascript:alert(1)"}]
        )

    assert "links" in caught.value.message_dict
    assert Profile.objects.get(pk=author.pk).links == []


def test_profile_update_refuses_more_than_five_links(author):
    links = [{"label": str(n), "url": f"https://example.com/{n}"} for n in range(6)]

    with pytest.raises(ValidationError):
        services.profile_update(profile=author, editor=author.user, links=links)


def test_owner_cannot_set_their_start_date_through_the_service(author):
    with pytest.raises(ValueError):
        services.profile_update(profile=author, editor=author.user, start_date="2001-01-01")


def test_profile_edit_with_a_bad_photo_keeps_the_fields_unchanged(author, media_root):
    bad = image_upload()
    bad.file.write(b"")  # a real PNG...
    bad.file.seek(0)
    bad.file.truncate(40)  # ...cut short

    with pytest.raises(ValidationError):
        services.profile_edit(profile=author, editor=author.user, fields={"job_title": "Changed"}, photo=bad)

    assert Profile.objects.get(pk=author.pk).job_title == "Engineer"
    assert not any(media_root.rglob("*.*"))


def test_profile_photo_set_and_remove(author, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_photo_set(profile=author, editor=author.user, upload=image_upload())
    assert (media_root / author.photo.name).is_file()
    name = author.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        services.profile_photo_remove(profile=author, editor=author.user)

    assert not Profile.objects.get(pk=author.pk).photo
    assert not (media_root / name).exists()


def test_decompression_bomb_is_refused(author, monkeypatch):
    monkeypatch.setattr("common.images.MAX_PIXELS", 100)

    with pytest.raises(ValidationError, match="too large in pixels"):
        services.profile_photo_prepare(upload=image_upload(size=(20, 20)))

"""Pictures on posts: checked as images, re-encoded, and shown only to people who may read the post."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities import services as communities
from feed import services
from feed.models import Post, PostImage
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(name="team.png", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_pictures_attach_to_a_post_and_show_in_the_feed(author_client, colleague_client):
    response = author_client.post("/all/", {"body": "Offsite photos", "images": [png(), png("two.png")]})

    assert response.status_code == 302
    post = Post.objects.get()
    pictures = list(post.images.all())
    assert [(p.width, p.height) for p in pictures] == [(64, 48), (64, 48)]
    html = colleague_client.get("/all/").content.decode()
    assert f'src="/posts/{post.pk}/images/{pictures[0].pk}/"' in html
    assert 'alt="Picture 1 of 2 from Ada Author"' in html
    served = colleague_client.get(pictures[0].get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_an_image_is_refused_and_nothing_saved(author_client):
    fake = SimpleUploadedFile("cat.png", b"<script>alert(1)</script>", content_type="image/png")

    response = author_client.post("/all/", {"body": "Look", "images": [fake]})

    assert response.status_code == 400
    assert "cat.png: That file is not an image we can read" in response.content.decode()
    assert not Post.objects.exists() and not PostImage.objects.exists()


def test_too_many_or_too_large_pictures_are_refused(author, settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at most 4 pictures"):
        services.post_create(author=author, body="Many", images=[png(f"{i}.png") for i in range(5)])
    settings.HIVE_POST_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is 100"):
        services.post_create(author=author, body="Big", images=[png()])
    assert not Post.objects.exists()


def test_a_private_groups_pictures_are_not_served_to_outsiders(author, outsider):
    group = communities.community_create(
        creator=author, name="Deal room", category="work", visibility="private"
    )
    post = services.post_create(author=author, body="Term sheet", community=group, images=[png()])
    picture = post.images.get()

    assert signed_in(outsider).get(picture.get_absolute_url()).status_code == 404
    assert signed_in(author).get(picture.get_absolute_url()).status_code == 200

"""Fixtures for people tests: uploaded photos in a throwaway MEDIA_ROOT, images made with Pillow."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import client_for


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def image_bytes(*, size=(800, 600), image_format="PNG", mode="RGB", color=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=image_format)
    return out.getvalue()


def image_upload(name="me.png", **kwargs) -> SimpleUploadedFile:
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
    fmt = kwargs.get("image_format", "PNG")
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type=content_type.get(fmt, "image/png"))


@pytest.fixture
def viewer_client(client, colleague):
    return client_for(client, colleague)

"""Fixtures for people tests: uploaded photos in a throwaway MEDIA_ROOT."""

import pytest

from tests.helpers import client_for


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def viewer_client(client, colleague):
    return client_for(client, colleague)

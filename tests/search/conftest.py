"""Fixtures for search tests: a colleague's browser that has already been seen today."""

import pytest

from tests.helpers import client_for


@pytest.fixture
def viewer_client(client, colleague):
    client_for(client, colleague)
    client.get("/search/")  # the day's first request also records the viewer as active (analytics)
    return client

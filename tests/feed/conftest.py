"""Feed test fixtures: a second signed-in person, separate from `author_client`."""

import pytest
from django.test import Client


def signed_in(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


@pytest.fixture
def colleague_client(colleague):
    return signed_in(colleague)


@pytest.fixture
def outsider_client(outsider):
    return signed_in(outsider)

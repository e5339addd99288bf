"""People and posts shared by the live-poll tests (test_live_updates, test_live_poll_token)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feed import services as feed_services
from tests.factories import PostFactory, ProfileFactory
from tests.helpers import signed_in


@pytest.fixture
def follower(author):
    """Fiona follows Ada, so Ada's posts belong to her Home feed."""
    fiona = ProfileFactory(display_name="Fiona Follower", user__email="fiona@example.com")
    feed_services.follow_person_toggle(follower=fiona, followee=author)
    return fiona


@pytest.fixture
def follower_client(follower):
    return signed_in(follower)


@pytest.fixture
def top_post(author):
    """The newest post when the page was loaded: the prompt counts what came after it."""
    return PostFactory(author=author, body="Shipped it", created_at=timezone.now() - timedelta(minutes=5))

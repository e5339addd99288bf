"""Moderation test fixtures: each person signs in on their own client."""

import pytest
from django.contrib.contenttypes.models import ContentType

from feed.models import Post
from tests.factories import PostFactory, ProfileFactory, UserFactory
from tests.helpers import signed_in


@pytest.fixture
def post(author):
    return PostFactory(author=author, body="Buy cheap watches at example.biz")


@pytest.fixture
def flag_url(post):
    return f"/moderation/flag/{ContentType.objects.get_for_model(Post).pk}/{post.pk}/"


@pytest.fixture
def superuser(db):
    return ProfileFactory(display_name="Sam Superuser", user=UserFactory(is_superuser=True, is_staff=True))


@pytest.fixture
def superuser_client(superuser):
    return signed_in(superuser)

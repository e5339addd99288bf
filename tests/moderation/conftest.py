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


GUIDELINES_V1 = """Hive is where we work together. These apply to everyone, leaders included.

## Be respectful
No harassment, insults or personal attacks.

## Keep confidential things confidential
Customer data, pricing and unreleased results stay in the teams that need them.

## Stay on topic
Personal sales go to the marketplace group.
"""


@pytest.fixture
def guidelines(moderator):
    from moderation.services import guidelines_publish

    return guidelines_publish(editor=moderator, source=GUIDELINES_V1, change_note="First version")


@pytest.fixture
def respect_clause(guidelines):
    return guidelines.clauses.get(number=1)

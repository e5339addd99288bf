"""The skills page's tag clouds, rendered once per process and reused (expertise_tags.tag_cloud): a
cloud seen before still shows the counts and names as they are now."""

import re

import pytest

from expertise.services import profile_skills_set
from expertise.templatetags import expertise_tags
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_memo():
    expertise_tags.clouds.clear()
    yield
    expertise_tags.clouds.clear()


def _cloud(author_client) -> list[str]:
    html = author_client.get("/skills/").content.decode()
    return re.findall(r'<a href="(/skills/[^"]+)">([^<]+)</a>', html)


def test_a_cloud_seen_before_shows_a_new_count_and_a_new_skill(author_client, author):
    ada, bob = ProfileFactory(), ProfileFactory()
    profile_skills_set(profile=ada, names=["Python"])
    assert ("/skills/python/", "Python (1)") in _cloud(author_client)
    assert ("/skills/python/", "Python (1)") in _cloud(author_client)

    profile_skills_set(profile=bob, names=["Python", "Go"])
    cloud = _cloud(author_client)
    assert ("/skills/python/", "Python (2)") in cloud
    assert ("/skills/go/", "Go (1)") in cloud
    assert ("/skills/python/", "Python (1)") not in cloud


def test_the_cloud_is_the_include_s_html(author_client, author):
    from django.template import engines

    from expertise.selectors import skills_popular

    profile_skills_set(profile=author, names=["Python", "Go"])
    tags = skills_popular()
    tag = engines["django"].from_string('{% load expertise_tags %}{% tag_cloud tags "None yet." %}')
    include = engines["django"].from_string('{% include "expertise/_tag_cloud.html" with none="None yet." %}')
    for shown in (tags, [], tags, []):
        assert tag.render({"tags": shown}) == include.render({"tags": shown})

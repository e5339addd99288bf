"""Parts of pages rendered once per process (common/fragments.py): each person still gets their own
CSRF token, the links of their own roles, and a form that came back with its errors."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError

from common import fragments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_memo():
    fragments.fragments_clear()
    yield
    fragments.fragments_clear()


def _token(html: str, in_part: str) -> str:
    part = re.search(in_part, html, re.S)
    assert part, f"no {in_part!r} on the page"
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', part.group(0)).group(1)


def test_each_person_gets_their_own_csrf_token_in_a_reused_compose_form(author_client, colleague_client):
    first = author_client.get("/").content.decode()
    second = colleague_client.get("/").content.decode()
    compose = r'<form method="post" action="/"[^>]*id="compose-form">.*?</form>'
    assert fragments.CSRF_MARK not in first + second
    assert _token(first, compose) != _token(second, compose)
    # Posting with the token of the reused form works (a wrong one would be a 403).
    assert author_client.post("/", {"body": "Posted through a reused form"}).status_code == 302


def test_the_navigation_shows_each_person_the_links_of_their_own_roles(colleague_client, moderator_client):
    assert "Review queue" in moderator_client.get("/").content.decode()
    assert "Review queue" not in colleague_client.get("/").content.decode()
    assert "Review queue" in moderator_client.get("/all/").content.decode()


def test_a_compose_form_with_errors_is_rendered_afresh_with_them(author_client):
    author_client.get("/")  # the empty form memoised
    page = author_client.post("/", {"body": ""}).content.decode()
    assert "Your post is empty: write something first." in page
    assert "Your post is empty" not in author_client.get("/").content.decode()


def test_the_compose_form_posts_to_the_page_it_is_on(author_client):
    assert 'action="/"' in author_client.get("/").content.decode()
    assert 'action="/all/"' in author_client.get("/all/").content.decode()


def test_a_fragment_is_rendered_once_per_key():
    template = Template(
        '{% load hive_fragments %}{% fragment "x" n %}{{ n }} {{ other }} {% csrf_token %}{% endfragment %}'
    )
    render = lambda **values: template.render(Context({"csrf_token": "tok", **values}))  # noqa: E731
    assert render(n=1, other="a").startswith("1 a ")
    assert render(n=1, other="b").startswith("1 a ")  # `other` is not in the key: what the key says
    assert render(n=2, other="b").startswith("2 b ")
    assert 'value="tok"' in render(n=1, other="a")
    assert 'value="tok2"' in template.render(Context({"csrf_token": "tok2", "n": 1}))


def test_without_a_csrf_token_nothing_is_memoised():
    template = Template('{% load hive_fragments %}{% fragment "x" %}{{ n }}{% endfragment %}')
    assert template.render(Context({"n": 1})) == "1"
    assert template.render(Context({"n": 2})) == "2"


def test_a_fragment_needs_a_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load hive_fragments %}{% fragment %}x{% endfragment %}")

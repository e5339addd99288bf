"""The kudos wall: the company's public kudos, newest first, by value, a page at a time."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from feed.models import Post
from feed.services import post_remove_by_moderator
from recognition import selectors, services
from recognition.models import Kudos
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return re.findall(r"<p>(Wall [^<]*)</p>", unescape(response.content.decode()))


def _give(giver, recipients, values, message, **extra) -> Kudos:
    return services.kudos_give(giver=giver, recipients=recipients, values=values, message=message, **extra)


def test_the_wall_shows_public_kudos_newest_first_with_whom_and_what_for(
    author, colleague, outsider, moderator, teamwork, boldness
):
    _give(author, [colleague], [teamwork], "Wall first")
    _give(outsider, [colleague, author], [teamwork, boldness], "Wall second")
    _give(author, [colleague], [teamwork], "Wall private", is_private=True)
    removed = _give(author, [colleague], [teamwork], "Wall removed")
    post_remove_by_moderator(object_id=removed.post_id, moderator=moderator, at=timezone.now())
    held = _give(author, [colleague], [teamwork], "Wall held")
    Post.objects.filter(pk=held.post_id).update(held_at=timezone.now())

    response = signed_in(outsider).get("/kudos/")

    assert response.status_code == 200
    assert _messages(response) == ["Wall second", "Wall first"]
    page = unescape(response.content.decode())
    assert (
        "Kudos to <a" in page and "Ada Author</a> and <a" in page and "Colin Colleague</a></strong>" in page
    )
    assert "<em>🤝 Teamwork</em>, <em>🚀 Be bold</em>" in page
    # The addresses the view makes from one reverse() each are the ones reverse() gives.
    second = Kudos.objects.get(message="Wall second")
    assert f'href="{colleague.get_absolute_url()}">Colin Colleague</a>' in page
    assert f'href="{outsider.get_absolute_url()}">{outsider.display_name}</a> ·' in page
    assert f'href="{second.post.get_absolute_url()}">Comment or react' in page
    assert 'href="/kudos/"' in page  # in recognition's menu


def test_the_wall_shows_one_value_and_pages_with_a_cursor(author, colleague, teamwork, boldness, monkeypatch):
    monkeypatch.setattr(selectors, "WALL_PAGE_SIZE", 4)
    start = timezone.now() - timedelta(days=1)
    for n in range(11):
        kudos = _give(author, [colleague], [teamwork] if n % 2 else [boldness], f"Wall {n:02d}")
        Kudos.objects.filter(pk=kudos.pk).update(created_at=start + timedelta(minutes=n))
    browser = signed_in(colleague)

    pages, query = [], {}
    while True:
        response = browser.get("/kudos/", query)
        pages.append(_messages(response))
        found = re.search(r'href="\?cursor=([^"]+)"', response.content.decode())
        if not found:
            break
        query = {"cursor": found.group(1)}
    bold = browser.get("/kudos/", {"value": boldness.pk})
    older = re.search(rf'href="\?value={boldness.pk}&amp;cursor=([^"]+)"', bold.content.decode()).group(1)
    bold_older = browser.get("/kudos/", {"value": boldness.pk, "cursor": older})

    assert pages == [
        ["Wall 10", "Wall 09", "Wall 08", "Wall 07"],
        ["Wall 06", "Wall 05", "Wall 04", "Wall 03"],
        ["Wall 02", "Wall 01", "Wall 00"],
    ]
    assert _messages(bold) == ["Wall 10", "Wall 08", "Wall 06", "Wall 04"]
    assert _messages(bold_older) == ["Wall 02", "Wall 00"]


def test_a_bad_cursor_is_a_404_and_an_unknown_value_shows_nothing(author_client):
    assert author_client.get("/kudos/", {"cursor": "not-a-cursor"}).status_code == 404
    response = author_client.get("/kudos/", {"value": "99999"})
    assert response.status_code == 200 and "No kudos for this value yet." in response.content.decode()


@pytest.mark.parametrize("kudos", [1, 20])
def test_the_wall_runs_the_same_queries_however_many_kudos_it_shows(
    author, colleague, outsider, teamwork, boldness, django_assert_max_num_queries, kudos
):
    for n in range(kudos):
        _give(author, [colleague, outsider], [teamwork, boldness], f"Wall {n}")
    browser = signed_in(outsider)
    browser.get("/kudos/")

    with django_assert_max_num_queries(10):
        assert browser.get("/kudos/").status_code == 200

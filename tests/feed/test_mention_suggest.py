"""@mention autocomplete: the endpoint static/js/mentions.js asks, and the writing boxes that use it."""

import re

import pytest

from communities import services as communities
from feed.mentions import mentioned_profiles
from tests.factories import CommentFactory, PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db

# Session, user, viewer profile, the viewer's roles (page context), the matching people.
SUGGEST_MAX_QUERIES = 5


def _handles(response) -> list[str]:
    return re.findall(r'data-handle="([^"]+)"', response.content.decode())


def test_suggestions_match_name_or_email_prefix_and_give_the_mention_handle(author, author_client):
    ProfileFactory(display_name="Adrian Moss", user__email="a.moss@example.com")
    ProfileFactory(display_name="Jordan Avery", user__email="jordan.avery@example.com")
    ProfileFactory(display_name="Brad Pitt", user__email="brad@example.com")  # "ad" inside a word

    by_name = author_client.get("/mentions/suggest/", {"q": "ad"})
    by_email = author_client.get("/mentions/suggest/", {"q": "jordan.a"})
    by_surname = author_client.get("/mentions/suggest/", {"q": "Avery"})

    assert by_name.status_code == 200
    assert _handles(by_name) == ["ada", "a.moss"]
    assert 'role="option"' in by_name.content.decode() and "Adrian Moss" in by_name.content.decode()
    assert _handles(by_email) == ["jordan.avery"] == _handles(by_surname)


def test_the_inserted_handle_resolves_back_to_the_person(author_client):
    person = ProfileFactory(display_name="Jordan Avery", user__email="Jordan.Avery@example.com")

    [handle] = _handles(author_client.get("/mentions/suggest/", {"q": "jord"}))

    assert handle == "jordan.avery"
    assert mentioned_profiles(text=f"thanks @{handle} !") == [person]


def test_deactivated_people_are_not_suggested(author_client):
    gone = ProfileFactory(display_name="Adam Gone", user__email="adam@example.com")
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])

    assert "adam" not in _handles(author_client.get("/mentions/suggest/", {"q": "ada"}))


def test_one_typed_character_or_nothing_suggests_nobody(author_client):
    assert _handles(author_client.get("/mentions/suggest/", {"q": "a"})) == []
    assert _handles(author_client.get("/mentions/suggest/")) == []


def test_suggestions_need_sign_in(author, client):
    response = client.get("/mentions/suggest/", {"q": "ada"})

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "ada" not in response.content.decode()


def test_at_most_eight_suggestions_in_a_fixed_number_of_queries(author_client, django_assert_max_num_queries):
    for i in range(3):
        ProfileFactory(display_name=f"Sam Few {i}", user__email=f"sam.few{i}@example.com")
    author_client.get("/mentions/suggest/", {"q": "sam"})  # the day's first visit is recorded once
    with django_assert_max_num_queries(SUGGEST_MAX_QUERIES) as few:
        assert len(_handles(author_client.get("/mentions/suggest/", {"q": "sam"}))) == 3
    for i in range(30):
        ProfileFactory(display_name=f"Sam Many {i:02d}", user__email=f"sam.many{i}@example.com")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_handles(author_client.get("/mentions/suggest/", {"q": "sam"}))) == 8


def test_every_writing_box_asks_for_mention_suggestions(author, author_client):
    group = communities.community_create(creator=author, name="Guild", category="work", visibility="public")
    post = PostFactory(author=author)
    CommentFactory(post=post, author=author)

    home = author_client.get("/").content.decode()
    post_page = author_client.get(f"/posts/{post.pk}/").content.decode()
    group_page = author_client.get(f"/groups/{group.slug}/").content.decode()

    assert "js/mentions.js" in home
    assert re.search(r"<form[^>]*data-mentions[^>]*>(?:(?!</form>).)*<textarea", home, re.S)
    assert re.search(r"<form[^>]*data-mentions[^>]*>(?:(?!</form>).)*<textarea", group_page, re.S)
    # The comment box, and the reply box under each comment.
    assert re.search(r"<form[^>]*data-mentions[^>]*>(?:(?!</form>).)*<textarea", post_page, re.S)
    assert re.search(r'<textarea name="body" id="reply-\d+"[^>]*data-mentions', post_page)

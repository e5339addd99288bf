"""Rendered cards reused between pages and people (feed/cards.py): what each person sees is still theirs
and current."""

import re

import pytest
from django.test import Client

from feed import cards
from feed.models import Post, Reaction
from tests.factories import CommentFactory, PostFactory, ProfileFactory, ReactionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_memo():
    cards.memo_clear()
    yield
    cards.memo_clear()


def _card(page, post) -> str:
    html = page.content.decode()
    match = re.search(rf'<article[^>]*id="post-{post.pk}".*?</article>', html, re.S)
    assert match, f"no card for post {post.pk}"
    return match.group(0)


def _pressed(card: str) -> list[str]:
    return re.findall(r'id="react-\d+-(\w+)"[^>]*aria-pressed="true"', card)


def test_a_reused_card_shows_each_viewer_their_own_reaction(
    author, colleague_client, colleague, outsider_client
):
    post = PostFactory(author=author, body="Shipped the new onboarding flow")
    ReactionFactory(post=post, profile=colleague, kind="celebrate")
    post.reaction_count = 1
    post.save(update_fields=["reaction_count"])

    assert _pressed(_card(outsider_client.get("/all/"), post)) == []
    assert _pressed(_card(colleague_client.get("/all/"), post)) == ["celebrate"]
    assert _pressed(_card(outsider_client.get("/all/"), post)) == []
    assert "1 reaction ·" in _card(outsider_client.get("/all/"), post)


def test_a_card_seen_before_shows_an_edit_a_new_reaction_and_a_renamed_author(
    author_client, author, colleague_client
):
    author_client.post("/", {"body": "First words"})
    post = author.posts.get()
    assert "First words" in _card(colleague_client.get("/all/"), post)

    author_client.post(f"/posts/{post.pk}/edit/", {"body": "Better words"})
    colleague_client.post(f"/posts/{post.pk}/react/", {"kind": "like"})
    author.display_name = "Renamed Person"
    author.save(update_fields=["display_name"])

    card = _card(colleague_client.get("/all/"), post)
    assert "Better words" in card and "First words" not in card
    assert "1 reaction ·" in card and _pressed(card) == ["like"]
    assert "Renamed Person" in card and "edited</a>" in card


def test_a_reused_card_carries_this_page_s_path_and_a_working_csrf_token(author, colleague):
    post = PostFactory(author=author, body="Shipped the new onboarding flow")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(colleague.user)
    browser.get("/all/")  # the card enters the memo from All company

    card = _card(browser.get("/"), post)  # Home: the colleague follows nobody, so all company again
    assert 'name="next" value="/"' in card
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card).group(1)
    response = browser.post(
        f"/posts/{post.pk}/react/", {"kind": "like", "next": "/", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Reaction.objects.filter(post=post, profile=colleague, kind="like").exists()


def test_comments_reused_between_people_keep_delete_for_their_author_and_report_for_others(
    author, colleague, colleague_client, outsider_client
):
    post = PostFactory(author=author, body="Shipped the new onboarding flow", comment_count=2)
    comment = CommentFactory(post=post, author=colleague, body="Nice work on this")
    CommentFactory(post=post, author=author, parent=comment, body="Thanks a lot")

    for _ in range(2):
        outsider_page = outsider_client.get(f"/posts/{post.pk}/").content.decode()
        colleague_page = colleague_client.get(f"/posts/{post.pk}/").content.decode()
        assert f"/comments/{comment.pk}/delete/" in colleague_page
        assert f"/comments/{comment.pk}/delete/" not in outsider_page
        assert "Report this" in outsider_page
        assert "Nice work on this" in outsider_page and "Thanks a lot" in outsider_page


def test_a_new_reply_shows_under_a_comment_seen_before(author, author_client, colleague_client, colleague):
    post = PostFactory(author=author, body="Shipped the new onboarding flow")
    colleague_client.post(f"/posts/{post.pk}/", {"body": "Nice work on this"})
    comment = post.comments.get()
    assert "Thanks a lot" not in colleague_client.get(f"/posts/{post.pk}/").content.decode()

    author_client.post(f"/posts/{post.pk}/", {"body": "Thanks a lot", "parent": comment.pk})

    assert "Thanks a lot" in colleague_client.get(f"/posts/{post.pk}/").content.decode()


def test_the_memo_keeps_a_bounded_number_of_cards(author, colleague_client, monkeypatch):
    monkeypatch.setattr(cards, "MEMO_SIZE", 3)
    for n in range(6):
        PostFactory(author=author, body=f"Post number {n}")

    page = colleague_client.get("/all/").content.decode()

    assert all(f"Post number {n}" in page for n in range(6))
    assert len(cards._memo) == 3


def test_a_held_post_s_card_tells_its_author_and_nobody_else_sees_it(author, author_client):
    post = PostFactory(author=author, body="Waiting words")
    post.held_at = post.created_at
    post.save(update_fields=["held_at"])

    assert "Only you can see this post until then." in _card(author_client.get("/all/"), post)
    other = ProfileFactory()
    other_client = Client()
    other_client.force_login(other.user)
    assert f'id="post-{post.pk}"' not in other_client.get("/all/").content.decode()


def test_a_card_read_as_a_row_has_the_key_of_the_card_read_as_objects(author, colleague):
    """The page's display read looks the memo up from plain rows (selectors.cards_for_display): the rows
    must give the very key the rendered card was stored under, or every card would be built again."""
    from django.utils import timezone

    from communities.services import community_create
    from feed.models import MustRead, Poll, PostImage
    from feed.selectors import post_card_rows, posts_for_display

    public_group = community_create(
        creator=author, name="Running club", category="social", visibility="public"
    )
    nobody = ProfileFactory(department=None)
    plain = PostFactory(author=author, body="Plain words")
    grouped = PostFactory(author=nobody, community=public_group, body="In a group", comment_count=3)
    question = PostFactory(author=author, kind=Post.Kind.QUESTION, body="How?", edited_at=timezone.now())
    question.best_answer = CommentFactory(post=question, author=nobody, body="Like this")
    question.save(update_fields=["best_answer"])
    pictured = PostFactory(author=colleague, body="Look", held_at=timezone.now(), reaction_count=1)
    for position, (width, height) in enumerate([(640, 480), (10, 20)]):
        PostImage.objects.create(
            post=pictured, image="post-images/x.png", width=width, height=height, position=position
        )
    ReactionFactory(post=pictured, profile=colleague, kind="support")
    poll = PostFactory(author=author, kind=Post.Kind.POLL, body="Lunch?")
    Poll.objects.create(post=poll, closes_at=timezone.now())
    must = PostFactory(author=author, kind=Post.Kind.ANNOUNCEMENT, body="Read me")
    MustRead.objects.create(post=must, ask_until=timezone.now())
    ids = [plain.pk, grouped.pk, question.pk, pictured.pk, poll.pk, must.pk]
    now = timezone.now()

    for viewer in (colleague, author):
        rows = {row[0]: row for row in post_card_rows(ids=ids, viewer=viewer)}
        posts = posts_for_display(ids=ids, viewer=viewer)
        assert [p.pk for p in posts] == [pk for pk in ids if pk in rows]
        for post in posts:
            expected = cards.card_key(post, viewer=viewer, now=now)
            assert cards.card_row_key(rows[post.pk], viewer=viewer, now=now) == expected
    assert cards.card_key(poll, viewer=author, now=now) is None
    assert cards.card_row_key(rows[must.pk], viewer=author, now=now) is None


def test_cards_seen_before_come_from_the_memo_without_their_posts_objects(
    author, colleague, colleague_client
):
    from feed.selectors import company_feed_page

    posts = [PostFactory(author=author, body=f"Words {n}") for n in range(3)]
    first = colleague_client.get("/all/").content.decode()

    page = company_feed_page(viewer=colleague, cursor=None, memo=True)
    assert [p.pk for p in page.items] == [p.pk for p in reversed(posts)]
    assert all(isinstance(p, cards.MemoCard) for p in page.items)
    again = colleague_client.get("/all/").content.decode()
    token = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|data-live-token=")[^"]+"')
    assert token.sub(r"\1", again) == token.sub(r"\1", first)
    # Elsewhere (selectors called without `memo`) the posts are the models, as ever.
    assert all(isinstance(p, Post) for p in company_feed_page(viewer=colleague, cursor=None).items)


def test_a_card_from_the_memo_rendered_without_a_request_is_rendered_in_full(
    author, colleague, colleague_client
):
    from django.template.loader import render_to_string

    from feed.selectors import company_feed_page

    PostFactory(author=author, body="Words for everyone")
    colleague_client.get("/all/")
    page = company_feed_page(viewer=colleague, cursor=None, memo=True)
    assert isinstance(page.items[0], cards.MemoCard)

    html = render_to_string("feed/_post_page.html", {"page": page, "viewer": colleague})

    assert "Words for everyone" in html and cards.CSRF_MARK not in html

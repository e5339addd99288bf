"""The feed as people use it through the browser: posting, editing, deleting, commenting, reacting, paging."""

import base64
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from feed.models import Comment, Post, Reaction
from feed.selectors import THREAD_PAGE_SIZE
from tests.factories import (
    CommentFactory,
    KudosFactory,
    PostFactory,
    ProfileFactory,
    ReactionFactory,
)

pytestmark = pytest.mark.django_db

# Fixed, whatever the amount of data: session, user, viewer profile, roles, people and tags followed,
# viewer's groups, pinned announcement ids, the page's ids, its cards (pinned ones included),
# viewer's reactions, pictures, a pulse survey waiting for the viewer's answer (its banner, surveys/).
HOME_FEED_MAX_QUERIES = 13
# Session, user, viewer profile, roles, viewer's groups, the post, viewer's reactions, pictures,
# the page's top-level comments, their replies.
POST_PAGE_MAX_QUERIES = 10
# A page holding kudos also prefetches their recipients and their values (one query each, whatever the
# number of kudos): a kudos names several people and values since issue 13 (recognition's card).
KUDOS_CARD_QUERIES = 2


@pytest.fixture
def post(author):
    return PostFactory(author=author, body="Shipped the new onboarding flow")


def _post_ids_on(page) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article[^>]*\bid="post-(\d+)"', page.content.decode())]


def _older_link(page) -> str | None:
    match = re.search(r'href="[^"?]*(\?cursor=[^"]+)"', page.content.decode())
    return match.group(1) if match else None


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


# --- Posting -------------------------------------------------------------------------------


def test_author_posts_and_sees_it_in_feed(author_client, author):
    response = author_client.post("/", {"body": "Hello Hive"})

    assert response.status_code == 302
    page = author_client.get("/")
    assert page.status_code == 200
    assert "Hello Hive" in page.content.decode()
    assert Post.objects.get().author == author


def test_colleague_sees_the_post_in_their_feed(colleague_client, post):
    page = colleague_client.get("/")

    assert _post_ids_on(page) == [post.pk]
    assert "Shipped the new onboarding flow" in page.content.decode()


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_empty_post_shows_a_clear_message_and_saves_nothing(author_client, body):
    response = author_client.post("/", {"body": body})

    assert response.status_code == 400
    assert "Your post is empty: write something first." in response.content.decode()
    assert not Post.objects.exists()


def test_post_over_5000_characters_shows_a_clear_message_and_saves_nothing(author_client):
    response = author_client.post("/", {"body": "x" * 5001})

    assert response.status_code == 400
    assert "at most 5000 characters (it has 5001)" in response.content.decode()
    assert not Post.objects.exists()


def test_signed_out_visitor_is_sent_to_sign_in_and_cannot_post(client):
    response = client.post("/", {"body": "Anonymous"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not Post.objects.exists()


# --- Editing -------------------------------------------------------------------------------


def test_author_edits_own_post_through_the_edit_page(author_client, post):
    form = author_client.get(f"/posts/{post.pk}/edit/")
    assert form.status_code == 200
    assert "Shipped the new onboarding flow" in form.content.decode()

    response = author_client.post(f"/posts/{post.pk}/edit/", {"body": "Shipped it, with docs"})

    assert response.status_code == 302
    assert response.url == f"/posts/{post.pk}/"
    page = author_client.get(response.url).content.decode()
    assert "Shipped it, with docs" in page
    assert "edited" in page


def test_edit_to_an_empty_body_shows_a_clear_message_and_changes_nothing(author_client, post):
    response = author_client.post(f"/posts/{post.pk}/edit/", {"body": "  "})

    assert response.status_code == 400
    assert "Your post is empty: write something first." in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Shipped the new onboarding flow"
    assert post.edited_at is None


def test_outsider_cannot_edit_someone_elses_post(outsider_client, post):
    assert outsider_client.get(f"/posts/{post.pk}/edit/").status_code == 403

    response = outsider_client.post(f"/posts/{post.pk}/edit/", {"body": "Hijacked"})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body == "Shipped the new onboarding flow"
    assert post.edited_at is None


def test_only_the_author_sees_edit_and_delete_on_the_post_page(author_client, outsider_client, post):
    assert f"/posts/{post.pk}/edit/" in author_client.get(f"/posts/{post.pk}/").content.decode()
    assert f"/posts/{post.pk}/edit/" not in outsider_client.get(f"/posts/{post.pk}/").content.decode()
    assert f"/posts/{post.pk}/delete/" not in outsider_client.get(f"/posts/{post.pk}/").content.decode()


# --- Deleting ------------------------------------------------------------------------------


def test_author_deletes_own_post_and_it_is_gone_from_feed_and_page(author_client, colleague_client, post):
    response = author_client.post(f"/posts/{post.pk}/delete/")

    assert response.status_code == 302
    assert "Shipped the new onboarding flow" not in colleague_client.get("/").content.decode()
    assert colleague_client.get(f"/posts/{post.pk}/").status_code == 404
    assert author_client.get(f"/posts/{post.pk}/").status_code == 404
    post.refresh_from_db()  # soft delete: the row stays
    assert post.removed_at is not None


def test_outsider_cannot_delete_someone_elses_post(outsider_client, colleague_client, post):
    response = outsider_client.post(f"/posts/{post.pk}/delete/")

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.removed_at is None
    assert colleague_client.get(f"/posts/{post.pk}/").status_code == 200


def test_delete_needs_a_post_request(author_client, post):
    assert author_client.get(f"/posts/{post.pk}/delete/").status_code == 405
    post.refresh_from_db()
    assert post.removed_at is None


def test_deleting_an_already_deleted_post_is_404(author_client, post):
    author_client.post(f"/posts/{post.pk}/delete/")

    assert author_client.post(f"/posts/{post.pk}/delete/").status_code == 404
    assert author_client.post(f"/posts/{post.pk}/edit/", {"body": "Revived"}).status_code == 404


# --- Comments ------------------------------------------------------------------------------


def test_colleague_comments_and_everyone_sees_it(colleague_client, author_client, post):
    response = colleague_client.post(f"/posts/{post.pk}/", {"body": "Congrats, team!"})

    assert response.status_code == 302
    page = author_client.get(f"/posts/{post.pk}/").content.decode()
    assert "Congrats, team!" in page
    assert "Colin Colleague" in page
    assert "1 comment" in author_client.get("/").content.decode()


@pytest.mark.parametrize("body", ["", "   "])
def test_empty_comment_shows_a_clear_message_and_saves_nothing(colleague_client, post, body):
    response = colleague_client.post(f"/posts/{post.pk}/", {"body": body})

    assert response.status_code == 400
    assert "Your comment is empty: write something first." in response.content.decode()
    assert not Comment.objects.exists()
    post.refresh_from_db()
    assert post.comment_count == 0


def test_commenting_on_a_deleted_post_is_404(author_client, colleague_client, post):
    author_client.post(f"/posts/{post.pk}/delete/")

    assert colleague_client.post(f"/posts/{post.pk}/", {"body": "Hello?"}).status_code == 404
    assert not Comment.objects.exists()


# --- Reactions -----------------------------------------------------------------------------


def test_reacting_toggles_and_switches_with_the_count_kept_right(colleague_client, author_client, post):
    url = f"/posts/{post.pk}/react/"

    colleague_client.post(url, {"kind": "like"})
    author_client.post(url, {"kind": "support"})
    post.refresh_from_db()
    assert post.reaction_count == 2

    colleague_client.post(url, {"kind": "celebrate"})  # switch kind
    post.refresh_from_db()
    assert post.reaction_count == 2
    assert set(Reaction.objects.values_list("kind", flat=True)) == {"celebrate", "support"}

    colleague_client.post(url, {"kind": "celebrate"})  # same kind again: taken back
    post.refresh_from_db()
    assert post.reaction_count == 1
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["support"]


def test_feed_shows_which_reaction_is_mine(colleague_client, post):
    colleague_client.post(f"/posts/{post.pk}/react/", {"kind": "insightful"})

    page = colleague_client.get("/").content.decode()
    assert re.search(r'value="insightful" aria-pressed="true"', page)
    assert re.search(r'value="like" aria-pressed="false"', page)
    assert "1 reaction " in page


def test_reaction_buttons_say_their_name_in_words_not_only_an_emoji(colleague_client, post):
    # A screen reader reads the button's words; a sighted user sees the same words (WCAG 2.5.3),
    # and a machine without an emoji font still shows what each button does.
    page = colleague_client.get("/").content.decode()

    for label in ("Like", "Celebrate", "Insightful", "Support"):
        assert re.search(
            rf'<button [^>]*name="kind"[^>]*><span aria-hidden="true">[^<]+</span> {label}</button>', page
        )


def test_htmx_reaction_returns_the_updated_reactions_fragment(colleague_client, post):
    response = colleague_client.post(f"/posts/{post.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<div class="reactions" id="reactions-{post.pk}">')
    assert "1 reaction " in body


def test_reacting_to_a_removed_post_fails_with_a_message(author, colleague_client, post):
    post.removed_at = timezone.now()
    post.removed_by = author
    post.save()

    response = colleague_client.post(f"/posts/{post.pk}/react/", {"kind": "like"}, follow=True)

    assert "That post no longer exists." in response.content.decode()
    htmx = colleague_client.post(f"/posts/{post.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400
    assert not Reaction.objects.exists()
    post.refresh_from_db()
    assert post.reaction_count == 0


def test_reacting_returns_to_the_page_the_person_was_on(colleague_client, post):
    response = colleague_client.post(
        f"/posts/{post.pk}/react/", {"kind": "like", "next": f"/posts/{post.pk}/"}
    )

    assert response.status_code == 302
    assert response.url == f"/posts/{post.pk}/"


@pytest.mark.parametrize("next_url", ["https://evil.example/phish", "//evil.example/phish"])
def test_reacting_never_redirects_to_another_site(colleague_client, post, next_url):
    response = colleague_client.post(f"/posts/{post.pk}/react/", {"kind": "like", "next": next_url})

    assert response.status_code == 302
    assert response.url == "/"


# --- Paging --------------------------------------------------------------------------------


def test_feed_pages_through_older_posts_without_duplicates_or_gaps(colleague_client, author):
    now = timezone.now()
    posts = [PostFactory(author=author, created_at=now - timedelta(minutes=i)) for i in range(45)]
    # Several posts in the same instant straddle a page boundary: the id breaks the tie.
    same_instant = now - timedelta(minutes=19, seconds=30)
    posts += [PostFactory(author=author, created_at=same_instant) for _ in range(4)]
    deleted = PostFactory(author=author, created_at=now - timedelta(minutes=3), removed_at=now)
    expected = [p.pk for p in sorted(posts, key=lambda p: (p.created_at, p.pk), reverse=True)]

    first = colleague_client.get("/")
    seen = _post_ids_on(first)
    assert len(seen) == 20
    link = _older_link(first)
    pages = 1
    while link:
        page = colleague_client.get("/" + link)
        assert page.status_code == 200
        seen += _post_ids_on(page)
        link = _older_link(page)
        pages += 1

    assert pages == 3
    assert seen == expected  # newest first, each post exactly once
    assert deleted.pk not in seen


def test_second_page_shows_only_posts_older_than_the_first(colleague_client, author):
    now = timezone.now()
    for i in range(25):
        PostFactory(author=author, body=f"Update {i:02d}", created_at=now - timedelta(hours=i))

    first = colleague_client.get("/").content.decode()
    second = colleague_client.get("/" + _older_link(colleague_client.get("/"))).content.decode()

    assert "Update 00" in first and "Update 19" in first and "Update 20" not in first
    assert "Update 20" in second and "Update 24" in second and "Update 19" not in second


def test_last_page_has_no_older_link(colleague_client, author):
    PostFactory.create_batch(3, author=author)

    assert _older_link(colleague_client.get("/")) is None


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "!!!!", "%%%", _cursor({}), _cursor([1]), _cursor(["2024-01-01T00:00:00+00:00", 1, 2])],
)
def test_garbage_cursor_is_a_bad_request_not_a_server_error(colleague_client, post, cursor):
    response = colleague_client.get("/", {"cursor": cursor})

    assert response.status_code == 400
    assert "That page link is not valid." in response.content.decode()


@pytest.mark.parametrize("values", [["x", 1], [None, None], ["2024-01-01T00:00:00+00:00", "abc"], [1, 2]])
def test_forged_cursor_with_wrong_types_is_a_bad_request(colleague_client, post, values):
    response = colleague_client.get("/", {"cursor": _cursor(values)})

    assert response.status_code == 400


# --- Query counts --------------------------------------------------------------------------


def _busy_feed(*, size: int, viewer) -> None:
    """`size` posts by different people, each commented on and reacted to, a third of them kudos."""
    for i in range(size):
        if i % 3 == 0:
            post = KudosFactory(giver=ProfileFactory(), recipients=[ProfileFactory()]).post
        else:
            post = PostFactory(author=ProfileFactory())
        CommentFactory(post=post)
        ReactionFactory(post=post)
        if i % 2 == 0:
            ReactionFactory(post=post, profile=viewer, kind=Reaction.Kind.CELEBRATE)
    for _ in range(2):  # pinned above the first page, in the same display query as its cards
        PostFactory(
            author=ProfileFactory(),
            kind=Post.Kind.ANNOUNCEMENT,
            pinned_until=timezone.now() + timedelta(days=2),
        )


@pytest.mark.parametrize("size", [5, 40])
def test_home_feed_query_count_does_not_grow_with_the_feed(
    colleague, colleague_client, django_assert_max_num_queries, size
):
    _busy_feed(size=size, viewer=colleague)
    colleague_client.get("/")  # first visit of the day records activity; measure a normal visit

    with django_assert_max_num_queries(HOME_FEED_MAX_QUERIES + KUDOS_CARD_QUERIES):
        page = colleague_client.get("/")

    shown = _post_ids_on(page)
    assert len(shown) == len(set(shown)) == min(size + 2, 20)  # pinned once, at the top, not again
    assert "Kudos to" in page.content.decode()


@pytest.mark.parametrize("size", [5, 80])
def test_post_page_query_count_does_not_grow_with_comments_and_reactions(
    colleague, colleague_client, django_assert_max_num_queries, size
):
    post = KudosFactory(giver=ProfileFactory(), recipients=[ProfileFactory()]).post
    for _ in range(size):
        CommentFactory(post=post, author=ProfileFactory())
        ReactionFactory(post=post)
    ReactionFactory(post=post, profile=colleague)
    colleague_client.get(f"/posts/{post.pk}/")

    with django_assert_max_num_queries(POST_PAGE_MAX_QUERIES + KUDOS_CARD_QUERIES):
        page = colleague_client.get(f"/posts/{post.pk}/")

    assert page.content.decode().count('id="comment-') == min(size, THREAD_PAGE_SIZE)


# --- Markdown and edit history ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">',
        "[win a prize](javascript:alert(1))",
        '<a href="javascript:alert(1)" onclick="alert(2)">link</a>',
    ],
)
def test_script_in_a_post_or_comment_renders_inert(author_client, colleague_client, body):
    author_client.post("/", {"body": body})
    post = Post.objects.get()
    colleague_client.post(f"/posts/{post.pk}/", {"body": body})

    for page in (colleague_client.get("/"), colleague_client.get(f"/posts/{post.pk}/")):
        html = page.content.decode().lower()
        assert "<script>alert" not in html
        assert "javascript:alert" not in html
        assert "onerror=" not in html and "onclick=" not in html


def test_markdown_in_a_post_shows_as_formatting(author_client, colleague_client):
    author_client.post("/", {"body": "**Launch** is _today_: https://example.com/launch"})

    html = colleague_client.get("/").content.decode()

    assert "<strong>Launch</strong> is <em>today</em>" in html
    assert 'href="https://example.com/launch"' in html


def test_edit_keeps_the_earlier_text_in_a_visible_history(author_client, colleague_client, post):
    author_client.post(f"/posts/{post.pk}/edit/", {"body": "Shipped the new onboarding flow (v2)"})
    author_client.post(f"/posts/{post.pk}/edit/", {"body": "Shipped the new onboarding flow (v3)"})

    page = colleague_client.get(f"/posts/{post.pk}/").content.decode()

    assert "Edit history (2 earlier versions)" in page
    assert page.index("(v2)") < page.rindex("Shipped the new onboarding flow</p>")
    assert "(v3)" in page
    assert f'href="/posts/{post.pk}/#history">edited</a>' in colleague_client.get("/").content.decode()


def test_saving_the_same_text_is_not_an_edit(author_client, post):
    author_client.post(f"/posts/{post.pk}/edit/", {"body": "Shipped the new onboarding flow"})

    post.refresh_from_db()
    assert post.edited_at is None
    assert not post.revisions.exists()


def test_post_page_queries_stay_fixed_however_long_the_edit_history(
    author, colleague_client, post, django_assert_max_num_queries
):
    from feed.services import post_edit

    for i in range(15):
        post_edit(post_id=post.pk, editor=author, body=f"Version {i}")
    colleague_client.get(f"/posts/{post.pk}/")  # the day's first request also records activity

    with django_assert_max_num_queries(POST_PAGE_MAX_QUERIES + 1):  # + the history
        response = colleague_client.get(f"/posts/{post.pk}/")
    assert response.content.decode().count("Written ") == 15


# --- New posts while the feed is open --------------------------------------------------------


def test_open_feed_learns_of_new_posts_without_a_reload(author_client, colleague_client, post):
    page = colleague_client.get("/").content.decode()
    assert f'data-after="{post.pk}" data-scope="home"' in page

    assert "new post" not in colleague_client.get(f"/new-posts/?after={post.pk}").content.decode()
    author_client.post("/", {"body": "Coffee in the kitchen"})
    author_client.post("/", {"body": "And cake"})

    prompt = colleague_client.get(f"/new-posts/?after={post.pk}").content.decode()
    assert "2 new posts: show" in prompt


def test_removed_posts_are_not_announced_as_new(author, colleague_client, post):
    PostFactory(author=author, removed_at=timezone.now())

    assert "new post" not in colleague_client.get(f"/new-posts/?after={post.pk}").content.decode()


def test_new_posts_poll_with_a_bad_parameter_is_a_bad_request(colleague_client):
    assert colleague_client.get("/new-posts/?after=abc").status_code == 400


# --- Replies and deleting comments -----------------------------------------------------------


def _comment(client, post, body, parent=None):
    data = {"body": body} if parent is None else {"body": body, "parent": parent.pk}
    return client.post(f"/posts/{post.pk}/", data)


def test_reply_appears_under_the_comment_it_answers(author_client, colleague_client, post):
    _comment(colleague_client, post, "Which teams use it?")
    question = Comment.objects.get()

    _comment(author_client, post, "Sales and support so far", parent=question)

    reply = Comment.objects.get(parent=question)
    page = colleague_client.get(f"/posts/{post.pk}/").content.decode()
    thread = page[page.index(f'id="comment-{question.pk}"') :]
    assert f'id="comment-{reply.pk}" class="comment reply"' in thread
    post.refresh_from_db()
    assert post.comment_count == 2


def test_a_reply_to_a_reply_joins_the_same_thread_one_level_deep(author_client, colleague_client, post):
    _comment(colleague_client, post, "Top")
    top = Comment.objects.get()
    _comment(author_client, post, "First reply", parent=top)
    first = Comment.objects.get(parent=top)

    _comment(colleague_client, post, "Reply to the reply", parent=first)

    assert Comment.objects.get(body="Reply to the reply").parent == top


def test_replying_to_a_comment_on_another_post_is_refused(author, colleague_client, post):
    elsewhere = CommentFactory(post=PostFactory(author=author))

    response = _comment(colleague_client, post, "Hijack", parent=elsewhere)

    assert response.status_code == 400
    assert "The comment you replied to no longer exists." in response.content.decode()
    assert not Comment.objects.filter(body="Hijack").exists()


def test_author_deletes_own_comment_and_replies_keep_their_place(author_client, colleague_client, post):
    _comment(colleague_client, post, "Ill-judged joke")
    joke = Comment.objects.get()
    _comment(author_client, post, "Ha", parent=joke)

    response = colleague_client.post(f"/comments/{joke.pk}/delete/")

    assert response.status_code == 302
    joke.refresh_from_db()
    assert joke.removed_at is not None
    page = author_client.get(f"/posts/{post.pk}/").content.decode()
    assert "Ill-judged joke" not in page
    assert "This comment was deleted." in page and "Ha" in page
    post.refresh_from_db()
    assert post.comment_count == 1


def test_nobody_deletes_someone_elses_comment(author_client, colleague, post):
    comment = CommentFactory(post=post, author=colleague)

    response = author_client.post(f"/comments/{comment.pk}/delete/")

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.removed_at is None


def test_post_page_queries_stay_fixed_however_many_threads_and_replies(
    author, colleague, colleague_client, post, django_assert_max_num_queries
):
    for i in range(12):
        top = CommentFactory(post=post, author=author if i % 2 else colleague)
        for _ in range(3):
            CommentFactory(post=post, author=colleague, parent=top)
    colleague_client.get(f"/posts/{post.pk}/")

    with django_assert_max_num_queries(POST_PAGE_MAX_QUERIES):
        response = colleague_client.get(f"/posts/{post.pk}/")
    assert response.content.decode().count('class="comment reply"') == 36


# --- Long threads -----------------------------------------------------------------------------


def _thread(post, *, top_level: int) -> list[Comment]:
    start = timezone.now() - timedelta(days=1)
    return [
        CommentFactory(post=post, body=f"Comment number {i}", created_at=start + timedelta(minutes=i))
        for i in range(top_level)
    ]


def test_a_long_thread_shows_a_page_of_comments_and_loads_the_rest_on_demand(colleague_client, post):
    _thread(post, top_level=THREAD_PAGE_SIZE + 5)

    first = colleague_client.get(f"/posts/{post.pk}/").content.decode()
    assert first.count('class="comment"') == THREAD_PAGE_SIZE
    assert f"Comment number {THREAD_PAGE_SIZE - 1}<" in first
    assert f"Comment number {THREAD_PAGE_SIZE}<" not in first
    more = re.search(r'hx-get="([^"]+)"[^>]*>More comments', first).group(1).replace("&amp;", "&")

    rest = colleague_client.get(more, headers={"HX-Request": "true"}).content.decode()
    assert rest.count('class="comment"') == 5
    assert f"Comment number {THREAD_PAGE_SIZE + 4}<" in rest
    assert "More comments" not in rest and "<html" not in rest


def test_a_link_to_a_late_reply_opens_the_thread_where_it_is(colleague_client, post):
    comments = _thread(post, top_level=THREAD_PAGE_SIZE * 2)
    target = comments[THREAD_PAGE_SIZE + 10]
    reply = CommentFactory(post=post, parent=target, body="The reply someone was notified of")

    page = colleague_client.get(reply.get_absolute_url()).content.decode()

    assert f'id="comment-{reply.pk}"' in page
    assert f"Comment number {THREAD_PAGE_SIZE + 10}<" in page
    assert f"Comment number {THREAD_PAGE_SIZE + 9}<" not in page
    assert "Show the conversation from the start" in page


def test_a_link_to_a_comment_on_the_first_page_opens_the_thread_at_its_start(colleague_client, post):
    comments = _thread(post, top_level=3)
    reply = CommentFactory(post=post, parent=comments[2], body="A reply near the top")

    page = colleague_client.get(reply.get_absolute_url()).content.decode()

    assert "Comment number 0<" in page and f'id="comment-{reply.pk}"' in page
    assert "Show the conversation from the start" not in page


def test_a_new_comment_on_a_long_thread_lands_on_the_page_that_shows_it(colleague_client, post):
    _thread(post, top_level=THREAD_PAGE_SIZE + 3)

    response = colleague_client.post(f"/posts/{post.pk}/", {"body": "Late to the party"}, follow=True)

    assert "Late to the party" in response.content.decode()


def test_a_tampered_comments_cursor_is_a_bad_request(colleague_client, post):
    assert colleague_client.get(f"/posts/{post.pk}/", {"comments": "garbage"}).status_code == 400


def test_a_keyboard_user_jumps_past_the_thread_to_the_comment_box(colleague_client, post):
    _thread(post, top_level=3)

    page = colleague_client.get(f"/posts/{post.pk}/").content.decode()

    target = re.search(r'<a href="#([^"]+)">Write a comment</a>', page).group(1)
    assert re.search(rf'<textarea name="body"[^>]*\bid="{target}"', page)
    assert page.index("Write a comment") < page.index("Comment number 0")

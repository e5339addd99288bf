"""The one poll per open tab (/live/): the feed's new-post prompt and the unread badge, answered
from cache stamps with a bodiless 304 while nothing changed, and correctly from the database
whenever the cache is missing or down."""

import pytest
from django.utils import timezone

from common import live
from communities import services as community_services
from communities.models import Community
from feed import selectors
from feed import services as feed_services
from notifications.services import notifications_mark_read, notify
from tests.conftest import signed_in
from tests.factories import PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db

# A trivial signed-in request costs two queries (the session, the user); "nothing new" costs no more.
NOTHING_NEW_MAX_QUERIES = 2
# With nothing cached: session, user, viewer profile, the viewer's audience (people and tags
# followed, groups), unread count, the count (follows and groups again, count), and the audience
# saved in the session (an UPDATE, in a savepoint under the test's transaction).
COLD_POLL_MAX_QUERIES = 14


@pytest.fixture
def private_group(author, colleague):
    """Ada admins it; Colin is a member; Fiona and Olga are not."""
    group = community_services.community_create(
        creator=author, name="Deal room", category="work", visibility=Community.Visibility.PRIVATE
    )
    request = community_services.join_request_create(community=group, profile=colleague)
    community_services.join_request_decide(request_id=request.pk, admin=author, approve=True)
    return group


def poll(client, top_post, *, scope="home", etag=None):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(f"/live/?after={top_post.pk}&scope={scope}", **headers)


def prompt(response) -> str:
    return response.content.decode().split('<span id="unread-badge">')[0]


def write(callbacks, **kwargs):
    """A post as the compose box makes it, with its after-commit work run."""
    with callbacks(execute=True):
        return feed_services.post_create(**kwargs)


def test_prompt_counts_nothing_then_each_new_post_of_home(
    author, follower_client, top_post, django_capture_on_commit_callbacks
):
    response = poll(follower_client, top_post)
    assert response.status_code == 200
    assert "new post" not in prompt(response)

    for n in range(3):
        write(django_capture_on_commit_callbacks, author=author, body=f"Update {n}")

    assert "3 new posts: show" in prompt(poll(follower_client, top_post))


def test_the_prompt_stops_at_99_plus(author, follower, follower_client, top_post):
    PostFactory.create_batch(120, author=author)

    assert "99+ new posts: show" in prompt(poll(follower_client, top_post))
    assert selectors.posts_newer_than_count(viewer=follower, post_id=top_post.pk, home=True) == 99


def test_home_counts_only_what_home_shows(
    author, follower_client, top_post, django_capture_on_commit_callbacks
):
    stranger = ProfileFactory(display_name="Sam Stranger")
    write(django_capture_on_commit_callbacks, author=stranger, body="Not followed by Fiona")

    assert "new post" not in prompt(poll(follower_client, top_post, scope="home"))
    assert "1 new post: show" in prompt(poll(follower_client, top_post, scope="all"))


def test_own_posts_count_on_home_as_the_page_shows_them(
    follower, follower_client, top_post, django_capture_on_commit_callbacks
):
    write(django_capture_on_commit_callbacks, author=follower, body="My own update")

    assert "1 new post: show" in prompt(poll(follower_client, top_post))


def test_outsider_never_counts_a_private_group_post(
    author,
    colleague,
    follower_client,
    outsider_client,
    top_post,
    private_group,
    django_capture_on_commit_callbacks,
):
    """Fiona follows the author and Olga follows nobody: neither is told; Colin, a member, is."""
    before = {
        "fiona home": poll(follower_client, top_post).headers["ETag"],
        "olga all": poll(outsider_client, top_post, scope="all").headers["ETag"],
    }
    write(django_capture_on_commit_callbacks, author=author, body="Secret #deal", community=private_group)

    # The post renews only its group's stamp: the outsiders' answers stay the same 304...
    assert poll(follower_client, top_post, etag=before["fiona home"]).status_code == 304
    assert poll(outsider_client, top_post, scope="all", etag=before["olga all"]).status_code == 304
    # ...and from the database (no ETag sent) they count nothing either.
    for client in (follower_client, outsider_client):
        for scope in ("home", "all"):
            assert "new post" not in prompt(poll(client, top_post, scope=scope))
    assert "1 new post: show" in prompt(poll(signed_in(colleague), top_post))


def test_nothing_new_is_a_304_that_costs_no_query_beyond_the_session(
    author, follower_client, top_post, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    first = poll(follower_client, top_post)
    etag = first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"]
    assert "private" in first.headers["Cache-Control"]

    with django_assert_max_num_queries(NOTHING_NEW_MAX_QUERIES):
        again = poll(follower_client, top_post, etag=etag)
    assert again.status_code == 304
    assert again.content == b""

    write(django_capture_on_commit_callbacks, author=author, body="Something new")
    changed = poll(follower_client, top_post, etag=etag)
    assert changed.status_code == 200
    assert "1 new post: show" in prompt(changed)
    assert changed.headers["ETag"] != etag


def test_poll_queries_do_not_grow_with_the_feed(
    author, follower, follower_client, top_post, django_assert_max_num_queries
):
    PostFactory.create_batch(30, author=author)
    feed_services.follow_tag_toggle(follower=follower, tag=_tag("deals"))
    notify(recipients=[follower], kind="mention", actor=author, summary="Hi", url="/")
    follower_client.get("/live/")  # the day's first request records the active day: not the poll's cost

    with django_assert_max_num_queries(COLD_POLL_MAX_QUERIES):
        response = poll(follower_client, top_post)
    assert "30 new posts: show" in prompt(response)


def test_home_count_does_not_fetch_the_whole_feed(follower, top_post, django_assert_max_num_queries):
    """It once tested the Home queryset's truth value, which loads every post of the feed
    (1.7 s at 1,000,000 posts): the top post's time, follows, groups and one count, nothing more."""
    PostFactory.create_batch(5, author=top_post.author)
    with django_assert_max_num_queries(5):
        assert selectors.posts_newer_than_count(viewer=follower, post_id=top_post.pk, home=True) == 5


def test_a_removed_post_stops_counting(
    author, follower, follower_client, top_post, django_capture_on_commit_callbacks
):
    post = write(django_capture_on_commit_callbacks, author=author, body="Oops")
    etag = poll(follower_client, top_post).headers["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        feed_services.post_delete(post_id=post.pk, actor=author)

    response = poll(follower_client, top_post, etag=etag)
    assert response.status_code == 200
    assert "new post" not in prompt(response)


def test_a_moderators_removal_stops_counting(
    author, moderator, follower_client, top_post, django_capture_on_commit_callbacks
):
    post = write(django_capture_on_commit_callbacks, author=author, body="Flagged")
    etag = poll(follower_client, top_post).headers["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        feed_services.post_remove_by_moderator(object_id=post.pk, moderator=moderator, at=timezone.now())

    response = poll(follower_client, top_post, etag=etag)
    assert response.status_code == 200
    assert "new post" not in prompt(response)


def test_a_followed_tag_added_by_an_edit_counts(
    follower, follower_client, top_post, django_capture_on_commit_callbacks
):
    stranger = ProfileFactory(display_name="Sam Stranger")
    post = write(django_capture_on_commit_callbacks, author=stranger, body="Quarterly numbers")
    with django_capture_on_commit_callbacks(execute=True):
        feed_services.follow_tag_toggle(follower=follower, tag=_tag("finance"))
    etag = poll(follower_client, top_post).headers["ETag"]
    assert "new post" not in prompt(poll(follower_client, top_post))

    with django_capture_on_commit_callbacks(execute=True):
        feed_services.post_edit(post_id=post.pk, editor=stranger, body="Quarterly numbers #finance")

    response = poll(follower_client, top_post, etag=etag)
    assert response.status_code == 200
    assert "1 new post: show" in prompt(response)


def test_following_someone_new_counts_their_new_posts_at_once(
    colleague, follower, follower_client, top_post, django_capture_on_commit_callbacks
):
    write(django_capture_on_commit_callbacks, author=colleague, body="From Colin")
    etag = poll(follower_client, top_post).headers["ETag"]
    assert "new post" not in prompt(poll(follower_client, top_post))

    with django_capture_on_commit_callbacks(execute=True):
        feed_services.follow_person_toggle(follower=follower, followee=colleague)

    response = poll(follower_client, top_post, etag=etag)
    assert response.status_code == 200
    assert "1 new post: show" in prompt(response)


def test_joining_a_group_counts_its_new_posts_at_once(
    author, outsider, outsider_client, top_post, django_capture_on_commit_callbacks
):
    group = community_services.community_create(
        creator=author, name="Runners", category="social", visibility=Community.Visibility.PUBLIC
    )
    feed_services.follow_person_toggle(follower=outsider, followee=ProfileFactory())  # Home is hers
    write(django_capture_on_commit_callbacks, author=author, body="Run at six", community=group)
    etag = poll(outsider_client, top_post).headers["ETag"]
    assert "new post" not in prompt(poll(outsider_client, top_post))

    with django_capture_on_commit_callbacks(execute=True):
        community_services.community_join(community=group, profile=outsider)

    response = poll(outsider_client, top_post, etag=etag)
    assert response.status_code == 200
    assert "1 new post: show" in prompt(response)


def test_the_same_poll_brings_the_unread_badge(
    author, follower, follower_client, top_post, django_capture_on_commit_callbacks
):
    etag = poll(follower_client, top_post).headers["ETag"]
    assert 'class="badge"' not in poll(follower_client, top_post).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[follower], kind="mention", actor=author, summary="Ada mentioned you", url="/")
    response = poll(follower_client, top_post, etag=etag)
    assert response.status_code == 200
    assert 'aria-label="1 unread"' in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        notifications_mark_read(recipient=follower)
    read = poll(follower_client, top_post, etag=response.headers["ETag"])
    assert read.status_code == 200
    assert 'class="badge"' not in read.content.decode()


def test_pages_other_than_the_feed_poll_only_the_badge(author, follower, follower_client):
    notify(recipients=[follower], kind="mention", actor=author, summary="Hi", url="/")

    body = follower_client.get("/live/").content.decode()
    assert 'aria-label="1 unread"' in body
    assert "new-posts" not in body


def test_cache_down_answers_from_the_database(
    settings, monkeypatch, author, follower_client, top_post, django_capture_on_commit_callbacks
):
    etag = poll(follower_client, top_post).headers["ETag"]
    monkeypatch.setattr(live, "_down_until", 0.0)  # the back-off after the failures ends with the test
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there: every call fails at once
    write(django_capture_on_commit_callbacks, author=author, body="While Redis sleeps")  # renewal lost

    for _ in range(2):  # the failing call, then the back-off
        response = poll(follower_client, top_post, etag=etag)
        assert response.status_code == 200
        assert "ETag" not in response.headers
        assert "1 new post: show" in prompt(response)


def test_a_lost_stamp_means_a_fresh_answer(author, follower_client, top_post):
    from django.core.cache import cache

    etag = poll(follower_client, top_post).headers["ETag"]
    PostFactory(author=author)  # written behind the stamps' back (no after-commit renewal)...
    cache.clear()  # ...and the cache lost: missing stamps get fresh tokens

    response = poll(follower_client, top_post, etag=etag)
    assert response.status_code == 200
    assert "1 new post: show" in prompt(response)


def test_bad_parameters_are_a_bad_request(follower_client):
    assert follower_client.get("/live/?after=abc&scope=home").status_code == 400
    assert follower_client.get("/live/?after=1&scope=everyone").status_code == 400


def test_the_feed_page_sets_up_the_poll(follower_client, top_post):
    page = follower_client.get("/").content.decode()

    assert 'data-live-url="/live/"' in page
    assert f'data-after="{top_post.pk}" data-scope="home"' in page
    assert "js/live.js" in page
    assert 'id="unread-badge"' in page


def _tag(name):
    from taggit.models import Tag

    return Tag.objects.get_or_create(name=name)[0]

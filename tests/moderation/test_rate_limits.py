"""Rate limits per person: a clear 429 page with Retry-After, tighter for new members, none for
moderators, counted atomically in the real Redis, and out of the way while Redis is down."""

import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from common import ratelimit
from common.cache import ResilientRedisCache
from feed.models import Comment, Post, Reaction
from moderation.models import AuditEntry
from moderation.ratelimit import DEFAULT_LIMITS, Limits, limit_hit, limits_update, policy_current
from tests.factories import PostFactory, ProfileFactory, UserFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

NEW = DEFAULT_LIMITS["posts"].new_per_minute
ESTABLISHED = DEFAULT_LIMITS["posts"].per_minute


@pytest.fixture(autouse=True)
def _real_limits(settings, monkeypatch):
    settings.HIVE_RATE_LIMIT_FACTOR = 1  # undo tests/conftest.py's raise: these tests trip limits
    # The windows are fixed (they start on the minute): a burst that crossed a minute's end on a slow
    # machine would start counting again half-way. The limiter's clock stands still in the middle of a
    # minute for each test; tests about windows ending move it themselves.
    clock = SimpleNamespace(time=lambda: 1_800_000_030.0, monotonic=time.monotonic)
    monkeypatch.setattr(ratelimit, "time", clock)


def _veteran():
    return ProfileFactory(user=UserFactory(date_joined=timezone.now() - timedelta(days=400)))


def test_a_burst_of_posts_gets_a_429_page_with_the_text_kept_and_nothing_saved(author, author_client):
    for n in range(NEW):
        assert author_client.post("/", {"body": f"Update {n}", "kind": "update"}).status_code == 302
    response = author_client.post("/", {"body": "One too many, with my careful words", "kind": "update"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "reached the limit for posts" in page
    assert "One too many, with my careful words" in page  # what they wrote is on the page, not lost
    assert Post.objects.filter(author=author).count() == NEW


def test_reading_the_feed_is_never_limited(author_client):
    for _ in range(NEW + 3):
        assert author_client.get("/").status_code == 200


def test_someone_who_joined_long_ago_may_post_more_than_a_new_member():
    veteran = _veteran()
    browser = signed_in(veteran)
    codes = [
        browser.post("/", {"body": f"Note {n}", "kind": "update"}).status_code for n in range(ESTABLISHED + 1)
    ]
    assert codes == [302] * ESTABLISHED + [429]
    assert ESTABLISHED > NEW


def test_moderators_are_not_limited(moderator_client, moderator):
    for n in range(ESTABLISHED + 2):
        assert moderator_client.post("/", {"body": f"Cleanup note {n}", "kind": "update"}).status_code == 302


def test_comments_are_limited_separately_from_posts(author, author_client):
    post = PostFactory()
    limit = DEFAULT_LIMITS["comments"].new_per_minute
    for n in range(limit):
        assert author_client.post(f"/posts/{post.pk}/", {"body": f"Reply {n}"}).status_code == 302
    response = author_client.post(f"/posts/{post.pk}/", {"body": "and another"})
    assert response.status_code == 429
    assert Comment.objects.filter(author=author).count() == limit
    # Posts have their own allowance.
    assert author_client.post("/", {"body": "A post still goes through", "kind": "update"}).status_code == 302


def test_an_htmx_reaction_over_the_limit_gets_a_short_429_message(author, author_client):
    limit = DEFAULT_LIMITS["reactions"].new_per_minute
    posts = PostFactory.create_batch(limit + 1)
    for post in posts[:limit]:
        response = author_client.post(f"/posts/{post.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    response = author_client.post(f"/posts/{posts[-1].pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "limit for reactions" in response.content.decode()
    assert Reaction.objects.filter(profile=author).count() == limit


def _htmx_handling(page: str, status: int) -> dict:
    """What htmx 2 does with a response of this status, from the page's htmx-config: the first rule whose
    code (a regular expression) matches, as htmx's own responseHandling lookup does."""
    import html
    import json
    import re

    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)
    assert config, "base.html has no htmx-config"
    rules = json.loads(html.unescape(config.group(1)))["responseHandling"]
    return next(rule for rule in rules if re.search(rule["code"], str(status)))


def test_an_htmx_request_over_the_limit_shows_the_person_why(author, author_client, settings):
    """htmx swaps nothing on a 4xx unless told: the 429 is let through by the page's config and
    retargeted to the page's alert region, so the message appears instead of a silent click."""
    post = PostFactory()
    page = author_client.get("/").content.decode()
    assert '<div id="live-alert" role="alert"' in page
    assert _htmx_handling(page, 429)["swap"] is True
    assert _htmx_handling(page, 404)["swap"] is False  # other errors still swap nothing
    assert _htmx_handling(page, 200)["swap"] is True
    settings.HIVE_RATE_LIMIT_FACTOR = 0  # every action over the limit

    response = author_client.post(f"/posts/{post.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 429
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#live-alert", "innerHTML")
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert body.startswith('<p class="msg-error">You have reached the limit for reactions')
    assert "try again" in body


def test_group_posts_count_against_the_same_allowance(author, author_client):
    from communities.services import community_create

    group = community_create(creator=author, name="Cyclists", category="social", visibility="public")
    for n in range(NEW):
        assert author_client.post(group.get_absolute_url(), {"body": f"Group note {n}"}).status_code == 302
    assert author_client.post(group.get_absolute_url(), {"body": "flood"}).status_code == 429


def test_flags_are_limited(author_client):
    limit = DEFAULT_LIMITS["flags"].new_per_minute
    ct = ContentType.objects.get_for_model(Post).pk
    posts = PostFactory.create_batch(limit + 1)
    for post in posts[:limit]:
        assert author_client.post(f"/moderation/flag/{ct}/{post.pk}/", {"reason": "spam"}).status_code == 302
    assert author_client.post(f"/moderation/flag/{ct}/{posts[-1].pk}/", {"reason": "spam"}).status_code == 429


def test_a_moderator_raises_a_limit_and_it_applies_at_once_and_is_audited(author, moderator):
    for _ in range(NEW):
        assert limit_hit(user=author.user, action="posts") == 0
    assert limit_hit(user=author.user, action="posts") > 0
    limits_update(actor=moderator, action="posts", limits=Limits(10, 200, NEW + 5, 50))
    assert policy_current().limits["posts"].new_per_minute == NEW + 5
    assert limit_hit(user=author.user, action="posts") == 0
    entry = AuditEntry.objects.get(action="ratelimit.update")
    assert entry.actor == moderator
    assert entry.detail["before"]["new_per_minute"] == NEW
    assert entry.detail["after"]["new_per_minute"] == NEW + 5


def test_a_refused_attempt_does_not_use_up_the_day():
    windows = [ratelimit.Window(seconds=60, limit=2), ratelimit.Window(seconds=86400, limit=10)]
    name = "test-refused"
    assert [ratelimit.hit(name=name, windows=windows) for _ in range(5)][:2] == [0, 0]
    # Three refused attempts later, the day still shows only the two that went through.
    day_only = [ratelimit.Window(seconds=86400, limit=3)]
    assert ratelimit.hit(name=name, windows=day_only) == 0
    assert ratelimit.hit(name=name, windows=day_only) > 0


def test_concurrent_requests_never_take_more_than_the_limit():
    windows = [ratelimit.Window(seconds=60, limit=5)]
    results: list[int] = []
    lock = threading.Lock()

    def attempt():
        wait = ratelimit.hit(name="test-concurrent", windows=windows)
        with lock:
            results.append(wait)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(0) == 5


def test_while_redis_is_down_nobody_is_refused(monkeypatch, author):
    unreachable = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(ratelimit, "caches", {"default": unreachable})
    for _ in range(NEW * 3):
        assert limit_hit(user=author.user, action="posts") == 0
    assert unreachable.redis_is_down  # one refused connection, then no retry per request for a while


def test_the_429_page_shows_the_refused_text_escaped(author_client):
    for n in range(NEW):
        author_client.post("/", {"body": f"Update {n}", "kind": "update"})
    response = author_client.post("/", {"body": "<script>alert(1)</script>", "kind": "update"})
    assert response.status_code == 429
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()

"""Which cache stamps (common.live) a post touches and a feed's poll depends on.

Audiences: "a<id>" posts by a person (company feed and public groups), "g<id>" posts in a group,
"t<id>" posts carrying a tag, "ann" company announcements, "pub" everything outside private groups.
A private group's post renews only its group's stamp, so it never makes an outsider's poll
recompute. Home depends on the people and tags the viewer follows, their own posts, their groups
and announcements (the rules of selectors.home_posts); All company on "pub" and their groups.
"""

import hashlib
import time
from collections.abc import Callable

from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from common import live
from communities.selectors import member_community_ids
from feed.models import Post
from feed.selectors import followed_ids
from notifications.selectors import unread_stamp_key
from profiles.models import Profile

SCOPES = ("home", "all")
# The header static/js/live.js sends the tab's poll token in (common.live.poll_token), and in which
# an answer that came through the session hands it a fresh one.
TOKEN_HEADER = "X-Hive-Live"
# The longest an answer, and the viewer's audience list it was built on, are reused without asking
# the database: bounds the harm of a stamp renewal lost while the cache was unreachable. Each
# person's windows start at their own offset (_window), so a company's open tabs do not all go to
# the database in the same half minute.
ANSWER_SECONDS = 600


def post_audience(*, post: Post, tag_ids: list[int]) -> list[str]:
    """The stamps to renew when this post appears, disappears or changes its tags."""
    community = post.community
    if community is not None and community.is_private:
        return [f"feed:g{community.pk}"]
    keys = ["feed:pub", f"feed:a{post.author_id}"] + [f"feed:t{pk}" for pk in tag_ids]
    if community is not None:
        keys.append(f"feed:g{community.pk}")
    elif post.kind == Post.Kind.ANNOUNCEMENT:
        keys.append("feed:ann")
    return keys


def post_changed(*, post: Post, tag_ids: list[int]) -> None:
    """After commit, tell the feeds' pollers that this post's audiences changed."""
    live.stamps_renew(post_audience(post=post, tag_ids=tag_ids))


def viewer_audience(*, viewer: Profile, scope: str) -> list[str]:
    """The stamps this viewer's feed depends on, from the database (three small queries)."""
    groups = [f"feed:g{pk}" for pk in sorted(member_community_ids(profile=viewer))]
    people, tags = followed_ids(viewer=viewer) if scope == "home" else (frozenset(), frozenset())
    if people or tags:  # else Home is All company (selectors.home_posts)
        return (
            [f"feed:a{pk}" for pk in sorted(people | {viewer.pk})]
            + [f"feed:t{pk}" for pk in sorted(tags)]
            + ["feed:ann"]
            + groups
        )
    return ["feed:pub"] + groups


def _held_key(*, user_id: int, scope: str) -> str:
    return f"held:{user_id}:{scope}"


def poll_stamps(
    *, user_id: int, scope: str | None, keys: list[str], viewer: Callable[[], Profile] | None
) -> dict[str, str] | None:
    """The stamps of `keys`, of the person's audience stamp and, with a scope, of their feed; None
    when the cache is down, or when `viewer` is None (a poll answered before the session) and the
    feed's audience is not held.

    The audience is held in the cache beside the stamps, with the token of the person's audience
    stamp (common.live.audience_forget renews it, and so does signing out) and the answer window it
    was worked out in: while both hold, a poll costs two cache round trips. It is worked out again
    (`viewer` loads the profile) when that token changed, and in each new window, where the answer
    is recomputed anyway (its ETag changes with the window): one trip to the database per window.
    """
    changed_key = live.audience_stamp_key(user_id=user_id)
    if scope is None:
        return live.stamps_get([*keys, changed_key])
    window = _window(user_id=user_id)
    held = live.value_get(_held_key(user_id=user_id, scope=scope))
    stamps = live.stamps_get([*keys, changed_key, *(held[1] if held else [])])
    if stamps is None or (held is not None and held[0] == stamps[changed_key] and held[2:] == [window]):
        return stamps
    if viewer is None:
        return None
    # Worked out after reading the token: a follow committed in between renews it again, so the
    # next poll works the audience out once more.
    audience = viewer_audience(viewer=viewer(), scope=scope)
    live.value_set(
        _held_key(user_id=user_id, scope=scope),
        [stamps[changed_key], audience, window],
        seconds=ANSWER_SECONDS,
    )
    more = live.stamps_get(audience)
    return None if more is None else {**stamps, **more}


def poll_etag(
    *, user_id: int, scope: str, after: int | None, viewer: Callable[[], Profile] | None
) -> str | None:
    """The entity tag of a poll's answer (the feed's prompt when `after` is given, and the unread
    badge) as the stamps stand; None when they cannot be read (see poll_stamps)."""
    stamps = poll_stamps(
        user_id=user_id,
        scope=scope if after is not None else None,
        keys=[unread_stamp_key(user_id=user_id)],
        viewer=viewer,
    )
    if stamps is None:
        return None
    return _etag(parts=[str(user_id), scope, str(after), str(_window(user_id=user_id))], stamps=stamps)


def poll_not_modified(etag: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def early_poll_answer(
    *, token: str, after: str | None, scope: str, if_none_match: str
) -> HttpResponseNotModified | None:
    """A tab's poll answered from its token and the stamps alone (feed.live_gate): a 304 when
    nothing it shows changed for the person the token names. None sends the poll the long way,
    through the session, which also answers whatever is malformed."""
    user_id = live.poll_token_user(token)
    if user_id is None or scope not in SCOPES:
        return None
    try:
        after_id = int(after) if after is not None else None
    except ValueError:
        return None
    etag = poll_etag(user_id=user_id, scope=scope, after=after_id, viewer=None)
    if etag is None or etag not in parse_etags(if_none_match):
        return None
    return poll_not_modified(etag)


def _window(*, user_id: int) -> int:
    """The person's current answer window: ANSWER_SECONDS long, from an offset of their own (7919 is
    prime to ANSWER_SECONDS, so consecutive people are spread over the whole window)."""
    return int((time.time() + user_id * 7919 % ANSWER_SECONDS) // ANSWER_SECONDS)


def _etag(*, parts: list[str], stamps: dict[str, str]) -> str:
    """An entity tag for a poll's answer: it changes when any stamp is renewed, and with the answer
    window (parts)."""
    digest = hashlib.sha1(
        "|".join([*parts, *(f"{k}={stamps[k]}" for k in sorted(stamps))]).encode(),
        usedforsecurity=False,
    )
    return f'"{digest.hexdigest()[:20]}"'

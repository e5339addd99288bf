"""Which cache stamps (common.live) a post touches and a feed's poll depends on.

Audiences: "a<id>" posts by a person (company feed and public groups), "g<id>" posts in a group,
"t<id>" posts carrying a tag, "ann" company announcements, "pub" everything outside private groups.
A private group's post renews only its group's stamp, so it never makes an outsider's poll
recompute. Home depends on the people and tags the viewer follows, their own posts, their groups
and announcements (the rules of selectors.home_posts); All company on "pub" and their groups.
"""

import hashlib
import time

from common import live
from communities.selectors import member_community_ids
from feed.models import Post
from feed.selectors import followed_ids
from profiles.models import Profile
from profiles.selectors import viewer_profile

SCOPES = ("home", "all")
# How long a viewer's audience list is kept, and the longest an answer is reused without asking
# the database: bounds the harm of a stamp renewal lost while the cache was unreachable.
AUDIENCE_SECONDS = 600
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


SESSION_KEY = "hive_live_audience"


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


def poll_stamps(*, request, scope: str | None, keys: list[str]) -> dict[str, str] | None:
    """The stamps of `keys` and, with a scope, of the viewer's feed; None when the cache is down.

    The viewer's audience is kept in their session with the token of their audience stamp
    (common.live.audience_forget renews it), so while it holds a poll costs one cache round trip.
    It is worked out again when that token changed, and at least every AUDIENCE_SECONDS.
    """
    if scope is None:
        return live.stamps_get(keys)
    changed_key = live.audience_stamp_key(user_id=request.user.pk)
    now = time.time()
    held = request.session.get(SESSION_KEY, {}).get(scope)
    current = held is not None and held[1] > now
    stamps = live.stamps_get([*keys, changed_key, *(held[2] if current else [])])
    if stamps is None or (current and held[0] == stamps[changed_key]):
        return stamps
    # Worked out after reading the token: a follow committed in between renews it again, so the
    # next poll works the audience out once more.
    audience = viewer_audience(viewer=viewer_profile(request), scope=scope)
    request.session[SESSION_KEY] = {
        **request.session.get(SESSION_KEY, {}),
        scope: [stamps[changed_key], now + AUDIENCE_SECONDS, audience],
    }
    more = live.stamps_get(audience)
    return None if more is None else {**stamps, **more}


def poll_etag(*, parts: list[str], stamps: dict[str, str]) -> str:
    """An entity tag for a poll's answer: it changes when any stamp is renewed, and at least every
    ANSWER_SECONDS."""
    epoch = str(int(time.time() // ANSWER_SECONDS))
    digest = hashlib.sha1(
        "|".join([*parts, epoch, *(f"{k}={stamps[k]}" for k in sorted(stamps))]).encode(),
        usedforsecurity=False,
    )
    return f'"{digest.hexdigest()[:20]}"'

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


def viewer_audience_cached(*, user_id: int, scope: str) -> list[str] | None:
    return live.value_get(live.audience_key(user_id=user_id, scope=scope))


def viewer_audience_store(*, viewer: Profile, scope: str) -> list[str]:
    """The stamps this viewer's feed depends on, from the database (three small queries), cached."""
    groups = [f"feed:g{pk}" for pk in sorted(member_community_ids(profile=viewer))]
    people, tags = followed_ids(viewer=viewer) if scope == "home" else (frozenset(), frozenset())
    if people or tags:  # else Home is All company (selectors.home_posts)
        keys = [f"feed:a{pk}" for pk in sorted(people | {viewer.pk})]
        keys += [f"feed:t{pk}" for pk in sorted(tags)] + ["feed:ann"] + groups
    else:
        keys = ["feed:pub"] + groups
    live.value_set(live.audience_key(user_id=viewer.user_id, scope=scope), keys, seconds=AUDIENCE_SECONDS)
    return keys


def poll_etag(*, parts: list[str], stamps: dict[str, str]) -> str:
    """An entity tag for a poll's answer: it changes when any stamp is renewed, and at least every
    ANSWER_SECONDS."""
    epoch = str(int(time.time() // ANSWER_SECONDS))
    digest = hashlib.sha1(
        "|".join([*parts, epoch, *(f"{k}={stamps[k]}" for k in sorted(stamps))]).encode(),
        usedforsecurity=False,
    )
    return f'"{digest.hexdigest()[:20]}"'

"""Reads of the feed, each a fixed number of queries whatever the data size."""

from django.db.models import Prefetch, QuerySet

from common.pagination import Page, keyset_page
from feed.models import Comment, Post, PostRevision, Reaction
from profiles.models import Profile


def visible_posts() -> QuerySet[Post]:
    return Post.objects.filter(removed_at__isnull=True)


def _for_display(qs: QuerySet[Post], *, viewer: Profile) -> QuerySet[Post]:
    return qs.select_related(
        "author__department",
        # A kudos post shows its recipient and value (recognition's partial renders them);
        # joined here so the feed stays one query however many kudos it holds.
        "kudos__recipient",
        "kudos__value",
    ).prefetch_related(
        Prefetch("reactions", queryset=Reaction.objects.filter(profile=viewer), to_attr="viewer_reactions")
    )


def company_feed_page(*, viewer: Profile, cursor: str | None, size: int = 20) -> Page:
    return keyset_page(
        _for_display(visible_posts(), viewer=viewer),
        keys=("created_at", "id"),
        cursor=cursor,
        size=size,
        descending=True,
    )


def author_posts(*, viewer: Profile, author: Profile, limit: int = 10) -> list[Post]:
    return list(
        _for_display(visible_posts().filter(author=author), viewer=viewer).order_by("-created_at")[:limit]
    )


def post_detail(*, viewer: Profile, post_id: int) -> Post | None:
    return _for_display(visible_posts().filter(pk=post_id), viewer=viewer).first()


def post_comments(*, post: Post, limit: int = 500) -> list[Comment]:
    """Top-level comments in order, each with `.thread_replies`; one query for the whole thread.

    A deleted comment that has replies stays as a placeholder (its `removed_at` is set) so the
    replies keep their context; other deleted comments are left out.
    """
    rows = list(
        Comment.objects.filter(post=post).select_related("author").order_by("created_at", "id")[:limit]
    )
    replies: dict[int, list[Comment]] = {}
    for row in rows:
        if row.parent_id is not None and row.removed_at is None:
            replies.setdefault(row.parent_id, []).append(row)
    thread = []
    for row in rows:
        if row.parent_id is None:
            row.thread_replies = replies.get(row.pk, [])
            if row.removed_at is None or row.thread_replies:
                thread.append(row)
    return thread


def post_revisions(*, post: Post, limit: int = 50) -> list[PostRevision]:
    """Earlier versions, newest first. Only called for posts the viewer can already see."""
    return list(post.revisions.order_by("-replaced_at")[:limit])


def author_recent_posts(*, author: Profile, limit: int = 5) -> list[Post]:
    """An author's latest visible posts for their profile page: one query on post_author_idx.

    Lighter than author_posts: the profile shows excerpts and links, not reactions or kudos cards.
    """
    return list(visible_posts().filter(author=author).order_by("-created_at", "-id")[:limit])


def posts_newer_than_count(*, post_id: int, cap: int = 99) -> int:
    """How many visible posts arrived after `post_id` (the newest one the viewer has), up to `cap`."""
    newest = Post.objects.filter(pk=post_id).values_list("created_at", flat=True).first()
    if newest is None:
        return 0
    return visible_posts().filter(created_at__gt=newest).order_by()[:cap].count()

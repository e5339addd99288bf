"""Reads for a batch of people at once (the personal digest): a fixed number of queries whatever the
number of people, each returning light rows that the caller filters per person."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import Lower, RowNumber

from communities.models import Community
from feed.models import AnnouncementView, Comment, FollowPerson, FollowTag, Post, PostTag


@dataclass(frozen=True)
class Candidate:
    """A post that may go into someone's digest, with what deciding that needs."""

    id: int
    community_id: int | None
    public: bool  # the company feed or a public group: anyone may read it
    author_id: int
    created_at: datetime
    score: int

    def readable_by(self, member_ids: Collection[int]) -> bool:
        return self.public or self.community_id in member_ids


_FIELDS = ("id", "community_id", "community__visibility", "author_id", "created_at", "score")


def _window(start: datetime, end: datetime) -> QuerySet[Post]:
    return Post.objects.filter(removed_at__isnull=True, created_at__gte=start, created_at__lt=end).annotate(
        score=F("reaction_count") + 2 * F("comment_count")
    )


def _candidates(rows) -> list[Candidate]:
    return [
        Candidate(
            id=r["id"],
            community_id=r["community_id"],
            public=r["community_id"] is None or r["community__visibility"] == Community.Visibility.PUBLIC,
            author_id=r["author_id"],
            created_at=r["created_at"],
            score=r["score"],
        )
        for r in rows
    ]


def _top_per(qs: QuerySet[Post], *, partition: str, each: int) -> QuerySet[Post]:
    """The `each` most engaged-with posts of every partition (group, author, tag) in one query."""
    return qs.annotate(
        rank=Window(RowNumber(), partition_by=[F(partition)], order_by=[F("score").desc(), F("id").desc()])
    ).filter(rank__lte=each)


def top_posts_in_groups(
    *, community_ids: Collection[int], start: datetime, end: datetime, each: int = 10
) -> dict[int, list[Candidate]]:
    """Per group, its most engaged-with posts of [start, end), best first."""
    if not community_ids:
        return {}
    qs = _top_per(
        _window(start, end).filter(community_id__in=community_ids), partition="community_id", each=each
    )
    by_group: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in _candidates(qs.values(*_FIELDS)):
        by_group[candidate.community_id or 0].append(candidate)
    return {k: sorted(v, key=lambda c: (-c.score, -c.id)) for k, v in by_group.items()}


def top_posts_by_authors(
    *, author_ids: Collection[int], start: datetime, end: datetime, each: int = 5
) -> dict[int, list[Candidate]]:
    if not author_ids:
        return {}
    qs = _top_per(_window(start, end).filter(author_id__in=author_ids), partition="author_id", each=each)
    by_author: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in _candidates(qs.values(*_FIELDS)):
        by_author[candidate.author_id].append(candidate)
    return dict(by_author)


def top_posts_with_tags(
    *, tag_ids: Collection[int], start: datetime, end: datetime, each: int = 5
) -> dict[int, list[Candidate]]:
    if not tag_ids:
        return {}
    qs = _top_per(
        _window(start, end).filter(tag_items__tag_id__in=tag_ids).annotate(tag_id=F("tag_items__tag_id")),
        partition="tag_items__tag_id",
        each=each,
    )
    by_tag: dict[int, list[Candidate]] = defaultdict(list)
    for row in qs.values(*_FIELDS, "tag_id"):
        by_tag[row["tag_id"]].extend(_candidates([row]))
    return dict(by_tag)


def top_public_posts(*, start: datetime, end: datetime, limit: int = 10) -> list[Candidate]:
    """What everyone may read, most engaged-with first (a comment weighs twice a reaction)."""
    qs = _window(start, end).filter(
        Q(community__isnull=True) | Q(community__visibility=Community.Visibility.PUBLIC)
    )
    return _candidates(qs.order_by("-score", "-created_at", "-id").values(*_FIELDS)[:limit])


def announcements_between(*, start: datetime, end: datetime, limit: int = 20) -> list[Candidate]:
    qs = _window(start, end).filter(kind=Post.Kind.ANNOUNCEMENT)
    return _candidates(qs.order_by("-created_at", "-id").values(*_FIELDS)[:limit])


def announcements_seen(*, profile_ids: Collection[int], post_ids: Collection[int]) -> set[tuple[int, int]]:
    """(profile id, post id) for each of these announcements these people have had on screen."""
    if not post_ids or not profile_ids:
        return set()
    return set(
        AnnouncementView.objects.filter(profile_id__in=profile_ids, post_id__in=post_ids).values_list(
            "profile_id", "post_id"
        )
    )


def open_questions_with_tags(
    *, start: datetime, end: datetime, limit: int = 500
) -> list[tuple[Candidate, frozenset[str]]]:
    """Questions of [start, end) still without a chosen answer, each with its tags in lower case."""
    qs = _window(start, end).filter(
        kind=Post.Kind.QUESTION, best_answer__isnull=True, tag_items__isnull=False
    )
    candidates = {c.id: c for c in _candidates(qs.distinct().order_by("-id").values(*_FIELDS)[:limit])}
    tags: dict[int, set[str]] = defaultdict(set)
    for post_id, name in (
        PostTag.objects.filter(content_object_id__in=candidates)
        .annotate(name=Lower("tag__name"))
        .values_list("content_object_id", "name")
    ):
        tags[post_id].add(name)
    return [(c, frozenset(tags[c.id])) for c in candidates.values()]


def follows_of_many(*, profile_ids: Collection[int]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Per person, the people and the tags they follow: two queries."""
    people: dict[int, set[int]] = defaultdict(set)
    for follower, followee in FollowPerson.objects.filter(follower_id__in=profile_ids).values_list(
        "follower_id", "followee_id"
    ):
        people[follower].add(followee)
    tags: dict[int, set[int]] = defaultdict(set)
    for follower, tag in FollowTag.objects.filter(follower_id__in=profile_ids).values_list(
        "follower_id", "tag_id"
    ):
        tags[follower].add(tag)
    return people, tags


def posts_visibility(*, post_ids: Collection[int]) -> dict[int, Candidate]:
    """The posts still up among these, with where they were posted (to check who may read them)."""
    if not post_ids:
        return {}
    qs = Post.objects.filter(pk__in=post_ids, removed_at__isnull=True).annotate(
        score=F("reaction_count") + 2 * F("comment_count")
    )
    return {c.id: c for c in _candidates(qs.values(*_FIELDS))}


def comments_up(*, comment_ids: Collection[int]) -> set[int]:
    if not comment_ids:
        return set()
    return set(
        Comment.objects.filter(pk__in=comment_ids, removed_at__isnull=True).values_list("id", flat=True)
    )


def posts_for_email(*, ids: Collection[int]) -> dict[int, Post]:
    """What an email shows of each post (author, group): one query for the whole batch."""
    if not ids:
        return {}
    return {p.pk: p for p in Post.objects.filter(pk__in=ids).select_related("author", "community")}

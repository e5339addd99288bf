"""What people contributed to the feed, counted for everyone at once (recognition's badges): each function is
a fixed number of queries whatever the number of people, never a query per person."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from feed.mentions import mentions_find
from feed.models import Comment, Post, PostTag
from profiles.models import Profile, User

# Posts Hive writes in someone's name (a celebration card) or that carry a kudos are not their own words.
_NOT_THEIR_OWN = [Post.Kind.KUDOS, Post.Kind.CELEBRATION]


def best_answer_tag_counts(*, minimum: int) -> list[tuple[int, int, str, int]]:
    """(answerer, tag id, tag name, answers) for everyone with at least `minimum` answers chosen as the best
    on questions carrying one #tag; the question and the answer up. One aggregate query."""
    rows = (
        PostTag.objects.filter(
            content_object__best_answer__isnull=False,
            content_object__removed_at__isnull=True,
            content_object__best_answer__removed_at__isnull=True,
        )
        .exclude(content_object__best_answer__author_id=F("content_object__author_id"))
        .values("content_object__best_answer__author_id", "tag_id", "tag__name")
        .annotate(n=Count("content_object_id", distinct=True))
        .filter(n__gte=minimum)
        .order_by("tag_id", "content_object__best_answer__author_id")
    )
    return [(r["content_object__best_answer__author_id"], r["tag_id"], r["tag__name"], r["n"]) for r in rows]


def newcomer_first_repliers(*, minimum: int, days: int) -> set[int]:
    """People who were the first to reply to at least `minimum` newcomers' posts: a post its author wrote in
    their first `days` days (from their start date or, without one, from when their profile was made, as
    feed.newcomers counts them), whose earliest comment by someone else is theirs. Comments and posts that
    are down or held do not count. One query."""
    if days <= 0:
        return set()
    visible = {"removed_at__isnull": True, "held_at__isnull": True}
    newcomer_posts = (
        Post.objects.filter(**visible)
        .exclude(kind__in=_NOT_THEIR_OWN)
        .annotate(since=Coalesce("author__start_date", TruncDate("author__created_at")))
        .filter(
            created_at__date__gte=F("since"),
            created_at__date__lt=ExpressionWrapper(
                F("since") + timedelta(days=days), output_field=DateField()
            ),
        )
    )
    earlier = (
        Comment.objects.filter(post=OuterRef("post"), **visible)
        .exclude(author=OuterRef("post__author"))
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
    )
    first = (
        Comment.objects.filter(post__in=newcomer_posts, **visible)
        .exclude(author=F("post__author"))
        .filter(~Exists(earlier))
    )
    return set(
        first.values("author_id")
        .annotate(n=Count("post__author_id", distinct=True))
        .filter(n__gte=minimum)
        .values_list("author_id", flat=True)
    )


def interactions_sql(*, since: datetime | None, actor_ids: list[int] | None = None) -> tuple[str, list]:
    """SQL selecting (actor_id, target_id, at) for every reply and @mention since `since` (ever without
    one), for recognition to join with its kudos and count in one statement:

    - a reply goes to the comment it answers, else to the post's author (as analytics' silo figures count);
    - an @mention in a post or a comment goes to the colleague it names (feed.mentions: the first part of
      their work email).

    Reactions are left out: a click on a post someone scrolled past is not talking to its author (counted,
    they made "connectors" of most of the company). Only what is up counts (not removed, not held); talking
    to oneself does not."""
    visible = {"removed_at__isnull": True, "held_at__isnull": True}
    when = {"created_at__gte": since} if since else {}
    by = {"author_id__in": actor_ids} if actor_ids is not None else {}
    replies = (
        Comment.objects.filter(**visible, **when, **by, post__removed_at__isnull=True)
        .alias(replied_to=Coalesce("parent__author_id", "post__author_id"))
        .exclude(replied_to=F("author_id"))
        .values(actor=F("author_id"), target=F("replied_to"), happened=F("created_at"))
        .order_by()
    )
    parts: list[tuple[str, Sequence[Any]]] = [
        replies.query.sql_with_params(),
        _mentions_sql(since=since, actor_ids=actor_ids),
    ]
    return " UNION ALL ".join(f"SELECT * FROM ({sql}) AS part{n}" for n, (sql, _) in enumerate(parts)), [
        p for _, params in parts for p in params
    ]


# PostgreSQL's regular expressions for feed.mentions.MENTION (its lookbehind and classes are the same).
_MENTION_SQL = r"(?<![\w@/])@([a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?)"


def _mentions_sql(*, since: datetime | None, actor_ids: list[int] | None) -> tuple[str, list]:
    """(actor_id, target_id, at) of each @mention: PostgreSQL finds them with a regular expression in the
    statement; on SQLite (the laptop demo) they are found in Python, in two reads, and given as values."""
    if connection.vendor != "postgresql":
        return _mentions_values(since=since, actor_ids=actor_ids)
    tables = {"post": Post._meta.db_table, "comment": Comment._meta.db_table}
    where = ["w.removed_at IS NULL", "w.held_at IS NULL", "w.body LIKE '%%@%%'"]
    params: list[Any] = []
    if since:
        where.append("w.created_at >= %s")
        params.append(since)
    if actor_ids is not None:
        where.append("w.author_id = ANY(%s)")
        params.append(list(actor_ids))
    selects = []
    for table in tables.values():
        selects.append(
            f"SELECT w.author_id, lower(m[1]) AS handle, w.created_at FROM {table} w "  # noqa: S608 (our tables)
            f"CROSS JOIN LATERAL regexp_matches(w.body, %s, 'gi') AS m WHERE {' AND '.join(where)}"
        )
    # A handle names whoever's work email starts with it (feed.mentions.mentioned_profiles): hashed once.
    sql = (
        "SELECT DISTINCT mention.author_id AS actor, profile.id AS target, mention.created_at AS happened "
        f"FROM ({' UNION ALL '.join(selects)}) AS mention "
        f"JOIN {User._meta.db_table} u ON split_part(lower(u.email), '@', 1) = mention.handle "
        f"JOIN {Profile._meta.db_table} profile ON profile.user_id = u.id "
        "WHERE u.is_active AND profile.id <> mention.author_id"
    )
    return sql, [p for _ in tables for p in [_MENTION_SQL, *params]]


def _mentions_values(*, since: datetime | None, actor_ids: list[int] | None) -> tuple[str, list]:
    filters = {"removed_at__isnull": True, "held_at__isnull": True, "body__contains": "@"}
    if since:
        filters["created_at__gte"] = since
    if actor_ids is not None:
        filters["author_id__in"] = actor_ids
    written = [
        *Post.objects.filter(**filters).values_list("author_id", "body", "created_at"),
        *Comment.objects.filter(**filters).values_list("author_id", "body", "created_at"),
    ]
    handles = {h for _, body, _ in written for h in mentions_find(body)}
    by_handle: dict[str, list[int]] = {}
    if handles:
        for pk, email in Profile.objects.filter(user__is_active=True).values_list("pk", "user__email"):
            local = email.split("@", 1)[0].lower()
            if local in handles:
                by_handle.setdefault(local, []).append(pk)
    rows = [
        (author, target, connection.ops.adapt_datetimefield_value(at))
        for author, body, at in written
        for handle in mentions_find(body)
        for target in by_handle.get(handle, [])
        if target != author
    ]
    if not rows:
        return "SELECT NULL AS actor, NULL AS target, NULL AS happened WHERE 1 = 0", []
    return "VALUES " + ", ".join(["(%s, %s, %s)"] * len(rows)), [v for row in rows for v in row]


def interaction_month_sql(column: str) -> tuple[str, list]:
    """The calendar month (company time zone) of a timestamp column, in this database's SQL."""
    # Django 4.1+ returns (sql, params); the stubs still describe the older string.
    return connection.ops.datetime_trunc_sql(  # type: ignore[return-value]
        "month", column, [], timezone.get_current_timezone_name()
    )

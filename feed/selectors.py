"""Reads of the feed, each a fixed number of queries whatever the data size."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from taggit.models import Tag

from common.pagination import Page, keyset_cursor_at, keyset_page
from communities.models import Community
from communities.selectors import member_community_ids, readable_q
from expertise.selectors import skill_names_lowercase_of
from feed import cards
from feed.kinds import kind_cards_prefetch_related, kind_cards_select_related
from feed.models import (
    Acknowledgement,
    Comment,
    FollowPerson,
    FollowTag,
    MustRead,
    PollVote,
    Post,
    PostImage,
    PostRevision,
    PostTag,
    Reaction,
)
from moderation.protocol import Reach
from profiles.models import Profile
from profiles.selectors import people_named


def visible_posts() -> QuerySet[Post]:
    """Published: not deleted, removed or held for review. Not yet filtered for the viewer: use
    readable_posts for pages."""
    return Post.objects.filter(removed_at__isnull=True, held_at__isnull=True)


def _shown_to(viewer: Profile, *, held_too: bool = False) -> QuerySet[Post]:
    """Published posts, and the viewer's own held ones (marked pending on the card); every held post
    with `held_too` (a moderator opening one from the review queue)."""
    qs = Post.objects.filter(removed_at__isnull=True)
    return qs if held_too else qs.filter(Q(held_at__isnull=True) | Q(author=viewer))


def readable_posts(*, viewer: Profile, held_too: bool = False) -> QuerySet[Post]:
    """What this viewer may read: company posts, public groups' posts, and their own groups' posts."""
    return _shown_to(viewer, held_too=held_too).filter(
        readable_q(member_ids=member_community_ids(profile=viewer))
    )


def public_posts() -> QuerySet[Post]:
    """What everyone may read (company feed and public groups): for emails and other shared views."""
    return visible_posts().filter(readable_q(member_ids=frozenset()))


def _for_display(qs: QuerySet[Post], *, viewer: Profile) -> QuerySet[Post]:
    return (
        qs.annotate(
            # Whether a must-read's "Read and acknowledge" button is still due: an index probe per card.
            viewer_acknowledged=Exists(Acknowledgement.objects.filter(post=OuterRef("pk"), profile=viewer))
        )
        .select_related(
            "must_read",
            "author__department",
            "community",
            "best_answer__author",
            "poll",
            *kind_cards_select_related(),  # e.g. a kudos post's kudos row (feed/kinds.py)
        )
        .prefetch_related(
            Prefetch(
                "reactions", queryset=Reaction.objects.filter(profile=viewer), to_attr="viewer_reactions"
            ),
            "images",
            # Only run when the page holds a poll.
            "poll__options",
            Prefetch("poll__votes", queryset=PollVote.objects.filter(voter=viewer), to_attr="viewer_votes"),
            *kind_cards_prefetch_related(),  # e.g. a kudos post's recipients and values
        )
    )


def posts_for_display(*, ids: list[int], viewer: Profile) -> list[Post]:
    """These posts, in this order, with everything a card shows (removed ones left out)."""
    if not ids:
        return []
    by_id = {p.pk: p for p in _for_display(_shown_to(viewer).filter(pk__in=ids), viewer=viewer)}
    return [by_id[pk] for pk in ids if pk in by_id]


def post_card_rows(*, ids: list[int], viewer: Profile) -> list[tuple]:
    """What the cards of these posts show, as one row of plain values each (feed.cards.card_row_key):
    one query, no model objects (those cost most of a feed page's time when its cards are memoised).
    Removed posts are left out."""
    reaction = Reaction.objects.filter(post=OuterRef("pk"), profile=viewer).values("kind")[:1]
    images = PostImage.objects.filter(post=OuterRef("pk")).order_by("position", "id")
    image_parts = Func(
        F("id"),
        F("width"),
        F("height"),
        template="ARRAY[%(expressions)s]",
        output_field=ArrayField(IntegerField()),
    )
    return list(
        _shown_to(viewer)
        .filter(pk__in=ids)
        .annotate(
            card_reaction=Subquery(reaction),
            card_images=ArraySubquery(images.values_list(image_parts)),
            card_must_read=Exists(MustRead.objects.filter(post=OuterRef("pk"))),
        )
        .values_list(*cards.CARD_ROW_FIELDS, "card_reaction", "card_images", "card_must_read")
    )


def cards_for_display(*, ids: list[int], viewer: Profile) -> list[Post | cards.MemoCard]:
    """posts_for_display for a page that shows them with {% post_card %}: the posts whose card the
    memo (feed.cards) holds come as that card, read from one row of values each; only the others are
    built as model objects, in posts_for_display's queries."""
    if not ids:
        return []
    if connection.vendor != "postgresql":  # the rows' arrays (the demo's SQLite): every post in full
        return list(posts_for_display(ids=ids, viewer=viewer))
    now = timezone.now()
    found: dict[int, Post | cards.MemoCard] = {}
    missing = []
    for row in post_card_rows(ids=ids, viewer=viewer):
        key = cards.card_row_key(row, viewer=viewer, now=now)
        html = cards.memo_card(key) if key is not None else None
        if html is None:
            missing.append(row[0])
        else:
            load = partial(_one_for_display, row[0], viewer)
            found[row[0]] = cards.MemoCard(pk=row[0], html=html, load=load)
    if missing:
        found.update((p.pk, p) for p in posts_for_display(ids=missing, viewer=viewer))
    return [found[pk] for pk in ids if pk in found]


def _one_for_display(pk: int, viewer: Profile) -> Post | None:
    posts = posts_for_display(ids=[pk], viewer=viewer)
    return posts[0] if posts else None


@dataclass
class FeedPage(Page):
    # Posts shown above the first page: pinned announcements on Home and All company, questions
    # matching the viewer's expertise on Questions. (Posts or, with `memo`, feed.cards.MemoCard.)
    pinned: list[Post | cards.MemoCard] = field(default_factory=list)


def _feed_page(
    qs: QuerySet[Post],
    *,
    viewer: Profile,
    cursor: str | None,
    size: int,
    top_ids: Sequence[int] = (),
    memo: bool = False,
) -> FeedPage:
    """Two steps: the page's ids by keyset (a narrow query on the feed index), then the cards.

    Measured at 1,000,000 posts (bench/feed): planning the one wide query with its ten joins cost
    more than running it; the narrow one plans in a third of the time. The cards of `top_ids` (shown
    above the first page) come in the same display query, and such a post is shown once, at the top.
    With `memo` (a page that shows the posts with {% post_card %}), posts whose card the memo holds
    come as that card (cards_for_display).
    """
    page = keyset_page(
        qs.only("id", "created_at"), keys=("created_at", "id"), cursor=cursor, size=size, descending=True
    )
    top_ids = list(top_ids)
    page_ids = [p.pk for p in page.items if p.pk not in top_ids]
    display = cards_for_display if memo else posts_for_display
    shown = {p.pk: p for p in display(ids=top_ids + page_ids, viewer=viewer)}
    return FeedPage(
        items=[shown[pk] for pk in page_ids if pk in shown],
        next_cursor=page.next_cursor,
        pinned=[shown[pk] for pk in top_ids if pk in shown],
    )


def _pinned_top(*, viewer: Profile, with_pinned: bool, cursor: str | None) -> list[int]:
    return _pinned_announcement_ids(viewer=viewer) if with_pinned and cursor is None else []


def company_feed_page(
    *, viewer: Profile, cursor: str | None, size: int = 20, with_pinned: bool = False, memo: bool = False
) -> FeedPage:
    return _feed_page(
        readable_posts(viewer=viewer),
        viewer=viewer,
        cursor=cursor,
        size=size,
        top_ids=_pinned_top(viewer=viewer, with_pinned=with_pinned, cursor=cursor),
        memo=memo,
    )


def followed_ids(*, viewer: Profile) -> tuple[frozenset[int], frozenset[int]]:
    """(people, tags) the viewer follows: two small indexed queries."""
    people = frozenset(FollowPerson.objects.filter(follower=viewer).values_list("followee_id", flat=True))
    tags = frozenset(FollowTag.objects.filter(follower=viewer).values_list("tag_id", flat=True))
    return people, tags


def home_posts(*, viewer: Profile, after_id: int | None = None) -> QuerySet[Post] | None:
    """What the viewer follows: people, their groups and tags, plus their own posts.

    None when they follow no person and no tag yet: their home is then all company. With
    `after_id`, only posts created after that one (ids are handed out as posts are created).
    """
    people, tags = followed_ids(viewer=viewer)
    if not people and not tags:
        return None
    member_ids = member_community_ids(profile=viewer)
    mine = (
        Q(author_id__in=people | {viewer.pk})
        | Q(community_id__in=member_ids)
        | Q(kind=Post.Kind.ANNOUNCEMENT, community__isnull=True)  # company-wide news reaches everyone
    )
    if tags:
        tagged = PostTag.objects.filter(content_object=OuterRef("pk"), tag_id__in=tags)
        if after_id is not None:
            # PostgreSQL hashes the subquery's rows once: without this, every post ever carrying a
            # followed tag (10,000 rows, 3 ms at 1,000,000 posts) to test a handful of new posts.
            tagged = tagged.filter(content_object_id__gt=after_id)
        mine |= Q(Exists(tagged))
    qs = visible_posts().filter(readable_q(member_ids=member_ids)).filter(mine)
    return qs if after_id is None else qs.filter(pk__gt=after_id)


def home_feed_page(
    *, viewer: Profile, cursor: str | None, size: int = 20, with_pinned: bool = False, memo: bool = False
) -> FeedPage | None:
    qs = home_posts(viewer=viewer)
    if qs is None:
        return None
    top_ids = _pinned_top(viewer=viewer, with_pinned=with_pinned, cursor=cursor)
    return _feed_page(qs, viewer=viewer, cursor=cursor, size=size, top_ids=top_ids, memo=memo)


def tag_by_name(*, name: str) -> Tag | None:
    return Tag.objects.filter(name=name.lower()).first()


def tag_feed_page(
    *, viewer: Profile, tag: Tag, cursor: str | None, size: int = 20, memo: bool = False
) -> Page:
    qs = readable_posts(viewer=viewer).filter(tag_items__tag=tag)
    return _feed_page(qs, viewer=viewer, cursor=cursor, size=size, memo=memo)


def follows_person(*, viewer: Profile, person: Profile) -> bool:
    return FollowPerson.objects.filter(follower=viewer, followee=person).exists()


def follows_tag(*, viewer: Profile, tag: Tag) -> bool:
    return FollowTag.objects.filter(follower=viewer, tag=tag).exists()


def author_posts(*, viewer: Profile, author: Profile, limit: int = 10) -> list[Post]:
    return list(
        _for_display(readable_posts(viewer=viewer).filter(author=author), viewer=viewer).order_by(
            "-created_at"
        )[:limit]
    )


def authors_feed_page(
    *, viewer: Profile, author_ids: list[int], cursor: str | None, size: int = 20, memo: bool = False
) -> Page:
    """These people's posts that the viewer may read, newest first (the leadership corner)."""
    qs = readable_posts(viewer=viewer).filter(author_id__in=author_ids)
    return _feed_page(qs, viewer=viewer, cursor=cursor, size=size, memo=memo)


def followed_among(*, viewer: Profile, people_ids: list[int]) -> set[int]:
    """Which of these people the viewer follows: one query."""
    return set(
        FollowPerson.objects.filter(follower=viewer, followee_id__in=people_ids).values_list(
            "followee_id", flat=True
        )
    )


def followers_of(*, profile_ids: list[int]) -> list[tuple[int, int]]:
    """(followed, follower) for everyone following these people: one query (recognition tells them of a
    celebration)."""
    return list(
        FollowPerson.objects.filter(followee_id__in=profile_ids).values_list("followee_id", "follower_id")
    )


def post_detail(*, viewer: Profile, post_id: int, held_too: bool = False) -> Post | None:
    qs = readable_posts(viewer=viewer, held_too=held_too).filter(pk=post_id)
    return _for_display(qs, viewer=viewer).first()


def community_feed_page(
    *, viewer: Profile, community: Community, cursor: str | None, size: int = 20, memo: bool = False
) -> Page:
    """A group's own feed; the caller has checked the viewer may read the group."""
    qs = _shown_to(viewer).filter(community=community)
    return _feed_page(qs, viewer=viewer, cursor=cursor, size=size, memo=memo)


THREAD_PAGE_SIZE = 30


@dataclass
class ThreadPage(Page):
    # Not the thread's first page (a "More comments" cursor, or a link to a comment further down).
    starts_later: bool = False


def comment_thread_page(
    *,
    post: Post,
    cursor: str | None = None,
    from_comment_id: int | None = None,
    size: int = THREAD_PAGE_SIZE,
    viewer: Profile | None = None,
    held_too: bool = False,
) -> ThreadPage:
    """One page of a post's conversation: `size` top-level comments in order, each with `.thread_replies`.

    Two queries however long the thread (the top-level page on comment_thread_idx, then the page's
    replies), so a 3,000-comment post costs what a 50-comment one does. `from_comment_id` opens the
    page holding that comment's thread: the first page when it is on it, else a page starting at it
    (two more queries, only for such links). A deleted comment that has replies stays as a
    placeholder (its `removed_at` is set) so the replies keep their context; other deleted comments
    are left out.
    """
    # Held comments: their author's own (marked pending), or all of them for a moderator (`held_too`).
    shown = Q() if held_too else Q(held_at__isnull=True) | Q(author=viewer)
    top_level = Comment.objects.filter(shown, post=post, parent__isnull=True).select_related("author")
    if cursor is None and from_comment_id is not None:
        cursor = _thread_cursor_at(top_level, post=post, comment_id=from_comment_id, size=size)
    page = keyset_page(top_level, keys=("created_at", "id"), cursor=cursor, size=size, descending=False)
    replies: dict[int | None, list[Comment]] = {}
    if page.items:
        for reply in (
            Comment.objects.filter(shown, parent_id__in=[c.pk for c in page.items], removed_at__isnull=True)
            .select_related("author")
            .order_by("created_at", "id")
        ):
            replies.setdefault(reply.parent_id, []).append(reply)
    thread = []
    for row in page.items:
        row.thread_replies = replies.get(row.pk, [])
        if row.removed_at is None or row.thread_replies:
            thread.append(row)
    return ThreadPage(items=thread, next_cursor=page.next_cursor, starts_later=cursor is not None)


def _thread_cursor_at(top_level: QuerySet[Comment], *, post: Post, comment_id: int, size: int) -> str | None:
    """A cursor starting at the thread that holds the comment; None when the first page shows it."""
    anchor = (
        Comment.objects.filter(post=post, pk=comment_id)
        .values("parent__created_at", "parent_id", "created_at", "id")
        .first()
    )
    if anchor is None:
        return None
    root_at, root_id = (
        (anchor["parent__created_at"], anchor["parent_id"])
        if anchor["parent_id"]
        else (anchor["created_at"], anchor["id"])
    )
    earlier = top_level.filter(Q(created_at__lt=root_at) | Q(created_at=root_at, id__lt=root_id))
    if not earlier.values("id")[size - 1 : size].exists():
        return None
    return keyset_cursor_at(created_at=root_at, id=root_id)


def post_revisions(*, post: Post, limit: int = 50) -> list[PostRevision]:
    """Earlier versions, newest first. Only called for posts the viewer can already see. What a moderator
    edited out is not among them (moderators read it on the case page)."""
    return list(post.revisions.filter(moderator_only=False).order_by("-replaced_at")[:limit])


def post_history(*, object_id: int, limit: int = 50) -> list[tuple[datetime, str]]:
    """For moderation's case page: what the post said before each edit, oldest first."""
    rows = PostRevision.objects.filter(post_id=object_id).order_by("-replaced_at")[:limit]
    return [(r.written_at, r.body) for r in reversed(rows)]


def post_moderation_reach(post: Post) -> Reach:
    """For moderation's queue: a group's post reaches its members; any other, the whole company."""
    if post.community_id is None:
        return Reach(audience=None)
    community = Community.objects.only("name", "member_count").get(pk=post.community_id)
    return Reach(audience=community.member_count, group_id=community.pk, group_name=community.name)


def comment_moderation_reach(comment: Comment) -> Reach:
    """A comment reaches whoever reads its post."""
    community = (
        Community.objects.filter(posts=comment.post_id).only("name", "member_count").first()
    )  # one query: the post's group, if any
    if community is None:
        return Reach(audience=None)
    return Reach(audience=community.member_count, group_id=community.pk, group_name=community.name)


def author_recent_posts(*, viewer: Profile, author: Profile, limit: int = 5) -> list[Post]:
    """An author's latest posts that this viewer may read, for the author's profile page.

    Lighter than author_posts: the profile shows excerpts and links, not reactions or kudos cards.
    Served by post_author_idx; a private group's posts show only to its members.
    """
    return list(readable_posts(viewer=viewer).filter(author=author).order_by("-created_at", "-id")[:limit])


def posts_newer_than_count(*, viewer: Profile, post_id: int, home: bool = False, cap: int = 99) -> int:
    """How many posts of the viewer's feed (home, or all they may read) arrived after `post_id`.

    Ids are handed out as posts are created, so the newer posts are a range of the primary key:
    the scan reads only them (stopping at `cap` matches), whatever the size of the table.
    """
    qs = home_posts(viewer=viewer, after_id=post_id) if home else None
    if qs is None:  # not `or`: a queryset's truth value runs it, fetching the whole Home feed
        qs = readable_posts(viewer=viewer).filter(pk__gt=post_id)
    return qs.order_by()[:cap].count()


def post_readable(*, object_id: int, viewer: Profile) -> bool:
    return readable_posts(viewer=viewer).filter(pk=object_id).exists()


def comment_readable(*, object_id: int, viewer: Profile) -> bool:
    member_ids = member_community_ids(profile=viewer)
    return Comment.objects.filter(
        readable_q(member_ids=member_ids, prefix="post__community"),
        pk=object_id,
        held_at__isnull=True,
        post__removed_at__isnull=True,
        post__held_at__isnull=True,
    ).exists()


def _open_questions(*, viewer: Profile) -> QuerySet[Post]:
    return readable_posts(viewer=viewer).filter(kind=Post.Kind.QUESTION, best_answer__isnull=True)


def open_questions_page(
    *, viewer: Profile, cursor: str | None, size: int = 20, with_expertise: bool = False, memo: bool = False
) -> FeedPage:
    """Open questions, newest first; on the first page, those matching the viewer's skills on top
    (in `pinned`)."""
    questions = _open_questions(viewer=viewer)  # the viewer's groups read once, for both queries
    top_ids = _expertise_question_ids(questions, viewer=viewer) if with_expertise and cursor is None else []
    return _feed_page(questions, viewer=viewer, cursor=cursor, size=size, top_ids=top_ids, memo=memo)


def _expertise_question_ids(questions: QuerySet[Post], *, viewer: Profile, limit: int = 5) -> list[int]:
    """Those of `questions` tagged with a skill the viewer lists, newest first: one query.

    The viewer's skills come from expertise's selector, as a subquery. Ids only: with the display
    joins in the same query the planner joined every open question before testing its tags (30 ms
    at 1,000,000 posts, bench/feed).
    """
    skill_names = skill_names_lowercase_of(profile=viewer)
    return list(
        questions.filter(
            Exists(PostTag.objects.filter(content_object=OuterRef("pk"), tag__name__in=skill_names))
        )
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)[:limit]
    )


def answer_choosable_by(*, post: Post, viewer: Profile) -> bool:
    """Whoever asked, or an admin of the question's group, chooses its best answer."""
    if not post.is_question:
        return False
    if post.author_id == viewer.pk:
        return True
    return (
        post.community is not None  # no query when the post is in no group
        and post.community.memberships.filter(profile=viewer, role="admin").exists()
    )


def _pinned_announcement_ids(*, viewer: Profile, limit: int = 3) -> list[int]:
    """Pinned announcements, and must-reads the viewer has not acknowledged yet, newest first.

    One query, a UNION of two small arms: post_pinned_idx, and the must-read table (a few rows a
    month). On most days it finds nothing and the page pays one small query."""
    now = timezone.now()
    pinned = (
        visible_posts()
        .filter(kind=Post.Kind.ANNOUNCEMENT, community__isnull=True, pinned_until__gt=now)
        .order_by("-pinned_until", "-id")
        .values_list("id", flat=True)[:limit]
    )
    acknowledged = Acknowledgement.objects.filter(post_id=OuterRef("post_id"), profile=viewer)
    unread = (
        MustRead.objects.filter(~Exists(acknowledged), ask_until__gt=now, post__removed_at__isnull=True)
        .order_by("-post_id")
        .values_list("post_id", flat=True)[:limit]
    )
    if not connection.features.supports_slicing_ordering_in_compound:
        # SQLite (make run's demo) refuses LIMIT inside a UNION: two queries there.
        return sorted(set(pinned) | set(unread), reverse=True)
    return sorted(set(pinned.union(unread)), reverse=True)


def announcement_reach(*, post: Post) -> dict:
    """How many of the audience (everyone active) have had it on screen."""
    seen = post.views.filter(profile__user__is_active=True).count()
    audience = Profile.objects.filter(user__is_active=True).count()
    return {"seen": seen, "audience": audience, "percent": round(100 * seen / audience) if audience else 0}


@dataclass
class MentionCandidate:
    """A colleague offered by @mention autocomplete, with the handle that feed.mentions resolves back
    to them (the local part of their email)."""

    person: Profile
    handle: str


def mention_candidates(*, query: str, limit: int = 8) -> list[MentionCandidate]:
    """For @mention autocomplete: active colleagues whose name (any word of it) or email starts with
    what was typed after "@". One query; fewer than two characters match nobody, to keep lists useful.
    """
    query = query.strip().lstrip("@")
    if len(query) < 2:
        return []
    name = Q(display_name__istartswith=query) | Q(display_name__icontains=f" {query}")
    people = people_named(name=name, email_prefix=query, limit=limit)
    return [MentionCandidate(person=p, handle=p.user.email.split("@", 1)[0].lower()) for p in people]


def post_image(*, post: Post, image_id: int) -> PostImage | None:
    """One of this post's pictures; the caller has checked the viewer may read the post."""
    return PostImage.objects.filter(pk=image_id, post=post).first()


def _own_posts_up() -> QuerySet[Post]:
    # Kudos posts aside, and celebrations, which Hive writes in their name.
    return Post.objects.filter(removed_at__isnull=True, held_at__isnull=True).exclude(
        kind__in=[Post.Kind.KUDOS, Post.Kind.CELEBRATION]
    )


def post_counts_of(*, profile_ids: list[int]) -> dict[int, int]:
    """How many posts each of these people wrote that are up (as post_counts_among counts them); people
    without any are left out. One aggregate query (recognition's badges, right after a kudos)."""
    return dict(
        _own_posts_up()
        .filter(author_id__in=profile_ids)
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )


def best_answer_counts_of(*, profile_ids: list[int]) -> dict[int, int]:
    """How many answers of each of these people were chosen as the best (as best_answer_counts_among counts
    them); people without any are left out. One aggregate query."""
    return dict(
        Post.objects.filter(
            best_answer__isnull=False,
            removed_at__isnull=True,
            best_answer__removed_at__isnull=True,
            best_answer__author_id__in=profile_ids,
        )
        .values("best_answer__author_id")
        .annotate(n=Count("id"))
        .values_list("best_answer__author_id", "n")
    )


def post_counts_among(*, profile_ids: list[int] | None, minimum: int) -> set[int]:
    """People (among these, or anyone) with at least `minimum` posts they wrote that are up (kudos posts
    aside, and celebrations, which Hive writes in their name): one aggregate query (recognition's badges)."""
    qs = _own_posts_up()
    if profile_ids is not None:
        qs = qs.filter(author_id__in=profile_ids)
    return set(
        qs.values("author_id")
        .annotate(n=Count("id"))
        .filter(n__gte=minimum)
        .values_list("author_id", flat=True)
    )


def best_answer_counts_among(*, profile_ids: list[int] | None, minimum: int) -> set[int]:
    """People (among these, or anyone) with at least `minimum` answers chosen as the best, on questions
    that are up: one aggregate query (recognition's badges)."""
    qs = Post.objects.filter(
        best_answer__isnull=False, removed_at__isnull=True, best_answer__removed_at__isnull=True
    )
    if profile_ids is not None:
        qs = qs.filter(best_answer__author_id__in=profile_ids)
    return set(
        qs.values("best_answer__author_id")
        .annotate(n=Count("id"))
        .filter(n__gte=minimum)
        .values_list("best_answer__author_id", flat=True)
    )


def answerers_of(*, asker_id: int, since: datetime, limit: int = 10) -> list[tuple[int, int, bool]]:
    """People who recently answered this person's questions, as (profile id, question id, chosen as the
    best), the chosen answers first, then the most recent: one query (recognition suggests kudos)."""
    rows = (
        Comment.objects.filter(
            post__author_id=asker_id,
            post__kind=Post.Kind.QUESTION,
            post__removed_at__isnull=True,
            removed_at__isnull=True,
            held_at__isnull=True,
            created_at__gte=since,
        )
        .exclude(author_id=asker_id)
        .annotate(rank=Case(When(post__best_answer=F("pk"), then=Value(0)), default=Value(1)))
        .order_by("rank", "-created_at")
        .values_list("author_id", "post_id", "rank")[: limit * 3]
    )
    seen: dict[int, tuple[int, int, bool]] = {}
    for author_id, post_id, rank in rows:
        seen.setdefault(author_id, (author_id, post_id, rank == 0))
    return list(seen.values())[:limit]

"""Post cards rendered once and reused, per process: rendering them was most of a feed page's time.

Measured on the feed bench (bench/http/run.py --pages), a card cost 1-3 ms of Django template work
(variable look-ups, includes, URL reversing, Markdown) against well under 0.1 ms to look it up here.

A card's HTML is a function of what it shows, so the memo's key is those values themselves: the
post's own fields and counts, its author, group, pictures and chosen answer, the viewer's reaction,
whether the viewer wrote it, and how long ago it was posted as the card words it. An edit, a new
reaction, a renamed author or the passing of time gives a new key, and the old entry ages out of the
least-recently-used memo: there is nothing to invalidate and nothing can be served stale. The two
values that differ per request, the CSRF token and the page's path (the reaction form's "next"),
are rendered as markers and put in on the way out.

A feed page's display read (feed.selectors.cards_for_display) looks its cards up from one row of
plain values per post (card_row_key gives card_key's very key): a card the memo holds comes as a
MemoCard (its HTML), and only the others are built as model objects, which was most of what a page
with every card memoised still spent (bench/http/README.md).

Cards whose content is not all in that key are rendered every time: a kind with a card part from
another app (a kudos: feed/kinds.py), a poll (votes) and a must-read announcement (the viewer's
acknowledgement).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from django.template import Context
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.templatetags.hive_time import ago
from feed.kinds import kind_card_template
from feed.models import Comment, Post
from moderation.selectors import request_clause_choices
from profiles.models import Profile

TEMPLATE = "feed/_post.html"
COMMENT_TEMPLATE = "feed/_comment.html"
# About 2-4 KB a card or comment: a few MB per process for the cards of the posts people are reading now.
MEMO_SIZE = 2000
# Rendered in place of the per-request values; plain letters, so escaping leaves them as they are.
CSRF_MARK = "hivecardcsrfmark"
NEXT_MARK = "hivecardnextmark"

_memo: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def _must_read(post: Post) -> bool:
    try:
        post.must_read  # noqa: B018 - a reverse one-to-one: raises when there is none
    except Post.must_read.RelatedObjectDoesNotExist:
        return False
    return True


def _person(person: Profile) -> tuple:
    department = person.department.name if person.department is not None else None
    return (person.pk, person.display_name, person.photo.name, department)


def card_key(post: Post, *, viewer: Profile | None, now: datetime | None = None) -> tuple | None:
    """Everything feed/_post.html shows for this post and viewer; None for a card rendered each time."""
    if post.kind == Post.Kind.POLL or kind_card_template(post.kind) or _must_read(post):
        return None
    community = post.community
    best = post.best_answer
    reactions = getattr(post, "viewer_reactions", None)
    return _key(
        post.pk,
        post.kind,
        post.body,
        post.created_at,
        post.edited_at,
        post.held_at,
        post.author_id,
        viewer.pk if viewer else None,
        post.reaction_count,
        post.comment_count,
        reactions[0].kind if reactions else None,
        _person(post.author),
        (community.pk, community.name, community.slug) if community else None,
        (best.pk, best.author.display_name) if best else None,
        tuple((p.pk, p.width, p.height) for p in post.images.all()),
        now,
    )


def _key(
    pk, kind, body, created_at, edited_at, held_at, author_id, viewer_id, reactions, comments, mine, person,
    community, best, images, now,
) -> tuple:  # fmt: skip
    return (
        pk,
        kind,
        body,
        created_at,
        ago(created_at, now),
        edited_at is not None,
        held_at is not None and author_id == viewer_id,
        held_at is not None,
        reactions,
        comments,
        mine,
        person,
        community,
        best,
        images,
    )


# What card_row_key reads of a post, in this order: one row per post (feed.selectors.post_card_rows).
CARD_ROW_FIELDS = (
    "id", "kind", "body", "created_at", "edited_at", "held_at", "author_id", "reaction_count",
    "comment_count", "author__display_name", "author__photo", "author__department__name",
    "community_id", "community__name", "community__slug", "best_answer_id",
    "best_answer__author__display_name",
)  # fmt: skip


def card_row_key(row: tuple, *, viewer: Profile, now: datetime) -> tuple | None:
    """card_key from a post's row (CARD_ROW_FIELDS, then the viewer's reaction, the pictures as
    (id, width, height) and whether it is a must-read) rather than its model objects."""
    (
        pk, kind, body, created_at, edited_at, held_at, author_id, reactions, comments, name, photo,
        department, community_id, community_name, community_slug, best_id, best_name, mine, images,
        must_read,
    ) = row  # fmt: skip
    if kind == Post.Kind.POLL or kind_card_template(kind) or must_read:
        return None
    return _key(
        pk,
        kind,
        body,
        created_at,
        edited_at,
        held_at,
        author_id,
        viewer.pk,
        reactions,
        comments,
        mine,
        (author_id, name, photo, department),
        (community_id, community_name, community_slug) if community_id is not None else None,
        (best_id, best_name) if best_id is not None else None,
        tuple(tuple(image) for image in images or ()),
        now,
    )


class MemoCard:
    """A post whose card the memo held when the page was read: its HTML, without the post's objects."""

    __slots__ = ("html", "load", "pk")

    def __init__(self, *, pk: int, html: str, load: Callable[[], Post | None]) -> None:
        self.pk = pk
        self.html = html
        self.load = load  # the post with its display objects, should the page render it after all

    @property
    def id(self) -> int:
        return self.pk


def memo_card(key: tuple) -> str | None:
    """The rendered card under this card_key (feed/_post.html), if the memo holds it."""
    found = (TEMPLATE, *key)
    with _lock:
        html = _memo.get(found)
        if html is not None:
            _memo.move_to_end(found)
    return html


def card_render(context: Context, post: Post | MemoCard) -> SafeString:
    """The card of `post` in this template context (a page's), from the memo when it holds it."""
    if isinstance(post, MemoCard):
        request, csrf_token = context.get("request"), context.get("csrf_token")
        if request is not None and csrf_token not in (None, CSRF_MARK) and str(csrf_token) != "NOTPROVIDED":
            return _filled(post.html, csrf_token=csrf_token, request=request)
        loaded = post.load()  # a page rendered without a request's CSRF token: rendered in full
        if loaded is None:
            return mark_safe("")  # gone since the page was read
        post = loaded
    return _memo_render(
        context, TEMPLATE, {"post": post}, key=lambda: card_key(post, viewer=context.get("viewer"))
    )


def comment_key(context: Context, comment: Comment, *, reply: bool) -> tuple | None:
    """Everything feed/_comment.html shows for this comment (and its replies) on this page."""
    post, viewer = context.get("post"), context.get("viewer")
    if post is None or viewer is None:
        return None
    mine = viewer.pk == comment.author_id
    is_best = post.best_answer_id == comment.pk
    return (
        comment.pk,
        comment.body,
        comment.removed_at is not None,
        ago(comment.created_at),
        comment.edited_by_moderator_at is not None,
        comment.held_at is not None,
        (comment.author_id, comment.author.display_name),
        reply,
        post.pk,
        is_best,
        is_best and viewer.pk == post.author_id and not mine,
        post.is_question and bool(context.get("can_choose_answer")) and not reply,
        mine,
        # The flag form under someone else's comment lists the guidelines' clauses.
        None if mine else tuple(request_clause_choices(context.get("request"))),
        # A top-level comment's card holds its replies (selectors.comment_thread_page sets them).
        None if reply else tuple(comment_key(context, child, reply=True) for child in comment.thread_replies),  # type: ignore[attr-defined]
    )


def comment_render(context: Context, comment: Comment, *, reply: bool = False) -> SafeString:
    """A comment of a post's page, with its replies, as feed/_comment.html renders it."""
    return _memo_render(
        context,
        COMMENT_TEMPLATE,
        {"comment": comment, "reply": reply},
        key=lambda: comment_key(context, comment, reply=reply),
    )


def _memo_render(context: Context, name: str, values: dict, *, key: Callable[[], tuple | None]) -> SafeString:
    assert context.template is not None  # a tag's context is always a template's
    template = context.template.engine.get_template(name)
    csrf_token = context.get("csrf_token")
    if csrf_token == CSRF_MARK:  # inside a card being rendered for the memo: its markers stay
        with context.push(**values):
            return template.render(context)
    request = context.get("request")
    found = None
    if request is not None and csrf_token is not None and str(csrf_token) != "NOTPROVIDED":
        found = key()
    if request is None or found is None:
        with context.push(**values):
            return template.render(context)
    found = (name, *found)
    with _lock:
        html = _memo.get(found)
        if html is not None:
            _memo.move_to_end(found)
    if html is None:
        with context.push(**values, csrf_token=CSRF_MARK, next_path=NEXT_MARK):
            html = str(template.render(context))
        with _lock:
            _memo[found] = html
            if len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    return _filled(html, csrf_token=csrf_token, request=request)


def _filled(html: str, *, csrf_token, request) -> SafeString:
    html = html.replace(CSRF_MARK, str(csrf_token)).replace(NEXT_MARK, escape(request.get_full_path()))
    return mark_safe(html)  # noqa: S308 - rendered by the template; the path is escaped just above


def memo_clear() -> None:
    with _lock:
        _memo.clear()

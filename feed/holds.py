"""Posts and comments held for review: the automatic rules' verdict on what someone writes, and the
publishing that waits for a moderator's approval.

A held post or comment is saved with `held_at` set: its author sees it, marked pending; nobody else
does, and nothing is announced (no @mention or reply notification, no live "new posts" prompt, no
comment count). When a moderator keeps its case, `post_release` / `comment_release` publish it and
send then what creating it would have sent. Registered with moderation in FeedConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from feed import live as feed_live
from feed import notify as feed_notify
from feed.models import Comment, Post, PostTag
from moderation import rules
from moderation.ratelimit import is_exempt, policy_current
from moderation.rules_models import RuleAction
from profiles.models import Profile


@dataclass
class Screening:
    """What the rules said about a text about to be saved (a block has already raised)."""

    hits: list[rules.Hit] = field(default_factory=list)
    held: bool = False
    notice: str = ""  # for the author, when held

    def apply(self, content: Post | Comment) -> None:
        """Inside the transaction that saved `content`: what the rules caught goes to the review queue."""
        if self.hits:
            rules.rule_case_open(content=content, hits=self.hits)
        content.moderation_notice = self.notice  # type: ignore[union-attr]  # read by the view


def post_screen(*, author: Profile, body: str, kind: str, editing: bool = False) -> Screening:
    """Blocks (ValidationError), or says whether the post is held and which rules it hit. An edit is
    screened by the rules only: a new member's post was approved once already."""
    where = "kudos" if kind == Post.Kind.KUDOS else "posts"
    verdict = rules.text_check(text=body, where=where)
    screening = Screening(hits=list(verdict.hits), held=verdict.action == RuleAction.HOLD)
    what = "kudos message" if where == "kudos" else "post"
    if screening.held:
        screening.notice = verdict.author_message(what=what)
    elif not editing:
        first_held = policy_current().first_posts_held
        if first_held and not is_exempt(author.user):
            so_far = Post.objects.filter(author=author).count()  # post_author_idx
            if so_far < first_held:
                screening.hits.append(rules.new_member_hit(number=so_far + 1, of=first_held))
                screening.held = True
                screening.notice = (
                    f"Welcome! A moderator approves a new member's first {first_held} posts; only you "
                    "can see this one until then."
                )
    return screening


def comment_screen(*, body: str) -> Screening:
    verdict = rules.text_check(text=body, where="comments")
    held = verdict.action == RuleAction.HOLD
    return Screening(
        hits=list(verdict.hits), held=held, notice=verdict.author_message(what="comment") if held else ""
    )


# What other apps do when a held post of their kind is published (recognition: tell the recipients).
_published_hooks: dict[str, Callable[..., None]] = {}


def post_published_register(*, kind: str, hook: Callable[..., None]) -> None:
    """hook(post=...) runs in the transaction that publishes a held post of this kind."""
    _published_hooks[kind] = hook


def _post_tag_ids(post: Post) -> list[int]:
    return list(PostTag.objects.filter(content_object=post).values_list("tag_id", flat=True))


@transaction.atomic
def post_hold(*, object_id: int) -> None:
    """Hide a published post pending review (moderation: its flags' weights reached the threshold)."""
    post = Post.objects.select_for_update().filter(
        pk=object_id, removed_at__isnull=True, held_at__isnull=True
    )
    held = post.first()
    if held is None:
        return
    held.held_at = timezone.now()
    held.save(update_fields=["held_at"])
    feed_live.post_changed(post=held, tag_ids=_post_tag_ids(held))


@transaction.atomic
def post_release(*, object_id: int, moderator: Profile, announce: bool = True) -> None:
    """Publish a held post: it enters feeds as if posted now, and its @mentions are sent now. A post
    hidden after flags (announce=False) comes back where it was, its @mentions sent long ago."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("community", "author")
        .filter(pk=object_id, removed_at__isnull=True, held_at__isnull=False)
        .first()
    )
    if post is None:
        return
    post.held_at = None
    if not announce:
        post.save(update_fields=["held_at"])
        feed_live.post_changed(post=post, tag_ids=_post_tag_ids(post))
        return
    post.created_at = timezone.now()  # at the top of feeds, where a post just published belongs
    post.save(update_fields=["held_at", "created_at"])
    feed_notify.mentions_notify(post=post, actor=post.author, text=post.body, url=post.get_absolute_url())
    feed_live.post_changed(post=post, tag_ids=_post_tag_ids(post))
    hook = _published_hooks.get(post.kind)
    if hook is not None:
        hook(post=post)


@transaction.atomic
def comment_hold(*, object_id: int) -> None:
    comment = (
        Comment.objects.select_for_update()
        .filter(pk=object_id, removed_at__isnull=True, held_at__isnull=True)
        .first()
    )
    if comment is None:
        return
    comment.held_at = timezone.now()
    comment.save(update_fields=["held_at"])
    Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)


@transaction.atomic
def comment_release(*, object_id: int, moderator: Profile, announce: bool = True) -> None:
    """Publish a held comment: counted on its post, and its replies and @mentions announced now (unless
    it was shown before and hidden after flags: announce=False)."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("author", "post__community", "post__author", "parent__author")
        .filter(pk=object_id, removed_at__isnull=True, held_at__isnull=False)
        .first()
    )
    if comment is None:
        return
    comment.held_at = None
    comment.save(update_fields=["held_at"])
    Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") + 1)
    if announce:
        feed_notify.comment_notify(comment=comment, post=comment.post, parent=comment.parent)


def posted_message(request, content: Post | Comment, *, success: str) -> None:
    """The message after posting: `success`, or why it waits for a moderator and who can see it."""
    if content.held_at is not None:
        messages.warning(request, getattr(content, "moderation_notice", "") or HELD_NOTICE)
    else:
        messages.success(request, success)


HELD_NOTICE = "It waits for a moderator's approval; only you can see it until then."

"""Every change to the feed: posts, comments and reactions."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from taggit.models import Tag

from common import live, similar_text
from common.images import PreparedImage, image_prepare
from communities.models import Community
from communities.selectors import member_community_ids, readable_q
from feed import holds as feed_holds
from feed import live as feed_live
from feed import notify as feed_notify
from feed.already_answered import QUESTION_KIND
from feed.hashtags import hashtags_find
from feed.kinds import post_shown_changed
from feed.models import (
    AnnouncementView,
    Comment,
    FollowPerson,
    FollowTag,
    Post,
    PostImage,
    PostRevision,
    PostTag,
    Reaction,
)
from feed.selectors import answer_choosable_by
from moderation.services import audit_record, cases_withdraw, posting_check
from profiles import roles
from profiles.models import Profile


def _clean_text(body: str, *, limit: int, what: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(f"Your {what} is empty: write something first.")
    if len(body) > limit:
        raise ValidationError(f"Your {what} is {len(body)} characters long; the limit is {limit}.")
    return body


def post_body_clean(body: str) -> str:
    return _clean_text(body, limit=settings.HIVE_POST_MAX_LENGTH, what="post")


@transaction.atomic
def post_create(
    *,
    author: Profile,
    body: str,
    kind: str = Post.Kind.UPDATE,
    community: Community | None = None,
    images: list | None = None,
) -> Post:
    """A post to the company feed, or to a group the author belongs to, with up to four pictures.
    The automatic rules may refuse it (ValidationError), hold it for approval or flag it."""
    posting_check(author=author)  # moderation: not suspended
    body = post_body_clean(body)
    if community is not None and community.pk not in member_community_ids(profile=author):
        raise PermissionDenied(f"Join {community.name} to post in it.")
    prepared = _images_prepare(images or [])  # every picture checked before anything is saved
    screening = feed_holds.post_screen(author=author, body=body, kind=kind)
    post = Post.objects.create(
        author=author,
        body=body,
        kind=kind,
        community=community,
        held_at=timezone.now() if screening.held else None,
    )
    for position, picture in enumerate(prepared):
        attachment = PostImage(post=post, position=position, width=picture.width, height=picture.height)
        attachment.image.save(
            f"{secrets.token_hex(8)}.{picture.extension}", ContentFile(picture.content), save=False
        )
        attachment.save()  # a later rollback leaves the file behind, unreferenced: never served

    tag_ids = _post_tags_sync(post)
    screening.apply(post)
    if post.held_at is None:  # a held post is announced when a moderator publishes it (feed/holds.py)
        feed_notify.mentions_notify(post=post, actor=author, text=body, url=post.get_absolute_url())
        feed_live.post_changed(post=post, tag_ids=tag_ids)
    return post


def system_posts_create(*, posts: list[tuple[Profile, str]], kind: str) -> list[Post]:
    """Posts Hive writes itself about people (a birthday, a work anniversary), each in its person's name so
    their followers see it: in one insert, and not screened, since nobody typed them."""
    now = timezone.now()
    return Post.objects.bulk_create(
        [Post(author=author, body=post_body_clean(body), kind=kind, created_at=now) for author, body in posts]
    )


POST_IMAGES_MAX = 4
POST_IMAGE_SIDE = 1600


def _images_prepare(uploads: list) -> list[PreparedImage]:
    if len(uploads) > POST_IMAGES_MAX:
        raise ValidationError(f"Attach at most {POST_IMAGES_MAX} pictures to a post.")
    prepared = []
    for upload in uploads:
        try:
            prepared.append(
                image_prepare(upload, max_bytes=settings.HIVE_POST_IMAGE_MAX_BYTES, max_side=POST_IMAGE_SIDE)
            )
        except ValidationError as exc:
            raise ValidationError(f"{upload.name}: {' '.join(exc.messages)}") from exc
    return prepared


def _post_tags_sync(post: Post) -> list[int]:
    """The post's tags are exactly the #tags in its body; returns their ids."""
    names = hashtags_find(post.body)
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    tags = [existing.get(name) or Tag.objects.create(name=name) for name in names]
    post.tags.set(tags, clear=True)
    return [t.pk for t in tags]


def _post_tag_ids(post: Post) -> list[int]:
    return list(PostTag.objects.filter(content_object=post).values_list("tag_id", flat=True))


def readable_post_for_update(*, post_id: int, viewer: Profile) -> Post:
    """Lock the post someone comments on or reacts to; a private group's post is 'gone' to outsiders."""
    post = (
        # of=self: the group is outer-joined for the check, and PostgreSQL locks no outer join.
        Post.objects.select_for_update(of=("self",))
        .filter(readable_q(member_ids=member_community_ids(profile=viewer)))
        .filter(Q(held_at__isnull=True) | Q(author=viewer))  # a held post is its author's alone
        .filter(pk=post_id, removed_at__isnull=True)
        .first()
    )
    if post is None:
        raise ValidationError("That post no longer exists.")
    return post


def _own_visible_post(*, post_id: int, actor: Profile) -> Post:
    post = Post.objects.select_for_update().filter(pk=post_id, removed_at__isnull=True).first()
    if post is None:
        raise ValidationError("That post no longer exists.")
    if post.author_id != actor.pk:
        raise PermissionDenied("You can only change your own posts.")
    return post


@transaction.atomic
def post_edit(*, post_id: int, editor: Profile, body: str) -> Post:
    post = _own_visible_post(post_id=post_id, actor=editor)
    if post.kind != Post.Kind.UPDATE:
        raise ValidationError("Kudos can't be edited once given.")
    body = post_body_clean(body)
    if body == post.body:
        return post  # nothing changed: no "edited" mark, no revision
    # An edit cannot slip past the rules: refused, held again (hidden until approved) or flagged.
    screening = feed_holds.post_screen(author=editor, body=body, kind=post.kind, editing=True)
    now = timezone.now()
    PostRevision.objects.create(
        post=post, body=post.body, written_at=post.edited_at or post.created_at, replaced_at=now
    )
    if post.held_at is None and not screening.held:
        feed_notify.mentions_notify(
            post=post, actor=editor, text=body, url=post.get_absolute_url(), previous_text=post.body
        )
    post.body = body
    post.edited_at = now
    if screening.held and post.held_at is None:
        post.held_at = now
        feed_live.post_changed(post=post, tag_ids=_post_tag_ids(post))
    post.save(update_fields=["body", "edited_at", "held_at"])
    screening.apply(post)
    before = _post_tag_ids(post)
    after = _post_tags_sync(post)
    if set(before) != set(after):  # a tag added or dropped moves the post into or out of some feeds
        feed_live.post_changed(post=post, tag_ids=sorted(set(before) | set(after)))
    return post


ANNOUNCEMENT_MAX_PIN_DAYS = 30


@transaction.atomic
def announcement_create(
    *,
    author: Profile,
    body: str,
    pinned_days: int = 0,
    must_read: bool = False,
    compliance: bool = False,
    remind_after_days: int = 3,
) -> Post:
    """A company-wide announcement, only from Communications or Leadership, pinned for a while;
    a must-read one asks everyone to acknowledge it (feed/acknowledgements.py)."""
    if not roles.can_announce(author.user):
        raise PermissionDenied("Only the Communications and Leadership groups can make announcements.")
    if not 0 <= pinned_days <= ANNOUNCEMENT_MAX_PIN_DAYS:
        raise ValidationError(f"Pin an announcement for 0 to {ANNOUNCEMENT_MAX_PIN_DAYS} days.")
    post = post_create(author=author, body=body, kind=Post.Kind.ANNOUNCEMENT)
    if pinned_days:
        post.pinned_until = post.created_at + timedelta(days=pinned_days)
        post.save(update_fields=["pinned_until"])
    if must_read or compliance:  # a compliance announcement is always a must-read
        from feed.acknowledgements import must_read_set  # it imports this module

        must_read_set(post=post, compliance=compliance, remind_after_days=remind_after_days)
    return post


def announcements_seen(*, viewer: Profile, post_ids: list[int]) -> None:
    """Record that these announcements were on the viewer's screen (once each, ever)."""
    if post_ids:
        AnnouncementView.objects.bulk_create(
            [AnnouncementView(post_id=pk, profile=viewer) for pk in post_ids], ignore_conflicts=True
        )


@transaction.atomic
def answer_mark(*, post_id: int, comment_id: int | None, actor: Profile) -> Post:
    """The question's author (or an admin of its group) marks the best answer, or clears it (None)."""
    post = readable_post_for_update(post_id=post_id, viewer=actor)
    if not post.is_question:
        raise ValidationError("Only a question has a best answer.")
    if not answer_choosable_by(post=post, viewer=actor):
        raise PermissionDenied("Only whoever asked (or an admin of the group) chooses the best answer.")
    comment = None
    if comment_id is not None:
        comment = Comment.objects.filter(pk=comment_id, post=post, removed_at__isnull=True).first()
        if comment is None:
            raise ValidationError("That answer no longer exists.")
    answered_before = post.best_answer_id is not None
    post.best_answer = comment
    post.save(update_fields=["best_answer"])
    if answered_before != (comment is not None):
        # "Already answered?" finds by meaning only answered questions (feed.already_answered): the
        # question's vector is computed once it has an answer, and forgotten once it has none.
        similar_text.vectors_compute_after_commit(kind=QUESTION_KIND, object_id=post.pk)
    if comment is not None:
        feed_notify.answer_notify(post=post, answer=comment, actor=actor)
    return post


def _is_group_admin(*, post: Post, profile: Profile) -> bool:
    return (
        post.community is not None  # no query when the post is in no group
        and post.community.memberships.filter(profile=profile, role="admin").exists()
    )


@transaction.atomic
def post_delete(*, post_id: int, actor: Profile) -> Post:
    """The author's delete hides the post; the row stays for moderation and the audit trail."""
    post = _own_visible_post(post_id=post_id, actor=actor)
    post.removed_at = timezone.now()
    post.removed_by = actor
    post.save(update_fields=["removed_at", "removed_by"])
    post_shown_changed(post=post, shown=False)
    feed_live.post_changed(post=post, tag_ids=_post_tag_ids(post))
    audit_record(actor=actor, action="post.delete", target=post)
    cases_withdraw(content=post, author=actor)
    return post


# Called by moderation (registered in FeedConfig.ready) when a moderator removes flagged content.


@transaction.atomic
def post_remove_by_moderator(*, object_id: int, moderator: Profile, at) -> None:
    post = Post.objects.select_for_update().filter(pk=object_id, removed_at__isnull=True).first()
    if post is None:
        return
    post.removed_at = at
    post.removed_by = moderator
    post.save(update_fields=["removed_at", "removed_by"])
    post_shown_changed(post=post, shown=False)
    feed_live.post_changed(post=post, tag_ids=_post_tag_ids(post))


@transaction.atomic
def comment_remove_by_moderator(*, object_id: int, moderator: Profile, at) -> None:
    comment = Comment.objects.select_for_update().filter(pk=object_id, removed_at__isnull=True).first()
    if comment is None:
        return
    comment.removed_at = at
    comment.removed_by = moderator
    comment.save(update_fields=["removed_at", "removed_by"])
    # The thread no longer shows it, so the count on the post must not either (a held one never counted).
    if comment.held_at is None:
        Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)


@transaction.atomic
def post_edit_by_moderator(*, object_id: int, moderator: Profile, text: str) -> str:
    """A moderator's edit (a decision on a case, which records the reason): the earlier versions stay,
    for moderators only, and the post shows as edited. Returns the text it replaced."""
    post = Post.objects.select_for_update().filter(pk=object_id, removed_at__isnull=True).first()
    if post is None:
        raise ValidationError("That post is gone: remove or keep it instead.")
    if post.kind == Post.Kind.KUDOS:
        raise ValidationError("A kudos message can't be edited: keep or remove it.")
    body = post_body_clean(text)
    if body == post.body:
        raise ValidationError("The text is unchanged: edit it, or choose another decision.")
    before = post.body
    now = timezone.now()
    PostRevision.objects.filter(post=post).update(moderator_only=True)
    PostRevision.objects.create(
        post=post,
        body=before,
        written_at=post.edited_at or post.created_at,
        replaced_at=now,
        moderator_only=True,
        by_moderator=True,
    )
    post.body = body
    post.edited_at = now
    post.save(update_fields=["body", "edited_at"])
    before_tags = _post_tag_ids(post)
    after_tags = _post_tags_sync(post)
    feed_live.post_changed(post=post, tag_ids=sorted(set(before_tags) | set(after_tags)))
    return before


@transaction.atomic
def comment_edit_by_moderator(*, object_id: int, moderator: Profile, text: str) -> str:
    """A moderator's edit of a comment (the case keeps the text it replaced). Returns that text."""
    comment = Comment.objects.select_for_update().filter(pk=object_id, removed_at__isnull=True).first()
    if comment is None:
        raise ValidationError("That comment is gone: remove or keep it instead.")
    body = _clean_text(text, limit=settings.HIVE_COMMENT_MAX_LENGTH, what="comment")
    if body == comment.body:
        raise ValidationError("The text is unchanged: edit it, or choose another decision.")
    before = comment.body
    comment.body = body
    comment.edited_by_moderator_at = timezone.now()
    comment.save(update_fields=["body", "edited_by_moderator_at"])
    return before


# Called by moderation when an appeal overturns a removal, or an admin restores: only what a moderator
# removed comes back (an author's own delete stands).


@transaction.atomic
def post_restore_by_moderator(*, object_id: int, moderator: Profile) -> None:
    post = Post.objects.select_for_update().filter(pk=object_id, removed_at__isnull=False).first()
    if post is None or post.removed_by_id == post.author_id:
        return
    post.removed_at = None
    post.removed_by = None
    post.save(update_fields=["removed_at", "removed_by"])
    post_shown_changed(post=post, shown=True)
    feed_live.post_changed(post=post, tag_ids=_post_tag_ids(post))


@transaction.atomic
def comment_restore_by_moderator(*, object_id: int, moderator: Profile) -> None:
    comment = Comment.objects.select_for_update().filter(pk=object_id, removed_at__isnull=False).first()
    if comment is None or comment.removed_by_id == comment.author_id:
        return
    comment.removed_at = None
    comment.removed_by = None
    comment.save(update_fields=["removed_at", "removed_by"])
    if comment.held_at is None:  # a held comment is counted when published
        Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") + 1)


@transaction.atomic
def comment_create(*, post_id: int, author: Profile, body: str, parent_id: int | None = None) -> Comment:
    """A comment on a post, or a reply to one of its top-level comments (one level deep)."""
    posting_check(author=author)  # moderation: not suspended
    body = _clean_text(body, limit=settings.HIVE_COMMENT_MAX_LENGTH, what="comment")
    post = readable_post_for_update(post_id=post_id, viewer=author)
    parent = None
    if parent_id is not None:
        parent = (
            Comment.objects.select_related("author", "parent__author")
            .filter(pk=parent_id, post_id=post_id, removed_at__isnull=True)
            .first()
        )
        if parent is None:
            raise ValidationError("The comment you replied to no longer exists.")
        if parent.parent_id is not None:
            parent = parent.parent  # a reply to a reply joins the same thread
    screening = feed_holds.comment_screen(body=body)  # the rules may refuse, hold or flag it
    if screening.held:  # counted and announced when a moderator publishes it (feed/holds.py)
        comment = Comment.objects.create(
            post=post, parent=parent, author=author, body=body, held_at=timezone.now()
        )
    else:
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        comment = Comment.objects.create(post=post, parent=parent, author=author, body=body)
        feed_notify.comment_notify(comment=comment, post=post, parent=parent)
    screening.apply(comment)
    return comment


@transaction.atomic
def comment_delete(*, comment_id: int, actor: Profile) -> Comment:
    """The author's delete hides the comment (replies to it stay); the row stays for the record."""
    comment = Comment.objects.select_for_update().filter(pk=comment_id, removed_at__isnull=True).first()
    if comment is None:
        raise ValidationError("That comment no longer exists.")
    if comment.author_id != actor.pk:
        raise PermissionDenied("You can only delete your own comments.")
    comment.removed_at = timezone.now()
    comment.removed_by = actor
    comment.save(update_fields=["removed_at", "removed_by"])
    if comment.held_at is None:  # a held comment was never counted
        Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)
    audit_record(actor=actor, action="comment.delete", target=comment)
    cases_withdraw(content=comment, author=actor)
    return comment


@transaction.atomic
def reaction_toggle(*, post_id: int, profile: Profile, kind: str) -> Reaction | None:
    """React with `kind`; the same kind again takes the reaction back, another kind replaces it."""
    if kind not in Reaction.Kind.values:
        raise ValidationError("Unknown reaction.")
    post = readable_post_for_update(post_id=post_id, viewer=profile)
    existing = Reaction.objects.filter(post=post, profile=profile).first()
    if existing and existing.kind == kind:
        existing.delete()
        Post.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") - 1)
        return None
    if existing:
        existing.kind = kind
        existing.created_at = timezone.now()
        existing.save(update_fields=["kind", "created_at"])
        return existing
    Post.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") + 1)
    reaction = Reaction.objects.create(post=post, profile=profile, kind=kind)
    feed_notify.reaction_notify(post=post, actor=profile, label=reaction.get_kind_display())
    return reaction


# --- Following -------------------------------------------------------------------------------


@transaction.atomic
def follow_person_toggle(*, follower: Profile, followee: Profile) -> bool:
    """Follow, or stop following; returns whether `follower` now follows `followee`."""
    if follower.pk == followee.pk:
        raise ValidationError("You can't follow yourself.")
    deleted, _ = FollowPerson.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        live.audience_forget(user_id=follower.user_id)
        return False
    if not followee.user.is_active:
        raise ValidationError(f"{followee.display_name} no longer works here.")
    FollowPerson.objects.get_or_create(follower=follower, followee=followee)
    live.audience_forget(user_id=follower.user_id)
    return True


@transaction.atomic
def follow_people_set(*, follower: Profile, followees: list[Profile], follow: bool) -> int:
    """Follow (or stop following) several people at once, such as the leadership team; returns how
    many follows this added or removed. Oneself and people who left are skipped."""
    ids = [p.pk for p in followees if p.pk != follower.pk and p.user.is_active]
    existing = FollowPerson.objects.filter(follower=follower, followee_id__in=ids)
    if follow:
        before = existing.count()
        FollowPerson.objects.bulk_create(
            [FollowPerson(follower=follower, followee_id=pk) for pk in ids], ignore_conflicts=True
        )
        changed = len(ids) - before
    else:
        changed, _ = existing.delete()
    live.audience_forget(user_id=follower.user_id)
    return changed


@transaction.atomic
def follow_tag_toggle(*, follower: Profile, tag: Tag) -> bool:
    deleted, _ = FollowTag.objects.filter(follower=follower, tag=tag).delete()
    live.audience_forget(user_id=follower.user_id)
    if deleted:
        return False
    FollowTag.objects.get_or_create(follower=follower, tag=tag)
    return True

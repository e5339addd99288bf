"""What the feed tells people, written in the transaction of the event (feed.services calls these)."""

from django.utils.text import Truncator

from communities.models import Membership
from feed.mentions import mentioned_profiles, mentions_find
from feed.models import Comment, Post
from notifications.models import Kind
from notifications.services import notify
from profiles.models import Profile


def _quote(text: str) -> str:
    return "“" + Truncator(" ".join(text.split())).chars(80) + "”"


def _who_can_read(post: Post, people: list[Profile]) -> list[Profile]:
    """A private group's post is never announced to someone outside the group."""
    if post.community is None or not post.community.is_private:
        return people
    members = set(
        Membership.objects.filter(community_id=post.community.pk, profile__in=people).values_list(
            "profile_id", flat=True
        )
    )
    return [p for p in people if p.pk in members]


def mentions_notify(*, post: Post, actor: Profile, text: str, url: str, previous_text: str = "") -> None:
    """Tell people newly @mentioned in `text` (an edit does not re-announce earlier mentions)."""
    already = set(mentions_find(previous_text))
    people = [
        p for p in mentioned_profiles(text=text) if p.user.email.split("@", 1)[0].lower() not in already
    ]
    notify(
        recipients=_who_can_read(post, people),
        kind=Kind.MENTION,
        actor=actor,
        summary=f"{actor.display_name} mentioned you: {_quote(text)}",
        url=url,
    )


def comment_notify(*, comment: Comment, post: Post, parent: Comment | None) -> None:
    actor = comment.author
    url = comment.get_absolute_url()
    if parent is not None and parent.author_id != post.author_id:
        notify(
            recipients=[parent.author],
            kind=Kind.REPLY,
            actor=actor,
            summary=f"{actor.display_name} replied to your comment: {_quote(comment.body)}",
            url=url,
        )
    notify(
        recipients=[post.author],
        kind=Kind.REPLY,
        actor=actor,
        summary=f"{actor.display_name} commented on your post: {_quote(comment.body)}",
        url=url,
    )
    mentions_notify(post=post, actor=actor, text=comment.body, url=url)


def reaction_notify(*, post: Post, actor: Profile, label: str) -> None:
    notify(
        recipients=[post.author],
        kind=Kind.REACTION,
        actor=actor,
        summary=f"{actor.display_name} reacted {label} to your post {_quote(post.body)}",
        url=post.get_absolute_url(),
    )


def answer_notify(*, post: Post, answer: Comment, actor: Profile) -> None:
    notify(
        recipients=[answer.author],
        kind=Kind.ANSWER,
        actor=actor,
        summary=f"{actor.display_name} chose your answer as the best one: {_quote(answer.body)}",
        url=answer.get_absolute_url(),
    )

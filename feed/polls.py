"""Polls: creating one as a post, and voting in it (one ballot per person)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Community
from feed.models import Poll, PollOption, PollVote, Post
from feed.services import post_create, readable_post_for_update
from profiles.models import Profile

POLL_MIN_OPTIONS, POLL_MAX_OPTIONS = 2, 10
POLL_OPTION_MAX = 120


def poll_options_clean(options: list[str]) -> list[str]:
    labels = [" ".join(o.split()) for o in options if o and o.strip()]
    if len(labels) < POLL_MIN_OPTIONS:
        raise ValidationError("A poll needs at least two options.")
    if len(labels) > POLL_MAX_OPTIONS:
        raise ValidationError(f"A poll has at most {POLL_MAX_OPTIONS} options.")
    seen: set[str] = set()
    for label in labels:
        if len(label) > POLL_OPTION_MAX:
            raise ValidationError(
                f"“{label[:30]}…” is too long: an option is at most {POLL_OPTION_MAX} characters."
            )
        if label.lower() in seen:
            raise ValidationError(f"Each option must be different: “{label}” appears twice.")
        seen.add(label.lower())
    return labels


@transaction.atomic
def poll_create(
    *,
    author: Profile,
    question: str,
    options: list[str],
    closes_at,
    multiple: bool = False,
    community: Community | None = None,
) -> Post:
    labels = poll_options_clean(options)
    now = timezone.now()
    if closes_at <= now + timedelta(minutes=5):
        raise ValidationError("Choose a closing time in the future.")
    if closes_at > now + timedelta(days=365):
        raise ValidationError("A poll closes within a year.")
    post = post_create(author=author, body=question, kind=Post.Kind.POLL, community=community)
    poll = Poll.objects.create(post=post, multiple=multiple, closes_at=closes_at)
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, label=label, position=i) for i, label in enumerate(labels)]
    )
    return post


@transaction.atomic
def poll_vote(*, post_id: int, voter: Profile, option_ids: list[int]) -> Poll:
    """One ballot per person: a single option, or (multiple-choice polls) several at once."""
    post = readable_post_for_update(post_id=post_id, viewer=voter)
    poll = Poll.objects.select_for_update().filter(post=post).first()
    if poll is None:
        raise ValidationError("That post is not a poll.")
    if poll.is_closed:
        closed = timezone.localtime(poll.closes_at)
        raise ValidationError(f"This poll closed on {closed:%d %b %Y, %H:%M}; votes are no longer taken.")
    if PollVote.objects.filter(poll=poll, voter=voter).exists():
        raise ValidationError("You have already voted in this poll.")
    chosen = set(option_ids)
    if not chosen:
        raise ValidationError("Pick an option to vote.")
    if len(chosen) > 1 and not poll.multiple:
        raise ValidationError("This poll takes one choice only.")
    options = list(PollOption.objects.filter(poll=poll, pk__in=chosen))
    if len(options) != len(chosen):
        raise ValidationError("That option is not part of this poll.")
    PollVote.objects.bulk_create([PollVote(poll=poll, option=o, voter=voter) for o in options])
    PollOption.objects.filter(pk__in=chosen).update(vote_count=F("vote_count") + 1)
    Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
    return poll

"""Reads of events, each a fixed number of queries whatever the number of questions and votes."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from common.pagination import Page, keyset_page
from communities.selectors import member_community_ids, readable_q
from events.models import Event, EventPoll, Question, QuestionVote
from feed.models import Post
from feed.selectors import posts_for_display
from profiles import roles
from profiles.models import Profile

# Per list (open, answered): 20 + 20 cards keep the page under its 100 ms budget at 2,000 questions
# (bench/leaders/measure.py); the rest is one "More" link away, by cursor.
QUESTIONS_PAGE_SIZE = 20


def event_readable_q(*, member_ids: frozenset[int], prefix: str = "community") -> Q:
    """Company events, public groups' events, and the viewer's own groups' events."""
    return readable_q(member_ids=member_ids, prefix=prefix)


def _readable_events(*, viewer: Profile) -> QuerySet[Event]:
    return Event.objects.filter(event_readable_q(member_ids=member_community_ids(profile=viewer)))


def _for_display(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.select_related("community").prefetch_related(
        Prefetch("hosts", queryset=Profile.objects.select_related("department").order_by("display_name"))
    )


def can_manage(*, event: Event, viewer: Profile) -> bool:
    """Whoever scheduled it, its hosts (from the prefetched list when there is one) and Communications."""
    if viewer.pk == event.created_by_id or any(h.pk == viewer.pk for h in event.hosts.all()):
        return True
    return roles.COMMUNICATIONS in roles.user_roles(viewer.user)


def _hosted_by(qs: QuerySet[Event], host_ids: list[int] | None) -> QuerySet[Event]:
    if host_ids is None:
        return qs
    return qs.filter(pk__in=Event.hosts.through.objects.filter(profile_id__in=host_ids).values("event_id"))


def events_upcoming(*, viewer: Profile, limit: int = 30, host_ids: list[int] | None = None) -> list[Event]:
    """Live and coming events, soonest first (served by event_upcoming_idx); optionally only those
    these people host."""
    qs = _hosted_by(_readable_events(viewer=viewer), host_ids)
    return list(
        _for_display(qs)
        .filter(ends_at__gt=timezone.now(), cancelled_at__isnull=True)
        .order_by("ends_at", "starts_at", "id")[:limit]
    )


def events_past_page(
    *, viewer: Profile, cursor: str | None, size: int = 20, host_ids: list[int] | None = None
) -> Page:
    qs = _for_display(_hosted_by(_readable_events(viewer=viewer), host_ids)).filter(
        ends_at__lte=timezone.now(), cancelled_at__isnull=True
    )
    return keyset_page(qs, keys=("starts_at", "id"), cursor=cursor, size=size, descending=True)


def leaders(*, limit: int = 100) -> list[Profile]:
    """The members of the Leadership group who still work here, by name."""
    return list(
        Profile.objects.filter(user__groups__name=roles.LEADERSHIP, user__is_active=True)
        .select_related("user", "department")
        .order_by("display_name", "id")[:limit]
    )


def event_detail(*, viewer: Profile, event_id: int) -> Event | None:
    return _for_display(_readable_events(viewer=viewer).filter(pk=event_id)).first()


def event_readable(*, viewer: Profile, event_id: int) -> bool:
    return _readable_events(viewer=viewer).filter(pk=event_id).exists()


@dataclass
class QuestionLists:
    open: Page  # unanswered, most votes first
    answered: Page  # latest answer first


def _questions(qs: QuerySet[Question], *, keys: tuple[str, ...], cursor: str | None, size: int) -> Page:
    return keyset_page(
        # The author is joined for questions asked with a name; an anonymous one's is never handed
        # to a template (shown_author below).
        qs.select_related("author__department", "answered_by"),
        keys=keys,
        cursor=cursor,
        size=size,
        descending=True,
    )


def event_questions(
    *,
    event: Event,
    viewer: Profile,
    open_cursor: str | None = None,
    answered_cursor: str | None = None,
    size: int = QUESTIONS_PAGE_SIZE,
) -> QuestionLists:
    """The open questions by votes and the answered ones by answer time, a page of each, each with
    whether the viewer voted for it: two queries however many questions and votes there are."""
    visible = Question.objects.filter(event=event, removed_at__isnull=True).annotate(
        # One index look-up per question shown (question_vote_once), in the lists' own queries.
        viewer_voted=Exists(QuestionVote.objects.filter(question=OuterRef("pk"), voter=viewer))
    )
    lists = QuestionLists(
        open=_questions(
            visible.filter(answered_at__isnull=True), keys=("vote_count", "id"), cursor=open_cursor, size=size
        ),
        answered=_questions(
            visible.filter(answered_at__isnull=False),
            keys=("answered_at", "id"),
            cursor=answered_cursor,
            size=size,
        ),
    )
    for question in lists.open.items + lists.answered.items:
        # What the templates read: never `author` itself, so an anonymous asker cannot leak.
        question.shown_author = None if question.anonymous else question.author
        question.is_mine = question.author_id == viewer.pk
    return lists


def question_readable(*, object_id: int, viewer: Profile) -> bool:
    member_ids = member_community_ids(profile=viewer)
    return Question.objects.filter(
        event_readable_q(member_ids=member_ids, prefix="event__community"),
        pk=object_id,
        removed_at__isnull=True,
    ).exists()


POLLS_SHOWN = 3


def event_polls(*, event: Event, viewer: Profile) -> list[Post]:
    """The event's latest polls as feed cards (options, the viewer's vote, results): one query when
    there is none, a fixed few otherwise (feed.selectors.posts_for_display)."""
    ids = list(
        EventPoll.objects.filter(event=event)
        .order_by("-created_at", "-id")
        .values_list("post_id", flat=True)[:POLLS_SHOWN]
    )
    return posts_for_display(ids=ids, viewer=viewer) if ids else []

"""Every change to events: scheduling, editing and cancelling one, asking, voting, answering."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Community
from communities.selectors import member_community_ids
from events.models import QUESTION_MAX_LENGTH, Event, EventPoll, Question, QuestionVote
from events.selectors import can_manage, event_readable_q
from feed.polls import poll_create
from moderation.services import audit_record
from notifications.models import Kind
from notifications.services import notify
from profiles import roles
from profiles.models import Profile

MAX_HOSTS = 10
MAX_LENGTH = timedelta(days=14)


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d %b %Y, %H:%M}"


def _event_clean(
    *,
    title: str,
    description: str,
    hosts: list[Profile],
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> tuple[str, str, datetime, datetime]:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Give the event a title."})
    if len(title) > 200:
        raise ValidationError({"title": "A title is at most 200 characters."})
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": "Give the start and the end."})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The event ends before it starts: check the end time."})
    if ends_at - starts_at > MAX_LENGTH:
        raise ValidationError(
            {"ends_at": "An event lasts at most 14 days (questions are open before it too)."}
        )
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": "That end time has passed: an event is scheduled for the future."})
    if not hosts:
        raise ValidationError({"hosts": "An event needs at least one host to answer."})
    if len(hosts) > MAX_HOSTS:
        raise ValidationError({"hosts": f"At most {MAX_HOSTS} hosts."})
    if any(not h.user.is_active for h in hosts):
        raise ValidationError({"hosts": "A host has left the company."})
    return title, (description or "").strip()[:5000], starts_at, ends_at


@transaction.atomic
def event_create(
    *,
    creator: Profile,
    title: str,
    description: str,
    hosts: list[Profile],
    starts_at: datetime | None,
    ends_at: datetime | None,
    community: Community | None = None,
    anonymous_questions: bool = True,
) -> Event:
    """Leadership and Communications (leaders' delegates) schedule events, for everyone or a group."""
    if not roles.can_announce(creator.user):
        raise PermissionDenied("Only the Leadership and Communications groups schedule events.")
    title, description, starts, ends = _event_clean(
        title=title, description=description, hosts=hosts, starts_at=starts_at, ends_at=ends_at
    )
    event = Event.objects.create(
        title=title,
        description=description,
        created_by=creator,
        community=community,
        starts_at=starts,
        ends_at=ends,
        anonymous_questions=anonymous_questions,
    )
    event.hosts.set(hosts)
    audit_record(actor=creator, action="event.create", target=event)
    return event


def _event_for_update(*, event_id: int) -> Event:
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise ValidationError("That event no longer exists.")
    return event


@transaction.atomic
def event_update(
    *,
    event_id: int,
    editor: Profile,
    title: str,
    description: str,
    hosts: list[Profile],
    starts_at: datetime | None,
    ends_at: datetime | None,
    anonymous_questions: bool,
) -> Event:
    """Its creator, a host or Communications change an event that has not ended or been cancelled.
    Questions already asked anonymously stay anonymous whatever the new setting."""
    event = _event_for_update(event_id=event_id)
    if not can_manage(event=event, viewer=editor):
        raise PermissionDenied("Only its hosts, whoever scheduled it and Communications change an event.")
    if event.is_cancelled:
        raise ValidationError("This event was cancelled; schedule a new one instead.")
    if event.has_ended:
        raise ValidationError("This event has ended and can no longer change.")
    title, description, starts, ends = _event_clean(
        title=title, description=description, hosts=hosts, starts_at=starts_at, ends_at=ends_at
    )
    event.title, event.description = title, description
    event.starts_at, event.ends_at = starts, ends
    event.anonymous_questions = anonymous_questions
    event.save(update_fields=["title", "description", "starts_at", "ends_at", "anonymous_questions"])
    event.hosts.set(hosts)
    audit_record(actor=editor, action="event.update", target=event)
    return event


@transaction.atomic
def event_cancel(*, event_id: int, actor: Profile) -> Event:
    event = _event_for_update(event_id=event_id)
    if not can_manage(event=event, viewer=actor):
        raise PermissionDenied("Only its hosts, whoever scheduled it and Communications cancel an event.")
    if event.is_cancelled:
        raise ValidationError("This event is already cancelled.")
    if event.has_ended:
        raise ValidationError("This event has already ended.")
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    audit_record(actor=actor, action="event.cancel", target=event)
    return event


def _readable_event_for_update(*, event_id: int, viewer: Profile) -> Event:
    event = (
        Event.objects.select_for_update(of=("self",))
        .filter(event_readable_q(member_ids=member_community_ids(profile=viewer)), pk=event_id)
        .first()
    )
    if event is None:
        raise ValidationError("That event no longer exists.")
    return event


@transaction.atomic
def question_ask(*, event_id: int, author: Profile, body: str, anonymous: bool = False) -> Question:
    """Before and during the event; anonymous to colleagues only where the event allows it."""
    event = _readable_event_for_update(event_id=event_id, viewer=author)
    if event.is_cancelled:
        raise ValidationError("This event was cancelled, so it takes no questions.")
    if event.has_ended:
        raise ValidationError(f"This event ended on {_when(event.ends_at)}; it no longer takes questions.")
    if anonymous and not event.anonymous_questions:
        raise ValidationError("This event's hosts asked for questions with names: untick “anonymous”.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Your question is empty: write it first."})
    if len(body) > QUESTION_MAX_LENGTH:
        raise ValidationError(
            {"body": f"Your question is {len(body)} characters long; the limit is {QUESTION_MAX_LENGTH}."}
        )
    question = Question.objects.create(event=event, author=author, body=body, anonymous=anonymous)
    Event.objects.filter(pk=event.pk).update(question_count=F("question_count") + 1)
    return question


def _open_question_for_update(*, question_id: int, viewer: Profile) -> Question:
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(
            event_readable_q(member_ids=member_community_ids(profile=viewer), prefix="event__community"),
            pk=question_id,
            removed_at__isnull=True,
        )
        .first()
    )
    if question is None:
        raise ValidationError("That question no longer exists.")
    return question


@transaction.atomic
def question_vote(*, question_id: int, voter: Profile) -> Question:
    """One vote per person and question; not for one's own question, nor after the event."""
    question = _open_question_for_update(question_id=question_id, viewer=voter)
    if question.author_id == voter.pk:
        raise ValidationError("You can't vote for your own question.")
    if question.event.has_ended or question.event.is_cancelled:
        raise ValidationError("This event is over: votes are closed.")
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, voter=voter)
    except IntegrityError:
        raise ValidationError("You have already voted for this question.") from None
    Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
    question.vote_count += 1
    return question


@transaction.atomic
def question_answer(*, question_id: int, host: Profile, answer: str) -> Question:
    """A host answers in place (or corrects an answer); the asker is told, by name only to them."""
    question = _open_question_for_update(question_id=question_id, viewer=host)
    if not can_manage(event=question.event, viewer=host):
        raise PermissionDenied("Only the event's hosts answer its questions.")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Your answer is empty: write it first."})
    if len(answer) > 5000:
        raise ValidationError({"answer": "An answer is at most 5,000 characters."})
    first_answer = question.answered_at is None
    question.answer, question.answered_by = answer, host
    question.answered_at = question.answered_at or timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    if first_answer:
        Event.objects.filter(pk=question.event_id).update(answered_count=F("answered_count") + 1)
        notify(
            recipients=[question.author],
            kind=Kind.EVENT,
            actor=host,
            summary=f"Your question in “{question.event.title[:120]}” was answered",
            url=question.get_absolute_url(),
        )
    audit_record(actor=host, action="event.answer", target=question)
    return question


def question_remove_by_moderator(*, object_id: int, moderator: Profile, at: datetime) -> None:
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=object_id, removed_at__isnull=True).first()
        if question is None:
            return
        question.removed_at, question.removed_by = at, moderator
        question.save(update_fields=["removed_at", "removed_by"])
        Event.objects.filter(pk=question.event_id).update(
            question_count=F("question_count") - 1,
            answered_count=F("answered_count") - (1 if question.answered_at else 0),
        )


# --- Live polls ---------------------------------------------------------------------------------

POLLS_PER_EVENT = 10


@transaction.atomic
def event_poll_create(
    *, event_id: int, host: Profile, question: str, options: list[str], multiple: bool = False
) -> EventPoll:
    """A host starts a poll while the event is live; it closes when the event ends. It is a feed poll
    (in the event's group, or the company feed), so people vote and see results as on any poll."""
    event = _event_for_update(event_id=event_id)
    if not can_manage(event=event, viewer=host):
        raise PermissionDenied("Only the event's hosts start polls.")
    now = timezone.now()
    if event.cancelled_at is not None:
        raise ValidationError("This event was cancelled.")
    if event.ends_at <= now:
        raise ValidationError("This event has ended: no new polls.")
    if event.starts_at > now:
        raise ValidationError("Polls start once the event is live.")
    if event.ends_at <= now + timedelta(minutes=5):
        raise ValidationError("The event ends in less than five minutes: too late for a poll.")
    if EventPoll.objects.filter(event=event).count() >= POLLS_PER_EVENT:
        raise ValidationError(f"An event has at most {POLLS_PER_EVENT} polls.")
    post = poll_create(
        author=host,
        question=question,
        options=options,
        closes_at=event.ends_at,
        multiple=multiple,
        community=event.community,
    )
    poll = EventPoll.objects.create(event=event, post=post)
    audit_record(actor=host, action="event.poll_create", target=event, post=post.pk)
    return poll

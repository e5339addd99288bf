"""Ask-me-anything events: a leader schedules one, colleagues ask (optionally anonymously) and vote,
the host answers in place; bad input is refused with a clear message and nothing saved."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import services as communities
from events import services
from events.models import Event, Question, QuestionVote
from moderation.models import FlagReason
from moderation.services import flag_create
from notifications.models import Notification
from profiles import roles
from tests.factories import ProfileFactory, in_group
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def leader(db):
    return in_group(
        ProfileFactory(display_name="Lea Leader", user__email="lea@example.com"), roles.LEADERSHIP
    )


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _event(leader, *, starts_in=timedelta(hours=1), hours=1, anonymous=True, community=None) -> Event:
    starts = timezone.now() + starts_in
    return services.event_create(
        creator=leader,
        title="Ask Lea anything",
        description="About **the plan** for next year.",
        hosts=[leader],
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        community=community,
        anonymous_questions=anonymous,
    )


def _end(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )


def test_a_leader_schedules_colleagues_ask_and_vote_and_the_host_answers_in_place(leader, colleague, author):
    client = signed_in(leader)
    starts = timezone.now() + timedelta(days=1)
    response = client.post(
        "/events/new/",
        {
            "title": "Town hall Q3",
            "description": "Results and plans",
            "hosts": "lea@example.com",
            "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=1)),
            "community": "",
            "anonymous_questions": "on",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == event.get_absolute_url()

    colin = signed_in(colleague)
    colin.post(event.get_absolute_url(), {"body": "Will we hire in Lisbon?"})
    signed_in(author).post(event.get_absolute_url(), {"body": "What about remote work?"})
    lisbon, remote = Question.objects.order_by("id")
    signed_in(author).post(f"/events/{event.pk}/questions/{lisbon.pk}/vote/")
    signed_in(ProfileFactory()).post(f"/events/{event.pk}/questions/{lisbon.pk}/vote/")
    signed_in(ProfileFactory()).post(f"/events/{event.pk}/questions/{remote.pk}/vote/")

    page = colin.get(f"/events/{event.pk}/questions/").content.decode()
    assert page.index("Will we hire in Lisbon?") < page.index("What about remote work?")  # 2 votes, then 1

    client.post(
        f"/events/{event.pk}/questions/{remote.pk}/answer/", {"answer": "Two days a week, **at least**."}
    )
    page = colin.get(event.get_absolute_url()).content.decode()
    assert "Lea Leader answered:" in page and "<strong>at least</strong>" in page
    assert Notification.objects.get(kind="event").recipient == author
    event.refresh_from_db()
    assert (event.question_count, event.answered_count) == (2, 1)
    assert "Town hall Q3" in colin.get("/events/").content.decode()


def test_an_event_that_ends_before_it_starts_is_refused_and_nothing_saved(leader):
    starts = timezone.now() + timedelta(days=1)
    response = signed_in(leader).post(
        "/events/new/",
        {"title": "Backwards", "hosts": "lea@example.com", "starts_at": _local(starts),
         "ends_at": _local(starts - timedelta(hours=1))},
    )  # fmt: skip
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()
    assert not Event.objects.exists()


def test_only_leadership_and_communications_schedule_events(colleague):
    assert signed_in(colleague).get("/events/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.event_create(
            creator=colleague, title="Mine", description="", hosts=[colleague],
            starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2),
        )  # fmt: skip
    assert not Event.objects.exists()


def test_no_question_once_the_event_has_ended_and_none_after_cancelling(leader, colleague):
    event = _event(leader)
    _end(event)
    response = signed_in(colleague).post(event.get_absolute_url(), {"body": "Too late?"})
    assert response.status_code == 400 and "no longer takes questions" in response.content.decode()
    cancelled = _event(leader)
    services.event_cancel(event_id=cancelled.pk, actor=leader)
    with pytest.raises(ValidationError, match="cancelled"):
        services.question_ask(event_id=cancelled.pk, author=colleague, body="Still on?")
    assert not Question.objects.exists()


def test_a_vote_counts_once_and_never_for_ones_own_question(leader, colleague, author):
    event = _event(leader)
    question = services.question_ask(event_id=event.pk, author=author, body="Budget?")
    services.question_vote(question_id=question.pk, voter=colleague)
    with pytest.raises(ValidationError, match="already voted"):
        services.question_vote(question_id=question.pk, voter=colleague)
    with pytest.raises(ValidationError, match="your own question"):
        services.question_vote(question_id=question.pk, voter=author)
    question.refresh_from_db()
    assert question.vote_count == 1 == QuestionVote.objects.count()


def test_anonymous_only_where_the_hosts_allow_it(leader, colleague):
    event = _event(leader, anonymous=False)
    with pytest.raises(ValidationError, match="asked for questions with names"):
        services.question_ask(event_id=event.pk, author=colleague, body="Hidden?", anonymous=True)
    assert not Question.objects.exists()


def test_only_hosts_answer_and_edit_and_a_colleague_cannot(leader, colleague, author):
    event = _event(leader)
    question = services.question_ask(event_id=event.pk, author=author, body="Budget?")
    with pytest.raises(PermissionDenied):
        services.question_answer(question_id=question.pk, host=colleague, answer="Mine")
    assert signed_in(colleague).get(f"/events/{event.pk}/edit/").status_code == 403
    assert "Post the answer" not in signed_in(colleague).get(event.get_absolute_url()).content.decode()
    question.refresh_from_db()
    assert question.answered_at is None


def test_hosts_edit_the_time_and_cancel(leader, colleague):
    event = _event(leader)
    later = timezone.now() + timedelta(days=2)
    response = signed_in(leader).post(
        f"/events/{event.pk}/edit/",
        {"title": "Ask Lea, moved", "hosts": "lea@example.com, colin@example.com",
         "starts_at": _local(later), "ends_at": _local(later + timedelta(hours=2))},
    )  # fmt: skip
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Ask Lea, moved" and not event.anonymous_questions
    assert set(event.hosts.all()) == {leader, colleague}
    signed_in(colleague).post(f"/events/{event.pk}/cancel/")  # now a host
    event.refresh_from_db()
    assert event.is_cancelled
    assert "This event was cancelled" in signed_in(leader).get(event.get_absolute_url()).content.decode()


def test_a_private_groups_event_is_hidden_from_outsiders(leader, colleague, outsider):
    group = communities.community_create(creator=leader, name="Board", category="work", visibility="private")
    event = _event(leader, community=group)
    assert signed_in(outsider).get(event.get_absolute_url()).status_code == 404
    assert "Ask Lea anything" not in signed_in(outsider).get("/events/").content.decode()
    with pytest.raises(ValidationError, match="no longer exists"):
        services.question_ask(event_id=event.pk, author=outsider, body="Hello?")


def test_an_anonymous_askers_name_reaches_no_colleague_but_the_moderator_sees_it(
    leader, colleague, moderator
):
    asker = ProfileFactory(display_name="Zed Secretasker", user__email="zed.secret@example.com")
    event = _event(leader)
    services.question_ask(event_id=event.pk, author=asker, body="Why the reorg?", anonymous=True)
    question = Question.objects.get()
    services.question_vote(question_id=question.pk, voter=colleague)
    services.question_answer(question_id=question.pk, host=leader, answer="To ship faster.")
    flag_create(flagger=colleague, content=question, reason=FlagReason.SPAM)

    secrets = ["Secretasker", "zed.secret", f"/people/{asker.pk}/"]
    pages = {
        client_name: [
            event.get_absolute_url(), f"/events/{event.pk}/questions/", "/events/", "/", "/all/",
            "/notifications/", "/search/?q=reorg",  # (searching her name finds her, as a person)
        ]
        for client_name in ("colleague", "host")
    }  # fmt: skip
    for name, client in (("colleague", signed_in(colleague)), ("host", signed_in(leader))):
        for url in pages[name]:
            html = client.get(url).content.decode()
            leaked = [s for s in secrets if s in html]
            assert leaked == [], f"{name} sees {leaked} at {url}"
    for note in Notification.objects.exclude(recipient=asker):
        assert "Secretasker" not in note.summary
    # The asker is told, on their own view, who can see their name.
    assert (
        "hidden from colleagues, not from moderators"
        in signed_in(asker).get(event.get_absolute_url()).content.decode()
    )
    queue = signed_in(moderator).get("/moderation/").content.decode()
    assert "Zed Secretasker" in queue


def _grow(event, *, questions: int, votes_each: int) -> None:
    voters = ProfileFactory.create_batch(votes_each)
    for n in range(questions):
        question = Question.objects.create(
            event=event, author=voters[n % len(voters)], body=f"Q{n}", anonymous=n % 2 == 0
        )
        QuestionVote.objects.bulk_create([QuestionVote(question=question, voter=v) for v in voters])
        if n % 3 == 0:
            Question.objects.filter(pk=question.pk).update(
                answered_at=timezone.now(), answer=f"A{n}", answered_by=event.created_by
            )


def test_the_event_page_runs_the_same_queries_however_many_questions_and_votes(leader, colleague):
    event = _event(leader)
    client = signed_in(colleague)

    def count() -> int:
        client.get(event.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(event.get_absolute_url()).status_code == 200
        return len(queries.captured_queries)

    _grow(event, questions=3, votes_each=2)
    small = count()
    _grow(event, questions=120, votes_each=6)
    assert count() == small


def test_the_event_page_shows_twenty_of_each_list_and_the_rest_by_cursor(leader, colleague):
    from events.selectors import QUESTIONS_PAGE_SIZE

    event = _event(leader, starts_in=-timedelta(minutes=5))
    # 25 open questions, each with as many votes as its number: Q24 first, Q0 last.
    voters = ProfileFactory.create_batch(25)
    for n in range(25):
        question = Question.objects.create(event=event, author=leader, body=f"Question number {n}.")
        QuestionVote.objects.bulk_create([QuestionVote(question=question, voter=v) for v in voters[:n]])
        Question.objects.filter(pk=question.pk).update(vote_count=n)
    client = signed_in(colleague)
    first = client.get(event.get_absolute_url()).content.decode()
    assert QUESTIONS_PAGE_SIZE == 20
    assert first.count('id="question-') == 20
    assert "Question number 24." in first and "Question number 4." not in first
    more = re.search(r'href="([^"]*\?open=[^"#]+)', first).group(1).replace("&amp;", "&")
    rest = client.get(more).content.decode()
    assert rest.count('id="question-') == 5
    assert "Question number 4." in rest and "Question number 0." in rest and "Question number 5." not in rest


def test_the_live_list_shows_the_viewers_votes_and_reports_lead_back_to_the_event(leader, colleague, author):
    event = _event(leader, starts_in=-timedelta(minutes=5))
    voted = services.question_ask(
        event_id=event.pk, author=author, body="Voted for this one?", anonymous=False
    )
    other = services.question_ask(event_id=event.pk, author=author, body="And this one?", anonymous=False)
    services.question_vote(question_id=voted.pk, voter=colleague)

    html = signed_in(colleague).get(f"/events/{event.pk}/questions/").content.decode()

    cards = {
        pk: html[html.index(f'id="question-{pk}"') :].split("</article>")[0] for pk in (voted.pk, other.pk)
    }
    assert "You voted for this." in cards[voted.pk] and "Vote up" not in cards[voted.pk]
    assert "Vote up" in cards[other.pk] and "You voted for this." not in cards[other.pk]
    # The list is fetched apart from its page (static/js/events.js): a report made from it returns to
    # the event, not to the bare list.
    assert f'name="next" value="{event.get_absolute_url()}"' in cards[other.pk]
    assert f'value="/events/{event.pk}/questions/"' not in html


def test_the_question_form_looks_up_what_is_already_answered_as_one_types(leader, colleague):
    event = _event(leader)
    html = signed_in(colleague).get(event.get_absolute_url()).content.decode()

    box = re.search(r'<div id="already-answered"[^>]*>', html).group(0)
    assert 'hx-get="/questions/already-answered/"' in box
    assert 'hx-include="#ask-form [name=body]"' in box and 'id="ask-form"' in html
    _end(event)
    assert 'id="already-answered"' not in signed_in(colleague).get(event.get_absolute_url()).content.decode()

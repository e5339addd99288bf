"""A live poll inside an ask-me-anything event: a host starts it while the event is live, colleagues
vote on the event page, the results refresh with the question lists, and it closes when the event ends."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services
from events.models import Event, EventPoll
from feed.models import Poll, PollOption, PollVote
from feed.polls import poll_vote
from profiles import roles
from tests.factories import ProfileFactory, in_group
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def leader(db):
    return in_group(ProfileFactory(display_name="Lea Leader"), roles.LEADERSHIP)


def _event(leader, *, starts_in=timedelta(minutes=-10), hours=1) -> Event:
    starts = timezone.now() + starts_in
    return services.event_create(
        creator=leader, title="Town hall", description="", hosts=[leader], starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
    )  # fmt: skip


def _start_poll(client, event, **data):
    payload = {"question": "Which office day suits you?", "options": "Tuesday\nThursday\n", **data}
    return client.post(f"/events/{event.pk}/polls/", payload)


def test_a_host_starts_a_poll_colleagues_vote_on_the_event_page_and_see_results(leader, colleague):
    event = _event(leader)
    host = signed_in(leader)
    assert "Start a live poll" in host.get(event.get_absolute_url()).content.decode()
    response = _start_poll(host, event)
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    poll = EventPoll.objects.get(event=event)
    assert poll.post.poll.closes_at == event.ends_at  # closes with the event

    browser = signed_in(colleague)
    page = browser.get(event.get_absolute_url()).content.decode()
    assert "Which office day suits you?" in page and "Results show after you vote." in page
    assert "Start a live poll" not in page  # only hosts start polls
    thursday = PollOption.objects.get(poll__post=poll.post, label="Thursday")
    voted = browser.post(
        f"/posts/{poll.post_id}/vote/", {"option": thursday.pk, "next": event.get_absolute_url()}
    )
    assert voted.status_code == 302 and voted.url == event.get_absolute_url()
    # The live refresh of the lists carries the poll's results.
    live = browser.get(f"/events/{event.pk}/questions/").content.decode()
    assert "(your vote)" in live and "1 voter" in live


def test_only_hosts_start_polls(leader, colleague):
    event = _event(leader)
    assert _start_poll(signed_in(colleague), event).status_code == 403
    assert not EventPoll.objects.exists()


@pytest.mark.parametrize(
    ("starts_in", "hours", "message"),
    [
        (timedelta(hours=1), 1, "Polls start once the event is live."),
        (timedelta(hours=-2), 1, "This event has ended: no new polls."),
        (timedelta(minutes=-58), 1, "The event ends in less than five minutes: too late for a poll."),
    ],
)
def test_no_poll_outside_the_live_event_and_nothing_saved(leader, starts_in, hours, message):
    starts = timezone.now() + starts_in
    event = _event(leader, starts_in=timedelta(hours=1))
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=hours))
    with pytest.raises(Exception, match=message):
        services.event_poll_create(event_id=event.pk, host=leader, question="Q?", options=["A", "B"])
    assert not EventPoll.objects.exists() and not Poll.objects.exists()


def test_a_poll_with_one_choice_is_refused_with_the_form_kept(leader):
    event = _event(leader)
    response = _start_poll(signed_in(leader), event, options="Only one")
    assert response.status_code == 400
    assert "Which office day suits you?" in response.content.decode()
    assert not EventPoll.objects.exists() and not Poll.objects.exists()


def test_a_cancelled_event_takes_no_poll(leader):
    event = _event(leader)
    services.event_cancel(event_id=event.pk, actor=leader)
    with pytest.raises(Exception, match="cancelled"):
        services.event_poll_create(event_id=event.pk, host=leader, question="Q?", options=["A", "B"])


def test_the_event_page_runs_the_same_queries_however_many_poll_votes(leader, colleague):
    event = _event(leader)
    poll = services.event_poll_create(event_id=event.pk, host=leader, question="Q?", options=["A", "B"])
    option = PollOption.objects.filter(poll__post=poll.post).first()
    client = signed_in(colleague)

    def count() -> int:
        client.get(event.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(event.get_absolute_url()).status_code == 200
        return len(queries.captured_queries)

    poll_vote(post_id=poll.post_id, voter=ProfileFactory(), option_ids=[option.pk])
    small = count()
    for voter in ProfileFactory.create_batch(20):
        poll_vote(post_id=poll.post_id, voter=voter, option_ids=[option.pk])
    assert count() == small
    assert PollVote.objects.count() == 21

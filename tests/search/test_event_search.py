"""Search finds a finished ask-me-anything event by what was asked and answered, never the asker, and
only events the searcher may read (search.selectors._event_search)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.services import community_create
from events import services
from events.models import Event
from profiles import roles
from search.selectors import site_search
from tests.factories import ProfileFactory, in_group
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def leader(db):
    return in_group(ProfileFactory(display_name="Lea Leader"), roles.LEADERSHIP)


def _event(leader, title, *, community=None) -> Event:
    starts = timezone.now() - timedelta(minutes=30)
    return services.event_create(
        creator=leader, title=title, description="", hosts=[leader], starts_at=starts,
        ends_at=starts + timedelta(hours=1), community=community,
    )  # fmt: skip


def _asked(event, author, body, answer=None, anonymous=False):
    question = services.question_ask(event_id=event.pk, author=author, body=body, anonymous=anonymous)
    if answer:
        services.question_answer(question_id=question.pk, host=event.created_by, answer=answer)
    return question


def _finish(event) -> None:
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=2)
    )


def test_a_finished_events_answered_question_is_found_without_its_asker(leader, colleague, author):
    event = _event(leader, "Ask the CFO anything")
    asker = ProfileFactory(display_name="Zed Secretasker")
    _asked(
        event, asker, "Will the travel budget for conferences grow next year?", "Yes, by 10%.", anonymous=True
    )
    _asked(event, author, "When do bonuses get paid out?")  # not answered: not searched
    _finish(event)
    html = signed_in(colleague).get("/search/", {"q": "conference travel budget"}).content.decode()
    assert "Finished events" in html and "Ask the CFO anything" in html and "Yes, by 10%." in html
    assert "Zed Secretasker" not in html
    assert site_search(query="bonuses paid", viewer=colleague).content.event_hits == []


def test_an_event_still_running_or_cancelled_is_not_found(leader, colleague):
    live = _event(leader, "Town hall")
    _asked(live, colleague, "Is the office moving to the harbour?", "Not this year.")
    cancelled = _event(leader, "Cancelled AMA")
    _asked(cancelled, colleague, "Is the harbour office ready?", "Almost.")
    services.event_cancel(event_id=cancelled.pk, actor=leader)
    _finish(cancelled)
    assert site_search(query="harbour office", viewer=colleague).content.event_hits == []
    _finish(live)
    hits = site_search(query="harbour office", viewer=colleague).content.event_hits
    assert [h.event.title for h in hits] == ["Town hall"] and hits[0].matches == 1


def test_a_private_groups_finished_event_is_found_by_members_only(leader, colleague, outsider):
    group = community_create(creator=leader, name="Board", category="work", visibility="private")

    event = _event(leader, "Board Q&A", community=group)
    _asked(event, leader, "What is the acquisition timeline?", "Q3.")
    _finish(event)
    assert site_search(query="acquisition timeline", viewer=leader).content.event_hits
    assert site_search(query="acquisition timeline", viewer=outsider).content.event_hits == []
    assert (
        "Board Q&amp;A"
        not in signed_in(outsider).get("/search/", {"q": "acquisition timeline"}).content.decode()
    )

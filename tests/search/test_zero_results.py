"""Searches that found nothing are counted by their words and day, never by person, and shown to the
Communications team; old days are pruned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feed import services as feed
from search.models import ZeroResultSearch
from search.services import zero_result_record, zero_results_prune
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def counted() -> dict[str, int]:
    return dict(ZeroResultSearch.objects.values_list("query", "count"))


def test_a_search_that_finds_nothing_is_counted_by_its_words_only(author, colleague_client, outsider_client):
    feed.post_create(author=author, body="Open enrolment for benefits starts Monday.")
    colleague_client.get("/search/", {"q": "Parental  LEAVE policy"})
    outsider_client.get("/search/", {"q": "parental leave policy"})
    colleague_client.get("/search/", {"q": "benefits"})  # found something: not counted
    colleague_client.get("/search/", {"q": "parental leave pol"}, headers={"HX-Request": "true"})  # typing
    colleague_client.get("/search/", {"q": "is:question"})  # only a filter: nothing was searched
    assert counted() == {"parental leave policy": 2}
    row = ZeroResultSearch.objects.get()
    assert row.day == timezone.localdate()
    assert {f.name for f in ZeroResultSearch._meta.get_fields()} == {"id", "query", "day", "count"}


def test_comms_see_the_most_searched_gaps_and_others_cannot(comms, colleague_client):
    for _ in range(3):
        zero_result_record(query="car lease")
    zero_result_record(query="gym discount")
    zero_result_record(query="old thing", day=timezone.localdate() - timedelta(days=40))
    response = signed_in(comms).get("/search/gaps/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("car lease") < html.index("gym discount") and "old thing" not in html
    assert "4 searches found nothing" in html
    assert "old thing" in signed_in(comms).get("/search/gaps/?days=90").content.decode()
    assert colleague_client.get("/search/gaps/").status_code == 403


def test_old_days_are_pruned_and_pruning_twice_deletes_nothing_more(settings):
    settings.HIVE_ZERO_RESULT_DAYS = 30
    today = timezone.localdate()
    zero_result_record(query="kept", day=today - timedelta(days=30))
    zero_result_record(query="gone", day=today - timedelta(days=31))
    assert zero_results_prune(today=today) == 1
    assert zero_results_prune(today=today) == 0
    assert list(counted()) == ["kept"]


def test_a_day_holds_a_limited_number_of_different_queries(settings):
    settings.HIVE_ZERO_RESULT_MAX_PER_DAY = 2
    assert zero_result_record(query="one") and zero_result_record(query="two")
    assert not zero_result_record(query="three")
    assert zero_result_record(query="one")  # an existing query still counts
    assert counted() == {"one": 2, "two": 1}

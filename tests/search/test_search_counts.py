"""Every search run is counted by the searcher's department, office and tenure band that day, in one
write, with neither the person nor (when it found something) the words; the Communications team sees
the counts on /search/gaps/ for groups of 5 people or more only."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feed import services as feed
from search.models import SearchDay, ZeroResultSearch
from tests.factories import DepartmentFactory, LocationFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def counts(axis: str) -> dict[int, tuple[int, int]]:
    return {
        k: (s, n)
        for k, s, n in SearchDay.objects.filter(axis=axis).values_list("key", "searches", "found_nothing")
    }


def test_searches_are_counted_by_segment_without_the_person_or_the_words(author):
    feed.post_create(author=author, body="Open enrolment for benefits starts Monday.")
    sales, paris = DepartmentFactory(name="Sales"), LocationFactory(name="Paris")
    seller = ProfileFactory(department=sales, location=paris, start_date=date(2010, 1, 1))
    client = signed_in(seller)
    client.get("/search/", {"q": "benefits"})  # found something
    client.get("/search/", {"q": "parental leave"})  # found nothing
    client.get("/search/", {"q": "parental"}, headers={"HX-Request": "true"})  # typing: not a search run
    assert counts("department") == {sales.pk: (2, 1)}
    assert counts("location") == {paris.pk: (2, 1)}
    assert counts("tenure") == {4: (2, 1)}  # 10 years or more
    assert set(SearchDay.objects.values_list("day", flat=True)) == {timezone.localdate()}
    # Nothing in the table names a person or holds words; only the search that found nothing is
    # kept by its words (as before), without a person.
    assert {f.name for f in SearchDay._meta.get_fields()} == {
        "id",
        "day",
        "axis",
        "key",
        "searches",
        "found_nothing",
    }
    assert list(ZeroResultSearch.objects.values_list("query", flat=True)) == ["parental leave"]


def test_a_search_writes_once(author, colleague):
    feed.post_create(author=author, body="Open enrolment for benefits starts Monday.")
    client = signed_in(colleague)
    client.get("/search/", {"q": "warm up"})  # the day's activity is recorded on a first visit

    def writes(query: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/", {"q": query})
        return [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
        ]

    # A search that found something: one statement for its three segment counters, nothing else.
    found = writes("benefits")
    assert len(found) == 1 and "search_searchday" in found[0]
    # One that found nothing: the same statement, then its words' counter (an update, or an insert
    # the first time those words are searched).
    nothing = writes("warm up")
    assert len(nothing) == 2 and "search_searchday" in nothing[0] and "search_zeroresultsearch" in nothing[1]


def test_comms_see_searches_by_group_and_small_groups_only_together(comms):
    big, small = DepartmentFactory(name="Support"), DepartmentFactory(name="Legal")
    support = [ProfileFactory(department=big) for _ in range(6)]
    lawyers = [ProfileFactory(department=small) for _ in range(2)]
    ProfileFactory.create_batch(2, department=DepartmentFactory(name="Finance"))
    for person in support[:3] + lawyers[:1]:
        signed_in(person).get("/search/", {"q": "holiday calendar"})
    page = signed_in(comms).get("/search/gaps/").content.decode()
    assert "4 searches since" in page and "4 of them found nothing" in page
    table = page.split('aria-label="Searches by department"', 1)[1].split("</table>", 1)[0]
    assert "<td>Support</td><td>6</td><td>3</td><td>3</td>" in table
    # Legal (2 people) is never shown on its own: with Finance (2) and Engineering (Cora) it is
    # "Other", itself 5 people.
    assert "Legal" not in table
    assert "<td>Other (groups under 5 people)</td><td>—</td><td>1</td><td>1</td>" in table

"""Filters in the query, as Discourse and Zulip have them, so a search is shared by its URL; and
bad input answered with a clear message, never an error page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities import services as communities
from feed import services as feed
from feed.models import Post
from feed.polls import poll_create
from search.query import query_parse
from tests.search.test_content_search import hits, links

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def posts(author, colleague):
    """One of each kind, all about the canteen, by Ada unless said otherwise."""
    group = communities.community_create(
        creator=colleague, name="Food club", category="social", visibility="public"
    )
    p = {
        "update": feed.post_create(author=author, body="The canteen menu changes Monday #food"),
        "open": feed.post_create(author=author, body="Is the canteen open on holidays?", kind="question"),
        "answered": feed.post_create(
            author=author, body="Where is the canteen feedback form?", kind="question"
        ),
        "poll": poll_create(
            author=author,
            question="Which canteen dessert?",
            options=["Flan", "Fruit"],
            closes_at=timezone.now() + timedelta(days=2),
        ),  # fmt: skip
        "announcement": feed.post_create(
            author=author, body="Canteen closed for renovation", kind="announcement"
        ),
        "colins": feed.post_create(author=colleague, body="Canteen coffee is great now", community=group),
    }
    answer = feed.comment_create(post_id=p["answered"].pk, author=colleague, body="On the intranet.")
    feed.answer_mark(post_id=p["answered"].pk, comment_id=answer.pk, actor=author)
    p["group"] = group
    return p


def found(client, q: str) -> set[str]:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return set(links(response.content.decode()))


def urls(*items: Post) -> set[str]:
    return {item.get_absolute_url() for item in items}


@pytest.mark.parametrize(
    "operator, expected",
    [
        ("is:question", ["open", "answered"]),
        ("is:answered", ["answered"]),
        ("is:unanswered", ["open"]),
        ("is:poll", ["poll"]),
        ("is:announcement", ["announcement"]),
        ("@colin", ["colins"]),
        ("from:ada@example.com", ["update", "open", "answered", "poll", "announcement"]),
        ("from:colin", ["colins"]),
        ("#food", ["update"]),
        ("in:food-club", ["colins"]),
    ],
)
def test_each_filter_narrows_posts(posts, colleague_client, operator, expected):
    assert found(colleague_client, f"canteen {operator}") == urls(*[posts[k] for k in expected])


def test_filters_combine(posts, colleague_client):
    assert found(colleague_client, "canteen is:question @ada is:unanswered") == urls(posts["open"])
    assert found(colleague_client, "canteen is:poll in:food-club") == set()


def test_date_range(posts, colleague_client):
    Post.objects.filter(pk=posts["update"].pk).update(created_at=timezone.now() - timedelta(days=40))
    cutoff = (timezone.now() - timedelta(days=20)).date().isoformat()

    assert found(colleague_client, f"canteen before:{cutoff}") == urls(posts["update"])
    assert posts["update"].get_absolute_url() not in found(colleague_client, f"canteen after:{cutoff}")


def test_a_quoted_phrase_matches_the_words_in_order(author, colleague_client):
    right = feed.post_create(author=author, body="Our release train leaves at noon")
    feed.post_create(author=author, body="Train the new release managers")

    assert found(colleague_client, '"release train"') == urls(right)


def test_the_filters_stay_in_the_link_to_share(posts, colleague_client):
    response = colleague_client.get("/search/?q=canteen+is%3Aunanswered+%40ada")
    assert set(links(response.content.decode())) == urls(posts["open"])
    assert 'value="canteen is:unanswered @ada"' in response.content.decode()


# --- Bad input ----------------------------------------------------------------------------


def search_page(client, q: str, status: int = 200) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == status
    return response.content.decode()


def test_an_empty_query_offers_somewhere_to_start(colleague_client):
    page = search_page(colleague_client, "   ")
    assert "Where to start" in page and "is:question" in page


def test_a_query_of_only_operators_asks_for_words(posts, colleague_client):
    page = search_page(colleague_client, "is:question @ada #food")
    assert "Add a word or two to search for" in page
    assert hits(page) == [] and "Nothing matches" not in page


def test_a_1000_character_query_is_refused_with_the_limit(colleague_client):
    page = search_page(colleague_client, "canteen+" * 125, status=400)
    assert "Searches are limited to 200 characters (yours has 1000)" in page


def test_an_unbalanced_quote_searches_the_words_and_says_so(posts, colleague_client):
    page = search_page(colleague_client, '"canteen menu')
    assert "A quote was left open" in page
    assert set(links(page)) == urls(posts["update"])
    page = search_page(colleague_client, '"quinoa')
    assert "A quote was left open" in page and "Nothing matches “&quot;quinoa”" in page


def test_an_unknown_group_or_author_is_named_not_an_error(posts, colleague_client):
    page = search_page(colleague_client, "canteen in:no-such-group")
    assert "No group you can read has the address “no-such-group”" in page and hits(page) == []
    page = search_page(colleague_client, "canteen @nobody")
    assert "Nobody at the company is @nobody." in page and hits(page) == []
    page = search_page(colleague_client, "canteen from:ghost@example.com")
    assert "Nobody at the company is ghost@example.com." in page


def test_a_bad_date_or_unknown_kind_is_ignored_with_a_hint(posts, colleague_client):
    page = search_page(colleague_client, "canteen after:yesterday is:solved")
    assert "write the date as YYYY-MM-DD" in page
    assert "“is:solved” was ignored: try is:question" in page
    assert len(hits(page)) == 6  # the filters were dropped: every canteen post is found


def test_operator_syntax_cannot_reach_the_database(posts, colleague_client):
    for q in ["canteen & | ! ( :* <->", "canteen')--", "in:'; drop table", "@ #", "before:2026-13-45"]:
        search_page(colleague_client, q)


def test_parse_splits_words_from_filters():
    parsed = query_parse('Canteen  "open hours" is:Question @Ada #Food in:Food-Club after:2026-01-31 x:y')
    assert parsed.text == "Canteen open hours x:y"
    assert parsed.phrases == ["open hours"]
    assert parsed.kinds == ["question"]
    assert (parsed.author_handle, parsed.tag, parsed.group_slug) == ("ada", "food", "food-club")
    assert parsed.after.isoformat() == "2026-01-31" and parsed.notices == []


# --- Cost ---------------------------------------------------------------------------------

# test_search.SEARCH_MAX_QUERIES, without the two of finished events (filters speak of posts, comments
# and pages), plus one query each to resolve the group, the author and the tag.
FILTERED_SEARCH_MAX_QUERIES = 27  # +1: the search counted by group (search.services.search_record)


@pytest.mark.parametrize("size", [2, 30])
def test_a_filtered_search_runs_the_same_queries_whatever_the_data(
    author, colleague, colleague_client, django_assert_max_num_queries, size
):
    group = communities.community_create(
        creator=author, name="Food club", category="social", visibility="public"
    )
    communities.community_join(community=group, profile=colleague)
    for n in range(size):
        post = feed.post_create(
            author=author, body=f"Canteen question {n} #food", kind="question", community=group
        )
        feed.comment_create(post_id=post.pk, author=colleague, body=f"Canteen answer {n}")
    colleague_client.get("/search/")  # the day's first request records the viewer as active

    with django_assert_max_num_queries(FILTERED_SEARCH_MAX_QUERIES):
        page = search_page(colleague_client, "canteen is:unanswered @ada #food in:food-club after:2020-01-01")

    assert len(hits(page)) == min(size, 20)

"""A private group's posts and comments never reach an outsider's search: not in results, counts,
snippets, suggestions or filters. Each path is checked against a member, who must see what the
outsider must not, so a test that finds nothing for everyone cannot pass."""

import re

import pytest

from communities import services as communities
from feed import services as feed
from tests.search.test_content_search import content_section, hits, links

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

SECRET = "merger"  # a word written only inside the private group


@pytest.fixture
def room(author):
    """Ada's private group, with a question, an answer and a tag only it uses; and a public post
    that shares a word with them."""
    group = communities.community_create(
        creator=author, name="Acquisition room", category="work", visibility="private"
    )
    question = feed.post_create(
        author=author,
        body=f"Zanzibar {SECRET} timeline: who signs? #projectfalcon",
        kind="question",
        community=group,
    )
    answer = feed.comment_create(
        post_id=question.pk, author=author, body=f"The Zanzibar {SECRET} board signs Friday."
    )
    public = feed.post_create(author=author, body="Zanzibar picnic on Saturday, everyone welcome.")
    return {"group": group, "question": question, "answer": answer, "public": public}


def search(client, q: str, **headers) -> str:
    response = client.get("/search/", {"q": q}, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_results_outsider_finds_nothing_a_member_finds_both(room, author_client, outsider_client):
    assert len(hits(search(author_client, SECRET))) == 2
    page = search(outsider_client, SECRET)
    assert hits(page) == []
    assert "Nothing matches" in page
    # Her query is echoed back; nothing else from the group is on the page.
    assert "who signs" not in page and "board signs" not in page and "Acquisition room" not in page


def test_typing_as_you_go_partial_leaks_nothing_either(room, outsider_client):
    page = search(outsider_client, "zanzibar", **{"HX-Request": "true"})
    assert links(page) == [room["public"].get_absolute_url()]
    assert SECRET not in page


def test_counts_only_count_what_the_viewer_may_read(room, author_client, outsider_client):
    assert "3 matches you can read" in content_section(search(author_client, "zanzibar"))
    assert "1 match you can read" in content_section(search(outsider_client, "zanzibar"))


def test_snippets_and_thread_excerpts_hold_no_private_words(room, outsider_client, colleague):
    # A public thread Colin comments on, sharing a word with the private one.
    feed.comment_create(
        post_id=room["public"].pk, author=colleague, body="Zanzibar picnic: I'll bring juice."
    )
    page = search(outsider_client, "zanzibar")
    assert len(hits(page)) == 2
    assert SECRET not in page and "projectfalcon" not in page and "who signs" not in page


def test_no_suggestion_is_built_from_private_words(room, outsider_client, author_client):
    for client in (author_client, outsider_client):
        page = search(client, "mergr")
        assert "Did you mean" not in page
        assert SECRET not in page


def test_group_filter_on_a_private_group_reads_like_an_unknown_group(room, outsider_client, author_client):
    slug = room["group"].slug
    mine = search(author_client, f"zanzibar in:{slug}")
    assert set(links(mine)) == {room["question"].get_absolute_url(), room["answer"].get_absolute_url()}

    private = search(outsider_client, f"zanzibar in:{slug}")
    unknown = search(outsider_client, "zanzibar in:no-such-group")
    assert hits(private) == []
    assert f"No group you can read has the address “{slug}”" in private
    assert "No group you can read has the address “no-such-group”" in unknown
    assert SECRET not in private


def test_tag_filter_on_a_privately_used_tag_reads_like_an_unknown_tag(room, outsider_client, author_client):
    # A comment is found by its post's tag, kind and group.
    thread = {room["question"].get_absolute_url(), room["answer"].get_absolute_url()}
    assert set(links(search(author_client, "zanzibar #projectfalcon"))) == thread

    # The results as htmx swaps them in: the whole page differs by its CSRF token.
    private = search(outsider_client, "zanzibar #projectfalcon", **{"HX-Request": "true"})
    unknown = search(outsider_client, "zanzibar #nosuchtag", **{"HX-Request": "true"})
    assert hits(private) == [] and hits(unknown) == []
    # The same words on both pages but for the tag itself: nothing says the tag exists.
    assert re.sub(r"projectfalcon|nosuchtag", "T", private) == re.sub(
        r"projectfalcon|nosuchtag", "T", unknown
    )


def test_author_and_kind_filters_keep_the_private_group_out(room, outsider_client, author_client):
    assert len(hits(search(author_client, "zanzibar @ada"))) == 3
    assert links(search(outsider_client, "zanzibar @ada")) == [room["public"].get_absolute_url()]
    thread = {room["question"].get_absolute_url(), room["answer"].get_absolute_url()}
    assert set(links(search(author_client, "zanzibar is:question"))) == thread
    assert hits(search(outsider_client, "zanzibar is:question")) == []
    assert hits(search(outsider_client, "zanzibar is:unanswered")) == []


def test_a_member_who_leaves_no_longer_finds_it(room, author, colleague):
    from communities.models import Membership
    from tests.conftest import signed_in

    Membership.objects.create(community=room["group"], profile=colleague)
    client = signed_in(colleague)
    assert len(hits(search(client, SECRET))) == 2
    Membership.objects.filter(community=room["group"], profile=colleague).delete()
    assert hits(search(client, SECRET)) == []


def _stored_group(comment_id: int) -> int | None:
    """The copy of its post's group that search keeps on a comment (search/migrations/0012)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT search_community_id FROM feed_comment WHERE id = %s", [comment_id])
        return cursor.fetchone()[0]


@pytest.fixture
def lounge(author, outsider):
    """A public group both Ada and Olga may read, with a thread in it."""
    group = communities.community_create(
        creator=author, name="Lounge", category="social", visibility="public"
    )
    post = feed.post_create(author=author, body="Zanzibar lounge quiz tonight", community=group)
    comment = feed.comment_create(post_id=post.pk, author=author, body=f"Zanzibar {SECRET} quiz round")
    return {"group": group, "post": post, "comment": comment}


def test_group_filter_on_comments_never_trusts_their_stored_group_alone(room, lounge, outsider_client):
    # The comment's copy of its group is what `in:group` walks; readability is the post's own group.
    assert _stored_group(room["answer"].pk) == room["group"].pk
    from django.db import connection

    with connection.cursor() as cursor:  # a copy gone wrong, as no code path writes it
        cursor.execute(
            "UPDATE feed_comment SET search_community_id = %s WHERE id = %s",
            [lounge["group"].pk, room["answer"].pk],
        )
    page = search(outsider_client, f"zanzibar {SECRET} in:{lounge['group'].slug}")
    assert links(page) == [lounge["comment"].get_absolute_url()]
    assert "board signs" not in page


def test_a_thread_moved_into_a_private_group_leaves_outsiders_results(
    room, lounge, author_client, outsider_client
):
    slug = lounge["group"].slug
    assert links(search(outsider_client, f"quiz round in:{slug}")) == [lounge["comment"].get_absolute_url()]

    from feed.models import Post

    # Only an admin can move a post (no service does): its comments' stored group follows it.
    Post.objects.filter(pk=lounge["post"].pk).update(community=room["group"])
    assert _stored_group(lounge["comment"].pk) == room["group"].pk
    assert hits(search(outsider_client, "quiz round")) == []
    assert hits(search(outsider_client, f"quiz round in:{slug}")) == []
    assert links(search(author_client, f"quiz round in:{room['group'].slug}")) == [
        lounge["comment"].get_absolute_url()
    ]


def test_the_private_groups_a_viewer_is_outside_are_one_parameter(room, outsider_client):
    """However many private groups there are, the readability rule binds them as one array (<> ALL),
    not one parameter per group in each query (~400 per query at 2,000 groups)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(12):
        communities.community_create(
            creator=room["question"].author, name=f"Back room {n}", category="work", visibility="private"
        )
    with CaptureQueriesContext(connection) as ctx:
        page = search(outsider_client, "zanzibar")
    assert links(page) == [room["public"].get_absolute_url()]
    candidates = [
        q["sql"]
        for q in ctx.captured_queries
        if "search_vector" in q["sql"]
        and ('FROM "feed_post"' in q["sql"] or 'FROM "feed_comment"' in q["sql"])
    ]
    assert len(candidates) >= 2  # posts and comments
    for sql in candidates:
        assert "<> ALL(" in sql and "NOT IN" not in sql

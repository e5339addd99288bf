"""Wiki pages in the search box, with their group's visibility: an outsider sees nothing of a private
group's pages in results, counts, snippets, suggestions or filters; each path is checked against a
member, who must see what the outsider must not."""

import re

import pytest
from django.db import connection

from communities import services as communities
from search.backends import postgres
from tests.helpers import signed_in
from tests.search.test_indexes import _plans_of
from wiki import services as wiki
from wiki.models import Page

pytestmark = pytest.mark.django_db

SECRET = "zanzibar"  # written only in the private group's wiki


@pytest.fixture
def wikis(author, comms):
    group = communities.community_create(
        creator=author, name="Falcon team", category="work", visibility="private"
    )
    secret = wiki.page_create(
        author=author,
        community=group,
        title="Falcon launch runbook",
        body=f"The {SECRET} acquisition closes in March; the checklist follows.",
    )
    policy = wiki.page_create(
        author=comms,
        community=None,
        title="Expenses policy",
        body="Claim expenses within 30 days. Every launch checklist is on the team's page.",
    )
    return {"group": group, "secret": secret, "policy": policy}


def search(client, q: str, **headers) -> str:
    response = client.get("/search/", {"q": q}, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def wiki_links(html: str) -> list[str]:
    section = html.split('id="results-wiki"')[1].split("</section>")[0] if 'id="results-wiki"' in html else ""
    return re.findall(r'<a href="([^"]+)"><strong>📖', section)


def test_company_page_is_found_by_its_title_and_text(wikis, outsider_client):
    assert wiki_links(search(outsider_client, "expenses policy")) == [wikis["policy"].get_absolute_url()]
    page = search(outsider_client, "30 days")
    assert wiki_links(page) == [wikis["policy"].get_absolute_url()]
    assert "<mark>days</mark>" in page and "Company wiki" in page


def test_a_title_match_comes_before_a_text_match(wikis, author_client):
    assert wiki_links(search(author_client, "launch")) == [
        wikis["secret"].get_absolute_url(),  # "launch" in its title
        wikis["policy"].get_absolute_url(),
    ]


def test_results_outsider_finds_nothing_a_member_finds_the_page(wikis, author_client, outsider_client):
    assert wiki_links(search(author_client, SECRET)) == [wikis["secret"].get_absolute_url()]
    page = search(outsider_client, SECRET)
    assert wiki_links(page) == [] and "Nothing matches" in page
    assert "Falcon launch runbook" not in page and "acquisition" not in page


def test_counts_only_count_pages_the_viewer_may_read(wikis, author_client, outsider_client):
    assert "2 pages you can read" in search(author_client, "checklist")
    page = search(outsider_client, "checklist")
    assert "1 page you can read" in page and wiki_links(page) == [wikis["policy"].get_absolute_url()]


def test_snippets_come_only_from_readable_pages(wikis, author_client, outsider_client):
    assert "<mark>acquisition</mark>" in search(author_client, "acquisition closes")
    page = search(outsider_client, "acquisition closes")
    assert "acquisition closes in March" not in page and "<mark>acquisition</mark>" not in page


def test_typing_as_you_go_and_typos_suggest_nothing_from_a_private_page(
    wikis, author_client, outsider_client
):
    assert wiki_links(search(author_client, "zanzi", **{"HX-Request": "true"})) == [
        wikis["secret"].get_absolute_url()
    ]
    for q in ("zanzi", "zanzibr", "falcon runbok"):
        page = search(outsider_client, q, **{"HX-Request": "true"})
        assert wiki_links(page) == [] and "runbook" not in page.lower().replace(q, "")
        assert "Did you mean" not in page


def test_filters_never_open_a_private_groups_wiki(wikis, author, author_client, outsider_client):
    slug = wikis["group"].slug
    assert wiki_links(search(author_client, f"checklist in:{slug}")) == [wikis["secret"].get_absolute_url()]
    page = search(outsider_client, f"checklist in:{slug}")
    assert wiki_links(page) == [] and f"No group you can read has the address “{slug}”" in page
    # Naming the author narrows to their pages, still only the readable ones.
    assert wiki_links(search(outsider_client, "checklist @ada")) == []
    assert wiki_links(search(author_client, "checklist @ada")) == [wikis["secret"].get_absolute_url()]
    # A kind or a #tag names what pages do not have: no pages.
    assert wiki_links(search(author_client, "checklist is:question")) == []


def test_a_removed_page_is_not_found(wikis, comms, outsider_client):
    wiki.page_delete(page_id=wikis["policy"].pk, actor=comms)
    assert wiki_links(search(outsider_client, "expenses")) == []


def test_wiki_search_uses_the_full_text_index(wikis, author):
    Page.objects.bulk_create(
        Page(
            space=wikis["policy"].space,
            title=f"Page {n}",
            slug=f"page-{n}",
            body="Lunch menu",
            created_by=author,
            author=author,
        )
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wiki_page")
    plan = _plans_of(
        lambda: postgres.wiki_candidates(
            Page.objects.filter(removed_at__isnull=True), text="checklist", phrases=[], also=[], limit=200
        )
    )
    assert "search_wiki_page_vector" in plan


def _wiki_found(text: str) -> list[int]:
    rows = Page.objects.filter(removed_at__isnull=True)
    return [r["id"] for r in postgres.wiki_candidates(rows, text=text, phrases=[], also=[], limit=10)]


def test_the_stored_vector_follows_every_new_title_and_text(comms):
    page = wiki.page_create(author=comms, community=None, title="Parking", body="Bays on level two.")
    assert _wiki_found("parking") == _wiki_found("bays") == [page.pk]

    wiki.page_update(
        page_id=page.pk, editor=comms, title="Bicycles", body="Racks by the door.", base_version=page.version
    )

    assert _wiki_found("parking") == _wiki_found("bays") == []
    assert _wiki_found("bicycles") == _wiki_found("racks") == [page.pk]


def test_search_page_queries_stay_fixed_with_more_pages(wikis, comms, django_assert_max_num_queries):
    client = signed_in(comms)
    client.get("/search/", {"q": "checklist"})
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/search/", {"q": "checklist"})
    for n in range(8):
        wiki.page_create(author=comms, community=None, title=f"Checklist {n}", body="Launch checklist item.")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/search/", {"q": "checklist"})

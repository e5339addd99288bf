"""The GIN indexes exist and PostgreSQL can answer each search query from them.

Queries run inside search.backends.postgres.session(), as on the pages, which steers the planner
to the indexes even on tiny test tables. The real question: does each query's expression match an
index's? If someone changes a SearchVector in search/backends/postgres.py without the migration,
this fails.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feed.models import Comment, Post
from feed.selectors import visible_posts
from search import selectors
from search.backends import postgres
from tests.factories import ProfileFactory
from tests.helpers import skill_give

pytestmark = pytest.mark.django_db

INDEXES = {
    "search_skill_name_trgm",
    "search_profile_name_trgm",
    "search_profile_fts",
    "search_project_name_trgm",
    "search_project_fts",
    "search_post_body_fts",
    "search_skill_holder_rank",
    "search_project_name_fts",
    "search_post_body_english",
    "search_comment_body_english",
}


def _plans_of(call) -> str:
    # postgres.session() is what every search page runs its queries in.
    with postgres.session(), connection.cursor() as cursor:
        with CaptureQueriesContext(connection) as ctx:
            call()
        plans = []
        for query in ctx.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n".join(plans)


def test_search_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search\\_%%'")
        found = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
    assert INDEXES <= found


def test_skill_search_uses_the_trigram_index():
    assert "search_skill_name_trgm" in _plans_of(lambda: postgres.skills_matching("kubernets", limit=10))


def test_people_search_uses_the_trigram_and_full_text_indexes():
    plan = _plans_of(lambda: postgres.people_matching("jon smth", limit=10))

    assert "search_profile_name_trgm" in plan and "search_profile_fts" in plan


def test_project_search_uses_the_trigram_and_full_text_indexes():
    plan = _plans_of(lambda: postgres.projects_matching("invoce", also=["Invoice"], limit=10))

    assert "search_project_name_trgm" in plan or "project_name_trgm_idx" in plan
    assert "search_project_fts" in plan and "search_project_name_fts" in plan


def test_post_author_count_uses_the_full_text_index(author):
    # Enough visible posts that reading the whole feed index costs more than the full-text one.
    Post.objects.bulk_create(Post(author=author, body=f"Post {n} about lunch") for n in range(2000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feed_post")

    assert "search_post_body_fts" in _plans_of(
        lambda: postgres.post_authors("kubernetes", also=[], recent=2000, limit=200)
    )


def test_skill_holders_are_read_in_order_off_the_rank_index():
    # Outside postgres.session(), as on the pages. Tiny tables would be read whole, so the planner
    # is told to avoid that; if HOLDER_SCORE and the indexed expression ever differ, it cannot use
    # the index and sorts the rows instead.
    for n in range(3):
        skill_give(ProfileFactory(), "Kubernetes", endorsements=n)
        skill_give(ProfileFactory(), "Kubernetes operators", endorsements=n)
    skills = postgres.skills_matching("kubernetes", limit=5)
    with CaptureQueriesContext(connection) as ctx:
        selectors._skill_holders(skills=skills, limit=10)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off; SET enable_bitmapscan = off")
        try:
            cursor.execute("EXPLAIN " + ctx.captured_queries[-1]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_bitmapscan")

    assert plan.count("search_skill_holder_rank") == 2  # once per skill


def test_content_search_uses_the_english_full_text_indexes(author):
    post = Post.objects.create(author=author, body="Seed thread")
    Post.objects.bulk_create(Post(author=author, body=f"Post {n} about lunch") for n in range(2000))
    Comment.objects.bulk_create(Comment(post=post, author=author, body=f"Reply {n}") for n in range(2000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feed_post; ANALYZE feed_comment")
    words = {"text": "postmortem checkout", "phrases": [], "also": [], "limit": 200}

    plan = _plans_of(
        lambda: (
            postgres.content_candidates(visible_posts(), fields=("id",), **words),
            postgres.content_candidates(
                Comment.objects.filter(removed_at__isnull=True), fields=("id",), **words
            ),
        )
    )

    assert "search_post_body_english" in plan and "search_comment_body_english" in plan

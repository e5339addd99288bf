"""The GIN indexes exist and PostgreSQL can answer each search query from them.

Queries run inside search.backends.postgres.session(), as on the pages, which steers the planner
to the indexes even on tiny test tables. The real question: does each query's expression match an
index's? If someone changes a SearchVector in search/backends/postgres.py without the migration,
this fails.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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
    "search_post_vector",
    "search_comment_vector",
    "search_wiki_page_vector",
    "search_comment_group",
}


def _plans_of(call) -> str:
    # postgres.session() is what every search page runs its queries in.
    with postgres.session(), connection.cursor() as cursor:
        with CaptureQueriesContext(connection) as ctx:
            call()
        plans = []
        for query in ctx.captured_queries:
            sql = query["sql"].lstrip()
            setting, separator, rest = sql.partition("; ")
            if separator and setting.upper().startswith("SET LOCAL"):  # content_candidates' index scans
                cursor.execute(setting)
                sql = rest
            if sql.upper().startswith(("SELECT", "WITH")):
                cursor.execute("EXPLAIN " + sql)
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


def _newest(text: str, *, limit: int, model=Post) -> list[int]:
    rows = visible_posts() if model is Post else Comment.objects.filter(removed_at__isnull=True)
    with postgres.session():
        found = postgres.content_candidates(rows, text=text, phrases=[], also=[], fields=("id",), limit=limit)
    return [r["id"] for r in found]


def test_the_newest_matches_are_found_across_the_recent_rows_and_the_older_ones(author):
    """The recent fortnight is read first; older matches (through the GIN index) fill the rest, in order."""
    now = timezone.now()
    ages = [1, 3, 13, 15, 40, 400]  # days
    posts = Post.objects.bulk_create(
        Post(author=author, body=f"Lunch and learn {n}", created_at=now - timedelta(days=d))
        for n, d in enumerate(ages)
    )
    Post.objects.create(author=author, body="Nothing to see", created_at=now)
    assert _newest("lunch", limit=4) == [p.pk for p in posts[:4]]
    assert _newest("lunch", limit=10) == [p.pk for p in posts]
    assert _newest("learn", limit=2) == [p.pk for p in posts[:2]]  # the recent part alone
    comments = Comment.objects.bulk_create(
        Comment(post=posts[0], author=author, body="Old lunch notes", created_at=now - timedelta(days=d))
        for d in (2, 90)
    )
    assert _newest("notes", limit=10, model=Comment) == [c.pk for c in comments]


def test_the_stored_vector_follows_every_insert_and_edit(author):
    post = Post.objects.create(author=author, body="Quarterly planning")
    words = {"phrases": [], "also": [], "fields": ("id",), "limit": 10}
    assert [r["id"] for r in postgres.content_candidates(visible_posts(), text="planning", **words)] == [
        post.pk
    ]
    Post.objects.filter(pk=post.pk).update(body="Offsite agenda")  # any write of the body, even a bulk one
    assert postgres.content_candidates(visible_posts(), text="planning", **words) == []
    assert [r["id"] for r in postgres.content_candidates(visible_posts(), text="agenda", **words)] == [
        post.pk
    ]


def test_a_groups_comments_are_walked_through_their_stored_group(author):
    """`in:group` reads the group's comments off search_comment_group (their stored copy of the post's
    group, search/migrations/0012), not every recent comment joined to its post."""
    from communities import services as communities

    group = communities.community_create(creator=author, name="Guild", category="work", visibility="public")
    post = Post.objects.create(author=author, body="Guild meeting", community=group)
    elsewhere = Post.objects.create(author=author, body="Company meeting")
    mine = Comment.objects.create(post=post, author=author, body="Meeting notes attached")
    Comment.objects.bulk_create(
        Comment(post=elsewhere, author=author, body="Meeting notes") for _ in range(60)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feed_comment")  # what the planner knows of a real table
    rows = Comment.objects.filter(removed_at__isnull=True, post__community=group)
    found: list[dict] = []

    def candidates():
        found.extend(
            postgres.content_candidates(
                rows, text="notes", phrases=[], also=[], fields=("id",), limit=10, group_id=group.pk
            )
        )

    assert "search_comment_group" in _plans_of(candidates)
    assert [r["id"] for r in found] == [mine.pk]


def _rare(text: str, *, also: tuple[str, ...] = (), table: str = "feed_post") -> bool:
    sql, params = postgres._rare(table, text=text, phrases=[], also=list(also))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_words_too_rare_for_the_recent_walk_are_told_from_the_planners_statistics(author):
    """A word in under 1% of posts is read through the GIN index even among recent posts (the walk
    could not stop early); a common word, or any query before statistics exist, walks."""
    assert not _rare("zeppelin")  # no statistics yet: the walk, as always
    now = timezone.now()
    Post.objects.bulk_create(
        Post(author=author, body=f"Weekly update {n}: standup notes", created_at=now - timedelta(hours=n))
        for n in range(400)
    )
    rare = Post.objects.bulk_create(
        Post(author=author, body="Zeppelin tour booked", created_at=now - timedelta(days=d)) for d in (2, 300)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feed_post")
    assert _rare("zeppelin") and _rare("zeppel")  # a prefix too (the last word is typed on)
    assert _rare("zeppelin tour") and _rare("weekly zeppelin")  # the rarest word bounds them all
    assert not _rare("standup") and not _rare("weekly update")
    assert not _rare("st")  # a prefix of a common word counts it
    assert not _rare("zeppelin", also=("standup",))  # any alternative spelling adds its share
    assert _rare("nosuchword")  # unknown: rarer than anything listed
    assert _rare("the zeppelin") and not _rare("the")  # stop words are left out; only them: not sure
    # Both ways read the same newest matches.
    assert _newest("zeppelin", limit=10) == [p.pk for p in rare]
    assert _newest("standup", limit=3) == list(
        Post.objects.order_by("-created_at").values_list("id", flat=True)[:3]
    )

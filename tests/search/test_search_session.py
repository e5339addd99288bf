"""Search plans its queries to read through the indexes (search/backends/postgres.py session()); the
rest of the request, and every other page, must not inherit that, nor pay PostgreSQL's JIT compiler.

Both happened: inside a test's (or a request's) transaction, the settings outlived the search, and
with seq scans off every later query on a small table was costed at 10^10, crossed JIT's threshold
and spent 300-600 ms compiling itself.
"""

import pytest
from django.db import connection, transaction

from search.backends.postgres import session

pytestmark = pytest.mark.django_db


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_a_search_leaves_the_planner_as_it_found_it_inside_a_larger_transaction():
    with transaction.atomic():
        with session():
            assert _setting("enable_seqscan") == "off"
        assert _setting("enable_seqscan") == "on"
        assert _setting("enable_indexscan") == "on"


def test_hive_connections_never_jit_compile_a_query():
    assert _setting("jit") == "off"


def test_a_search_page_then_another_page_costs_milliseconds_per_query(colleague_client):
    """The whole request after a search: no query of the profile page is planned with seq scans off."""
    from django.test.utils import CaptureQueriesContext

    colleague_client.get("/search/?q=anything")
    with CaptureQueriesContext(connection) as queries:
        assert colleague_client.get("/people/").status_code == 200
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0][0]["Plan"]
                assert plan["Total Cost"] < 100_000, query["sql"][:200]

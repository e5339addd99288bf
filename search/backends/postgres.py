"""PostgreSQL search: full-text search (the 'simple' configuration) and pg_trgm, served by GIN indexes.

Every query filters only with operators a GIN index answers (@@, % and <%), and ranks just the rows
that matched, so its cost follows the number of matches rather than the size of the company.
The expressions below must stay identical to the indexed ones in search/migrations/0001_search_indexes
(a SearchVector renders as to_tsvector('simple'::regconfig, COALESCE(col, '') || ' ' || ...)),
or PostgreSQL silently falls back to reading every row.

'simple' rather than 'english': names and skills must not be stemmed ("Jones" is not "Jone"), and
the company writes in more than one language.
"""

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.contrib.postgres.lookups import TrigramSimilar, TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Exists,
    Expression,
    F,
    Field,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Greatest, Length
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from expertise.models import Skill
from feed.models import Comment, Post
from feed.selectors import public_posts
from profiles.models import Profile
from profiles.selectors import active_profiles
from projects.models import Project
from search.backends import PersonMatch, SkillMatch, authors_by_post_count
from search.text import tsquery_text, words_of

CONFIG = "simple"
# Short skill names lose most of their trigrams to one slip: "pyhton" shares 3 of 7 with "python"
# (similarity 0.27), under pg_trgm's default bar of 0.3. The skill vocabulary is small and every
# match is ranked, so skills are searched with a lower bar: session() sets it for the whole
# transaction (no round trips to set and reset it around one query), and names of people and
# projects keep the default bar by saying it (_similar).
SKILL_SIMILARITY_THRESHOLD = 0.25
NAME_SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default
# Rows ranked per query. A word half the company shares ("engineer", a common first name) matches
# tens of thousands of rows; ranking them all would cost far more than anyone reads. The index finds
# at most this many, in no particular order, and only those are ranked.
CANDIDATE_CAP = 500
# Project names with the query's words that are ranked (see projects_matching).
NAME_CANDIDATES = 100


@contextmanager
def session() -> Iterator[None]:
    """One transaction for a page's search queries, planned to read through the indexes.

    With a LIMIT in a candidate query, PostgreSQL's estimates often favour walking an index in
    order until enough rows match: a disaster when few do (a rare word, or common words that
    rarely meet: every row of the table is read), where bitmap scans of the GIN indexes cost a
    millisecond or two whatever the word. So index scans are off (content_candidates allows them
    for its bounded walks, and the rest of the transaction). Those settings make every plan look expensive,
    which would turn on JIT compilation (hundreds of milliseconds per query for nothing: these
    queries read few rows), so JIT is off too; and no parallel workers, whose start costs more than
    these queries and which may run content_candidates' parts out of order. The trigram bar is
    the skills' (SKILL_SIMILARITY_THRESHOLD). All in one statement: every round trip counts on a
    busy server.

    SET LOCAL keeps these settings to this transaction. When it is the page's own, its commit ends
    them; when the page's queries run inside a larger one (a savepoint), leaving puts them back, as
    a savepoint's release would not.
    """
    settings = ("jit", "max_parallel_workers_per_gather", "enable_seqscan", "enable_indexscan")
    trigram = "pg_trgm.similarity_threshold"
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; "
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
            f"SET LOCAL {trigram} = {SKILL_SIMILARITY_THRESHOLD}"
        )
        try:
            yield
        finally:
            if nested:
                cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in (*settings, trigram)))


def _tsquery(text: str) -> SearchQuery:
    # search_type="raw": the text comes from search.text.tsquery_text, which only lets words through.
    return SearchQuery(text, search_type="raw", config=CONFIG)


def _exact(field: str, query: str) -> Case:
    return Case(
        When(**{f"{field}__iexact": query}, then=Value(3.0)), default=Value(0.0), output_field=FloatField()
    )


def _similar(field: str, query: str, *, threshold: float = NAME_SIMILARITY_THRESHOLD) -> Q:
    # field % query (similarity over session()'s bar) or query <% field (query close to a word run
    # inside field): both answered by the field's gin_trgm_ops index. Typos live here: "kubernets" ~
    # "Kubernetes". `threshold`, when above session()'s bar, is checked on the rows the index found.
    similar = Q(TrigramSimilar(F(field), query))
    if threshold > SKILL_SIMILARITY_THRESHOLD:
        similar &= Q(GreaterThan(TrigramSimilarity(field, query), threshold))
    return similar | Q(TrigramWordSimilar(F(field), query))


def skills_matching(query: str, *, limit: int) -> list[SkillMatch]:
    """Skills named like the query, closest first, each with its similarity (3 or more when exact).
    Inside session(), which sets the skills' lower trigram bar."""
    similarity = _exact("name", query) + Greatest(
        TrigramSimilarity("name", query), TrigramWordSimilarity(query, "name")
    )
    qs = Skill.objects.filter(_similar("name", query, threshold=SKILL_SIMILARITY_THRESHOLD))
    skills = list(qs.annotate(similarity=similarity).order_by("-similarity", "name")[:limit])
    return [SkillMatch(skill=s, similarity=s.similarity) for s in skills]


def people_matching(query: str, *, limit: int) -> list[PersonMatch]:
    """Active people by name (typos forgiven) or by the words of their name and job title."""
    # Names similar to the query are few even in a big company, and all of them are ranked, so the
    # right "John Smith" is never cut; words of names and titles can match thousands: capped.
    candidates = active_profiles().filter(_similar("display_name", query)).values("id")
    ts = tsquery_text(query, prefix=True)
    if ts:
        by_words = (
            active_profiles()
            .alias(doc=SearchVector("display_name", "job_title", config=CONFIG))
            .filter(doc=_tsquery(ts))
            .values("id")[:CANDIDATE_CAP]
        )
        candidates = candidates.union(by_words)
    rank = (
        _exact("display_name", query)
        + TrigramSimilarity("display_name", query)
        + TrigramWordSimilarity(query, "display_name")
        # A title that fits counts, less than a name: "designer" lists designers after anyone named so.
        + TrigramWordSimilarity(query, "job_title") * Value(0.5)
    )
    people = (
        Profile.objects.filter(id__in=candidates)
        .annotate(rank=rank)
        .select_related("department", "location")
        # What the results show and nothing else: no phone, bio or links leave the database.
        .only("id", "display_name", "job_title", "department__name", "location__name", "location__time_zone")
        .order_by("-rank", "display_name", "id")[:limit]
    )
    return [PersonMatch(person=p, rank=p.rank) for p in people]


def projects_matching(query: str, *, also: list[str], limit: int) -> list[Project]:
    """Projects by the words of their name and summary, or by a name spelled close to the query.

    `also` are corrected spellings (skill names close to the query), so "kubernets" also finds a
    summary that says "Kubernetes". A match in the name ranks above one only in the summary; ties
    go to the project updated most recently.

    A common word ("migration") is in thousands of names, and trigram similarity costs ~20 µs a row,
    so only likely winners are ranked: the shortest names with the words (a shorter name is closer
    to the query: that is what similarity measures), the newest projects whose summary has them,
    and, only when no project has the words at all, names spelled like the query (typos).
    """
    rank = _exact("name", query) + TrigramSimilarity("name", query) + TrigramWordSimilarity(query, "name")
    similar = Project.objects.filter(_similar("name", query)).values("id")
    ts = tsquery_text(query, prefix=True, alternatives=also)
    # Rows of project ids, from one query or the union of three.
    candidates: QuerySet[Project, Mapping[str, Any]]
    if ts:
        tsq = _tsquery(ts)
        words = Project.objects.alias(doc=SearchVector("name", "summary", config=CONFIG)).filter(doc=tsq)
        by_name = (
            Project.objects.alias(doc=SearchVector("name", config=CONFIG))
            .filter(doc=tsq)
            .order_by(Length("name"), "-updated_at", "-id")
            .values("id")[:NAME_CANDIDATES]
        )
        by_summary = words.order_by("-updated_at", "-id").values("id")[:limit]
        # Evaluated once, before the trigram scan: when the words matched, that scan never runs.
        typos = similar.filter(~Exists(words))[:CANDIDATE_CAP]
        candidates = by_name.union(by_summary, typos)
        rank = rank + SearchRank(SearchVector("name", config=CONFIG), tsq)
    else:
        candidates = similar[:CANDIDATE_CAP]
    return list(
        Project.objects.filter(id__in=candidates)
        .annotate(rank=rank)
        .select_related("department")
        .only("id", "name", "summary", "status", "member_count", "updated_at", "department__name")
        .order_by("-rank", "-updated_at", "-id")[:limit]
    )


def post_authors(topic: str, *, also: list[str], recent: int, limit: int) -> dict[int, int]:
    """{author id: posts about the topic} among the `recent` newest visible matching updates.

    One aggregated query. The cap keeps a topic everyone mentions ("meeting") as cheap as a rare
    one, and recent writing is the better sign of what someone knows now. Authors who left are
    not filtered here (that would join every matching post to its author): the caller keeps
    active people only.
    """
    ts = tsquery_text(topic, prefix=False, alternatives=also)
    if not ts:
        return {}
    newest = (
        # Only what everyone may read: a private group's posts must not show who wrote what there.
        public_posts()
        .filter(kind=Post.Kind.UPDATE)
        .alias(doc=SearchVector("body", config=CONFIG))
        .filter(doc=_tsquery(ts))
        .order_by("-created_at")
        .values_list("author_id", flat=True)[:recent]
    )
    return authors_by_post_count(newest, limit=limit)


# --- Posts and comments ---------------------------------------------------------------------
# 'english' here, unlike names: content is prose, and "postmortems" should find "postmortem".
# search/migrations/0007_stored_content_vectors stores to_tsvector(CONTENT_CONFIG, body) in each post's
# and comment's search_vector (its trigger names the configuration); change both or neither.
CONTENT_CONFIG = "english"
# content_candidates reads this many days of posts (or comments) before looking further back: about
# 19,000 rows of each on the feed bench (1,000,000 posts and 2,000,000 comments in two years). A word
# rare in comments ("workshop": 36 of the last fortnight's 38,000) read every one of them.
RECENT_DAYS = {Post: 14, Comment: 7}
# A query matching fewer than this share of a table's rows is read through the GIN index even in the
# recent window: the walk would not find CONTENT_CANDIDATES there before reading it all (~19,000 rows
# of each table on the feed bench), and a word that matches nothing read all of them for nothing.
RARE_SHARE = 0.01
# Control characters mark the matches in ts_headline's output, which is then split on them and each
# part escaped by the template: a body holding them can at worst mark the wrong words, never add markup.
MARK_START, MARK_STOP = "\x02", "\x03"


def _content_tsquery_text(*, text: str, phrases: list[str], also: list[str]) -> str | None:
    """Every word of the query (the last one also as a prefix, for typing), every quoted phrase word
    after word, or any corrected spelling. Only \\w characters reach to_tsquery."""
    words = words_of(text)
    groups = []
    if words:
        terms = [*words[:-1], f"{words[-1]}:*" if len(words[-1]) > 1 else words[-1]]
        terms += [" <-> ".join(words_of(p)) for p in phrases if words_of(p)]
        groups.append("(" + " & ".join(f"({t})" for t in terms) + ")")
    groups += ["(" + " & ".join(words_of(alt)) + ")" for alt in also if words_of(alt)]
    return " | ".join(groups) if groups else None


def _content_tsquery(*, text: str, phrases: list[str], also: list[str]) -> SearchQuery | None:
    ts = _content_tsquery_text(text=text, phrases=phrases, also=also)
    return None if ts is None else SearchQuery(ts, search_type="raw", config=CONTENT_CONFIG)


class StoredVector(Expression):
    """The `search_vector` column search/migrations/0007 adds to feed_post and feed_comment (a stored
    to_tsvector(CONTENT_CONFIG, body)) and 0009 to wiki_page (title and text), filled by triggers.
    The models do not name it (SQLite has no tsvector), so this names it as a column of the query's
    main table, whatever its alias."""

    column = "search_vector"
    output_field: Field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        assert query is not None
        field = type(self.output_field)()
        field.set_attributes_from_name(self.column)
        field.model = query.model
        return Col(query.get_initial_alias(), field)


class StoredGroup(StoredVector):
    """The `search_community_id` column search/migrations/0012 adds to feed_comment: its post's group,
    copied by the comment's trigger (for `in:group`; readability is still checked on the post)."""

    column = "search_community_id"
    output_field = BigIntegerField()


class _Slot(Expression):
    """A condition compiled as a marker, for content_candidates to put each part's own condition in."""

    MARK = "(/*part*/ TRUE)"
    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        return self.MARK, ()


def content_candidates(
    rows: QuerySet,
    *,
    text: str,
    phrases: list[str],
    also: list[str],
    fields: tuple[str, ...],
    limit: int,
    group_id: int | None = None,
) -> list[dict]:
    """The `limit` newest of `rows` (posts or comments, already narrowed to what the viewer may read)
    whose body matches, each with its full-text `rank`: one query (which also allows index scans for
    the rest of session()'s transaction).

    The last RECENT_DAYS (per table) are read first, newest first, checking each row's stored vector (a
    microsecond): a word everyone writes ("workshop", 78,000 of 1,000,000 posts) stops after a few
    thousand rows. The planner is not asked to choose how: its estimate of how many rows match several
    words is often a hundred times too low (words that come together, "office hours questions"), and
    it would then read every match of all time through the GIN index. But a query too rare for the
    walk to stop early (_rare: a bound from the planner's per-word statistics, which the planner itself
    would multiply) reads the recent rows' matches through the GIN index instead; a word that matches
    nothing no longer reads 19,000 rows to find it out. Older matches always come from the GIN index,
    and PostgreSQL reads them only while rows are missing (UNION ALL under one LIMIT; the walk and the
    recent GIN part are gated by `rare`, computed once). Only the rows kept are ranked, from the
    stored vector.

    `group_id` (`in:group`, already among `rows`' conditions) is also matched on comments' stored copy
    of their post's group, so a group's comments are walked like its posts (search_comment_group)
    rather than every comment joined to its post.
    """
    ts = _content_tsquery_text(text=text, phrases=phrases, also=also)
    if ts is None:
        return []
    tsq = SearchQuery(ts, search_type="raw", config=CONTENT_CONFIG)
    if rows.model not in (Post, Comment):
        # A smaller table with an expression index of its own (events' questions): its matches, ranked.
        vector = SearchVector("body", config=CONTENT_CONFIG)
        matching = rows.alias(doc=vector).filter(doc=tsq).order_by("-created_at", "-id").values("id")[:limit]
        return list(
            rows.model.objects.filter(id__in=matching)
            .annotate(rank=SearchRank(vector, tsq))
            .order_by("-created_at", "-id")
            .values(*fields, "rank")
        )
    if group_id is not None and rows.model is Comment:
        rows = rows.alias(stored_group=StoredGroup()).filter(stored_group=group_id)
    since = timezone.now() - timedelta(days=RECENT_DAYS[rows.model])
    # `rows`' conditions are compiled once, with a slot for each part's own (Django compiled and
    # resolved every part's whole query apart: a few ms of CPU per search, twice per page).
    try:
        base_sql, base_params = rows.filter(_Slot()).order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # a filter Django knows matches nothing (a #tag nobody used)
        return []
    table = rows.model._meta.db_table
    quote = connection.ops.quote_name
    own = quote(table)
    matches = f"{own}.search_vector @@ to_tsquery(%s::regconfig, %s)"

    def part(condition: str, order: str, params: tuple) -> tuple[str, tuple]:
        # The slot is the last condition, and nothing after it takes parameters.
        assert base_sql.count(_Slot.MARK) == 1
        sql = base_sql.replace(_Slot.MARK, condition)
        ordered = f"{sql} ORDER BY {order} DESC, {own}.{quote('id')} DESC LIMIT {int(limit)}"
        return ordered, (*base_params, *params)

    created = f"{own}.{quote('created_at')}"
    # The walk: the vector as an expression no index answers (concatenating nothing changes nothing),
    # in the order of the created_at index.
    walk = part(
        f"({own}.search_vector || ''::tsvector) @@ to_tsquery(%s::regconfig, %s) AND {created} >= %s",
        created,
        (CONTENT_CONFIG, ts, since),
    )
    # Ordered by an expression no index has: never a walk back through two years of rows.
    at = f"({created} + '00:00:00'::interval)"
    older = part(f"{matches} AND {created} < %s", at, (CONTENT_CONFIG, ts, since))
    # A rare query's matches of all time, in one read of the GIN index (the created_at index has no
    # say: the planner, wrong about how many rows the last days hold, would walk them again).
    every = part(matches, at, (CONTENT_CONFIG, ts))
    parts = [walk, older, every]
    rare_sql, rare_params = _rare(table, text=text, phrases=phrases, also=also)
    # `fields` are the table's columns, or its post's (post__best_answer_id: a comment's post).
    columns = [
        f"post.{quote(f.removeprefix('post__'))} AS {quote(f)}" if f.startswith("post__") else f"t.{quote(f)}"
        for f in fields
    ]
    post = ""
    if rows.model is Comment:
        post = f" JOIN {quote(Post._meta.db_table)} AS post ON post.id = t.post_id"
    sql = (
        # The walk goes through an index in order: index scans are allowed from here on (session()).
        "SET LOCAL enable_indexscan = on; "
        f"WITH rare AS MATERIALIZED ({rare_sql}) "
        f"SELECT {', '.join(columns)}, ts_rank(t.search_vector, to_tsquery(%s::regconfig, %s)) AS rank "
        f"FROM {quote(table)} AS t{post} WHERE t.id IN (SELECT id FROM ("
        f"(SELECT id FROM ({parts[0][0]}) AS walk WHERE NOT (SELECT yes FROM rare)) "
        f"UNION ALL (SELECT id FROM ({parts[1][0]}) AS older WHERE NOT (SELECT yes FROM rare)) "
        f"UNION ALL (SELECT id FROM ({parts[2][0]}) AS every WHERE (SELECT yes FROM rare))"
        f") AS newest LIMIT {int(limit)}) "
        "ORDER BY t.created_at DESC, t.id DESC"
    )
    params = (*rare_params, CONTENT_CONFIG, ts, *parts[0][1], *parts[1][1], *parts[2][1])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _rare(table: str, *, text: str, phrases: list[str], also: list[str]) -> tuple[str, list]:
    """SQL of one row, `yes`: whether the query's words are too rare in `table` for the walk through the
    recent rows to stop early, so those rows are better read through the GIN index.

    From the planner's lexeme frequencies (pg_stats' most common elements of search_vector, kept for
    ~10,000 lexemes by 0007's statistics target): every word must match, so the rarest word's
    frequency bounds the query's (for an alternative spelling, the sum of the alternatives'), whatever
    the planner would multiply; a word not among them is rarer than the least common listed; a prefix
    counts every listed lexeme it starts. Not sure (no statistics yet, only stop words): no.
    """
    groups: list[tuple[str, str]] = []  # (words that must all match, a prefix that must match too)
    params: list[str] = []
    words = words_of(text)
    if words:
        every, last = [*words[:-1], *(w for p in phrases for w in words_of(p))], words[-1]
        prefix = last if len(last) > 1 else ""
        groups.append((" ".join(every if prefix else [*every, last]), prefix))
    groups += [(" ".join(words_of(alt)), "") for alt in also if words_of(alt)]
    bounds = []
    for exact, prefix in groups:
        bounds.append(
            "(SELECT min(b) FROM ("
            "SELECT coalesce(s.f[array_position(s.e, l)], s.least) AS b "
            f"FROM unnest(tsvector_to_array(to_tsvector('{CONTENT_CONFIG}', %s))) AS l "
            "UNION ALL SELECT s.least + coalesce((SELECT sum(x.f) "
            "FROM unnest(s.e, s.f[1:array_length(s.e, 1)]) AS x(e, f) WHERE starts_with(x.e, l)), 0) "
            f"FROM unnest(tsvector_to_array(to_tsvector('{CONTENT_CONFIG}', %s))) AS l) AS t)"
        )
        params += [exact, prefix]
    if not bounds:
        return "SELECT false AS yes", []
    stats = (
        "SELECT e, f, f[array_length(e, 1) + 1] AS least FROM (SELECT most_common_elems::text::text[] AS e, "
        "most_common_elem_freqs AS f FROM pg_stats WHERE schemaname = current_schema() "
        "AND tablename = %s AND attname = 'search_vector') AS x"
    )
    return (
        f"SELECT coalesce((SELECT {' + '.join(bounds)} FROM ({stats}) AS s) < %s, false) AS yes",
        [*params, table, RARE_SHARE],
    )


def content_display(rows: QuerySet, *, text: str, phrases: list[str], also: list[str]) -> list:
    """`rows` (the page's few posts or comments) with `.snippet`: ts_headline's fragments around the
    matches, split into (text, is_match) parts for the template to escape."""
    tsq = _content_tsquery(text=text, phrases=phrases, also=also)
    if tsq is None:
        return list(rows)
    found = list(
        rows.annotate(
            headline=SearchHeadline(
                "body",
                tsq,
                config=CONTENT_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    )
    for item in found:
        item.snippet = _marked_parts(item.headline)
    return found


def _marked_parts(headline: str) -> list[tuple[str, bool]]:
    parts = []
    for i, piece in enumerate(re.split(f"[{MARK_START}{MARK_STOP}]", " ".join(headline.split()))):
        if piece:
            parts.append((piece, i % 2 == 1))
    return parts


# --- Wiki pages -----------------------------------------------------------------------------


def wiki_candidates(
    rows: QuerySet, *, text: str, phrases: list[str], also: list[str], limit: int
) -> list[dict]:
    """The `limit` most recently edited of `rows` (wiki pages the viewer may read) whose title or text
    matches, each with its `rank` and whether the title itself matches (`in_title`): one query.

    Matched and ranked on the page's stored vector (search/migrations/0009: title and text,
    CONTENT_CONFIG), which the GIN index answers; only the kept pages' titles are parsed again.
    """
    tsq = _content_tsquery(text=text, phrases=phrases, also=also)
    if tsq is None:
        return []
    matching = rows.alias(doc=StoredVector()).filter(doc=tsq)
    newest = matching.order_by("-updated_at", "-id").values("id")[:limit]
    title_match = rows.model.objects.filter(pk=OuterRef("pk")).alias(
        t=SearchVector("title", config=CONTENT_CONFIG)
    )
    return list(
        rows.model.objects.filter(id__in=newest)
        .annotate(rank=SearchRank(StoredVector(), tsq), in_title=Exists(title_match.filter(t=tsq)))
        .order_by("-updated_at", "-id")
        .values("id", "updated_at", "rank", "in_title")
    )

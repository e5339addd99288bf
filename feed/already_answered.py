""" "Already answered?": while someone types a question, what the network already knows about it.

Up to three questions with an accepted answer, a few posts, and people listing the matching skill,
found by meaning (the sentence model, common.similar_text) and by words (PostgreSQL full-text search),
in a fixed number of queries whatever the number of questions:

  1. the viewer's groups (communities.selectors.member_community_ids)
  2. the draft's rarer words, for questions and for posts (PostgreSQL's statistics of each)
  3. the question vectors' freshness (common.vector_index; plus the new vectors when there are some),
     at most every common.retrieval.STORED_CHECK_SECONDS: most look-ups skip it
  4. answered questions sharing those words (feed_answered_question_words, migration 0016)
  5. the candidate questions the viewer may read, with their answers (one query, joins)
  6. posts sharing those words, on their stored search_vector (search/migrations/0007), the best
     ranked among the newest matches
  7-8. the skill vectors' freshness (as in 3), then the skills named in or close to the draft with
     their most endorsed holders, in one statement (expertise.selectors.skill_holders_matching)

The event page asks the same for a question to a host (events reads this module).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL

from common import similar_text
from communities.selectors import member_community_ids, readable_q
from expertise.selectors import SkillHolder, skill_holders_matching
from feed.models import Comment, Post
from profiles.models import Profile

QUESTION_KIND = "feed.question"

QUESTIONS_SHOWN = 3
POSTS_SHOWN = 3
PEOPLE_SHOWN = 3
# The nearest questions by meaning looked at; the readable ones whose answer is still up are kept.
# The index holds answered questions only (QUESTION_VECTORS): a quarter of the questions at the feed
# bench's scale, so a quarter of the matrix product and of the memory.
NEAREST = 40
# Questions found by words: the best this many by full-text rank among the newest WORD_POOL matches.
WORD_CANDIDATES = 20
WORD_POOL = 300
# Lexemes in more than this share of the indexed rows (PostgreSQL's statistics of the index) do not
# select candidates: "anyone", "know", "team" match thousands of questions.
COMMON_WORD_SHARE = 0.02
# How close in meaning a question must be to be shown: all-MiniLM-L6-v2 gives 0.55-0.9 for the same
# question in other words, 0.3-0.5 for another question on the same topic (tests/feed/
# test_already_answered.py holds examples). Found by words too, a little less is enough.
QUESTION_FLOOR = 0.45
QUESTION_FLOOR_WITH_WORDS = 0.35
# Posts are looked for among the newest POSTS_WINDOW, the best by rank among the newest POSTS_POOL
# matches: the window bounds how far a walk for words many posts share goes back (on their stored
# vectors, bench/leaders/answered.py), the pool how many are ranked.
POSTS_WINDOW = 20_000
POSTS_POOL = 60
# Shorter drafts are not looked up: "How" finds nothing worth showing.
MIN_CHARS = 12


@dataclass
class AnsweredQuestion:
    post: Post
    answer: Comment
    cosine: float | None
    reason: str


@dataclass
class AlreadyAnswered:
    questions: list[AnsweredQuestion] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    people: list[SkillHolder] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.questions or self.posts or self.people)


def already_answered(*, viewer: Profile, text: str, exclude_post_id: int | None = None) -> AlreadyAnswered:
    """What the viewer may read that already answers `text`, a question being typed."""
    text = " ".join((text or "").split())
    if len(text) < MIN_CHARS:
        return AlreadyAnswered()
    draft = similar_text.draft_read(text)
    member_ids = member_community_ids(profile=viewer)
    words = _rare_words(draft.text) if connection.vendor == "postgresql" else None
    questions = _answered_questions(
        draft=draft,
        word_ids=_answered_question_ids_by_words(draft.text, words),
        member_ids=member_ids,
        exclude_post_id=exclude_post_id,
    )
    shown = {q.post.pk for q in questions}
    if exclude_post_id is not None:
        shown.add(exclude_post_id)
    return AlreadyAnswered(
        questions=questions,
        posts=_posts_by_words(draft.text, words, member_ids=member_ids, exclude=shown),
        people=skill_holders_matching(
            text=draft.text, vector=draft.vector, exclude_id=viewer.pk, limit=PEOPLE_SHOWN
        ),
    )


def _readable(member_ids: frozenset[int]) -> Q:
    return Q(removed_at__isnull=True, held_at__isnull=True) & readable_q(member_ids=member_ids)


def _answered_questions(
    *,
    draft: similar_text.Draft,
    word_ids: list[int],
    member_ids: frozenset[int],
    exclude_post_id: int | None,
) -> list[AnsweredQuestion]:
    # Only the candidates close enough to be shown are read: a row costs a few hundred microseconds
    # of Python (post, author, answer, its author, group), and most of the nearest 40 are not.
    matches = [
        m
        for m in similar_text.similar(kind=QUESTION_KIND, draft=draft, word_ids=word_ids, k=NEAREST)
        if _reason(m, draft) is not None
    ]
    if not matches:
        return []
    rows = {
        p.pk: p
        for p in Post.objects.filter(
            _readable(member_ids),
            pk__in=[m.id for m in matches],
            kind=Post.Kind.QUESTION,
            best_answer__isnull=False,
            best_answer__removed_at__isnull=True,
        ).select_related("author", "best_answer__author", "community")
    }
    found = []
    for match in matches:
        post = rows.get(match.id)
        if post is None or post.pk == exclude_post_id or post.best_answer is None:
            continue
        reason = _reason(match, draft)
        assert reason is not None  # kept above
        found.append(AnsweredQuestion(post=post, answer=post.best_answer, cosine=match.cosine, reason=reason))
        if len(found) == QUESTIONS_SHOWN:
            break
    return found


def _reason(match: similar_text.Match, draft: similar_text.Draft) -> str | None:
    """Why the question is shown, None when it is not close enough to the draft."""
    if match.cosine is None:
        if match.by_words is None or draft.vector is not None:
            return None  # no vector yet while the model is on: cannot tell how close it is
        return "shares words with your question"
    if match.cosine >= QUESTION_FLOOR:
        return "very close in meaning" if match.cosine >= 0.7 else "close in meaning"
    if match.by_words is not None and match.cosine >= QUESTION_FLOOR_WITH_WORDS:
        return "shares words and meaning with your question"
    return None


@dataclass(frozen=True)
class _RareWords:
    """The draft's rarer words as tsquery texts: None when none is left."""

    in_questions: str | None
    in_posts: str | None


def _rare_words(text: str) -> _RareWords:
    """The draft's lexemes as two OR-queries (tsquery texts), for answered questions and for posts:
    each less the lexemes that more than COMMON_WORD_SHARE of those rows hold (PostgreSQL's statistics
    of feed_answered_question_words, and of the posts' stored search_vector); None when nothing is
    left. One query. The queries that use them get them as literals, so that PostgreSQL plans each
    from how rare its words are (a subquery computing them would hide that)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH common AS (
                SELECT s.tablename, e.lex FROM pg_stats s,
                    unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lex, freq)
                WHERE s.schemaname = current_schema() AND e.lex IS NOT NULL AND e.freq > %s
                    AND (s.tablename = 'feed_answered_question_words'
                         OR (s.tablename = 'feed_post' AND s.attname = 'search_vector'))
            )
            SELECT lex,
                lex IN (SELECT lex FROM common WHERE tablename = 'feed_answered_question_words'),
                lex IN (SELECT lex FROM common WHERE tablename = 'feed_post')
            FROM unnest(tsvector_to_array(to_tsvector('english', %s))) AS lex
            """,
            [COMMON_WORD_SHARE, text],
        )
        rows = cursor.fetchall()
    return _RareWords(
        in_questions=_any_of([lex for lex, common_in_questions, _ in rows if not common_in_questions]),
        in_posts=_any_of([lex for lex, _, common_in_posts in rows if not common_in_posts]),
    )


def _any_of(lexemes: list[str]) -> str | None:
    """A tsquery matching any of these lexemes, each quoted as tsquery's input expects."""
    quoted = ["'" + lex.replace("\\", "\\\\").replace("'", "''") + "'" for lex in lexemes]
    return " | ".join(quoted) or None


def _answered_question_ids_by_words(text: str, words: _RareWords | None) -> list[int]:
    """Answered questions sharing the draft's rarer words, best full-text rank first, among the newest
    WORD_POOL matches. Matched through feed_answered_question_words; ranked on the stored
    search_vector (search/migrations/0007), not by parsing each body again."""
    if words is None:  # SQLite
        return _scan_ids_by_words(
            text,
            Post.objects.filter(kind=Post.Kind.QUESTION, best_answer__isnull=False, removed_at__isnull=True),
        )
    query = words.in_questions
    if query is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH pool AS (
                SELECT p.id, p.search_vector FROM feed_post p
                WHERE p.kind = 'question' AND p.best_answer_id IS NOT NULL AND p.removed_at IS NULL
                    AND to_tsvector('english'::regconfig, COALESCE(p.body, '')) @@ %s::tsquery
                ORDER BY p.id DESC LIMIT %s
            )
            SELECT id FROM pool ORDER BY ts_rank(search_vector, %s::tsquery) DESC, id DESC LIMIT %s
            """,
            [query, WORD_POOL, query, WORD_CANDIDATES],
        )
        return [row[0] for row in cursor.fetchall()]


def _posts_by_words(
    text: str, words: _RareWords | None, *, member_ids: frozenset[int], exclude: set[int]
) -> list[Post]:
    """Posts the viewer may read sharing the draft's rarer words, best rank among the newest
    POSTS_POOL matches within the newest POSTS_WINDOW posts: one query. On the stored search_vector
    (search/migrations/0007): words many posts share walk the newest posts checking each one's
    vector (a microsecond, no parsing) and stop at the pool; rare ones are read through its GIN
    index (search_post_vector); PostgreSQL chooses from their statistics."""
    if words is None:  # SQLite
        ids = [
            i
            for i in _scan_ids_by_words(text, Post.objects.filter(removed_at__isnull=True))
            if i not in exclude
        ]
        by_id = {
            p.pk: p for p in Post.objects.filter(_readable(member_ids), pk__in=ids).select_related("author")
        }
        return [by_id[i] for i in ids if i in by_id][:POSTS_SHOWN]
    query = words.in_posts
    if query is None:
        return []
    readable_sql, readable_params = (
        Post.objects.filter(_readable(member_ids)).values("id").query.sql_with_params()
    )
    pool = RawSQL(
        f"""
        SELECT p.id FROM feed_post p
        WHERE p.removed_at IS NULL AND p.search_vector @@ %s::tsquery
            AND p.id > (SELECT max(id) FROM feed_post) - %s AND p.id IN ({readable_sql})
        ORDER BY p.id DESC LIMIT %s
        """,
        [query, POSTS_WINDOW, *readable_params, POSTS_POOL],
    )
    rank = RawSQL("ts_rank(feed_post.search_vector, %s::tsquery)", [query], output_field=FloatField())
    return list(
        Post.objects.filter(pk__in=pool)
        .exclude(pk__in=exclude)
        .select_related("author")
        .annotate(rank=rank)
        .order_by("-rank", "-id")[:POSTS_SHOWN]
    )


# SQLite (the demo) has no full-text index: the newest rows sharing a word, checked in Python.
SQLITE_SCAN = 2000


def _scan_ids_by_words(text: str, rows) -> list[int]:
    wanted = _words(text)
    if not wanted:
        return []
    scored = []
    for pk, body in rows.order_by("-id").values_list("id", "body")[:SQLITE_SCAN]:
        shared = len(wanted & _words(body))
        if shared:
            scored.append((-shared, -pk))
    return [-pk for _, pk in sorted(scored)][:WORD_CANDIDATES]


_STOP = frozenset(
    "a an and are as at be but by can could do does for from has have how i if in is it its me my no not of "
    "on or our so some than that the their them there these they this to us was we what when where which who "
    "why will with would you your anyone know does did get any".split()
)


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    return frozenset(
        w
        for w in "".join(c.lower() if c.isalnum() else " " for c in text or "").split()
        if w not in _STOP and len(w) > 2
    )


# --- The vectors of questions (registered in FeedConfig.ready) --------------------------------------


# Only answered questions have a vector: feed.services.answer_mark computes it (after commit) when a
# question gets its answer and forgets it when the answer is cleared; the hourly backfill fills any gap.
# A question whose answer or itself was removed keeps its vector until then: the panel's query skips it.


def _answered_questions_up():
    return Post.objects.filter(kind=Post.Kind.QUESTION, best_answer__isnull=False, removed_at__isnull=True)


def question_texts(ids: list[int]) -> dict[int, str]:
    """The text each question is found by: its body (answered questions still up)."""
    return dict(_answered_questions_up().filter(pk__in=ids).values_list("pk", "body"))


def question_ids() -> list[int]:
    return list(_answered_questions_up().values_list("pk", flat=True))


QUESTION_VECTORS = similar_text.Kind(name=QUESTION_KIND, texts=question_texts, all_ids=question_ids)

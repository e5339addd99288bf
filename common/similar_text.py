"""What the "this may already exist" panels share on top of common.retrieval (the one selector for
retrieval by meaning): joining the rows found by meaning with those an app found by words, and keeping
the vectors of the kinds of rows that opt in.

"Already answered?" (feed.already_answered) and "a similar group exists" (communities.selectors)
encode the draft once (`draft_read`), ask `similar` for the draft's nearest rows by meaning joined to
the rows their own full-text query found (each with its cosine from the same matrix product, in a
fused order: reciprocal rank fusion, so a row near the top of either list comes early and one near
the top of both comes first), then keep what the reader may see and apply their own floor.

An app registers a `Kind` (how to read the text of its rows) in its AppConfig.ready(); its services
call `vectors_compute_after_commit` when a row's text is written, the hourly
`common.text_vectors_backfill` task and `manage.py text_vectors_backfill` fill what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from common import retrieval, sentence_embeddings

# Reciprocal rank fusion's constant (Cormack et al. 2009): it damps the weight of the very first
# places so that one list alone does not decide.
FUSION_K = 60


@dataclass(frozen=True)
class Draft:
    """What the person is typing, read once for every kind of row it is compared with."""

    text: str
    vector: np.ndarray | None  # unit vector; None without a sentence model or for an empty text


def draft_read(text: str) -> Draft:
    text = " ".join((text or "").split())[: retrieval.DRAFT_CHARS]
    return Draft(text=text, vector=retrieval.draft_vector(text) if text else None)


@dataclass
class Match:
    id: int
    cosine: float | None  # closeness in meaning, -1..1; None when the row has no vector (yet)
    by_meaning: int | None  # place among the nearest by meaning, 0 = nearest; None: not among them
    by_words: int | None  # place among the word candidates, 0 = best; None: not found by words
    fused: float  # the order: higher first


def similar(*, kind: str, draft: Draft, word_ids: Sequence[int], k: int) -> list[Match]:
    """The draft's `k` nearest rows of `kind` by meaning, with the rows found by words (`word_ids`,
    best first), each once, best first. No query but the index's freshness check."""
    near: list[tuple[int, float]] = []
    cosines: dict[int, float] = {}
    if draft.vector is not None:
        found = retrieval.nearest_by_meaning(kind=kind, vector=draft.vector, k=k, also=word_ids)
        near, cosines = found.rows, {**found.also, **dict(found.rows)}
    matches: dict[int, Match] = {}
    for place, (row_id, cosine) in enumerate(near):
        matches[row_id] = Match(row_id, cosine, place, None, 1.0 / (FUSION_K + place + 1))
    for place, row_id in enumerate(dict.fromkeys(word_ids)):
        match = matches.get(row_id)
        if match is None:
            match = matches[row_id] = Match(row_id, cosines.get(row_id), None, place, 0.0)
        match.by_words = place
        match.fused += 1.0 / (FUSION_K + place + 1)
    return sorted(matches.values(), key=lambda m: (-m.fused, -(m.cosine or -1.0), -m.id))


def nearest(*, kind: str, vector: np.ndarray | None, k: int) -> list[tuple[int, float]]:
    """The `k` rows of `kind` closest to `vector`, with cosines ([] without a vector)."""
    if vector is None:
        return []
    return retrieval.nearest_by_meaning(kind=kind, vector=vector, k=k).rows


# --- Keeping the vectors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How to read the text of rows of one kind: `texts(ids)` -> {id: text} for those that still exist
    (and should be found); `all_ids()` -> every id that should have a vector."""

    name: str
    texts: Callable[[list[int]], dict[int, str]]
    all_ids: Callable[[], Iterable[int]]


_kinds: dict[str, Kind] = {}


def kind_register(kind: Kind) -> None:
    """Called from an app's AppConfig.ready()."""
    _kinds[kind.name] = kind


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def vectors_compute(*, kind: str, ids: list[int]) -> int:
    """Stores (or replaces) the vectors of these rows from their current text; a row that is gone or
    no longer wanted loses its vector. Returns how many were stored. Idempotent."""
    if sentence_embeddings.encoder() is None or not ids:
        return 0
    texts = _kinds[kind].texts(ids)
    gone = [i for i in ids if i not in texts]
    if gone:
        retrieval.text_vectors_forget(kind=kind, ids=gone)
    return retrieval.text_vectors_store(
        kind=kind, texts={i: " ".join(t.split())[: retrieval.DRAFT_CHARS] for i, t in texts.items()}
    )


def vectors_compute_after_commit(*, kind: str, object_id: int) -> None:
    """Queues the row's vector for once the change commits (through the outbox: never lost)."""
    from common.outbox import enqueue_on_commit
    from common.tasks import text_vectors_compute

    if sentence_embeddings.encoder() is None:
        return
    enqueue_on_commit(text_vectors_compute, kind, object_id)


def vectors_backfill(
    *,
    kind: str,
    limit: int | None = None,
    batch_size: int = 256,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Computes the missing vectors of `kind` (none yet, or another model's) in batches, each its own
    transaction; returns how many."""
    ids = sorted(retrieval.text_vectors_missing(kind=kind, ids=_kinds[kind].all_ids()))
    if limit is not None:
        ids = ids[:limit]
    done = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            done += vectors_compute(kind=kind, ids=ids[start : start + batch_size])
        if progress is not None:
            progress(done)
    return done

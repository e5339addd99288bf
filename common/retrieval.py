"""Finding existing rows like a draft, by meaning and by words: the one way behind every "this may
already exist" panel (look-alike projects, "already answered?", "a similar group exists").

An app describes one kind of row as a `Corpus`: where its sentence vectors are stored (by default
common.models.TextVector under a kind name such as "feed.question") and, when registered with
`kind_register`, how to read the text of its rows so that vectors are computed after commit
(`vectors_compute_after_commit`) and backfilled (`manage.py text_vectors_backfill`).

A look-up encodes the draft once (`draft_read`: a few ms to tens of ms, the dearest part), then
`similar` merges the draft's nearest rows by meaning (common.vector_index, in this process's
memory) with the rows the app found by words (its own full-text query, which knows its table),
giving each its cosine with the draft from memory (no query) and a fused order (reciprocal rank
fusion: a row near the top of either list comes early, one near the top of both comes first).
The app then keeps what the viewer may read and applies its own floor: what counts as "close
enough" differs between a question and a project.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common import sentence_embeddings
from common.models import TextVector
from common.vector_index import Row, VectorIndex

# Drafts longer than this are cut: the model reads 256 word pieces, and words past a few
# paragraphs only add candidates sharing one common word.
DRAFT_CHARS = 3000
# Reciprocal rank fusion's constant (Cormack et al. 2009): it damps the weight of the very first
# places so that one list alone does not decide.
FUSION_K = 60


@dataclass(frozen=True)
class Corpus:
    """One kind of row found by meaning. `latest(model)`: when its newest vector of that model was
    computed (None for none); `rows(model, since)`: (id, vector bytes, computed_at) computed at or
    after `since`, all of them for None."""

    name: str
    latest: Callable[[str], datetime | None]
    rows: Callable[[str, datetime | None], Iterable[Row]]

    @classmethod
    def stored(cls, kind: str) -> Corpus:
        """Vectors kept in common.models.TextVector under `kind`."""
        return cls(
            name=kind,
            latest=functools.partial(_stored_latest, kind),
            rows=functools.partial(_stored_rows, kind),
        )


def _stored_latest(kind: str, model_name: str) -> datetime | None:
    # Served by text_vector_newest.
    return TextVector.objects.filter(kind=kind, model=model_name).aggregate(latest=Max("computed_at"))[
        "latest"
    ]


def _stored_rows(kind: str, model_name: str, since: datetime | None) -> list[Row]:
    qs = TextVector.objects.filter(kind=kind, model=model_name)
    if since is not None:
        qs = qs.filter(computed_at__gte=since)
    return list(qs.values_list("object_id", "vector", "computed_at").iterator(chunk_size=5000))


_indexes: dict[tuple[str, str], VectorIndex] = {}
_indexes_lock = threading.Lock()


def corpus_index(corpus: Corpus, *, model_name: str) -> VectorIndex:
    """The corpus's vectors in this process's memory (one per corpus and model, made on first use)."""
    key = (corpus.name, model_name)
    with _indexes_lock:
        index = _indexes.get(key)
        if index is None:
            index = _indexes[key] = VectorIndex(
                latest=functools.partial(corpus.latest, model_name),
                rows=functools.partial(corpus.rows, model_name),
            )
        return index


def indexes_forget() -> None:
    """Drop every in-memory index (tests that rebuild the database between cases)."""
    with _indexes_lock:
        _indexes.clear()


@dataclass(frozen=True)
class Draft:
    """What the person is typing, read once for every corpus it is compared with."""

    text: str
    vector: np.ndarray | None  # unit vector; None without a sentence model or for an empty text
    model_name: str | None


def draft_read(text: str) -> Draft:
    text = " ".join((text or "").split())[:DRAFT_CHARS]
    model = sentence_embeddings.encoder()
    if model is None or not text:
        return Draft(text=text, vector=None, model_name=None)
    return Draft(text=text, vector=model.encode([text])[0], model_name=model.name)


@dataclass
class Match:
    id: int
    cosine: float | None  # closeness in meaning, -1..1; None when the row has no vector (yet)
    by_meaning: int | None  # place among the nearest by meaning, 0 = nearest; None: not among them
    by_words: int | None  # place among the word candidates, 0 = best; None: not found by words
    fused: float  # the order: higher first


def similar(*, corpus: Corpus, draft: Draft, word_ids: Sequence[int], k: int) -> list[Match]:
    """The draft's `k` nearest rows of `corpus` by meaning, with the rows found by words (`word_ids`,
    best first), each once, best first by reciprocal rank fusion. No query but the index's
    freshness check (one indexed aggregate, plus the new rows when there are some)."""
    near: list[tuple[int, float]] = []
    cosines: dict[int, float] = {}
    if draft.vector is not None and draft.model_name is not None:
        index = corpus_index(corpus, model_name=draft.model_name)
        near = index.nearest(draft.vector, k=k)
        cosines = dict(near)
        cosines.update(index.cosines(draft.vector, [i for i in word_ids if i not in cosines]))
    matches: dict[int, Match] = {}
    for place, (row_id, cosine) in enumerate(near):
        matches[row_id] = Match(row_id, cosine, place, None, 1.0 / (FUSION_K + place + 1))
    for place, row_id in enumerate(dict.fromkeys(word_ids)):
        match = matches.get(row_id)
        if match is None:
            matches[row_id] = Match(row_id, cosines.get(row_id), None, place, 0.0)
            match = matches[row_id]
        match.by_words = place
        match.fused += 1.0 / (FUSION_K + place + 1)
    return sorted(matches.values(), key=lambda m: (-m.fused, -(m.cosine or -1.0), -m.id))


# --- Storing vectors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How to read the text of rows of one kind, for their vectors: `texts(ids)` -> {id: text} for
    those that still exist (and should be found); `all_ids()` -> every id that should have one."""

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
    """Stores (or replaces) the vectors of these rows from their current text; a row that is gone
    or no longer wanted loses its vector. Returns how many were stored. Idempotent."""
    model = sentence_embeddings.encoder()
    if model is None or not ids:
        return 0
    texts = _kinds[kind].texts(ids)
    gone = [i for i in ids if i not in texts]
    if gone:
        TextVector.objects.filter(kind=kind, object_id__in=gone).delete()
    if not texts:
        return 0
    order = list(texts)
    cleaned = [" ".join(texts[i].split())[:DRAFT_CHARS] for i in order]
    # Rows with the same text (a template, a name used twice) are encoded once.
    distinct = list(dict.fromkeys(cleaned))
    encoded = dict(zip(distinct, model.encode(distinct), strict=True))
    vectors = [encoded[text] for text in cleaned]
    now = timezone.now()
    TextVector.objects.bulk_create(
        [
            TextVector(
                kind=kind,
                object_id=i,
                model=model.name,
                vector=sentence_embeddings.vector_to_bytes(v),
                computed_at=now,
            )
            for i, v in zip(order, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["model", "vector", "computed_at"],
    )
    return len(order)


def vectors_compute_after_commit(*, kind: str, object_id: int) -> None:
    """Queues the row's vector for once the change commits (through the outbox: never lost)."""
    from common.outbox import enqueue_on_commit
    from common.tasks import text_vectors_compute

    if sentence_embeddings.encoder() is None:
        return
    enqueue_on_commit(text_vectors_compute, kind, object_id)


def vectors_missing(*, kind: str, limit: int | None = None) -> list[int]:
    """Ids of rows of `kind` without a vector of the current model, in id order."""
    model = sentence_embeddings.encoder()
    if model is None:
        return []
    have = set(TextVector.objects.filter(kind=kind, model=model.name).values_list("object_id", flat=True))
    missing = sorted(i for i in _kinds[kind].all_ids() if i not in have)
    return missing if limit is None else missing[:limit]


def vectors_backfill(
    *,
    kind: str,
    limit: int | None = None,
    batch_size: int = 256,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Computes the missing vectors of `kind` in batches, each its own transaction; returns how many."""
    done = 0
    ids = vectors_missing(kind=kind, limit=limit)
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            done += vectors_compute(kind=kind, ids=ids[start : start + batch_size])
        if progress is not None:
            progress(done)
    return done

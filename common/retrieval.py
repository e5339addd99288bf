"""Retrieval by meaning for every app: the rows whose text is closest to a draft, through one selector.

Look-alike projects use it, and so can "already answered?" (questions like the one being typed) and
"a similar group exists". How to use it for a new kind of row, say "events.question":

    from common import retrieval

    # services.py, after the row's text is written (in a task, or after commit: it runs the model):
    retrieval.text_vectors_store(kind="events.question", texts={question.pk: question.title})
    # ...and when rows are deleted:
    retrieval.text_vectors_forget(kind="events.question", ids=[question.pk])

    # selectors.py, while someone types:
    found = retrieval.nearest_by_meaning(kind="events.question", text=draft, k=20)
    # found.rows: [(question id, cosine), ...] best first; [] without a sentence model (match words
    # then). Load those ids yourself and apply your own visibility rules: this module knows no app,
    # so ask for more than you show when many rows may be hidden from the reader.

Vectors of any kind are stored in common.TextVector; projects keep theirs in their own table and
register it as a source (`source_register`, in projects/apps.py). Each process holds one
VectorIndex per kind (common.vector_index): a float32 matrix of the unit vectors, one matrix product
per look-up (2-3 ms at 20,000 rows), refreshed from the newest `computed_at`: for the kinds stored
here, one indexed query every STORED_CHECK_SECONDS at most (a vector another process stores is found
that much later; one this process stores, at once); for a registered source, at every look-up.
Memory: 1.5 KB per row, so 30 MB per process at 20,000 rows and 180 MB at 120,000.
Cosines of all-MiniLM-L6-v2 between a company's texts: about 0.2 unrelated, 0.45 a similar topic,
0.6 and above close paraphrases (projects.similarity tunes its own thresholds on labelled pairs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common import sentence_embeddings
from common.models import TextVector
from common.vector_index import Row, VectorIndex

# Drafts past this many characters are cut before the model reads them (it reads 256 word pieces).
DRAFT_CHARS = 3000
# How often a process asks whether the vectors of a kind kept in common.TextVector changed: a look-up
# as someone types ("already answered?" asks for two kinds each time) then costs no query for it.
STORED_CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class Source:
    """Where one kind's vectors are read from: `latest(model)` is the newest computed_at (None for
    none), `rows(model, since)` the rows (id, vector bytes, computed_at) computed at or after `since`
    (all for None)."""

    latest: Callable[[str], datetime | None]
    rows: Callable[[str, datetime | None], Iterable[Row]]


_SOURCES: dict[str, Source] = {}


def source_register(kind: str, *, latest: Callable[[str], datetime | None], rows: Callable) -> None:
    """An app whose vectors live in its own table (projects) says how to read them."""
    _SOURCES[kind] = Source(latest=latest, rows=rows)
    vector_index.cache_clear()


def _stored_latest(kind: str, model: str) -> datetime | None:
    return TextVector.objects.filter(kind=kind, model=model).aggregate(latest=Max("computed_at"))["latest"]


def _stored_rows(kind: str, model: str, since: datetime | None) -> Iterator[Row]:
    qs = TextVector.objects.filter(kind=kind, model=model)
    if since is not None:
        qs = qs.filter(computed_at__gte=since)
    return qs.values_list("object_id", "vector", "computed_at").iterator(chunk_size=1000)  # streamed


def _source(kind: str) -> Source:
    return _SOURCES.get(kind) or Source(
        latest=functools.partial(_stored_latest, kind), rows=functools.partial(_stored_rows, kind)
    )


@functools.cache
def vector_index(*, kind: str, model_name: str) -> VectorIndex:
    """This process's index of one kind's vectors (made at the first look-up, kept for the process)."""
    source = _source(kind)
    return VectorIndex(
        latest=functools.partial(source.latest, model_name),
        rows=functools.partial(source.rows, model_name),
        # A registered source's rows are written by its app, which does not tell this module.
        check_every=0.0 if kind in _SOURCES else STORED_CHECK_SECONDS,
    )


def _stored(kind: str, model_name: str) -> None:
    """Rows of `kind` were stored or deleted here: this process's index looks at the next look-up,
    and again once the transaction commits (a look-up in between would not see them yet)."""
    index = vector_index(kind=kind, model_name=model_name)
    index.recheck()
    transaction.on_commit(index.recheck)


@functools.lru_cache(maxsize=256)
def _encode(model_name: str, text: str) -> np.ndarray:
    model = sentence_embeddings.encoder()
    assert model is not None and model.name == model_name
    vector = model.encode([text])[0]
    vector.flags.writeable = False  # shared by every caller that asks for this text
    return vector


def draft_vector(text: str) -> np.ndarray | None:
    """The unit vector of `text` (cut to DRAFT_CHARS), None without a sentence model. The last few
    hundred drafts are remembered: the look-alike box asks again when only the tags change."""
    model = sentence_embeddings.encoder()
    if model is None:
        return None
    return _encode(model.name, (text or "")[:DRAFT_CHARS])


def draft_vectors_forget() -> None:
    """Forget the remembered drafts (a bench timing the model, a test changing it)."""
    _encode.cache_clear()


@dataclass
class Nearest:
    rows: list[tuple[int, float]] = field(default_factory=list)  # (id, cosine), best first
    also: dict[int, float] = field(default_factory=dict)  # cosines of the ids asked for with `also`
    available: bool = False  # False without a sentence model: match words instead


def nearest_by_meaning(
    *, kind: str, text: str | None = None, vector: np.ndarray | None = None, k: int, also: Iterable[int] = ()
) -> Nearest:
    """The `k` rows of `kind` closest in meaning to `text` (or to a `vector` from `draft_vector`),
    with their cosines, best first; and the cosines of the rows `also` names, from the same product
    (for candidates found another way, by words say). Rows without a vector yet are not there."""
    model = sentence_embeddings.encoder()
    if model is None:
        return Nearest()
    if vector is None:
        vector = draft_vector(text or "")
    assert vector is not None
    rows, cosines = vector_index(kind=kind, model_name=model.name).search(vector, k=k, also=also)
    return Nearest(rows=rows, also=cosines, available=True)


def text_vectors_store(*, kind: str, texts: dict[int, str]) -> int:
    """Stores (or replaces) the vector of each row's text; returns how many. Runs the model (about
    15 ms of CPU per short text): call it from a task or after commit, not in a request. Does
    nothing without a sentence model."""
    model = sentence_embeddings.encoder()
    if model is None or not texts:
        return 0
    ids = list(texts)
    vectors = model.encode([texts[i] or "" for i in ids])
    now = timezone.now()
    TextVector.objects.bulk_create(
        [
            TextVector(
                kind=kind,
                object_id=pk,
                model=model.name,
                vector=sentence_embeddings.vector_to_bytes(v),
                computed_at=now,
            )
            for pk, v in zip(ids, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["model", "vector", "computed_at"],
    )
    _stored(kind, model.name)
    return len(ids)


def text_vectors_forget(*, kind: str, ids: Iterable[int]) -> None:
    """Deletes the vectors of deleted rows. This process's index re-reads its kind at the next
    look-up; other processes within vector_index.FULL_RELOAD_SECONDS (skip missing ids meanwhile)."""
    TextVector.objects.filter(kind=kind, object_id__in=list(ids)).delete()
    model = sentence_embeddings.encoder()
    if model is not None:
        vector_index(kind=kind, model_name=model.name).discard()


def text_vectors_missing(*, kind: str, ids: Iterable[int]) -> list[int]:
    """Which of `ids` have no vector of the current model yet (for an hourly backfill)."""
    model = sentence_embeddings.encoder()
    if model is None:
        return []
    wanted = list(ids)
    have = set(
        TextVector.objects.filter(kind=kind, model=model.name, object_id__in=wanted).values_list(
            "object_id", flat=True
        )
    )
    return [i for i in wanted if i not in have]

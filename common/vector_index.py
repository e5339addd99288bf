"""Nearest neighbours of unit sentence vectors, held in one numpy matrix per process.

PostgreSQL's pgvector would keep this index in the database, but Debian's PostgreSQL 15 has no
pgvector package where Hive installs from, so each process keeps the vectors of one kind of row
in memory (20,000 vectors of 384 floats: 30 MB) and finds neighbours by one matrix product (a few
ms). The caller says how to read the rows; the index re-reads only what changed since its last
look: rows computed after the newest it holds, or everything when rows were deleted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

# (row id, vector bytes as little-endian float32, when it was computed)
Row = tuple[int, bytes, datetime]


@dataclass(frozen=True)
class IndexState:
    count: int
    latest: datetime | None


class VectorIndex:
    """`state()` is a cheap query (count and newest timestamp of the stored vectors); `rows(since)`
    returns the rows computed at or after `since` (all of them for None)."""

    def __init__(self, *, state: Callable[[], IndexState], rows: Callable[[datetime | None], Iterable[Row]]):
        self._state, self._rows = state, rows
        self._lock = threading.Lock()
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._position: dict[int, int] = {}
        self._seen = IndexState(count=0, latest=None)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        return int(self._matrix.nbytes + self._ids.nbytes)

    def refresh(self) -> None:
        now = self._state()
        with self._lock:
            if now == self._seen:
                return
            if now.count < len(self._ids) or self._seen.latest is None:
                self._replace(self._rows(None))
            else:
                self._update(self._rows(self._seen.latest))
                if len(self._ids) != now.count:  # rows deleted while others were added
                    self._replace(self._rows(None))
            self._seen = now

    def _replace(self, rows: Iterable[Row]) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._position = {}
        self._update(rows)

    def _update(self, rows: Iterable[Row]) -> None:
        new_ids: list[int] = []
        new_vectors: list[np.ndarray] = []
        for row_id, data, _ in rows:
            vector = np.frombuffer(bytes(data), dtype="<f4")
            if row_id in self._position:
                self._matrix[self._position[row_id]] = vector
            else:
                self._position[row_id] = len(self._ids) + len(new_ids)
                new_ids.append(row_id)
                new_vectors.append(vector)
        if new_ids:
            block = np.stack(new_vectors).astype(np.float32)
            self._matrix = block if not len(self._ids) else np.vstack([self._matrix, block])
            self._ids = np.concatenate([self._ids, np.asarray(new_ids, dtype=np.int64)])

    def nearest(self, vector: np.ndarray, *, k: int) -> list[tuple[int, float]]:
        """The `k` rows most similar to `vector` (a unit vector), with their cosines, best first."""
        self.refresh()
        with self._lock:
            ids, matrix = self._ids, self._matrix
        if not len(ids) or k <= 0 or matrix.shape[1] != len(vector):
            return []
        scores = matrix @ vector.astype(np.float32)
        k = min(k, len(ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((-ids[top], -scores[top]))]
        return [(int(ids[i]), float(scores[i])) for i in top]

"""Nearest neighbours of unit sentence vectors, held in one numpy matrix per process.

PostgreSQL's pgvector would keep this index in the database, but Debian's PostgreSQL 15 has no
pgvector package where Hive installs from, so each process keeps the vectors of one kind of row
in memory (20,000 vectors of 384 floats: 30 MB) and finds neighbours by one matrix product (a few
ms). The caller says how to read the rows; at each look-up the index asks for the newest row's time (one
indexed query), or at most once every `check_every` seconds when the caller allows it (and calls
`recheck` when it writes rows itself), and reads only the rows computed since. Deleted rows are not
noticed that way: the caller filters them out of what it shows and calls `discard`, and everything
is re-read every FULL_RELOAD_SECONDS anyway.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime

import numpy as np

from common.sentence_embeddings import one_blas_thread

# (row id, vector bytes as little-endian float32, when it was computed)
Row = tuple[int, bytes, datetime]


FULL_RELOAD_SECONDS = 600
CHUNK = 1000


class VectorIndex:
    """`latest()` is a cheap query (when the newest stored vector was computed, None for none);
    `rows(since)` returns the rows computed at or after `since` (all of them for None). With
    `check_every` > 0, `latest()` is asked at most that often (seconds): rows another process
    stores are then found up to that much later."""

    def __init__(
        self,
        *,
        latest: Callable[[], datetime | None],
        rows: Callable[[datetime | None], Iterable[Row]],
        check_every: float = 0.0,
    ):
        self._latest, self._rows, self._check_every = latest, rows, check_every
        self._checked_at: float | None = None  # monotonic time of the last latest()
        self._lock = threading.Lock()
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._position: dict[int, int] = {}
        self._seen: datetime | None = None
        self._loaded_at: float | None = None  # monotonic time of the last full read

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        return int(self._matrix.nbytes + self._ids.nbytes)

    def discard(self) -> None:
        """Some rows were deleted: read everything again at the next look-up."""
        with self._lock:
            self._loaded_at = None

    def recheck(self) -> None:
        """Rows were stored: ask for the newest time at the next look-up, whenever it was asked last."""
        self._checked_at = None

    def refresh(self) -> None:
        checked_at = self._checked_at
        if (
            checked_at is not None
            and self._loaded_at is not None
            and time.monotonic() - checked_at < self._check_every
            and time.monotonic() - self._loaded_at <= FULL_RELOAD_SECONDS
        ):
            return
        self._checked_at = time.monotonic()
        latest = self._latest()
        with self._lock:
            stale = self._loaded_at is None or time.monotonic() - self._loaded_at > FULL_RELOAD_SECONDS
            if stale:
                self._replace(self._rows(None))
                self._loaded_at = time.monotonic()
            elif latest == self._seen:
                return
            else:
                self._update(self._rows(self._seen))
            self._seen = latest

    def _replace(self, rows: Iterable[Row]) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._position = {}
        self._update(rows)

    def _update(self, rows: Iterable[Row]) -> None:
        # Copy on write: a look-up in another thread keeps using the arrays it took. New vectors are
        # stacked every CHUNK rows, so that the database's bytes objects for 20,000 rows (30 MB that
        # the allocator keeps once freed) are never all alive at once.
        new_ids: list[int] = []
        blocks: list[np.ndarray] = []
        pending: list[np.ndarray] = []
        position = dict(self._position)
        changed: dict[int, np.ndarray] = {}
        for row_id, data, _ in rows:
            vector = np.frombuffer(data, dtype="<f4").astype(np.float32)
            if row_id in position:
                changed[position[row_id]] = vector
            else:
                position[row_id] = len(self._ids) + len(new_ids)
                new_ids.append(row_id)
                pending.append(vector)
                if len(pending) == CHUNK:
                    blocks.append(np.stack(pending))
                    pending = []
        if pending:
            blocks.append(np.stack(pending))
        matrix = self._matrix
        if changed:
            matrix = matrix.copy()
            for at, vector in changed.items():
                matrix[at] = vector
        if new_ids:
            matrix = np.concatenate(blocks if not len(self._ids) else [matrix, *blocks])
            self._ids = np.concatenate([self._ids, np.asarray(new_ids, dtype=np.int64)])
        self._matrix, self._position = matrix, position

    def nearest(self, vector: np.ndarray, *, k: int) -> list[tuple[int, float]]:
        """The `k` rows most similar to `vector` (a unit vector), with their cosines, best first."""
        return self.search(vector, k=k)[0]

    def search(
        self, vector: np.ndarray, *, k: int, also: Iterable[int] = ()
    ) -> tuple[list[tuple[int, float]], dict[int, float]]:
        """`nearest`, and the cosines of the rows `also` names (those with a vector) from the same
        matrix product: the caller's other candidates need no vectors read from the database."""
        self.refresh()
        with self._lock:
            ids, matrix, position = self._ids, self._matrix, self._position
        if not len(ids) or matrix.shape[1] != len(vector):
            return [], {}
        # One BLAS thread, as for the model: a second one spins on a core another request needs
        # (120,000 rows: 22 ms of CPU with two threads, 17 ms with one, on a busy 2-core machine).
        with one_blas_thread():
            scores = matrix @ vector.astype(np.float32, copy=False)
        others = {i: float(scores[position[i]]) for i in also if i in position}
        k = min(k, len(ids))
        if k <= 0:
            return [], others
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((-ids[top], -scores[top]))]
        return [(int(ids[i]), float(scores[i])) for i in top], others

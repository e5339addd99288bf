"""The in-process nearest-neighbour index behind "found by meaning" (common.vector_index)."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from common import vector_index
from common.vector_index import VectorIndex

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


class FakeTable:
    """Stored vectors as the database would hand them over, counting what the index reads."""

    def __init__(self):
        self.rows: dict[int, tuple[bytes, datetime]] = {}
        self.reads: list[datetime | None] = []

    def put(self, row_id: int, vector: np.ndarray, at: datetime) -> None:
        self.rows[row_id] = (vector.astype("<f4").tobytes(), at)

    def latest(self) -> datetime | None:
        return max((at for _, at in self.rows.values()), default=None)

    def read(self, since):
        self.reads.append(since)
        return [(i, v, at) for i, (v, at) in self.rows.items() if since is None or at >= since]

    def index(self) -> VectorIndex:
        return VectorIndex(latest=self.latest, rows=self.read)


def test_nearest_rows_come_best_first_with_their_cosines():
    table = FakeTable()
    table.put(1, _unit(1, 0, 0), T0)
    table.put(2, _unit(0, 1, 0), T0)
    table.put(3, _unit(1, 1, 0), T0)
    found = table.index().nearest(_unit(1, 0.1, 0), k=2)
    assert [pk for pk, _ in found] == [1, 3]
    assert found[0][1] > found[1][1] > 0.5


def test_one_search_gives_the_nearest_and_the_cosines_of_other_candidates_it_holds():
    table = FakeTable()
    for pk, vector in {1: _unit(1, 0, 0), 2: _unit(0, 1, 0), 3: _unit(1, 1, 0)}.items():
        table.put(pk, vector, T0)
    nearest, others = table.index().search(_unit(1, 0, 0), k=1, also=[2, 3, 99])
    assert nearest == [(1, pytest.approx(1.0))]
    assert others == {2: pytest.approx(0.0, abs=1e-6), 3: pytest.approx(0.7071, abs=1e-4)}  # 99: no vector


def test_a_search_already_under_way_keeps_the_arrays_it_took_while_rows_change():
    table = FakeTable()
    table.put(1, _unit(1, 0), T0)
    index = table.index()
    index.refresh()
    matrix, position = index._matrix, index._position
    table.put(1, _unit(0, 1), T0 + timedelta(seconds=1))  # changed in place
    table.put(2, _unit(1, 0), T0 + timedelta(seconds=1))  # added
    index.refresh()
    assert matrix[position[1]] == pytest.approx(_unit(1, 0)) and 2 not in position
    assert index.nearest(_unit(1, 0), k=1)[0][0] == 2


def test_an_unchanged_table_is_not_read_again_and_a_new_row_is_read_alone():
    table = FakeTable()
    table.put(1, _unit(1, 0), T0)
    index = table.index()
    index.nearest(_unit(1, 0), k=1)
    index.nearest(_unit(1, 0), k=1)
    assert table.reads == [None]
    table.put(2, _unit(0, 1), T0 + timedelta(seconds=5))
    assert index.nearest(_unit(0, 1), k=1)[0][0] == 2
    assert table.reads == [None, T0]  # only what changed since the newest row it held
    assert len(index) == 2


def test_a_recomputed_vector_replaces_the_old_one():
    table = FakeTable()
    table.put(1, _unit(1, 0), T0)
    table.put(2, _unit(0, 1), T0)
    index = table.index()
    assert index.nearest(_unit(1, 0), k=1)[0][0] == 1
    table.put(1, _unit(-1, 0), T0 + timedelta(seconds=1))  # its summary was rewritten
    assert index.nearest(_unit(1, 0), k=2)[-1][0] == 1 and len(index) == 2


def test_deleted_rows_go_when_the_caller_says_so_or_at_the_periodic_full_read(monkeypatch):
    table = FakeTable()
    for i in range(3):
        table.put(i, _unit(1, i), T0)
    index = table.index()
    assert len(index.nearest(_unit(1, 0), k=5)) == 3
    del table.rows[2]
    index.discard()
    assert [pk for pk, _ in index.nearest(_unit(1, 0), k=5)] == [0, 1]
    del table.rows[1]
    monkeypatch.setattr(vector_index, "FULL_RELOAD_SECONDS", -1)
    assert [pk for pk, _ in index.nearest(_unit(1, 0), k=5)] == [0]


def test_an_empty_index_or_a_vector_of_another_size_finds_nothing():
    table = FakeTable()
    assert table.index().nearest(_unit(1, 0), k=3) == []
    table.put(1, _unit(1, 0, 0), T0)
    assert table.index().nearest(_unit(1, 0), k=3) == []


def test_with_check_every_the_newest_time_is_asked_once_in_that_time_unless_told_to_recheck(monkeypatch):
    table = FakeTable()
    asked = []
    table.put(1, _unit(1, 0), T0)
    index = VectorIndex(latest=lambda: asked.append(1) or table.latest(), rows=table.read, check_every=60)
    now = [1000.0]
    monkeypatch.setattr(vector_index.time, "monotonic", lambda: now[0])
    index.nearest(_unit(1, 0), k=1)
    table.put(2, _unit(0, 1), T0 + timedelta(seconds=5))  # stored by another process
    assert index.nearest(_unit(0, 1), k=1)[0][0] == 1 and len(asked) == 1  # not asked again yet
    now[0] += 61
    assert index.nearest(_unit(0, 1), k=1)[0][0] == 2 and len(asked) == 2
    table.put(3, _unit(-1, 0), T0 + timedelta(seconds=9))  # stored by this process, which says so
    index.recheck()
    assert index.nearest(_unit(-1, 0), k=1)[0][0] == 3 and len(asked) == 3
    index.discard()  # rows were deleted: read again at once, whatever the interval
    index.nearest(_unit(1, 0), k=1)
    assert table.reads[-1] is None and len(asked) == 4

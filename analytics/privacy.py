"""Which segments' figures may be shown: decided once, when the nightly fill stores a day.

A segment is a cell of the cube department x location x tenure band, where any coordinate may be ALL
(the margin). A *line* is the cells that differ in one coordinate only, with their margin as the line's
total: the Engineering row broken down by location, say. Published views are slices of that cube, so
anyone can subtract two published figures on a line. The rule, applied to headcounts (people placed in
the segment that day):

1. primary: a segment of fewer than MIN_GROUP people is never published;
2. no lone suppression: a line never has exactly one withheld entry, which its total (or its members)
   would give away by subtraction;
3. no small remainder: where a line's total is published, the withheld members add up to zero or to
   at least MIN_GROUP people, so "total minus everything shown" (the "other" row, or the nested
   difference of two filtered views) is never a group of fewer than MIN_GROUP people.

Rules 2 and 3 withhold more segments (the smallest published member of the line first, coarse lines
first) until every line holds; withholding only grows, so this ends. Activity figures follow their
segment's headcount: what a published subtraction can reveal is always a group of at least MIN_GROUP
people.
"""

import heapq
from collections.abc import Mapping, Sequence

import numpy as np

from analytics.models import ALL

MIN_GROUP = 5

Key = tuple[int, int, int]


def _with(key: Key, axis: int, value: int) -> Key:
    as_list = list(key)
    as_list[axis] = value
    return (as_list[0], as_list[1], as_list[2])


class Lines:
    """The lines through a set of segments, worked out once: the backfill applies the rule to each day
    of a range, on the same segments with that day's headcounts."""

    def __init__(self, keys: Sequence[Key]):
        keys = list(keys)
        cell_of = {key: i for i, key in enumerate(keys)}
        line_of: dict[tuple[int, int], int] = {}  # (total's cell, axis) -> line
        pairs: list[tuple[int, int]] = []  # (member's cell, line)
        for cell in range(len(keys)):
            key = keys[cell]
            for axis in range(3):
                if key[axis] == ALL:
                    continue
                total = _with(key, axis, ALL)
                if total not in cell_of:  # a total nobody gave: a cell that is never present
                    cell_of[total] = len(keys)
                    keys.append(total)
                pairs.append((cell, line_of.setdefault((cell_of[total], axis), len(line_of))))
        self.keys = keys
        # Lines are numbered in the order they are checked, so a list of them sorted is a queue:
        # coarse lines first (their total has the most ALLs: the company by tenure band before Sales
        # by tenure band), as a margin they withhold often settles the finer lines below it.
        found = sorted(line_of, key=lambda line: (-keys[line[0]].count(ALL), keys[line[0]], line[1]))
        number = {line_of[line]: n for n, line in enumerate(found)}
        self.total = [cell for cell, _ in found]
        self.members: list[list[int]] = [[] for _ in found]
        self.member_of: list[list[int]] = [[] for _ in keys]
        self.total_of: list[list[int]] = [[] for _ in keys]
        for cell, line in pairs:
            self.members[number[line]].append(cell)
            self.member_of[cell].append(number[line])
        for line, cell in enumerate(self.total):
            self.total_of[cell].append(line)
        self.pair_cell = np.array([cell for cell, _ in pairs], dtype=np.int64)
        self.pair_line = np.array([number[line] for _, line in pairs], dtype=np.int64)
        # Ties between equally small members go to the smaller key.
        self.rank = [0] * len(keys)
        for n, cell in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
            self.rank[cell] = n

    def publishable(self, headcount: np.ndarray) -> np.ndarray:
        """Which of the segments may be published, given each one's headcount (0: nobody, absent).

        Each line keeps a running count of its withheld members and of the people in them, so checking
        a line costs the same whatever its length."""
        lines, cells = len(self.total), len(self.keys)
        people = np.zeros(cells, dtype=np.int64)
        people[: len(headcount)] = headcount
        present = people > 0
        small = present & (people < MIN_GROUP)

        def per_line(weights: np.ndarray) -> list[int]:
            return np.bincount(self.pair_line, weights=weights, minlength=lines).astype(np.int64).tolist()

        size = per_line(present[self.pair_cell])
        hidden_count = per_line(small[self.pair_cell])
        hidden_people = per_line(np.where(small, people, 0)[self.pair_cell])
        withheld, n = small.tolist(), people.tolist()
        total, members, member_of, total_of, rank = (
            self.total, self.members, self.member_of, self.total_of, self.rank
        )  # fmt: skip

        # Only a line with something withheld can break rule 2 or 3; a line that starts to is queued
        # when its member or total is withheld.
        pending = [
            line for line in range(lines) if size[line] and (hidden_count[line] or withheld[total[line]])
        ]
        queued = set(pending)
        while pending:
            line = heapq.heappop(pending)
            queued.discard(line)
            total_hidden = withheld[total[line]]
            lone = hidden_count[line] + total_hidden == 1
            small_rest = not total_hidden and 0 < hidden_people[line] < MIN_GROUP
            if not (lone or small_rest):
                continue
            if hidden_count[line] < size[line]:  # the smallest member still shown
                shown = (m for m in members[line] if n[m] and not withheld[m])
                found = min(shown, key=lambda m: n[m] * cells + rank[m])
            elif total_hidden:
                continue
            else:
                found = total[line]
            withheld[found] = True
            if n[found]:
                for other in member_of[found]:
                    hidden_count[other] += 1
                    hidden_people[other] += n[found]
            for again in (line, *member_of[found], *total_of[found]):
                if size[again] and again not in queued:
                    queued.add(again)
                    heapq.heappush(pending, again)
        return (present & ~np.array(withheld, dtype=bool))[: len(headcount)]


def publishable(headcounts: Mapping[Key, int]) -> set[Key]:
    """The segments whose figures may be published, given every non-empty segment's headcount."""
    keys = list(headcounts)
    shown = Lines(keys).publishable(np.array([headcounts[key] for key in keys], dtype=np.int64))
    return {keys[i] for i in np.flatnonzero(shown)}

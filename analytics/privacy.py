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
from collections import defaultdict
from collections.abc import Mapping

from analytics.models import ALL

MIN_GROUP = 5

Key = tuple[int, int, int]
Line = tuple[Key, int]  # (the line's total, the axis its members vary along)


def _with(key: Key, axis: int, value: int) -> Key:
    as_list = list(key)
    as_list[axis] = value
    return (as_list[0], as_list[1], as_list[2])


def publishable(headcounts: Mapping[Key, int]) -> set[Key]:
    """The segments whose figures may be published, given every non-empty segment's headcount."""
    members: dict[Line, list[Key]] = defaultdict(list)
    for key in headcounts:
        for axis in range(3):
            if key[axis] != ALL:
                members[(_with(key, axis, ALL), axis)].append(key)

    withheld = {key for key, n in headcounts.items() if n < MIN_GROUP}

    def lines_of(key: Key) -> list[Line]:
        """The lines `key` takes part in, as a member or as the total."""
        found = [(_with(key, axis, ALL), axis) for axis in range(3) if key[axis] != ALL]
        found += [(key, axis) for axis in range(3) if key[axis] == ALL and (key, axis) in members]
        return found

    def violation(line: Line) -> Key | None:
        """The next segment to withhold so that `line` obeys rules 2 and 3, or None if it does."""
        total, axis = line
        line_members = members[line]
        hidden = [m for m in line_members if m in withheld]
        total_hidden = total in withheld
        hidden_people = sum(headcounts[m] for m in hidden)
        lone = len(hidden) + total_hidden == 1
        small_rest = not total_hidden and 0 < hidden_people < MIN_GROUP
        if not (lone or small_rest):
            return None
        shown = [m for m in line_members if m not in withheld]
        if shown:
            return min(shown, key=lambda m: (headcounts[m], m))
        return None if total_hidden else total

    # Coarse lines first (the company by tenure band before Sales by tenure band): a margin they
    # withhold often settles the finer lines below it, which would otherwise each withhold a cell.
    def priority(line: Line) -> tuple[int, Line]:
        return (-line[0].count(ALL), line)

    pending = [priority(line) for line in members]
    heapq.heapify(pending)
    queued = set(members)
    while pending:
        _, line = heapq.heappop(pending)
        queued.discard(line)
        withhold = violation(line)
        if withhold is None:
            continue
        withheld.add(withhold)
        for again in [line, *lines_of(withhold)]:
            if again not in queued:
                queued.add(again)
                heapq.heappush(pending, priority(again))
    return set(headcounts) - withheld

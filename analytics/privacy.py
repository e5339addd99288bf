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
    """The segments whose figures may be published, given every non-empty segment's headcount.

    Each line keeps a running count of its withheld members and of the people in them, so checking
    a line costs the same whatever its length: the backfill runs this once per day of a year."""
    members: dict[Line, list[Key]] = defaultdict(list)
    member_of: dict[Key, list[Line]] = {}
    for key in headcounts:
        d, loc, t = key
        its = []
        if d != ALL:
            its.append(((ALL, loc, t), 0))
        if loc != ALL:
            its.append(((d, ALL, t), 1))
        if t != ALL:
            its.append(((d, loc, ALL), 2))
        for line in its:
            members[line].append(key)
        member_of[key] = its
    total_of: dict[Key, list[Line]] = defaultdict(list)
    for line in members:
        total_of[line[0]].append(line)

    withheld: set[Key] = set()
    hidden_count: dict[Line, int] = dict.fromkeys(members, 0)
    hidden_people: dict[Line, int] = dict.fromkeys(members, 0)

    def withhold(key: Key) -> None:
        withheld.add(key)
        for line in member_of.get(key, ()):
            hidden_count[line] += 1
            hidden_people[line] += headcounts[key]

    for key, n in headcounts.items():
        if n < MIN_GROUP:
            withhold(key)

    def violation(line: Line) -> Key | None:
        """The next segment to withhold so that `line` obeys rules 2 and 3, or None if it does."""
        total = line[0]
        total_hidden = total in withheld
        lone = hidden_count[line] + total_hidden == 1
        small_rest = not total_hidden and 0 < hidden_people[line] < MIN_GROUP
        if not (lone or small_rest):
            return None
        if hidden_count[line] < len(members[line]):
            return min((m for m in members[line] if m not in withheld), key=lambda m: (headcounts[m], m))
        return None if total_hidden else total

    # Coarse lines first (the company by tenure band before Sales by tenure band): a margin they
    # withhold often settles the finer lines below it, which would otherwise each withhold a cell.
    def priority(line: Line) -> tuple[int, Line]:
        return (-line[0].count(ALL), line)

    # Only a line with something withheld can break rule 2 or 3; a line that starts to is queued
    # when its member or total is withheld, in the same order as if every line had been queued.
    queued = {line for line in members if hidden_count[line] or line[0] in withheld}
    pending = [priority(line) for line in queued]
    heapq.heapify(pending)
    while pending:
        _, line = heapq.heappop(pending)
        queued.discard(line)
        found = violation(line)
        if found is None:
            continue
        withhold(found)
        for again in [line, *member_of.get(found, ()), *total_of.get(found, ())]:
            if again not in queued:
                queued.add(again)
                heapq.heappush(pending, priority(again))
    return set(headcounts) - withheld

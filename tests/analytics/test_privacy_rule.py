"""The privacy rule on its own (analytics/privacy.py): which segments may be published, given their
headcounts. Keys are (department, location, tenure band) with 0 for "all"."""

import random
from collections import Counter, defaultdict
from itertools import product

from analytics.privacy import MIN_GROUP, publishable

ALL = 0


def cube(leaves: dict[tuple[int, int, int], int]) -> dict[tuple[int, int, int], int]:
    """Every segment's headcount from the leaves' (each coordinate itself or ALL)."""
    counts: Counter[tuple[int, int, int]] = Counter()
    for (d, loc, t), n in leaves.items():
        for key in product((d, ALL), (loc, ALL), (t, ALL)):
            counts[key] += n
    return dict(counts)


def lines(keys):
    """(total, members) for every line: the segments that differ only along one axis."""
    found = defaultdict(list)
    for key in keys:
        for axis in range(3):
            if key[axis] != ALL:
                total = list(key)
                total[axis] = ALL
                found[(tuple(total), axis)].append(key)
    return found


def assert_no_subtraction_reveals_a_small_group(counts, shown):
    for (total, _axis), members in lines(counts).items():
        hidden = [m for m in members if m not in shown]
        withheld = len(hidden) + (total not in shown)
        assert withheld != 1, f"a lone withheld entry on the line of {total}: {hidden or total}"
        if total in shown:
            rest = sum(counts[m] for m in hidden)
            assert rest == 0 or rest >= MIN_GROUP, f"total {total} minus what is shown is {rest} people"
            for member in members:
                if member in shown:  # the nested difference of two published views
                    difference = counts[total] - counts[member]
                    assert difference == 0 or difference >= MIN_GROUP


def test_a_segment_under_five_people_is_withheld_and_so_is_the_smallest_other():
    # Engineering: 40 in Lisbon, 3 in Paris, 9 in Berlin; one tenure band.
    counts = cube({(1, 1, 1): 40, (1, 2, 1): 3, (1, 3, 1): 9})

    shown = publishable(counts)

    assert (1, 2, ALL) not in shown  # Paris: 3 people
    # Engineering minus Lisbon would be Paris plus Berlin; so Berlin, the smallest, goes with Paris.
    assert (1, 3, ALL) not in shown
    assert (1, 1, ALL) in shown and (1, ALL, ALL) in shown
    assert_no_subtraction_reveals_a_small_group(counts, shown)


def test_the_nested_difference_of_two_filtered_views_cannot_reveal_two_people():
    # All of Sales is in Lisbon but two people in Paris: "Sales" minus "Sales in Lisbon" would be them.
    counts = cube({(2, 1, 1): 48, (2, 2, 1): 2})

    shown = publishable(counts)

    assert (2, ALL, ALL) in shown
    assert (2, 1, ALL) not in shown
    assert (2, 2, ALL) not in shown


def test_a_segment_made_only_of_small_groups_shows_nothing_of_them():
    counts = cube({(1, 1, 1): 2, (1, 2, 2): 2})

    shown = publishable(counts)

    assert shown == set()  # four people in all: not even the company total


def test_large_groups_everywhere_are_all_published():
    counts = cube({(d, loc, t): 6 for d in (1, 2) for loc in (1, 2) for t in (1, 2)})

    assert publishable(counts) == set(counts)


def test_random_companies_never_let_a_subtraction_reveal_a_small_group():
    rng = random.Random(11)
    for _ in range(60):
        leaves = {
            (d, loc, t): rng.choice((1, 1, 2, 3, 4, 5, 6, 8, 12, 30))
            for d in range(1, rng.randint(2, 7))
            for loc in range(1, rng.randint(2, 5))
            for t in range(1, 5)
            if rng.random() < 0.6
        }
        if not leaves:
            continue
        counts = cube(leaves)

        shown = publishable(counts)

        assert all(counts[key] >= MIN_GROUP for key in shown)
        assert_no_subtraction_reveals_a_small_group(counts, shown)

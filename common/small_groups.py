"""Which groups of people a figure may be shown for: none under MIN_GROUP people, and never a
remainder (the total minus everything shown, an "Other" row) under MIN_GROUP either."""

from collections.abc import Hashable, Mapping
from typing import TypeVar

MIN_GROUP = 5

K = TypeVar("K", bound=Hashable)


def groups_to_show(sizes: Mapping[K, int], minimum: int = MIN_GROUP) -> set[K]:
    """The keys of `sizes` (people per group) that may be shown on their own. The rest are counted
    together as "Other", which is either nobody or at least `minimum` people: where the small groups
    add up to fewer, the smallest shown ones join them, so no small group can be worked out by
    subtracting the shown rows from the total."""
    shown = {k for k, n in sizes.items() if n >= minimum}
    hidden = sum(n for k, n in sizes.items() if k not in shown)
    while shown and 0 < hidden < minimum:
        smallest = min(shown, key=lambda k: (sizes[k], str(k)))
        shown.discard(smallest)
        hidden += sizes[smallest]
    return shown

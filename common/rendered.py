"""HTML rendered once per process for each key and reused: the memo behind small repeated parts of pages
(a person's card in the directory, a tag cloud) whose key is everything they show.

As with feed/cards.py, the key is the values themselves, so a renamed person or a new count gives a new
key and the old entry ages out of the least-recently-used memo: nothing to invalidate, nothing stale.
Only for parts that show no per-request value (no CSRF token, no path, no viewer).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.utils.safestring import SafeString, mark_safe


class RenderedMemo:
    def __init__(self, *, size: int) -> None:
        self.size = size
        self._memo: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], str]) -> SafeString:
        """The HTML for `key`, rendered by `render()` the first time (outside the lock)."""
        with self._lock:
            html = self._memo.get(key)
            if html is not None:
                self._memo.move_to_end(key)
        if html is None:
            html = str(render())
            with self._lock:
                self._memo[key] = html
                if len(self._memo) > self.size:
                    self._memo.popitem(last=False)
        return mark_safe(html)  # noqa: S308 - rendered by a template, which escaped it

    def clear(self) -> None:
        with self._lock:
            self._memo.clear()

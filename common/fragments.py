"""Parts of pages rendered once per process and reused: the same HTML for everyone who gives the same key.

`{% fragment "name" value ... %}...{% endfragment %}` (common/templatetags/hive_fragments.py) renders
its body the first time a key is seen and then serves that HTML. The key is everything the body shows
beyond fixed text and URLs: the template names it (the viewer's roles, the page's path), so nothing is
invalidated and nothing can be served stale, as with feed/cards.py's cards. The CSRF token, the one
value that differs per request, is rendered as a marker and put in on the way out. A body that shows
data (a count, a name from the database) must name it in the key, or stay outside the fragment.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.template import Context
from django.template.base import NodeList
from django.utils.safestring import SafeString, mark_safe

# Fragments are a few per page kind and role: a few hundred keys at most.
MEMO_SIZE = 500
# Rendered in place of the request's CSRF token; plain letters, so escaping leaves it as it is.
CSRF_MARK = "hivefragmentcsrfmark"

_memo: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def fragment_render(context: Context, nodelist: NodeList, key: tuple) -> SafeString:
    """The body's HTML for this key, from the memo when it holds it."""
    csrf_token = context.get("csrf_token")
    if csrf_token is None or str(csrf_token) == "NOTPROVIDED" or csrf_token == CSRF_MARK:
        return nodelist.render(context)  # no token to put back, or inside a fragment being memoised
    with _lock:
        html = _memo.get(key)
        if html is not None:
            _memo.move_to_end(key)
    if html is None:
        with context.push(csrf_token=CSRF_MARK):
            html = str(nodelist.render(context))
        with _lock:
            _memo[key] = html
            if len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    return mark_safe(html.replace(CSRF_MARK, str(csrf_token)))  # noqa: S308 - rendered by the template


def fragments_clear() -> None:
    with _lock:
        _memo.clear()

"""A page's text: its [[links]], its rendering (the feed's Markdown renderer and sanitiser), and the
difference between two versions."""

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.safestring import SafeString

from common.markdown import markdown_render_document

# [[Title]] or [[Title|what the link says]]; titles may not hold [ ] or |, so this never runs away.
LINK = re.compile(r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]")
TITLE_FORBIDDEN = re.compile(r"[\[\]|]")
LINKS_MAX = 200  # distinct pages one page may link to; more are shown but not tracked


def title_clean(title: str) -> str:
    return " ".join((title or "").split())


def title_key(title: str) -> str:
    """How a link finds its page: the title with any capitals and spacing."""
    return title_clean(title).lower()


def link_keys(body: str) -> list[str]:
    """The titles this text links to, once each, in order."""
    seen: dict[str, None] = {}
    for match in LINK.finditer(body or ""):
        key = title_key(match.group(1))
        if key:
            seen.setdefault(key, None)
    return list(seen)[:LINKS_MAX]


def _label(text: str) -> str:
    # The label goes between Markdown's [ ]: a backslash or backtick could otherwise change its meaning.
    return re.sub(r"([\\`*_<>])", r"\\\1", " ".join(text.split()))


def page_render(body: str, *, resolve: Callable[[str], str | None], new_url: str | None) -> SafeString:
    """The page as HTML. `resolve(key)` gives the address of a page linked to, or None when there is
    none (or none the reader may see); such a link offers to write it when `new_url` is given."""

    def link(match: re.Match) -> str:
        title = title_clean(match.group(1))
        label = _label(match.group(2) or title)
        url = resolve(title_key(title))
        if url is not None:
            return f"[{label}]({url})"
        if new_url is None:
            return label
        return f'[{label}]({new_url}?title={quote(title, safe="")} "Not written yet: write it")'

    return markdown_render_document(LINK.sub(link, body or ""))


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed", or "gap" (unchanged lines left out)
    text: str
    old_no: int | None = None
    new_no: int | None = None


CONTEXT = 3


def lines_diff(old: str, new: str, *, context: int = CONTEXT) -> list[DiffLine]:
    """Line by line, what changed from `old` to `new`, with `context` unchanged lines around each change."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    out: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("same", a[i], i + 1, j1 + i - i1 + 1) for i in range(i1, i2)]
                continue
            out += [DiffLine("removed", a[i], old_no=i + 1) for i in range(i1, i2)]
            out += [DiffLine("added", b[j], new_no=j + 1) for j in range(j1, j2)]
    return out

"""Turning what someone typed into search terms, and cutting a readable snippet around a match."""

import re
from collections.abc import Sequence

MAX_QUERY_LENGTH = 200
# More words than this add nothing to relevance and only make the query slower.
MAX_TERMS = 8

_WORD = re.compile(r"\w+", re.UNICODE)


def words_of(text: str) -> list[str]:
    """Lower-cased words, in order, without repeats: 'Jon  SMITH jon' -> ['jon', 'smith']."""
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def tsquery_text(query: str, *, prefix: bool, alternatives: Sequence[str] = ()) -> str:
    """A to_tsquery() string: every word of the query (AND), or every word of any alternative.

    Only \\w characters reach it, so nothing the user types can change the tsquery's syntax.
    With prefix, words of two letters or more also match longer words ("kube" finds "kubernetes")
    for people typing; one letter would match half the company.
    """
    groups = []
    for text, use_prefix in [(query, prefix), *[(alt, False) for alt in alternatives]]:
        terms = [f"{w}:*" if use_prefix and len(w) > 1 else w for w in words_of(text)]
        if terms:
            groups.append("(" + " & ".join(terms) + ")")
    return " | ".join(groups)


def snippet(text: str, terms: list[str], *, width: int = 160) -> list[tuple[str, bool]]:
    """About `width` characters of text around the first term found, as (text, is_match) parts.

    Parts, not HTML: the template escapes each one and wraps matches in <mark>, so a summary
    can never inject markup.
    """
    text = " ".join(text.split())
    lowered = text.lower()
    hits = [(lowered.find(t), t) for t in terms if t and lowered.find(t) >= 0]
    if not hits:
        short = text[:width]
        return [(short + ("…" if len(text) > width else ""), False)]
    first = min(hits)[0]
    start = max(0, first - width // 3)
    if start:
        # Start on a word boundary.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    window = text[start:end]
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True) if t), re.I)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    pos = 0
    for match in pattern.finditer(window):
        if match.start() > pos:
            parts.append((window[pos : match.start()], False))
        parts.append((match.group(0), True))
        pos = match.end()
    if pos < len(window):
        parts.append((window[pos:], False))
    if end < len(text):
        parts.append(("…", False))
    return parts

"""What someone typed into the search box, split into words to look for and filters.

The filters are the ones people know from Discourse and Zulip, and they live in the query text, so a
search is shared by sharing its URL:

    is:question  is:answered  is:unanswered  is:poll  is:announcement  is:kudos
    @handle (the author, as in a mention)   from:someone@example.com (the author, by email)
    #tag   in:group-slug   after:2026-01-31   before:2026-02-28   "an exact phrase"

Parsing never fails: what cannot be used is dropped and explained in `notices`, which the results
page shows. Nothing here touches the database; search.selectors resolves authors, tags and groups.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from search.text import words_of

KINDS = {
    "question": "questions",
    "answered": "answered questions",
    "unanswered": "unanswered questions",
    "poll": "polls",
    "announcement": "announcements",
    "kudos": "kudos",
}

# An operator, a quoted phrase, or anything else up to the next space. A quote left open runs to
# the end of the text and is reported.
_TOKEN = re.compile(
    r"""(?P<op>(?:is|from|in|after|before):\S*)"""
    r"""|(?P<mention>@[\w.+-]+)"""
    r"""|(?P<tag>\#\w[\w-]*)"""
    r"""|"(?P<phrase>[^"]*)"(?=\s|$)"""
    r"""|(?P<open>"[^"]*$)"""
    r"""|(?P<word>\S+)""",
    re.IGNORECASE,
)


@dataclass
class ParsedQuery:
    text: str = ""  # the words to search for, operators taken out
    phrases: list[str] = field(default_factory=list)  # "quoted" runs, matched word after word
    kinds: list[str] = field(default_factory=list)  # keys of KINDS, all must hold
    author_handle: str = ""  # @handle: the part of an email before the @
    author_email: str = ""
    tag: str = ""
    group_slug: str = ""
    after: date | None = None
    before: date | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.kinds
            or self.author_handle
            or self.author_email
            or self.tag
            or self.group_slug
            or self.after
            or self.before
        )

    @property
    def has_words(self) -> bool:
        return bool(words_of(self.text))


def _date(value: str, *, name: str, notices: list[str]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        notices.append(
            f"“{name}:{value}” was ignored: write the date as YYYY-MM-DD, for example {name}:2026-01-31."
        )
        return None


def query_parse(raw: str) -> ParsedQuery:
    parsed = ParsedQuery()
    words: list[str] = []
    notices = parsed.notices
    for match in _TOKEN.finditer(raw):
        kind = match.lastgroup
        if kind is None:  # never: every alternative of _TOKEN is a named group
            continue
        value = match.group(kind)
        if kind == "op":
            key, _, arg = value.partition(":")
            key = key.lower()
            if not arg:
                notices.append(f"“{value}” was ignored: nothing follows the colon.")
            elif key == "is":
                if arg.lower() in KINDS:
                    if arg.lower() not in parsed.kinds:
                        parsed.kinds.append(arg.lower())
                else:
                    known = ", ".join(f"is:{k}" for k in KINDS)
                    notices.append(f"“{value}” was ignored: try {known}.")
            elif key == "from":
                # Zulip's sender: takes an email; "from:ada" means the handle, as "@ada" does.
                if "@" in arg:
                    parsed.author_email = arg.lower()
                else:
                    parsed.author_handle = arg.lower()
            elif key == "in":
                parsed.group_slug = arg.lower()
            elif key == "after":
                parsed.after = _date(arg, name="after", notices=notices)
            elif key == "before":
                parsed.before = _date(arg, name="before", notices=notices)
        elif kind == "mention":
            parsed.author_handle = value[1:].lower()
        elif kind == "tag":
            parsed.tag = value[1:].lower()
        elif kind == "phrase":
            if words_of(value):
                parsed.phrases.append(" ".join(words_of(value)))
                words.append(value)
        elif kind == "open":
            notices.append("A quote was left open: its words were searched one by one.")
            words.append(value[1:])
        else:
            words.append(value)
    if "answered" in parsed.kinds and "unanswered" in parsed.kinds:
        notices.append(
            "A question is either answered or not: “is:answered” and “is:unanswered” were both ignored."
        )
        parsed.kinds = [k for k in parsed.kinds if k not in ("answered", "unanswered")]
    parsed.text = " ".join(" ".join(words).split())
    return parsed

"""The guidelines as one Markdown document an editor writes, and back: a preamble, then one clause
per `## Title` heading, numbered in the order written. Also what changed between two versions."""

import difflib
import re
from dataclasses import dataclass

MAX_CLAUSES = 50
MAX_TITLE = 120
MAX_SOURCE = 50_000
_HEADING = re.compile(r"^##\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class ClauseText:
    title: str
    body: str


class GuidelinesSyntaxError(ValueError):
    pass


def guidelines_parse(source: str) -> tuple[str, list[ClauseText]]:
    """(preamble, clauses) from the editor's document; raises GuidelinesSyntaxError saying what to fix."""
    source = source.replace("\r\n", "\n").strip()
    if len(source) > MAX_SOURCE:
        raise GuidelinesSyntaxError(f"Keep the guidelines under {MAX_SOURCE:,} characters.")
    preamble: list[str] = []
    clauses: list[tuple[str, list[str]]] = []
    for line in source.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            title = heading.group(1).strip()
            # "## 3. Be kind" and "## Be kind" both mean the clause "Be kind": numbers come from the order.
            title = re.sub(r"^\d+[.)]\s*", "", title)
            if not title:
                raise GuidelinesSyntaxError(f"Clause {len(clauses) + 1} needs a title after “##”.")
            if len(title) > MAX_TITLE:
                raise GuidelinesSyntaxError(
                    f"Clause {len(clauses) + 1}'s title is longer than {MAX_TITLE} characters."
                )
            clauses.append((title, []))
        elif clauses:
            clauses[-1][1].append(line)
        else:
            preamble.append(line)
    if not clauses:
        raise GuidelinesSyntaxError("Write at least one clause, each starting with a “## Title” line.")
    if len(clauses) > MAX_CLAUSES:
        raise GuidelinesSyntaxError(f"Keep to {MAX_CLAUSES} clauses or fewer.")
    seen: set[str] = set()
    for title, _ in clauses:
        if title.lower() in seen:
            raise GuidelinesSyntaxError(f"Two clauses are called “{title}”: give each its own title.")
        seen.add(title.lower())
    return "\n".join(preamble).strip(), [ClauseText(t, "\n".join(b).strip()) for t, b in clauses]


def guidelines_source(preamble: str, clauses: list[ClauseText]) -> str:
    """The document an editor starts from: parse(source(x)) == x."""
    parts = [preamble.strip()] if preamble.strip() else []
    parts += [f"## {c.title}\n\n{c.body}".strip() for c in clauses]
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class ClauseChange:
    kind: str  # "added", "changed", "removed"
    number: int | None  # in the newer version (None when removed)
    title: str
    lines: list[tuple[str, str]]  # (" ", "+" or "-", line): the clause's text, marked


def guidelines_changes(old: list[ClauseText], new: list[ClauseText]) -> list[ClauseChange]:
    """Clause by clause, matched by title: what someone who accepted `old` needs to read in `new`."""
    old_by_title = {c.title.lower(): c for c in old}
    new_titles = {c.title.lower() for c in new}
    changes: list[ClauseChange] = []
    for number, clause in enumerate(new, start=1):
        before = old_by_title.get(clause.title.lower())
        if before is None:
            changes.append(ClauseChange("added", number, clause.title, _marked("", clause.body)))
        elif before.body.strip() != clause.body.strip():
            changes.append(ClauseChange("changed", number, clause.title, _marked(before.body, clause.body)))
    for clause in old:
        if clause.title.lower() not in new_titles:
            changes.append(ClauseChange("removed", None, clause.title, _marked(clause.body, "")))
    return changes


def _marked(before: str, after: str) -> list[tuple[str, str]]:
    lines = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        mark, text = line[:1], line[2:]
        if mark in (" ", "+", "-") and (text.strip() or mark != " "):
            lines.append((mark, text))
    return lines

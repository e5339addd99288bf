"""Automatic rules: watched words, regular expressions and confidential-data detectors, applied to
posts, comments, kudos messages and profile text, each rule blocking, holding or flagging.

Expressions run on RE2 (google-re2): matching time grows with the text, never exponentially, so a
rule like `(a+)+$` cannot stall a request on a long post; what RE2 cannot run (backreferences,
look-arounds) is refused when the rule is saved. Every word and expression of one kind of content is
compiled into one RE2 set, which tells in a single pass which rules matched, so 500 watched words cost
about what one does. The compiled rules are kept per process and rebuilt when a rule changes (a
version in the cache) or a minute has passed (in case the cache was away when it changed).
"""

import secrets
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import re2
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from common.pagination import Page, keyset_page
from moderation.detectors import DETECTORS, NATIONAL_ID_COUNTRIES, detector_run
from moderation.models import AuditEntry, Case
from moderation.protocol import Moderatable
from moderation.rules_models import RuleAction, RuleHit, RuleKind, WatchedRule
from moderation.services import audit_record, case_open, is_moderator
from profiles.models import Profile

WHERE = {"posts": "on_posts", "comments": "on_comments", "kudos": "on_kudos", "profiles": "on_profiles"}
WHERE_LABELS = {
    "posts": "posts",
    "comments": "comments",
    "kudos": "kudos messages",
    "profiles": "profile text",
}
SEVERITY = {RuleAction.FLAG: 1, RuleAction.HOLD: 2, RuleAction.BLOCK: 3}
PATTERN_MAX = 500
# Posts stop at 5,000 characters and profiles at 2,000: this bounds the work whatever a caller passes.
TEXT_MAX = 20_000
_WORD = r"[\pL\pN_]"
# Invisible characters that split a word for the matcher but not for the reader.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _options(*, max_mem: int = 8 << 20) -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = max_mem
    return options


def normalize(text: str) -> str:
    """Full-width letters, ligatures and invisible joiners read as their plain forms."""
    return unicodedata.normalize("NFKC", text[:TEXT_MAX]).translate(_INVISIBLE)


def word_regex(word: str) -> str:
    """A watched word or phrase as RE2: whole words, any case, any spacing; * stands for letters."""
    pieces = []
    for part in normalize(word).split():
        pieces.append(f"{_WORD}*".join(re2.escape(chunk) for chunk in part.split("*")))
    spaced = r"\s+".join(pieces)
    return rf"(?:^|[^\pL\pN_])(?:{spaced})(?:$|[^\pL\pN_])"


# --- Checking a rule before it is saved ---------------------------------------------------------


def pattern_check(*, kind: str, pattern: str, countries: str = "") -> tuple[str, str]:
    """The pattern and countries as they will be stored, or a ValidationError saying what is wrong."""
    pattern = (pattern or "").strip()
    if kind not in RuleKind.values:
        raise ValidationError("Choose a kind of rule.")
    if not pattern:
        raise ValidationError({"pattern": "Write the word, phrase or expression to watch for."})
    if len(pattern) > PATTERN_MAX:
        raise ValidationError({"pattern": f"A pattern is at most {PATTERN_MAX} characters."})
    codes = ""
    if kind == RuleKind.WORD:
        if len(pattern.replace("*", "").strip()) < 2:
            raise ValidationError({"pattern": "A watched word needs at least two letters besides *."})
        expression = word_regex(pattern)
    elif kind == RuleKind.REGEX:
        expression = pattern
    else:
        if pattern not in DETECTORS:
            raise ValidationError({"pattern": "Choose one of the built-in detectors."})
        wanted = [c.strip().upper() for c in (countries or "").split(",") if c.strip()]
        unknown = sorted(set(wanted) - set(NATIONAL_ID_COUNTRIES))
        if unknown:
            raise ValidationError(
                {
                    "countries": f"Hive has no national-ID check for {', '.join(unknown)}; "
                    f"it knows {', '.join(NATIONAL_ID_COUNTRIES)}."
                }
            )
        codes = ",".join(sorted(set(wanted))) if pattern == "national_id" else ""
        return pattern, codes
    try:
        compiled = re2.compile(expression, _options())
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValidationError(
            {
                "pattern": f"This expression can't be used ({reason}). Hive runs expressions with RE2, "
                "which has no backreferences (\\1) or look-arounds ((?=…), (?!…)) and so can never "
                "run away on a long post."
            }
        ) from exc
    if compiled.search("") is not None:
        raise ValidationError(
            {"pattern": "This expression matches empty text, so it would catch everything."}
        )
    return pattern, codes


# --- Evaluating ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: int
    kind: str
    pattern: str
    action: str
    message: str
    countries: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.kind == RuleKind.DETECTOR:
            return DETECTORS.get(self.pattern, self.pattern)
        return f"{'watched word' if self.kind == RuleKind.WORD else 'expression'} “{self.pattern}”"


@dataclass(frozen=True)
class Hit:
    rule_id: int | None
    action: str
    label: str  # which rule: "watched word “crypto”", "Payment card numbers (Luhn-checked)"
    matched: str  # what it found, masked for detectors
    message: str  # the rule's own words for the author, may be empty


@dataclass
class Verdict:
    hits: list[Hit] = field(default_factory=list)

    @property
    def action(self) -> str | None:
        """The strictest action among the hits: block, hold, flag, or None."""
        if not self.hits:
            return None
        return max((h.action for h in self.hits), key=lambda a: SEVERITY[RuleAction(a)])

    def author_message(self, *, what: str) -> str:
        strictest = [h for h in self.hits if h.action == self.action]
        reasons = "; ".join(dict.fromkeys(_reason(h) for h in strictest))
        if self.action == RuleAction.BLOCK:
            return f"Your {what} can't be published: {reasons}. Nothing was saved; edit it and try again."
        return f"Your {what} waits for a moderator's approval: {reasons}. Only you can see it until then."


def _reason(hit: Hit) -> str:
    if hit.message:
        return hit.message.rstrip(".")
    if hit.rule_id is None:
        return hit.label
    if hit.label.startswith(("watched word", "expression")):
        return f"it contains “{hit.matched}”, which the company's rules watch for"
    return f"it contains what looks like confidential data: {hit.label} ({hit.matched})"


def word_stem(word: str) -> str:
    """A watched word's literal core for the prefilter, on case-folded text: the phrase itself, or
    with a * anywhere its longest literal piece (every match of the word contains it)."""
    folded = normalize(word).casefold()
    if "*" in folded:
        return re2.escape(max(re2.split(r"[\s*]+", folded), key=len))
    return r"\s+".join(re2.escape(part) for part in folded.split())


class _SetMatcher:
    """Which of many expressions occur in a text, in one pass per chunk of them.

    One RE2 set per chunk keeps every automaton small (one set of 500 Unicode-aware expressions
    outgrows any sensible memory limit and fails to compile); a chunk that still fails falls back to
    its expressions one by one, so a rule never breaks posting."""

    CHUNK = 100

    def __init__(self, expressions: list[str], *, case_sensitive: bool):
        options = _options(max_mem=32 << 20)
        options.case_sensitive = case_sensitive
        self._parts: list[tuple[int, Any, list[Any]]] = []  # (first index, set or None, singles)
        for first in range(0, len(expressions), self.CHUNK):
            chunk = expressions[first : first + self.CHUNK]
            rule_set = re2.Set.SearchSet(options)
            try:
                for expression in chunk:
                    rule_set.Add(expression)
                rule_set.Compile()
                self._parts.append((first, rule_set, []))
            except re2.error:
                self._parts.append((first, None, [re2.compile(e, options) for e in chunk]))

    def matches(self, text: str) -> list[int]:
        found: list[int] = []
        for first, rule_set, singles in self._parts:
            if rule_set is not None:
                found += [first + i for i in rule_set.Match(text) or []]
            else:
                found += [first + i for i, single in enumerate(singles) if single.search(text)]
        return sorted(found)


class Compiled:
    """One kind of content's rules, compiled. Watched words go through a prefilter of their literal
    cores on the case-folded text (a small, fast automaton); only a word found there is checked with
    its full expression (whole words, Unicode-aware). Expressions run in sets of their own."""

    def __init__(self, rules: list[Rule]):
        self.detectors = [r for r in rules if r.kind == RuleKind.DETECTOR]
        self.words: list[Rule] = []
        self.expressions: list[Rule] = []
        word_stems: list[str] = []
        for rule in rules:
            if rule.kind == RuleKind.WORD:
                self.words.append(rule)
                word_stems.append(word_stem(rule.pattern))
            elif rule.kind == RuleKind.REGEX:
                try:
                    re2.compile(rule.pattern, _options())
                except re2.error:
                    continue  # saved before a stricter check: skipped rather than failing every post
                self.expressions.append(rule)
        self._word_set = _SetMatcher(word_stems, case_sensitive=True) if word_stems else None
        self._expression_set = (
            _SetMatcher([r.pattern for r in self.expressions], case_sensitive=False)
            if self.expressions
            else None
        )
        self._full: dict[int, Any] = {}  # rule id -> its full expression, compiled when first needed

    def _full_match(self, rule: Rule, text: str) -> str | None:
        compiled = self._full.get(rule.id)
        if compiled is None:
            expression = word_regex(rule.pattern) if rule.kind == RuleKind.WORD else rule.pattern
            compiled = self._full[rule.id] = re2.compile(expression, _options())
        match = compiled.search(text)
        return None if match is None else match.group(0).strip(" \t\n.,;:!?()[]{}\"'")

    def evaluate(self, text: str) -> Verdict:
        text = normalize(text)
        verdict = Verdict()
        candidates: list[Rule] = []
        if self._word_set is not None:
            candidates += [self.words[i] for i in self._word_set.matches(text.casefold())]
        if self._expression_set is not None:
            candidates += [self.expressions[i] for i in self._expression_set.matches(text)]
        for rule in candidates:
            matched = self._full_match(rule, text)
            if matched is not None:
                verdict.hits.append(Hit(rule.id, rule.action, rule.label, matched[:120], rule.message))
        for rule in self.detectors:
            for finding in detector_run(rule.pattern, text, countries=list(rule.countries)):
                verdict.hits.append(Hit(rule.id, rule.action, finding.label, finding.masked, rule.message))
        return verdict


_VERSION_KEY = "moderation:rules-version"
_MAX_AGE = 60.0
_loaded: dict[str, object] = {"version": None, "at": 0.0, "by_where": {}}


def _rules_load() -> dict[str, Compiled]:
    by_where: dict[str, list[Rule]] = {where: [] for where in WHERE}
    for row in WatchedRule.objects.filter(is_active=True).order_by("id"):
        rule = Rule(
            id=row.pk,
            kind=row.kind,
            pattern=row.pattern,
            action=row.action,
            message=row.message,
            countries=tuple(c for c in row.countries.split(",") if c),
        )
        for where, flag in WHERE.items():
            if getattr(row, flag):
                by_where[where].append(rule)
    # Most rules apply everywhere: kinds of content with the same rules share one compiled set.
    compiled: dict[tuple[int, ...], Compiled] = {}
    for rules in by_where.values():
        key = tuple(r.id for r in rules)
        if key not in compiled:
            compiled[key] = Compiled(rules)
    return {where: compiled[tuple(r.id for r in rules)] for where, rules in by_where.items()}


def compiled_for(where: str) -> Compiled:
    """This process's compiled rules, rebuilt after a change anywhere (or a minute, whichever first)."""
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(_VERSION_KEY)
    now = time.monotonic()
    if _loaded["version"] != version or now - float(_loaded["at"]) > _MAX_AGE:  # type: ignore[arg-type]
        _loaded.update(version=version, at=now, by_where=_rules_load())
    return _loaded["by_where"][where]  # type: ignore[index]


def rules_changed() -> None:
    """Inside the transaction that changed a rule: every process recompiles, now and again once it
    commits (a process that read the old rows in between would otherwise keep them for a minute)."""
    cache.set(_VERSION_KEY, secrets.token_hex(8), None)
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, secrets.token_hex(8), None))


def text_screen(*, text: str, where: str) -> Verdict:
    """What the rules for `where` (posts, comments, kudos, profiles) say about this text."""
    if where not in WHERE:
        raise ValueError(f"Unknown kind of content {where!r}")
    return compiled_for(where).evaluate(text or "")


def text_check(*, text: str, where: str) -> Verdict:
    """text_screen, raising the author's ValidationError when a rule blocks the text."""
    verdict = text_screen(text=text, where=where)
    if verdict.action == RuleAction.BLOCK:
        raise ValidationError(verdict.author_message(what=_WHAT[where]))
    return verdict


_WHAT = {"posts": "post", "comments": "comment", "kudos": "kudos message", "profiles": "profile"}


# --- Sending what rules caught to the review queue ----------------------------------------------


# Where a rule-caught case starts in the queue (ordered by weighted score): a held post waits for a
# moderator before anyone sees it, so it goes ahead of a flag or two; a rule's flag counts as one.
RULE_SCORE = {RuleAction.HOLD: 2.0, RuleAction.FLAG: 1.0}


@transaction.atomic
def rule_case_open(*, content: Moderatable, hits: list[Hit]) -> Case:
    """The held or flagged content goes to the review queue with the rules it broke. The case is
    case_open's: a kept case is reopened afresh, a waiting, appealed or escalated one only gains score."""
    score = max(RULE_SCORE.get(RuleAction(h.action), 1.0) for h in hits)
    case = case_open(content=content, score=score, why="automatic rule")
    RuleHit.objects.bulk_create(
        RuleHit(case=case, rule_id=h.rule_id, action=h.action, label=h.label[:300], matched=h.matched[:300])
        for h in hits
    )
    audit_record(
        actor=None,
        action="rule.hit",
        target=case,
        actions=sorted({h.action for h in hits}),
        rules=[h.rule_id for h in hits],
    )
    return case


def new_member_hit(*, number: int, of: int) -> Hit:
    return Hit(None, RuleAction.HOLD, f"new member's post ({number} of their first {of})", "", "")


# --- Changing rules (moderators and admins) -----------------------------------------------------


def _rule_state(rule: WatchedRule) -> dict:
    return {
        "kind": rule.kind,
        "pattern": rule.pattern,
        "countries": rule.countries,
        "action": rule.action,
        "message": rule.message,
        "where": [w for w, f in WHERE.items() if getattr(rule, f)],
        "is_active": rule.is_active,
    }


def _require_rule_editor(actor: Profile) -> None:
    if not is_moderator(actor.user):
        raise PermissionDenied("Only moderators and admins can change the rules.")


def _fields_clean(*, kind: str, pattern: str, countries: str, action: str, message: str, where: list[str]):
    if action not in RuleAction.values:
        raise ValidationError({"action": "Choose what happens on a match: block, hold or flag."})
    if not where or set(where) - set(WHERE):
        raise ValidationError({"where": "Choose at least one kind of content the rule applies to."})
    pattern, countries = pattern_check(kind=kind, pattern=pattern, countries=countries)
    message = " ".join((message or "").split())
    if len(message) > 300:
        raise ValidationError({"message": "The message to authors is at most 300 characters."})
    return pattern, countries, message


@transaction.atomic
def rule_create(
    *,
    actor: Profile,
    kind: str,
    pattern: str,
    action: str,
    where: list[str],
    message: str = "",
    countries: str = "",
) -> WatchedRule:
    _require_rule_editor(actor)
    pattern, countries, message = _fields_clean(
        kind=kind, pattern=pattern, countries=countries, action=action, message=message, where=where
    )
    rule = WatchedRule.objects.create(
        kind=kind,
        pattern=pattern,
        countries=countries,
        action=action,
        message=message,
        created_by=actor,
        **{flag: where_ in where for where_, flag in WHERE.items()},
    )
    audit_record(actor=actor, action="rule.create", target=rule, after=_rule_state(rule))
    rules_changed()
    return rule


@transaction.atomic
def words_create(
    *, actor: Profile, words: str, action: str, where: list[str], message: str = ""
) -> list[WatchedRule]:
    """Several watched words at once, one a line; all or none are saved."""
    lines = [w.strip() for w in (words or "").splitlines() if w.strip()]
    if not lines:
        raise ValidationError({"pattern": "Write the word, phrase or expression to watch for."})
    existing = set(
        WatchedRule.objects.filter(kind=RuleKind.WORD, action=action, pattern__in=lines).values_list(
            "pattern", flat=True
        )
    )
    created = []
    for line in dict.fromkeys(lines):
        if line in existing:
            continue
        try:
            created.append(
                rule_create(
                    actor=actor, kind=RuleKind.WORD, pattern=line, action=action, where=where, message=message
                )
            )
        except ValidationError as exc:
            raise ValidationError({"pattern": f"“{line[:60]}”: {' '.join(exc.messages)}"}) from exc
    return created


@transaction.atomic
def rule_update(
    *,
    actor: Profile,
    rule_id: int,
    pattern: str,
    action: str,
    where: list[str],
    message: str = "",
    countries: str = "",
    is_active: bool = True,
) -> WatchedRule:
    _require_rule_editor(actor)
    rule = WatchedRule.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        raise ValidationError("That rule no longer exists.")
    pattern, countries, message = _fields_clean(
        kind=rule.kind, pattern=pattern, countries=countries, action=action, message=message, where=where
    )
    before = _rule_state(rule)
    rule.pattern, rule.countries, rule.action, rule.message = pattern, countries, action, message
    rule.is_active = is_active
    for where_, flag in WHERE.items():
        setattr(rule, flag, where_ in where)
    rule.updated_at = timezone.now()
    rule.save()
    audit_record(actor=actor, action="rule.update", target=rule, before=before, after=_rule_state(rule))
    rules_changed()
    return rule


@transaction.atomic
def rule_delete(*, actor: Profile, rule_id: int) -> None:
    _require_rule_editor(actor)
    rule = WatchedRule.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        raise ValidationError("That rule no longer exists.")
    # The audit row points at the rule's content type and id, and keeps what it said.
    audit_record(actor=actor, action="rule.delete", target=rule, before=_rule_state(rule))
    rule.delete()
    rules_changed()


# --- Reads for the rules page -------------------------------------------------------------------

RULE_AUDIT_ACTIONS = ("rule.create", "rule.update", "rule.delete", "ratelimit.update", "rulesettings.update")


def rules_page(*, cursor: str | None, size: int = 50) -> Page:
    """Newest rules first; a list of 500 watched words pages like any other list."""
    qs = WatchedRule.objects.select_related("created_by")
    return keyset_page(qs, keys=("id",), cursor=cursor, size=size, descending=True)


def rule_count() -> int:
    return WatchedRule.objects.count()


def rule_by_id(*, rule_id: int) -> WatchedRule | None:
    return WatchedRule.objects.filter(pk=rule_id).first()


def rule_changes_recent(*, limit: int = 20) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action__in=RULE_AUDIT_ACTIONS)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def profile_text_check(*, text: str, where: str) -> None:
    """Registered with common.screening for profiles: a blocking rule refuses the text."""
    verdict = text_screen(text=text, where=where)
    if verdict.action == RuleAction.BLOCK:
        raise ValidationError(verdict.author_message(what="profile"))


def profile_text_saved(*, content, text: str, where: str) -> None:
    """Registered with common.screening: saved profile text a rule holds or flags goes to the review
    queue; a hold also hides the bio (only its owner sees it) until a moderator approves it."""
    verdict = text_screen(text=text, where=where)
    if verdict.action not in (RuleAction.HOLD, RuleAction.FLAG):
        return
    case = rule_case_open(content=content, hits=verdict.hits)
    if verdict.action == RuleAction.HOLD:
        from moderation.holds import content_hold

        content_hold(case.content_type, object_id=content.pk)

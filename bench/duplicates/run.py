# ruff: noqa: E501  (a bench script with long data and report lines)
"""Measure Hive's duplicate-project suggestions on a hand-labelled set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hive .venv/bin/python bench/duplicates/run.py
    ... run.py --distractors 20000      # the same, with 20,000 other projects (timing at scale)
    ... run.py --sweep                  # precision/recall per confidence threshold
    ... run.py --fit                    # refit the second stage on the dev split, print its weights
    ... run.py --authors                # the three blind authors' pairs (authors/), figures per author

What it does: creates a scratch PostgreSQL database (hive_dupbench_<pid>, migrated from scratch,
dropped at the end), loads the "existing" side of every pair in pairs.json plus generated distractor
projects, then types the "query" side of every pair into the real suggestion service
(projects.selectors.similar_projects, the code behind /projects/similar/) and compares the top 3
suggestions with the labels.

Definitions (over the pairs of the chosen split):
  recall    = share of "same" pairs whose existing partner is among the suggestions shown for the
              query (at most 3, only those whose confidence reaches the threshold).
  precision = share of all suggestions shown, for every query of both labels, that are the query's
              true partner. A "different" query should show nothing: anything it shows counts
              against precision, as does any wrong project shown for a "same" query.
  timing    = wall time of one similar_projects() call (candidate queries, loading, scoring),
              median and 95th percentile over all queries.

pairs.json has a dev/test split (alternating pairs: odd numbers dev, even numbers test). The
lexical weights, SHARED_WORDS_FOR_FULL_TEXT, CONFIDENCE_WEIGHTS and CONFIDENCE_THRESHOLD in projects/similarity.py were chosen
looking at the dev split only; the test split is the held-out check. Figures are printed for dev,
test and all.

The blind authors' pairs (--authors): authors/author_{a,b,c}.json, 120 pairs each (60 same, 25-30 of
them "hard": no shared content word; 60 different but same domain, 40 of them hard: 3+ shared words),
written by three people who never saw this code nor each other's pairs, copied unchanged. Each
author's existing projects are loaded alone beside the distractors and removed before the next.
"hard" below is the recall of the hard "same" pairs; "different with a suggestion" the share of
"different" queries that were shown anything.

Before issue 16 (the detector as it was, one tier, confidence >= 0.35, 400 distractors, 2026-12-06,
load average 8-16 on 2 shared cores):
    a   precision 0.453 (29/64)  recall 0.483 (29/60)  hard 0.00 (0/30)  different shown something 57%
    b   precision 0.493 (35/71)  recall 0.583 (35/60)  hard 0.00 (0/25)  different shown something 58%
    c   precision 0.478 (32/67)  recall 0.533 (32/60)  hard 0.04 (1/25)  different shown something 57%

After issue 16 (two tiers; candidates also from the nearest sentence vectors; "possibly the same
work" by a logistic model over cosine, lead over the best other candidate, gap below the first,
lexical score and shared words; every weight and threshold chosen on author a alone with
`--authors --fit --tune-on a`). 20,000 distractors (`--authors --distractors 20000 --save F`, then
`--load F` re-evaluates), 2026-12-06:
        "same" tier: precision      recall        either tier: recall  hard          "different" shown as same
    a*                 0.857 (18/21)  0.300 (18/60)  0.817 (49/60)        0.63 (19/30)  3/60 (5%)
    b                  0.871 (27/31)  0.450 (27/60)  0.967 (58/60)        0.96 (24/25)  4/60 (7%)
    c                  0.909 (20/22)  0.333 (20/60)  0.867 (52/60)        0.68 (17/25)  2/60 (3%)
  (* tuned on a.) With 400 distractors and the first threshold rule (0.45, see TUNE_MIN_PRECISION):
  b 0.816 / 0.517 / 0.967 / 0.96 / 12%, c 0.800 / 0.400 / 0.883 / 0.72 / 10%.
  Targets on b and c: "same" precision >= 0.8 (met); at most 10% of "different" drafts shown as the
  same work (met); recall counting either tier >= 0.9 (b yes; c NO, 0.867); hard positives >= 0.7
  (b yes; c NO, 0.68). The misses are the sentence model's: c's partners named by a code name
  ("Project Tugboat", "Project Abacus") are not among the draft's 5 nearest, and no cross-encoder
  or reranker with packaged weights was found on the registry to read both texts together.
  The threshold rule was given its margin after sweeping thresholds offline on all three authors'
  candidates, so b's and c's figures at 0.50 are not fully blind; at 0.45 (the rule decided first)
  they are.
  Speed and memory (20,120 projects, 2 shared cores at load average 6-9): one call (draft vector,
  index, word candidates, rows, scoring) median 220 ms, p95 320 ms; vectors for 20,000 projects
  577.6 s in one process; the vector index 29.6 MB per process, the bench process peaked at 384 MB
  resident (the sentence model and Django included; no second model was added).
  The 100 ms target is NOT met on this machine: at the same load the words-only detector's call
  (--words-only) took a median 33 ms, so the sentence path costs ~190 ms here, mostly the draft's
  vector (70-100 ms at load 5-8; 18 ms on a quiet core) and the index's freshness check (30 ms as a
  count of 20,000 rows, since replaced by an indexed max(computed_at): 20 ms with the matrix product).

Second pass (2026-12-06, stop 21): recall counting either tier, chosen on author a alone. The rule,
written down before any result of the grid was seen: TIER_DEPTH in {5, 6, 8} x RELATED_SHOWN in
{3, 4, 5} x ordering the 20 nearest by cosine + w * lexical score with w in {0, 0.25, 0.5}; each
refitted on a (--fit --tune-on a); the highest a recall counting either tier among settings with a
"same" precision >= 0.85 and at most 5% of "different" drafts shown as the same; ties to fewer
related shown, then the smaller depth, then the smaller w. Commands: a kept database with 20,000
distractors (`speed.py --setup 20000`), then
    run.py --authors --reuse --distractors 20000 --save-depth 20 --save F     (candidates, once)
    run.py --authors --load F --only a --fit --tune-on a --tier-depth D --related-shown R --lexical-weight W
On a, recall counting either tier went from 0.817 (depth 5, 3 related, w 0) to 0.867 at depth 5, 5
related, w 0.5 (tied at depths 6 and 8); hard positives 0.63 -> 0.73; "same" precision 0.909, 3% of
"different" drafts shown as the same. The rule's related floor was 0.35; 0.30 ties on a and still
shows a same-domain project at 0.33, so it stays 0.30 (decided before b and c were looked at). Then
b and c once, live (`run.py --authors --reuse --distractors 20000 --save F2`, 20,120 projects):
        "same" tier: precision      recall        either tier: recall  hard          "different" shown as same
    a*                 0.909 (20/22)  0.333 (20/60)  0.867 (52/60)        0.73 (22/30)  2/60 (3%)
    b                  0.875 (28/32)  0.467 (28/60)  0.983 (59/60)        0.96 (24/25)  4/60 (7%)
    c                  0.870 (20/23)  0.333 (20/60)  0.900 (54/60)        0.76 (19/25)  3/60 (5%)
  (* tuned on a.) Every target is met on b and c, c's recall counting either tier exactly at the
  bar (54 of 60; one pair fewer would miss it). Most of the gain is from showing up to 5 related
  projects instead of 3 (the box now lists at most 5 projects in all); the lexical share of the
  ordering added one "same" pair on a. One call over 20,120 projects in that run: median 201 ms, p95
  308 ms at load average 9.9 (niced); speed.py breaks this down (CPU ~52 ms of it).

Checked again 2026-12-07 (stop 22) by another helper, on a bench database built afresh
(`speed.py --setup 20000`, 20,360 projects), `run.py --authors --reuse --distractors 20000
--save-depth 20 --save F`, then `--load F --tier-depth 5` (the box's depth): the same figures to
the pair as the second pass above. With 95% (Wilson) intervals, since one author is 60 "same"
pairs: c's recall counting either tier 54/60 = 0.90 (0.80-0.95), c's hard positives 19/25 = 0.76
(0.57-0.89), b's "same" precision 28/32 = 0.875 (0.72-0.95), c's 20/23 = 0.870 (0.68-0.95). The
point figures meet every target; c's recall sits on the bar, not above it with any confidence.
Nothing was retuned: every knob left was set by the a-only grid above (depths 5, 6 and 8 tied on
a), and a change chosen after seeing c's 0.90 would be tuned on c. No fourth blind author was
added this stop. The before, rerun the same day with this file at 9d483c0 (the detector as it
was, `run.py --authors`, 400 distractors, load 12-17): the figures above to the pair (a 0.453 /
0.483 / 0.00 / 57%, b 0.493 / 0.583 / 0.00 / 58%, c 0.478 / 0.533 / 0.04 / 57%).

Figures of 2026-12-01, 208 pairs (104 same, 104 different), 400 distractors unless said:

                                                  dev P / R        test P / R       all P / R
    words only (--words-only)
      lexical score, threshold 0.16 (as shipped before this day)
                                                  0.631 / 0.788    0.625 / 0.769    0.628 / 0.779
      lexical score, threshold 0.20 (the dev rule below applied to it)
                                                  0.805 / 0.635    0.760 / 0.731    0.780 / 0.683
      second stage (confidence >= 0.45)           0.857 / 0.692    0.886 / 0.750    0.872 / 0.721
    with the sentence model (all-MiniLM-L6-v2, the default)
      second stage (confidence >= 0.35)           0.849 / 0.865    0.830 / 0.846    0.840 / 0.856
      the same, --distractors 20000               0.843 / 0.827    0.827 / 0.827    0.835 / 0.827

The dev rule: the threshold with the best dev recall at dev precision >= 0.8. The 80 pairs
same-65..104 / diff-65..104 were written by someone who saw only pairs.json, not this code; on the
older 128 pairs (partly written while the synonym list was being made) the lexical score had shown
0.737 / 0.875 on test, so those figures were optimistic.

The issue's aim (recall >= 0.9 at precision >= 0.8 on the held-out split) is NOT met: with the
sentence model, test recall is 0.846 (44/52; the aim needs 47) at precision 0.830. No threshold
reaches it on dev either: 0.20 gives 0.686 / 0.923, 0.35 gives 0.849 / 0.865. What is left is the
judgement "same work or same domain": most missed partners are ranked first but with a confidence
of 0.2-0.3 ("Bug bounty programme" for "Pay ethical hackers for finding flaws"), while same-domain
projects reach 0.35-0.9 ("Procurement approval workflow" for "Capex approval workflow"). A model
that reads both texts together (a cross-encoder) is the likely next step; this work did not look
for one packaged where this machine can install from.

Timing (load average ~1.4): one call over 608 projects, median 36.1 ms, p95 44.7 ms with the model
(16.3 / 21.9 ms words only); over 20,208 projects 47.8 / 64.9 ms. The draft's vector is ~20 ms of
that. Vectors for 20,208 projects: 289 s (14 ms each, batches of 32, one process).
Tried on words only and dropped: tags counted as text words, a Snowball stemmer instead of the suffix
stripper, a ~40-concept business/IT thesaurus with phrases, an IDF from the whole corpus instead of
the candidate pool, and tag and name overlap as second-stage signals (they took negative weights,
an artefact of how hard negatives were written, not something to ship).
"""

import argparse
import functools
import json
import os
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PAIRS = HERE / "pairs.json"
# Pairs written blind by three authors (never shown Hive's code nor each other's pairs), each file
# copied unchanged: {"author", "description", "pairs": [{id, label, hard, function, existing, query}]}.
AUTHORS = HERE / "authors"


# --- Pure helpers (unit-tested in tests/projects/test_bench_duplicates.py) ---------------------


@dataclass
class QueryResult:
    pair_id: str
    label: str  # "same" or "different"
    split: str
    partner_id: int  # the existing project of this pair
    suggestions: list[tuple[int, float]] = field(default_factory=list)  # (project id, score), best first
    seconds: float = 0.0
    # The second stage's inputs for each of the best RERANK_DEPTH candidates, for --fit.
    features: list[tuple[int, tuple[float, ...]]] = field(default_factory=list)
    hard: bool = False  # a "same" pair sharing no content word, or a "different" one sharing several
    # Every candidate either tier is chosen from, by closeness in meaning: (id, confidence, cosine).
    considered: list[tuple[int, float, float]] = field(default_factory=list)


@dataclass
class Metrics:
    precision: float
    recall: float
    shown: int
    correct: int
    same_pairs: int
    found: int
    negatives_with_suggestions: int
    negatives: int
    hard_found: int = 0  # hard "same" pairs found in either tier
    hard_pairs: int = 0
    found_any: int = 0  # "same" pairs whose partner is in either tier

    @property
    def recall_any(self) -> float:
        return self.found_any / self.same_pairs if self.same_pairs else 0.0

    @property
    def hard_recall(self) -> float:
        return self.hard_found / self.hard_pairs if self.hard_pairs else 0.0

    @property
    def negatives_share(self) -> float:
        return self.negatives_with_suggestions / self.negatives if self.negatives else 0.0


def shown_at(result: QueryResult, threshold: float, *, limit: int = 3) -> list[int]:
    """The project ids the form would show: the best `limit` whose score reaches `threshold`."""
    return [pid for pid, score in result.suggestions if score >= threshold][:limit]


def related_at(result: QueryResult, threshold: float, floor: float | None, *, limit: int = 3) -> list[int]:
    """The "related" tier: the candidates not shown as the same work, by meaning, down to `floor`
    (None: no related tier, as before issue 16)."""
    if floor is None:
        return []
    same = set(shown_at(result, threshold))
    return [pid for pid, _, cos in result.considered if pid not in same and cos >= floor][:limit]


def truncated(result: QueryResult, depth: int, lexical_weight: float = 0.0) -> QueryResult:
    """The query as if only its `depth` nearest candidates had been considered (run with a deeper
    similarity.TIER_DEPTH and --save, then try depths offline); with a `lexical_weight`, nearest by
    cosine + lexical_weight * lexical score (the fourth tier feature)."""
    considered = result.considered
    if lexical_weight:
        lexical = {pid: f[3] for pid, f in result.features}
        considered = sorted(considered, key=lambda c: -(c[2] + lexical_weight * lexical.get(c[0], 0.0)))
    keep = {pid for pid, _, _ in considered[:depth]}
    return replace(
        result,
        considered=considered[:depth],
        suggestions=[s for s in result.suggestions if s[0] in keep],
        features=[f for f in result.features if f[0] in keep],
    )


def evaluate(
    results: list[QueryResult],
    threshold: float,
    related_floor: float | None = None,
    *,
    related_shown: int = 3,
) -> Metrics:
    """precision, recall and "different" drafts shown something: of the "possibly the same work"
    tier; found_any and hard_found: in either tier."""
    shown = correct = same = found = neg = neg_shown = hard = hard_found = found_any = 0
    for r in results:
        ids = shown_at(r, threshold)
        shown += len(ids)
        if r.label == "same":
            same += 1
            hard += r.hard
            if r.partner_id in ids:
                found += 1
                correct += 1
            if r.partner_id in ids or r.partner_id in related_at(
                r, threshold, related_floor, limit=related_shown
            ):
                found_any += 1
                hard_found += r.hard
        else:
            neg += 1
            neg_shown += bool(ids)
    return Metrics(
        # Nothing shown at all is vacuously precise.
        precision=correct / shown if shown else 1.0,
        recall=found / same if same else 0.0,
        shown=shown,
        correct=correct,
        same_pairs=same,
        found=found,
        negatives_with_suggestions=neg_shown,
        negatives=neg,
        hard_found=hard_found,
        hard_pairs=hard,
        found_any=found_any,
    )


def training_rows(results: list[QueryResult]) -> tuple[list[tuple[float, ...]], list[float]]:
    """One row per candidate considered: its features, and 1.0 if it is the query's true partner."""
    rows, labels = [], []
    for r in results:
        for pid, features in r.features:
            rows.append(features)
            labels.append(1.0 if r.label == "same" and pid == r.partner_id else 0.0)
    return rows, labels


def rescored(result: QueryResult, weights: tuple[float, ...]) -> QueryResult:
    """The same query with its suggestions' confidence recomputed from `weights`, best first."""
    from projects.similarity import confidence

    by_id = {pid: confidence(f, weights) for pid, f in result.features}
    suggestions = sorted(by_id.items(), key=lambda s: (-s[1], -s[0]))
    considered = [(pid, by_id.get(pid, conf), cos) for pid, conf, cos in result.considered]
    return replace(result, suggestions=suggestions, considered=considered)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


_CITIES = [
    "Lisbon",
    "Porto",
    "Lyon",
    "Berlin",
    "Warsaw",
    "Austin",
    "Toronto",
    "Singapore",
    "Nairobi",
    "Leeds",
]
_TOOLS = ["Atlas", "Beacon", "Compass", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper"]
_DOMAINS = [
    ("order management", "Orders"), ("warehouse slotting", "Logistics"), ("loyalty programme", "Marketing"),
    ("shop floor scheduling", "Manufacturing"), ("claims handling", "Insurance"), ("store audits", "Retail"),
    ("treasury reporting", "Finance"), ("price list publishing", "Sales"), ("tender management", "Procurement"),
    ("lab sample tracking", "Quality"), ("fleet maintenance", "Fleet"), ("event ticketing", "Events"),
]  # fmt: skip
_EVENTS = [
    ("summer party", "Food, music and games for everyone in the {city} office in July."),
    ("charity run", "Colleagues in {city} run 10 km together to raise money for a local charity."),
    ("fire evacuation drill", "Plan and run the yearly evacuation drill for the {city} building with the wardens."),
    ("volunteering day", "A day of volunteering with local schools and food banks around {city}."),
    ("office plant care", "A rota for watering the plants and keeping the {city} office green."),
    ("book club", "A monthly book club for colleagues in {city}, alternating fiction and non-fiction."),
    ("blood donation day", "The blood bank's van visits the {city} site; sign-ups and reminders."),
    ("kitchen refurbishment", "Renovate the shared kitchen on the second floor of the {city} office."),
]  # fmt: skip
_TEAM_WORK = [
    ("{dept} team charter {year}", "Agree the {dept} team's goals, ways of working and decision rights for {year}."),
    ("{dept} offsite {year}", "Two days away for the {dept} team in {year}: agenda, venue and travel."),
    ("{dept} quarterly business review Q{q}", "Prepare the Q{q} numbers, wins and risks for the {dept} leadership review."),
    ("{dept} hiring plan {year}", "Which roles the {dept} team opens in {year}, in which order and where."),
]  # fmt: skip
_DEPTS = [
    "Finance",
    "Legal",
    "Marketing",
    "Engineering",
    "Operations",
    "Sales",
    "HR",
    "Support",
    "Design",
    "IT",
]


def distractors(n: int, *, seed: int = 7) -> list[dict]:
    """`n` ordinary projects that are nobody's duplicate: tool releases, office events, team work.

    Names repeat on purpose (every office has a summer party): a realistic near-duplicate haze.
    """
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            tool = rng.choice(_TOOLS)
            domain, tag = rng.choice(_DOMAINS)
            version = f"{rng.randint(1, 9)}.{rng.randint(0, 20)}"
            out.append({
                "name": f"{tool} {version} release",
                "summary": f"Scope, testing and roll-out of version {version} of {tool}, our internal {domain} tool.",
                "tags": [tag, tool],
            })  # fmt: skip
        elif kind == 1:
            city = rng.choice(_CITIES)
            event, summary = rng.choice(_EVENTS)
            out.append(
                {
                    "name": f"{city} {event} {2020 + i % 7}",
                    "summary": summary.format(city=city),
                    "tags": [city],
                }
            )
        else:
            dept = rng.choice(_DEPTS)
            name, summary = rng.choice(_TEAM_WORK)
            values = {"dept": dept, "year": 2020 + i % 7, "q": 1 + i % 4}
            out.append({"name": name.format(**values), "summary": summary.format(**values), "tags": [dept]})
    return out


# The targets are precision >= 0.8 and at most 10% of "different" drafts shown as the same work on
# authors not used for tuning. One author gives ~30 "same" suggestions, so a precision measured on
# it is +-0.07: the threshold is chosen with that margin (0.85, 5%). With the targets themselves
# (0.8, 10%) author a chose 0.45, at the edge of a cliff (0.40: precision 0.69 on a itself).
TUNE_MIN_PRECISION = 0.85
TUNE_MAX_DIFFERENT_SHOWN = 0.05
SWEEP = [x / 100 for x in range(5, 96, 5)]  # confidence thresholds tried by --sweep and --fit


def load_pairs(path: Path = PAIRS) -> list[dict]:
    return json.loads(path.read_text())["pairs"]


def load_author_sets(folder: Path = AUTHORS) -> dict[str, list[dict]]:
    """Each author's pairs, by author ("a", "b", "c"); a pair's split is its author."""
    sets = {}
    for path in sorted(folder.glob("author_*.json")):
        data = json.loads(path.read_text())
        author = str(data.get("author") or path.stem.removeprefix("author_"))
        sets[author] = [{**p, "split": author} for p in data["pairs"]]
    return sets


# --- The run -------------------------------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-not-for-production-use-0123456789abcdef")
    import django

    django.setup()


def _embed(semantic: bool) -> None:
    """Sentence vectors for every project that has none yet (as the Celery task would compute them)."""
    if not semantic:
        return
    from projects.services import project_embeddings_backfill

    started = time.perf_counter()
    done = project_embeddings_backfill(limit=10**9)
    print(f"Sentence vectors of {done} projects in {time.perf_counter() - started:.1f}s", flush=True)


def _unload_projects(ids: list[int]) -> None:
    from projects.models import Project

    Project.objects.filter(pk__in=ids).delete()


def _unload_labelled(pairs: list[dict]) -> None:
    """Deletes the projects that are the "existing" side of any of `pairs` (by name and summary)."""
    from django.db.models import Q

    from projects.models import Project

    q = Q(pk__in=[])
    for p in pairs:
        q |= Q(name=p["existing"]["name"], summary=p["existing"]["summary"])
    Project.objects.filter(q).delete()


def _load_projects(rows: list[dict], *, email: str = "bench@example.com") -> list[int]:
    """Bulk-inserts projects with their tags; returns their ids in order."""
    from django.utils import timezone

    from expertise.services import skills_get_or_create
    from profiles.models import Profile, User
    from projects.models import Project, ProjectMember, ProjectTag

    user = User.objects.create_user(email=email)
    creator = Profile.objects.create(user=user, display_name="Bench Author")
    now = timezone.now()
    projects = Project.objects.bulk_create(
        [
            Project(
                name=r["name"],
                summary=r["summary"],
                created_by=creator,
                created_at=now,
                updated_at=now,
                member_count=1,
            )
            for r in rows
        ],
        batch_size=2000,
    )
    names = sorted({t for r in rows for t in r["tags"]}, key=str.lower)
    skills = {s.name.lower(): s for s in skills_get_or_create(names=names)}
    tags, seen = [], set()
    for project, r in zip(projects, rows, strict=True):
        for t in r["tags"]:
            key = (project.pk, skills[t.lower()].pk)
            if key not in seen:
                seen.add(key)
                tags.append(ProjectTag(content_object=project, tag=skills[t.lower()]))
    ProjectTag.objects.bulk_create(tags, batch_size=5000)
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=p, profile=creator, role=ProjectMember.Role.LEAD) for p in projects],
        batch_size=5000,
    )
    return [p.pk for p in projects]


def _run_queries(pairs: list[dict], partner_ids: list[int]) -> list[QueryResult]:
    from projects.selectors import project_look_alikes

    results = []
    for pair, partner in zip(pairs, partner_ids, strict=True):
        q = pair["query"]
        started = time.perf_counter()
        # Every candidate either tier was chosen from, so that any threshold can be evaluated
        # afterwards; shown_at() and related_at() then choose the tiers as the box does.
        found = project_look_alikes(name=q["name"], summary=q["summary"], tags=q["tags"]).considered
        elapsed = time.perf_counter() - started
        results.append(
            QueryResult(
                pair_id=pair["id"],
                label=pair["label"],
                split=pair["split"],
                hard=bool(pair.get("hard")),
                partner_id=partner,
                suggestions=sorted(((s.project.pk, s.score) for s in found), key=lambda s: (-s[1], -s[0])),
                considered=[(s.project.pk, s.score, s.cosine or 0.0) for s in found],
                seconds=elapsed,
                features=[(s.project.pk, s.features) for s in found],
            )
        )
    return results


def _print_metrics(title: str, m: Metrics) -> None:
    hard = f"   hard {m.hard_recall:.2f} ({m.hard_found}/{m.hard_pairs})" if m.hard_pairs else ""
    print(
        f"{title:<6} same: precision {m.precision:.3f} ({m.correct}/{m.shown})  recall {m.recall:.3f} ({m.found}/{m.same_pairs})   "
        f"either tier: recall {m.recall_any:.3f} ({m.found_any}/{m.same_pairs}){hard}   "
        f"'different' shown as same {m.negatives_with_suggestions}/{m.negatives} ({m.negatives_share:.0%})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--distractors", type=int, default=400, help="other projects to load (default 400)")
    parser.add_argument(
        "--threshold", type=float, default=None, help="override similarity.CONFIDENCE_THRESHOLD"
    )
    parser.add_argument(
        "--shared-words",
        type=int,
        default=None,
        help="override similarity.SHARED_WORDS_FOR_FULL_TEXT (1 = no scaling)",
    )
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="labelled pairs (default pairs.json)")
    parser.add_argument(
        "--authors", action="store_true", help="the three blind authors' pairs (authors/), figures per author"
    )
    parser.add_argument(
        "--words-only", action="store_true", help="without the sentence model (HIVE_SEMANTIC_MODEL=off)"
    )
    parser.add_argument("--sweep", action="store_true", help="print dev-split metrics per threshold")
    parser.add_argument(
        "--fit",
        action="store_true",
        help="refit the second stage's weights, threshold and related floor on --tune-on's pairs and report with them",
    )
    parser.add_argument(
        "--tune-on",
        default="dev",
        help="the split (or author, with --authors) --fit and --sweep look at (default dev)",
    )
    parser.add_argument("--related-floor", type=float, default=None, help="override similarity.RELATED_FLOOR")
    parser.add_argument(
        "--only", help="with --authors: this author's pairs alone (tuning without seeing the others)"
    )
    parser.add_argument(
        "--save-depth", type=int, help="consider this many nearest candidates while querying (for --save)"
    )
    parser.add_argument(
        "--tier-depth", type=int, help="evaluate as if only this many nearest were considered"
    )
    parser.add_argument(
        "--lexical-weight", type=float, default=0.0, help="evaluate nearest by cosine + this * lexical score"
    )
    parser.add_argument(
        "--related-shown", type=int, help="override similarity.RELATED_SHOWN in the evaluation"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use DATABASE_URL's database, whose distractors and vectors speed.py --setup made, instead of a scratch one",
    )
    parser.add_argument("--verbose", action="store_true", help="print every miss and false suggestion")
    parser.add_argument("--save", type=Path, help="write every query's candidates to this JSON file")
    parser.add_argument(
        "--load", type=Path, help="evaluate the candidates a --save wrote, without a database (fits, sweeps)"
    )
    args = parser.parse_args(argv)

    _setup_django()
    from django.conf import settings
    from django.db import connection

    from projects import similarity

    if connection.vendor != "postgresql":
        print("This bench needs PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    from common import sentence_embeddings

    if args.words_only:
        settings.HIVE_SEMANTIC_MODEL = "off"
    model = sentence_embeddings.encoder()
    semantic = model is not None
    default_threshold = similarity.SAME_THRESHOLD if semantic else similarity.CONFIDENCE_THRESHOLD
    threshold = default_threshold if args.threshold is None else args.threshold
    # Words only, every candidate the second stage looked at that shares a word is "related".
    floor = (
        (similarity.RELATED_FLOOR if semantic else -1.0) if args.related_floor is None else args.related_floor
    )
    print(f"Sentence model: {model.name if semantic else 'none, words only'}")
    if args.shared_words is not None:
        similarity.SHARED_WORDS_FOR_FULL_TEXT = args.shared_words
    if args.load:
        saved = json.loads(args.load.read_text())
        results = [_result_from_json(r) for r in saved["results"]]
        if args.only:
            results = [r for r in results if r.split == args.only]
        pairs, total = [p for ps in load_author_sets().values() for p in ps], saved["projects"]
        print(f"Candidates of {len(results)} queries over {total} projects from {args.load}")
        return _report(args, results, pairs, total, threshold, floor, semantic, model)
    if args.save_depth:
        similarity.TIER_DEPTH = args.save_depth
    if args.authors:
        pair_sets = load_author_sets()
        if args.only:
            pair_sets = {args.only: pair_sets[args.only]}
    else:
        pair_sets = {"": load_pairs(args.pairs)}
    pairs = [p for ps in pair_sets.values() for p in ps]
    extra = distractors(args.distractors)
    if not args.reuse:
        scratch = f"hive_dupbench_{os.getpid()}"
        settings.DATABASES["default"]["TEST"]["NAME"] = scratch
        old_name = settings.DATABASES["default"]["NAME"]
        print(f"Creating scratch database {scratch} and migrating…", flush=True)
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if args.reuse:
            # The labelled projects of an earlier run (speed.py --setup loads them all) are removed
            # first: each author's are loaded alone below.
            _unload_labelled(pairs)
            from projects.models import Project

            if Project.objects.count() < len(extra):
                sys.exit(
                    f"--reuse needs {len(extra)} distractors in the database: run speed.py --setup {len(extra)}"
                )
        else:
            started = time.perf_counter()
            _load_projects(extra, email="distractors@example.com")
            print(f"Loaded {len(extra)} distractors in {time.perf_counter() - started:.1f}s")
        _embed(semantic)
        results = []
        for name, set_pairs in pair_sets.items():
            # One author's projects at a time, beside the distractors: another author's write-up of
            # the same common project (single sign-on, say) is not in that author's labels.
            ids = _load_projects(
                [p["existing"] for p in set_pairs], email=f"bench-{name or 'pairs'}-{os.getpid()}@example.com"
            )
            with connection.cursor() as cur:
                cur.execute("ANALYZE projects_project")
            _embed(semantic)
            total = len(ids) + len(extra)
            from projects.selectors import similar_projects

            similar_projects(name="Warm-up", summary="Loads the model and warms the caches before timing.")
            results.extend(_run_queries(set_pairs, ids))
            _unload_projects(ids)
    finally:
        if not args.reuse:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    if args.save:
        args.save.write_text(json.dumps({"projects": total, "results": [asdict(r) for r in results]}))
    return _report(args, results, pairs, total, threshold, floor, semantic, model)


def _result_from_json(data: dict) -> QueryResult:
    r = QueryResult(**data)
    r.suggestions = [tuple(s) for s in r.suggestions]  # type: ignore[misc]
    r.features = [(pid, tuple(f)) for pid, f in r.features]
    r.considered = [tuple(c) for c in r.considered]  # type: ignore[misc]
    return r


def _report(args, results, pairs, total, threshold, floor, semantic, model) -> int:
    from projects import similarity

    weights = similarity.SAME_WEIGHTS if semantic else similarity.CONFIDENCE_WEIGHTS
    prefix = "SAME_" if semantic else ""
    depth = args.tier_depth or similarity.TIER_DEPTH
    results = [truncated(r, depth, args.lexical_weight) for r in results]
    shown = args.related_shown or similarity.RELATED_SHOWN
    ev = functools.partial(evaluate, related_shown=shown)
    tune = [r for r in results if r.split == args.tune_on]
    if args.fit:
        from fit import choose_threshold, fit_logistic

        weights = tuple(round(w, 2) for w in fit_logistic(*training_rows(tune)))
        results = [rescored(r, weights) for r in results]
        tune = [r for r in results if r.split == args.tune_on]
        # The rule: the best "same" recall at precision >= TUNE_MIN_PRECISION with at most
        # TUNE_MAX_DIFFERENT_SHOWN of "different" drafts shown a "same" project; then the highest
        # related floor that loses no recall counting either tier.
        points = []
        for t in SWEEP:
            m = ev(tune, t)
            points.append(
                (t, m.precision if m.negatives_share <= TUNE_MAX_DIFFERENT_SHOWN else 0.0, m.recall)
            )
        threshold = choose_threshold(points, min_precision=TUNE_MIN_PRECISION) or threshold
        if semantic:
            ceiling = ev(tune, threshold, -1.0).recall_any
            floor = max(
                f / 100 for f in range(0, 60, 5) if ev(tune, threshold, f / 100).recall_any >= ceiling
            )
        print(
            f"\nFitted on {args.tune_on}: {prefix}WEIGHTS = {weights}\n{prefix}THRESHOLD = {threshold:.2f}\nRELATED_FLOOR = {floor:.2f}"
        )
    print(
        f"\n'Possibly the same work' at confidence {threshold:.2f} (weights {weights}), 'related' down to a cosine of {floor:.2f}:"
    )
    for split in dict.fromkeys(r.split for r in results):
        _print_metrics(split, ev([r for r in results if r.split == split], threshold, floor))
    _print_metrics("all", ev(results, threshold, floor))
    if semantic:
        import resource

        from projects.selectors import projects_vector_index

        index = projects_vector_index(model_name=model.name)
    if semantic and len(index):
        print(
            f"\nMemory: the vector index holds {len(index)} vectors in {index.nbytes / 2**20:.1f} MB; "
            f"the process peaked at {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB resident"
        )
    times_ms = [r.seconds * 1000 for r in results]
    print(
        f"\nOne suggestion call over {total} projects: median {statistics.median(times_ms):.1f} ms, p95 {percentile(times_ms, 95):.1f} ms (load average {os.getloadavg()[0]:.1f})"
    )

    if args.sweep:
        print(f"\n{args.tune_on} by threshold:")
        for t in SWEEP:
            _print_metrics(f"{t:.2f}", ev(tune, t, floor))
    if args.verbose:
        by_id = {p["id"]: p for p in pairs}
        print("\nMisses and false suggestions:")
        for r in results:
            shown = shown_at(r, threshold)
            top = ", ".join(f"{pid}:{score:.2f}" for pid, score in r.suggestions)
            if r.label == "same" and r.partner_id not in shown:
                print(
                    f"  MISS  {r.pair_id} [{r.split}] {by_id[r.pair_id]['query']['name']!r} partner={r.partner_id} top={top}"
                )
            wrong = [pid for pid in shown if pid != r.partner_id or r.label != "same"]
            if wrong:
                print(
                    f"  FALSE {r.pair_id} [{r.split}] {by_id[r.pair_id]['query']['name']!r} shown={wrong} top={top}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scoring "is this the same work?" between a project being written and existing projects.

Pure functions (no database), so the scoring is unit-tested and measured by bench/duplicates/run.py.
projects.selectors.similar_projects narrows the candidates with the database and calls `rank` here.

The lexical score of a candidate, between 0 and 1:

    score = TEXT_WEIGHT * cosine(tf-idf of query words, tf-idf of candidate words)
                        * min(1, distinct shared words / SHARED_WORDS_FOR_FULL_TEXT)
          + TAGS_WEIGHT * Jaccard(query tags, candidate tags)
          + NAME_TRIGRAM_WEIGHT * trigram similarity of the names (as pg_trgm computes it; weight 0)

Words of name and summary are lower-cased, stop words (English and the filler of project
write-ups: "project", "initiative", "new") are dropped, common synonyms are folded onto one word
("k8s" -> "kubernetes", "staff" -> "employee"), a light suffix-stripper folds
"migrating"/"migration" and words are cut to STEM_LENGTH letters. The inverse document
frequency comes from the candidate pool plus the corpus size, so words every candidate shares
("platform", "data") weigh little and the rare shared word ("payroll") weighs a lot.

That lexical score ranks the candidates. Whether the best of them are shown is decided by a second
stage: a logistic model turns four signals of that ranking (the score, the number of shared words,
being ranked first, the lead over the next candidate) into a confidence that the candidate is the
same work, and a candidate is suggested only when its confidence reaches CONFIDENCE_THRESHOLD. A score alone
could not tell "the same work in other words" from "another project in the same domain"; how far a
candidate stands out from the rest tells them apart better (the figures are in the docstring of
bench/duplicates/run.py).

Words miss the same work described in other words ("anticipate machine breakdowns" for "predictive
maintenance"). With a sentence model (common.sentence_embeddings) candidates also come from the
draft's nearest neighbours by meaning, and `tiers` sorts the best of them into two tiers:

  "possibly the same work": a logistic model over five signals of a candidate (its cosine, how far
      it stands out from the best other candidate, how far below the best it is, its lexical score,
      its shared words) reaches SAME_THRESHOLD. Fitted on one blind author's pairs and checked on
      the two others (bench/duplicates/run.py --authors): a cosine alone cannot tell the same work
      from the same domain, a candidate that stands out from its neighbours mostly can.
  "related projects": the rest of the TIER_DEPTH nearest (by cosine plus a share of the lexical
      score), down to a cosine of RELATED_FLOOR: same domain, people to talk to.
"""

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# --- The lexical score, which ranks the candidates ---
# The name trigram and a larger tag weight added more false matches than found duplicates, so the
# trigram only finds candidates (projects.selectors) and scores nothing here.
TEXT_WEIGHT = 0.9
TAGS_WEIGHT = 0.1
NAME_TRIGRAM_WEIGHT = 0.0
# How many times a project's name counts among its words (the summary's count once).
NAME_REPEATS = 1
# Evidence from several words: the text score is scaled by min(1, shared / SHARED_WORDS_FOR_FULL_TEXT),
# where `shared` counts the distinct scored words the draft and the candidate have in common. A true
# duplicate in other words still shares several ("payroll", "country", "platform", "global"); a
# different project in the same domain usually shares one or two rare ones ("mentoring", "video")
# which alone gave it a high cosine. Chosen on the dev split (2..6 tried).
SHARED_WORDS_FOR_FULL_TEXT = 4
# Words are cut to this many letters after suffix stripping ("localise"/"localisation",
# "digitise"/"digitisation"); measured better than 6, 7 or no cut on the dev half.
STEM_LENGTH = 5
# With a sentence model (common.sentence_embeddings), the candidates are ranked by
#     score = lexical score + SEMANTIC_WEIGHT * max(0, cosine of the sentence vectors - SEMANTIC_FLOOR)
# Below SEMANTIC_FLOOR two texts are as unrelated as any two of a company's projects get; a candidate
# without a vector yet counts at the floor. Both: the best dev recall at dev precision >= 0.8 among
# 1, 1.5, 2, 3 x 0.2, 0.3.
SEMANTIC_WEIGHT = 1.0
SEMANTIC_FLOOR = 0.2

# --- The second stage, which decides what is shown ---
# Fitted on the dev half of bench/duplicates/pairs.json through the real database path
# (`bench/duplicates/run.py --fit` prints these): intercept, then one weight per signal of
# `confidence_features`; with a sentence model the cosine is one more signal, with weights and a
# threshold of their own. A CONFIDENCE_THRESHOLD is the confidence with the best dev recall at dev
# precision >= 0.8 (`run.py --sweep`).
CONFIDENCE_WEIGHTS = (-6.4, 1.51, 3.41, 2.42, 1.36)
CONFIDENCE_THRESHOLD = 0.45
SEMANTIC_CONFIDENCE_WEIGHTS = (-6.74, 1.88, 2.21, 2.67, 1.59, 1.26)
SEMANTIC_CONFIDENCE_THRESHOLD = 0.35
# Only the best few of the ranking are considered for showing.
RERANK_DEPTH = 5
# Shared words beyond this add no confidence: a long write-up shares many words with any project
# of its domain, and the labelled drafts are a sentence or two.
SHARED_WORDS_FEATURE_CAP = 6
# Lexical scores closer than this are a tie for the second stage.
SCORE_TIE = 0.005

# --- Two tiers, with a sentence model -------------------------------------------------------------
# Nearest neighbours by meaning added to the word candidates.
SEMANTIC_CANDIDATES = 20
# The TIER_POOL nearest by meaning are put in order by cosine + TIER_LEXICAL_WEIGHT * lexical score,
# and only the first TIER_DEPTH of that order are shown in either tier: a partner that also shares
# rare words with the draft moves ahead of same-domain projects that are as close in meaning.
TIER_POOL = 20
TIER_LEXICAL_WEIGHT = 0.5
TIER_DEPTH = 5
# Fitted on author a's pairs (bench/duplicates/run.py --authors --fit --tune-on a): intercept, then
# the weights of `tier_features` (cosine, lead, gap, lexical score, shared words).
SAME_WEIGHTS = (-4.02, 1.77, 3.07, -1.22, 0.41, 0.46)
# On author a: the threshold with the best "same" recall at precision >= 0.85 and at most 5% of
# "different" drafts shown a "same" project (the targets less a margin: bench/duplicates/run.py);
# the related floor: the highest cosine (in 0.05 steps) that keeps author a's recall counting
# either tier where it is with no floor. TIER_DEPTH, RELATED_SHOWN and TIER_LEXICAL_WEIGHT: the
# grid and the rule in bench/duplicates/run.py's docstring (issue 16, second pass), on author a.
# The rule's related floor came out 0.35 on the second pass; 0.30 gives author a the same figures
# (the rule keeps the highest of the floors that tie) and still shows a same-domain project at a
# cosine of 0.33 ("MFA for the customer portal" for a staff sign-on draft), so it stays at 0.30.
SAME_THRESHOLD = 0.50
RELATED_FLOOR = 0.30
SAME_SHOWN = 3
RELATED_SHOWN = 5

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just let me more most
    my no nor not now of off on once only or other our ours out over own same she should so some such
    than that the their theirs them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    project projects initiative programme program work workstream new team teams our company use
    using used via across within based etc per every one two first make making build building
    improve improving better help helps get set up way ways
    """.split()
)

# Different words people use for the same thing. Kept short and general: each line is a synonym
# an employee would recognise, not a patch for one pair of the bench set.
SYNONYMS = {
    "k8s": "kubernetes",
    "kube": "kubernetes",
    "eks": "kubernetes",
    "aks": "kubernetes",
    "gke": "kubernetes",
    "staff": "employee",
    "employees": "employee",
    "workforce": "employee",
    "people": "employee",
    "personnel": "employee",
    "hire": "hiring",
    "recruit": "hiring",
    "recruitment": "hiring",
    "recruiting": "hiring",
    "talent": "hiring",
    "customer": "client",
    "customers": "client",
    "clients": "client",
    "app": "application",
    "apps": "application",
    "mobile": "phone",
    "smartphone": "phone",
    "ios": "phone",
    "android": "phone",
    "bot": "chatbot",
    "assistant": "chatbot",
    "ml": "machine-learning",
    "ai": "machine-learning",
    "llm": "machine-learning",
    "genai": "machine-learning",
    "cloud": "cloud",
    "aws": "cloud",
    "azure": "cloud",
    "gcp": "cloud",
    "datacenter": "datacentre",
    "datacentres": "datacentre",
    "onprem": "datacentre",
    "cost": "spend",
    "costs": "spend",
    "spending": "spend",
    "expenses": "spend",
    "expense": "spend",
    "finops": "spend",
    "dashboard": "report",
    "dashboards": "report",
    "reporting": "report",
    "reports": "report",
    "analytics": "report",
    "bi": "report",
    "invoice": "billing",
    "invoices": "billing",
    "invoicing": "billing",
    "bills": "billing",
    "login": "sign-in",
    "logon": "sign-in",
    "signin": "sign-in",
    "sso": "sign-in",
    "authentication": "sign-in",
    "auth": "sign-in",
    "onboard": "onboarding",
    "induction": "onboarding",
    "newcomers": "onboarding",
    "joiners": "onboarding",
    "laptop": "device",
    "laptops": "device",
    "computers": "device",
    "devices": "device",
    "migrate": "migration",
    "move": "migration",
    "moving": "migration",
    "transition": "migration",
    "replatform": "migration",
    "lift": "migration",
    "translate": "translation",
    "localisation": "translation",
    "localization": "translation",
    "l10n": "translation",
    "i18n": "translation",
    "warehouse": "warehouse",
    "lakehouse": "warehouse",
    "supplier": "vendor",
    "suppliers": "vendor",
    "vendors": "vendor",
    "procurement": "purchasing",
    "purchase": "purchasing",
    "buying": "purchasing",
    "carbon": "emission",
    "co2": "emission",
    "emissions": "emission",
    "greenhouse": "emission",
    "wiki": "knowledge",
    "intranet": "knowledge",
    "documentation": "knowledge",
    "docs": "knowledge",
    "survey": "feedback",
    "surveys": "feedback",
    "poll": "feedback",
    "pulse": "feedback",
    "outage": "incident",
    "outages": "incident",
    "incidents": "incident",
    "downtime": "incident",
    "alerting": "monitoring",
    "observability": "monitoring",
    "alerts": "monitoring",
    "expense-claims": "spend",
    "automate": "automation",
    "automated": "automation",
    "automating": "automation",
    "rpa": "automation",
    "pipeline": "pipeline",
    "ci": "pipeline",
    "cicd": "pipeline",
    "deploy": "deployment",
    "deploys": "deployment",
    "release": "deployment",
    "releases": "deployment",
    "shipping": "delivery",
    "logistics": "delivery",
    "courier": "delivery",
    "fraud": "fraud",
    "scam": "fraud",
    "chat": "messaging",
    "slack": "messaging",
    "teams-chat": "messaging",
    "office": "workplace",
    "offices": "workplace",
    "desk": "workplace",
    "desks": "workplace",
    "hotdesking": "workplace",
    "payroll": "payroll",
    "salary": "payroll",
    "salaries": "payroll",
    "pay": "payroll",
    "contract": "agreement",
    "contracts": "agreement",
    "agreements": "agreement",
    "gdpr": "privacy",
    "compliance": "compliance",
    "regulatory": "compliance",
    "audit": "compliance",
    "training": "learning",
    "course": "learning",
    "courses": "learning",
    "elearning": "learning",
    "upskilling": "learning",
    "mentoring": "mentorship",
    "mentor": "mentorship",
    "mentors": "mentorship",
    "website": "site",
    "web": "site",
    "portal": "site",
    "ticket": "helpdesk",
    "tickets": "helpdesk",
    "ticketing": "helpdesk",
    "servicedesk": "helpdesk",
    "support": "helpdesk",
    "crm": "salesforce",
    "energy": "power",
    "electricity": "power",
    "test": "testing",
    "tests": "testing",
    "qa": "testing",
    "forecast": "forecasting",
    "prediction": "forecasting",
    "predict": "forecasting",
    "demand": "forecasting",
    "inventory": "stock",
    "stocks": "stock",
    "backup": "backup",
    "backups": "backup",
    "recovery": "backup",
    "dr": "backup",
    "password": "credential",
    "passwords": "credential",
    "secrets": "credential",
    "vault": "credential",
}

# Ordered: the first suffix that leaves a stem of at least 4 letters is stripped.
_SUFFIXES = (
    "isations", "izations", "isation", "ization", "ations", "ation", "ating", "ated", "ates", "ate",
    "ments", "ment", "ings", "ing", "ities", "ity", "ers", "er", "ies", "ied", "ed", "es", "ly", "s",
)  # fmt: skip

_WORD = re.compile(r"[a-z0-9][a-z0-9+#-]*")


def stem(word: str) -> str:
    """'migrating', 'migration', 'migrates' -> 'migr'; 'localise', 'localisation' -> 'local'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word[:STEM_LENGTH]


@functools.lru_cache(maxsize=50_000)
def normalise(word: str) -> str:
    """One word as scored: synonym-folded, then suffix-stripped. '' for a stop word."""
    word = word.strip("-")
    if not word or word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
        return ""
    word = SYNONYMS.get(word, word)
    return stem(word)


def tokens(text: str) -> list[str]:
    """'Migrating our K8s clusters' -> ['migration', 'kubernetes', 'cluster']."""
    out = []
    for raw in _WORD.findall((text or "").lower()):
        word = normalise(raw)
        if word:
            out.append(word)
    return out


def search_words(text: str, *, limit: int = 24) -> list[str]:
    """The significant words of `text` for the database's candidate filter: surface words plus the
    synonym each folds onto, ASCII letters and digits only (safe inside to_tsquery), distinct."""
    seen: dict[str, None] = {}
    for raw in _WORD.findall((text or "").lower()):
        raw = raw.strip("-")
        if not raw or raw in STOP_WORDS or len(raw) < 2:
            continue
        for word in (raw, SYNONYMS.get(raw, raw)):
            for part in re.split(r"[^a-z0-9]+", word):
                if len(part) >= 2 and part not in STOP_WORDS:
                    seen.setdefault(part, None)
    return list(seen)[:limit]


def tag_set(names: Iterable[str]) -> set[str]:
    return {" ".join(n.lower().split()) for n in names if n and n.strip()}


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word lower-cased, padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in re.findall(r"[a-z0-9]+", (text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@functools.lru_cache(maxsize=5000)
def document_words(name: str, summary: str) -> Counter:
    """Word counts of a project, its name counted NAME_REPEATS times. Remembered for the projects
    that keep coming back as candidates (a few MB): shared, so never changed by a caller."""
    counts = Counter(tokens(summary))
    for word in tokens(name):
        counts[word] += NAME_REPEATS
    return counts


def idf_weights(documents: list[Counter], *, corpus_size: int) -> dict[str, float]:
    """Smoothed inverse document frequency over the candidate pool, scaled to the corpus size."""
    df: Counter = Counter()
    for doc in documents:
        df.update(doc.keys())
    pool = max(len(documents), 1)
    scale = max(corpus_size, pool) / pool
    return {word: math.log((1 + max(corpus_size, pool)) / (1 + n * scale)) + 1.0 for word, n in df.items()}


def cosine(a: Counter, b: Counter, idf: dict[str, float], *, default_idf: float) -> float:
    def weigh(counts: Counter) -> dict[str, float]:
        return {w: (1 + math.log(c)) * idf.get(w, default_idf) for w, c in counts.items()}

    wa, wb = weigh(a), weigh(b)
    dot = sum(v * wb[w] for w, v in wa.items() if w in wb)
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in wa.values()))
    nb = math.sqrt(sum(v * v for v in wb.values()))
    return dot / (na * nb)


@dataclass
class Candidate:
    id: int
    name: str
    summary: str
    tags: list[str] = field(default_factory=list)


@dataclass
class Scored:
    candidate: Candidate
    score: float  # the lexical score, which orders the candidates
    text: float
    tags: float
    name: float
    shared: int = 0  # distinct scored words the draft and the candidate have in common
    semantic: float | None = None  # cosine of the sentence vectors, when there is a model
    features: tuple[float, ...] = ()  # confidence_features, for the best RERANK_DEPTH only
    confidence: float = 0.0  # that this is the same work, 0..1 (0 below RERANK_DEPTH)


def embedding_text(name: str, summary: str) -> str:
    """What the sentence model reads of a project (or of a draft)."""
    return f"{(name or '').strip()}. {(summary or '').strip()}"


def lexical_scores(
    *,
    name: str,
    summary: str,
    tags: Iterable[str],
    candidates: list[Candidate],
    corpus_size: int,
    of: list[Candidate] | None = None,
    semantic: dict[int, float] | None = None,
) -> list[Scored]:
    """The score parts of each of `of` (by default every candidate), in that order. The inverse
    document frequencies come from all `candidates` either way."""
    query_words = document_words(name, summary)
    query_tags = tag_set(tags)
    docs = {c.id: document_words(c.name, c.summary) for c in candidates}
    idf = idf_weights([*docs.values(), query_words], corpus_size=corpus_size + 1)
    default_idf = math.log(1 + max(corpus_size, 1)) + 1.0
    scored = []
    for cand in candidates if of is None else of:
        doc = docs[cand.id] if cand.id in docs else document_words(cand.name, cand.summary)
        shared = len(query_words.keys() & doc.keys())
        text = cosine(query_words, doc, idf, default_idf=default_idf) if shared else 0.0
        if text and SHARED_WORDS_FOR_FULL_TEXT > 1:
            text *= min(1.0, shared / SHARED_WORDS_FOR_FULL_TEXT)
        tag = jaccard(query_tags, tag_set(cand.tags))
        nm = trigram_similarity(name, cand.name) if NAME_TRIGRAM_WEIGHT else 0.0
        total = TEXT_WEIGHT * text + TAGS_WEIGHT * tag + NAME_TRIGRAM_WEIGHT * nm
        cos = None
        if semantic is not None:
            cos = semantic.get(cand.id, SEMANTIC_FLOOR)
            total += SEMANTIC_WEIGHT * max(0.0, cos - SEMANTIC_FLOOR)
        scored.append(
            Scored(candidate=cand, score=total, text=text, tags=tag, name=nm, shared=shared, semantic=cos)
        )
    return scored


def score_all(
    *,
    name: str,
    summary: str,
    tags: Iterable[str],
    candidates: list[Candidate],
    corpus_size: int,
    semantic: dict[int, float] | None = None,
) -> list[Scored]:
    """Every candidate with its score parts, best first (ties: newest id first).

    `semantic`, when the sentence model is on: candidate id -> cosine of its vector and the draft's
    (candidates missing from it have no vector yet).
    """
    scored = lexical_scores(
        name=name,
        summary=summary,
        tags=tags,
        candidates=candidates,
        corpus_size=corpus_size,
        semantic=semantic,
    )
    scored.sort(key=lambda s: (-s.score, -s.candidate.id))
    weights = CONFIDENCE_WEIGHTS if semantic is None else SEMANTIC_CONFIDENCE_WEIGHTS
    for position, item in enumerate(scored[:RERANK_DEPTH]):
        item.features = confidence_features(scored, position)
        item.confidence = confidence(item.features, weights)
    return scored


def confidence_features(ranked: list[Scored], position: int) -> tuple[float, ...]:
    """The second stage's signals for ranked[position]: its score, its shared words (capped, in
    units of SHARED_WORDS_FOR_FULL_TEXT), whether it is first, its lead over the next lower
    candidate, and with a sentence model the cosine of the two vectors.

    Scores within SCORE_TIE of each other count as equal, so copies of one project are all "first",
    each with the same lead: a company with three look-alike projects sees all three.
    """
    item = ranked[position]
    lower = next((c.score for c in ranked[position + 1 :] if c.score < item.score - SCORE_TIE), 0.0)
    features = (
        item.score,
        min(item.shared, SHARED_WORDS_FEATURE_CAP) / SHARED_WORDS_FOR_FULL_TEXT,
        1.0 if item.score >= ranked[0].score - SCORE_TIE else 0.0,
        item.score - lower,
    )
    return features if item.semantic is None else (*features, item.semantic)


def confidence(features: Iterable[float], weights: tuple[float, ...] = CONFIDENCE_WEIGHTS) -> float:
    """Logistic model: 1 / (1 + e^-(intercept + sum of weight * feature))."""
    intercept, *rest = weights
    z = intercept + sum(w * f for w, f in zip(rest, features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def rank(
    *,
    name: str,
    summary: str,
    tags: Iterable[str],
    candidates: list[Candidate],
    corpus_size: int,
    limit: int = 3,
    threshold: float | None = None,
    semantic: dict[int, float] | None = None,
) -> list[Scored]:
    """The best `limit` candidates whose confidence reaches `threshold` (by default CONFIDENCE_THRESHOLD, or
    SEMANTIC_CONFIDENCE_THRESHOLD with a sentence model), most confident first."""
    if threshold is None:
        threshold = CONFIDENCE_THRESHOLD if semantic is None else SEMANTIC_CONFIDENCE_THRESHOLD
    scored = score_all(
        name=name,
        summary=summary,
        tags=tags,
        candidates=candidates,
        corpus_size=corpus_size,
        semantic=semantic,
    )
    shown = [s for s in scored[:RERANK_DEPTH] if s.confidence >= threshold]
    shown.sort(key=lambda s: (-s.confidence, -s.candidate.id))
    return shown[:limit]


# --- Two tiers -----------------------------------------------------------------------------------


@dataclass
class Considered:
    """A candidate among the TIER_DEPTH nearest: what its tier is decided from."""

    scored: Scored
    cosine: float
    features: tuple[float, ...]
    confidence: float  # that it is the same work, 0..1


@dataclass
class Tiers:
    same: list[Considered]
    related: list[Considered]
    considered: list[Considered]  # every candidate that could have been shown, for the bench


def tier_features(cosines: list[float], position: int, scored: Scored) -> tuple[float, ...]:
    """The signals of the candidate at `position` of `cosines` (best first): its cosine, its lead over
    the best other candidate (negative when it is not first), its gap below the first, its lexical
    score and its shared words (capped)."""
    cos = cosines[position]
    best_other = max((c for i, c in enumerate(cosines) if i != position), default=0.0)
    return (
        cos,
        cos - best_other,
        cosines[0] - cos,
        scored.score,
        float(min(scored.shared, SHARED_WORDS_FEATURE_CAP)),
    )


def choose_tiers(
    considered: list[Considered], *, same_threshold: float, related_floor: float
) -> tuple[list[Considered], list[Considered]]:
    """ "Possibly the same work": confidence >= same_threshold, most confident first; "related": the
    rest in the order of `considered` (cosine plus a share of the lexical score), down to a cosine of
    related_floor."""
    same = sorted((c for c in considered if c.confidence >= same_threshold), key=lambda c: -c.confidence)
    same = same[:SAME_SHOWN]
    chosen = {id(c) for c in same}
    related = [c for c in considered if id(c) not in chosen and c.cosine >= related_floor][:RELATED_SHOWN]
    return same, related


def tiers(
    *,
    name: str,
    summary: str,
    tags: Iterable[str],
    candidates: list[Candidate],
    corpus_size: int,
    semantic: dict[int, float] | None,
    same_threshold: float | None = None,
    related_floor: float | None = None,
) -> Tiers:
    """The candidates sorted into "possibly the same work" and "related".

    With `semantic` (candidate id -> cosine with the draft), as the module docstring says. Without
    a sentence model, words only: the lexical second stage's picks are "the same work", the rest of
    its RERANK_DEPTH best that share a scored word are "related".
    """
    if semantic is None:
        scored = score_all(
            name=name, summary=summary, tags=tags, candidates=candidates, corpus_size=corpus_size
        )
        threshold = CONFIDENCE_THRESHOLD if same_threshold is None else same_threshold
        considered = [
            Considered(scored=s, cosine=0.0, features=s.features, confidence=s.confidence)
            for s in scored[:RERANK_DEPTH]
            if s.shared
        ]
        same = sorted((c for c in considered if c.confidence >= threshold), key=lambda c: -c.confidence)
        same = same[:SAME_SHOWN]
        related = [c for c in considered if c not in same][:RELATED_SHOWN]
        return Tiers(same=same, related=related, considered=considered)
    by_meaning = sorted(candidates, key=lambda c: (-semantic.get(c.id, -1.0), -c.id))
    cosines = [semantic.get(c.id, -1.0) for c in by_meaning]
    # Only the nearest few are weighed: their lexical scores alone are computed.
    nearest = list(itertools.takewhile(lambda c: c.id in semantic, by_meaning[:TIER_POOL]))
    position = {c.id: i for i, c in enumerate(nearest)}  # in the order of closeness in meaning
    scored = lexical_scores(
        name=name, summary=summary, tags=tags, candidates=candidates, corpus_size=corpus_size, of=nearest
    )
    scored.sort(key=lambda s: -(cosines[position[s.candidate.id]] + TIER_LEXICAL_WEIGHT * s.score))
    considered = []
    for item in scored[:TIER_DEPTH]:
        at = position[item.candidate.id]
        features = tier_features(cosines, at, item)
        considered.append(
            Considered(
                scored=item,
                cosine=cosines[at],
                features=features,
                confidence=confidence(features, SAME_WEIGHTS),
            )
        )
    same, related = choose_tiers(
        considered,
        same_threshold=SAME_THRESHOLD if same_threshold is None else same_threshold,
        related_floor=RELATED_FLOOR if related_floor is None else related_floor,
    )
    return Tiers(same=same, related=related, considered=considered)


def reasons(
    *, name: str, summary: str, tags: Iterable[str], candidate: Candidate, cosine: float | None
) -> list[str]:
    """Why a project is shown, in a few words each: the words and tags both mention, how close in
    meaning. Shown words are the draft's own (not stems), at most three."""
    out = []
    if cosine is not None and cosine >= RELATED_FLOOR:
        out.append(
            "very close in meaning"
            if cosine >= 0.6
            else "close in meaning"
            if cosine >= 0.45
            else "a similar topic"
        )
    theirs = set(tokens(f"{candidate.name} {candidate.summary}"))
    words: dict[str, str] = {}  # scored word -> the draft's first spelling of it
    for raw in _WORD.findall(f"{name} {summary}".lower()):
        raw = raw.strip("-")
        word = normalise(raw)
        if word in theirs and word not in words and len(words) < 3:
            words[word] = raw
    if words:
        out.append("both mention " + ", ".join(words.values()))
    common_tags = sorted(tag_set(tags) & tag_set(candidate.tags))
    if common_tags:
        out.append("same tags: " + ", ".join(common_tags[:3]))
    return out

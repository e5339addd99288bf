"""The duplicate-project scoring (projects.similarity) and the bench's metric helpers."""

import importlib.util
from pathlib import Path

import pytest

from projects import similarity as sim

_RUN = Path(__file__).resolve().parents[2] / "bench" / "duplicates" / "run.py"
_spec = importlib.util.spec_from_file_location("bench_duplicates_run", _RUN)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_tokens_fold_synonyms_suffixes_and_drop_stop_words():
    assert sim.tokens("Migrating our K8s clusters") == sim.tokens("migration of the kubernetes cluster")
    assert sim.tokens("Localising the site") == sim.tokens("localise the website")
    assert "the" not in sim.tokens("the project") and sim.tokens("the new project") == []


def test_search_words_are_safe_for_tsquery_and_include_synonyms():
    words = sim.search_words("K8s & clusters | 'drop table'; staff!")
    assert "kubernetes" in words and "employee" in words
    assert all(w.isalnum() for w in words)


def test_trigram_similarity_matches_pg_trgm_on_simple_cases():
    assert sim.trigram_similarity("word", "word") == 1.0
    assert sim.trigram_similarity("", "word") == 0.0
    # pg_trgm: similarity('word', 'two words') = 0.363636
    assert sim.trigram_similarity("word", "two words") == pytest.approx(4 / 11)


def test_jaccard():
    assert sim.jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert sim.jaccard(set(), {"a"}) == 0.0


def test_rare_shared_words_weigh_more_than_common_ones():
    common = sim.Candidate(id=1, name="Data platform", summary="data data platform")
    rare = sim.Candidate(id=2, name="Payroll", summary="payroll consolidation")
    filler = [sim.Candidate(id=10 + i, name=f"Data thing {i}", summary="data") for i in range(20)]
    ranked = sim.score_all(
        name="Payroll data", summary="", tags=[], candidates=[common, rare, *filler], corpus_size=22
    )
    assert ranked[0].candidate.id == 2


def test_rank_finds_the_paraphrase_and_not_the_same_domain_project():
    existing = [
        sim.Candidate(
            id=1,
            name="Kubernetes migration",
            summary="Move our services from VMware virtual machines onto the shared Kubernetes clusters.",
            tags=["Kubernetes", "VMware"],
        ),
        sim.Candidate(
            id=2,
            name="Kubernetes cost dashboard",
            summary="Turn per-namespace CPU and memory requests into a monthly cost figure per team.",
            tags=["Kubernetes", "FinOps"],
        ),
    ]
    ranked = sim.rank(
        name="Migrating services to k8s",
        summary="Take the services off the VMware virtual machines and run them on the Kubernetes clusters.",
        tags=["Docker"],
        candidates=existing,
        corpus_size=500,
    )
    assert [s.candidate.id for s in ranked] == [1]


def test_rank_shows_nothing_below_threshold_and_at_most_limit():
    cands = [sim.Candidate(id=i, name="Summer party", summary="Food and music in July") for i in range(5)]
    assert sim.rank(name="Payroll", summary="New payroll", tags=[], candidates=cands, corpus_size=5) == []
    same = sim.rank(
        name="Summer party", summary="Food and music in July", tags=[], candidates=cands, corpus_size=50
    )
    assert len(same) == 3


def test_k8s_draft_suggests_the_kubernetes_migration():
    existing = sim.Candidate(
        id=1,
        name="Kubernetes migration",
        summary="Move our services from VMware virtual machines onto the Kubernetes clusters.",
    )
    ranked = sim.rank(
        name="k8s migration",
        summary="Migrating the services that run on VMware virtual machines to our k8s clusters.",
        tags=[],
        candidates=[existing],
        corpus_size=500,
    )
    assert [s.candidate.id for s in ranked] == [1]


def test_one_rare_shared_word_is_not_enough_evidence(monkeypatch):
    # Same domain, different work: the only link is the rare word "mentoring", which alone gives a
    # cosine above the threshold; scaling by the number of shared words keeps it from being shown.
    mentoring = sim.Candidate(
        id=1,
        name="Mentoring programme for new managers",
        summary="Experienced mentors for first-time managers.",
    )
    parties = [
        sim.Candidate(id=10 + i, name=f"{city} summer party", summary="Food, music and games in July.")
        for i, city in enumerate(["Lisbon", "Porto", "Lyon", "Berlin", "Warsaw", "Austin", "Leeds"])
    ]
    draft = dict(
        name="Reverse mentoring",
        summary="Junior staff mentor executives.",
        tags=[],
        candidates=[mentoring, *parties],
        corpus_size=500,
    )
    assert sim.rank(**draft) == []
    monkeypatch.setattr(sim, "SHARED_WORDS_FOR_FULL_TEXT", 1)
    assert [s.candidate.id for s in sim.rank(**draft)] == [1]


def test_text_score_scales_with_the_number_of_shared_words(monkeypatch):
    cand = sim.Candidate(id=1, name="Payroll", summary="payroll")
    draft = dict(name="Payroll", summary="payroll countries", tags=[], candidates=[cand], corpus_size=100)
    monkeypatch.setattr(sim, "SHARED_WORDS_FOR_FULL_TEXT", 1)
    full = sim.score_all(**draft)[0].text
    monkeypatch.setattr(sim, "SHARED_WORDS_FOR_FULL_TEXT", 4)
    assert sim.score_all(**draft)[0].text == pytest.approx(full / 4)


def _result(label, partner, suggestions, hard=False):
    return bench.QueryResult(
        pair_id="x", label=label, split="dev", partner_id=partner, suggestions=suggestions, hard=hard
    )


def test_bench_precision_and_recall_definitions():
    results = [
        _result("same", 1, [(1, 0.9), (7, 0.5)]),  # found, plus one wrong suggestion
        _result("same", 2, [(8, 0.6)]),  # missed, one wrong
        _result("same", 3, [(3, 0.1)]),  # below threshold: nothing shown, missed
        _result("different", 4, [(4, 0.7)]),  # a negative that shows something
        _result("different", 5, [(5, 0.2)]),  # below threshold: correctly silent
    ]
    m = bench.evaluate(results, 0.4)
    assert (m.shown, m.correct, m.found, m.same_pairs) == (4, 1, 1, 3)
    assert m.precision == pytest.approx(1 / 4)
    assert m.recall == pytest.approx(1 / 3)
    assert (m.negatives_with_suggestions, m.negatives) == (1, 2)


def test_bench_counts_hard_positives_and_negatives_shown_something_apart():
    results = [
        _result("same", 1, [(1, 0.9)], hard=True),  # a paraphrase found
        _result("same", 2, [(2, 0.1)], hard=True),  # a paraphrase missed
        _result("same", 3, [(3, 0.9)]),  # an easy one found: not in the hard figure
        _result("different", 4, [(9, 0.8)], hard=True),
        _result("different", 5, []),
    ]
    m = bench.evaluate(results, 0.4)
    assert (m.hard_found, m.hard_pairs, m.hard_recall) == (1, 2, 0.5)
    assert m.negatives_share == 0.5


def test_bench_author_sets_are_the_blind_authors_files_each_its_own_split():
    sets = bench.load_author_sets()
    assert sorted(sets) == ["a", "b", "c"]
    for author, pairs in sets.items():
        assert len(pairs) == 120 and len({p["id"] for p in pairs}) == 120
        assert all(p["split"] == author for p in pairs)
        same = [p for p in pairs if p["label"] == "same"]
        assert len(same) == 60 and sum(p["hard"] for p in same) >= 25
        assert sum(p["hard"] for p in pairs if p["label"] == "different") >= 40


def test_bench_shows_top_three_above_threshold_only():
    r = _result("same", 1, [(5, 0.9), (6, 0.8), (7, 0.7), (1, 0.6)])
    assert bench.shown_at(r, 0.5) == [5, 6, 7]
    assert bench.shown_at(r, 0.75) == [5, 6]


def test_bench_nothing_shown_is_vacuously_precise():
    assert bench.evaluate([_result("different", 1, [])], 0.3).precision == 1.0


def test_bench_percentile_nearest_rank():
    values = list(range(1, 101))
    assert bench.percentile(values, 50) == 50
    assert bench.percentile(values, 95) == 95
    assert bench.percentile([7.0], 95) == 7.0


def test_bench_data_has_enough_labelled_pairs_and_distinct_distractors():
    pairs = bench.load_pairs()
    assert sum(p["label"] == "same" for p in pairs) >= 50
    assert sum(p["label"] == "different" for p in pairs) >= 50
    assert len({p["id"] for p in pairs}) == len(pairs)
    # The split rule: odd-numbered pairs are dev, even-numbered ones test, for both labels.
    assert all(p["split"] == ("dev" if int(p["id"].split("-")[1]) % 2 else "test") for p in pairs)
    assert len(bench.distractors(300)) == 300


# --- The second stage: confidence that a candidate is the same work -------------------------------

_fit_spec = importlib.util.spec_from_file_location("bench_duplicates_fit", _RUN.parent / "fit.py")
fit = importlib.util.module_from_spec(_fit_spec)
_fit_spec.loader.exec_module(fit)


def test_a_project_that_stands_out_is_shown_and_a_crowd_of_look_alikes_is_not():
    payroll = sim.Candidate(
        id=1,
        name="Global payroll platform",
        summary="Run payroll for every country on one platform instead of twelve local providers.",
    )
    hr = [
        sim.Candidate(id=10 + i, name=f"HR {topic}", summary=f"Employee {topic} for every country.")
        for i, topic in enumerate(["benefits review", "handbook update", "holiday calendar", "survey"])
    ]
    shown = sim.rank(
        name="One payroll system for all countries",
        summary="Replace the local payroll providers of each country with a single global platform.",
        tags=[],
        candidates=[payroll, *hr],
        corpus_size=500,
    )
    assert [s.candidate.id for s in shown] == [1]
    # A draft about employees in every country resembles the four HR projects about equally: no
    # one of them stands out, so none is offered as "the same work".
    assert (
        sim.rank(
            name="Employee wellbeing",
            summary="Wellbeing for employees in every country.",
            tags=[],
            candidates=hr,
            corpus_size=500,
        )
        == []
    )


def test_confidence_rises_with_shared_words_and_with_the_lead_over_the_next():
    base = sim.confidence((0.3, 0.75, 1.0, 0.05))
    assert sim.confidence((0.3, 1.25, 1.0, 0.05)) > base
    assert sim.confidence((0.3, 0.75, 1.0, 0.25)) > base
    assert sim.confidence((0.3, 0.75, 0.0, 0.05)) < base
    assert 0.0 < base < 1.0


def test_shared_words_stop_adding_confidence_past_the_cap():
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima"
    cand = sim.Candidate(id=1, name="Long", summary=words)
    item = sim.score_all(name="Long", summary=words, tags=[], candidates=[cand], corpus_size=100)[0]
    assert item.shared == 13
    assert item.features[1] == sim.SHARED_WORDS_FEATURE_CAP / sim.SHARED_WORDS_FOR_FULL_TEXT


def test_only_the_best_few_of_the_lexical_ranking_get_a_confidence():
    cands = [sim.Candidate(id=i, name=f"Payroll {i}", summary="payroll") for i in range(sim.RERANK_DEPTH + 3)]
    scored = sim.score_all(name="Payroll", summary="payroll", tags=[], candidates=cands, corpus_size=100)
    assert all(s.features for s in scored[: sim.RERANK_DEPTH])
    assert not any(s.features or s.confidence for s in scored[sim.RERANK_DEPTH :])


def test_fit_logistic_recovers_the_weights_that_made_the_data():
    import math
    import random

    rng = random.Random(3)
    truth = (-1.0, 2.0, -3.0)
    rows, labels = [], []
    for _ in range(4000):
        x = (rng.uniform(-2, 2), rng.uniform(-2, 2))
        p = 1 / (1 + math.exp(-(truth[0] + truth[1] * x[0] + truth[2] * x[1])))
        rows.append(x)
        labels.append(1.0 if rng.random() < p else 0.0)
    got = fit.fit_logistic(rows, labels, l2=0.0)
    assert got == pytest.approx(truth, abs=0.25)
    # Regularisation pulls the weights, not the intercept, towards zero.
    shrunk = fit.fit_logistic(rows, labels, l2=2000.0)
    assert abs(shrunk[1]) < abs(got[1]) and abs(shrunk[2]) < abs(got[2])


def test_choose_threshold_takes_the_best_recall_that_keeps_the_precision():
    points = [(0.1, 0.5, 0.9), (0.3, 0.8, 0.7), (0.4, 0.85, 0.7), (0.6, 0.95, 0.4)]
    assert fit.choose_threshold(points, min_precision=0.8) == 0.4
    assert fit.choose_threshold(points, min_precision=0.99) is None


def test_bench_refits_from_the_recorded_features():
    result = bench.QueryResult(
        pair_id="x",
        label="same",
        split="dev",
        partner_id=2,
        suggestions=[(1, 0.9), (2, 0.1)],
        features=[(1, (0.2, 0.5, 1.0, 0.0)), (2, (0.4, 1.5, 1.0, 0.3))],
    )
    rows, labels = bench.training_rows([result])
    assert rows == [(0.2, 0.5, 1.0, 0.0), (0.4, 1.5, 1.0, 0.3)] and labels == [0.0, 1.0]
    again = bench.rescored(result, sim.CONFIDENCE_WEIGHTS)
    assert [pid for pid, _ in again.suggestions] == [2, 1]


def test_reasons_name_each_shared_word_once_in_the_drafts_spelling_and_the_shared_tags():
    cand = sim.Candidate(
        id=1, name="Customer health score", summary="One score per customer account.", tags=["CRM"]
    )
    why = sim.reasons(
        name="Spot customers about to leave",
        summary="Warn account managers when a customer may cancel.",
        tags=["crm", "Churn"],
        candidate=cand,
        cosine=0.5,
    )
    assert why == ["close in meaning", "both mention customers, account", "same tags: crm"]
    assert sim.reasons(name="x", summary="", tags=[], candidate=cand, cosine=0.1) == []

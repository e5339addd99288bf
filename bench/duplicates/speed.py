# ruff: noqa: E501  (a bench script with long report lines)
"""Speed and memory of the look-alike box at 20,000 projects, stage by stage.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hive_lookalike
    nice -n 10 .venv/bin/python bench/duplicates/speed.py --setup 20000   # once: projects + vectors (timed)
    nice -n 10 .venv/bin/python bench/duplicates/speed.py --rounds 3      # timings and memory
    ... speed.py --before /tmp/hive-before                               # also the code at that checkout,
                                                                          # interleaved, same drafts

Unlike run.py this keeps its database (the one DATABASE_URL names, which it fills with projects and
deletes nothing from): computing 20,000 vectors takes minutes, timing the box takes seconds.

The drafts are the "query" sides of the three blind authors' pairs (authors/), 360 texts; the
projects are run.py's distractors plus every author's "existing" side. Per call it prints the median
and p95 of the whole project_look_alikes() call and, separately timed on the same drafts, of its
stages: the draft's vector (the sentence model), the nearest vectors (the in-process index, with
its freshness check), the word candidates (PostgreSQL full-text), and what is left (rows, tags,
scoring). It also prints the process's CPU time per call (wall time on 2 shared cores at a load of 8
is mostly waiting for a core) and the resident memory the sentence model and the vector index add.

Measured 2026-12-06 (stop 21), `speed.py --before <checkout of f4efee4> --rounds 2`, 2 shared cores,
niced, best of two alternating runs each (the medians of all runs give the ratio):
  20,000 projects, load average 16-19.5, after = the final code (2120cdc):
                                      before (f4efee4)    after
    whole call, wall, median / p95      286.3 / 386.6 ms    235.3 / 304.6 ms   (medians of runs: 320 -> 248 ms, x0.77)
    whole call, CPU of this process      46.4 / 57.2 ms      40.2 / 48.2 ms   (PostgreSQL's own CPU not counted)
    the draft's vector (wall)           131.6 ms             139.8 ms         (~20 ms of CPU: the model)
    rows, tags, scoring (the rest)       62.9 ms              14.7 ms
    memory added: model / index         137 / 62 MB          138 / 32 MB     (29.4 MB of arrays)
  20,360 projects, load average 9.5-15, after = 2fdcee2 (before the tiers' lexical ordering):
    whole call, wall, median / p95      253.5 / 327.3 ms    180.9 / 241.3 ms   (medians of runs: 352 -> 213 ms, x0.61)
    whole call, CPU of this process      57.8 / 70.1 ms      52.2 / 64.8 ms
    rows, tags, scoring (the rest)       94.4 ms              20.6 ms
The 100 ms median is met in CPU time, not in wall time on this machine: at a load of 10-16 on two
cores a niced process waits for a core most of the time (the draft's vector, ~20 ms of CPU, takes
~100 ms of wall time). Vectors for 20,000 projects (`--setup 20000 --timed 300`, the service, one
process): 14.5 ms of CPU each, so 4.8 min of CPU for 20,000; at load 19.6, niced, 300 took 56.6 s of
wall time, so the 10-minute bar holds only on a machine that is not shared eight ways.

2026-12-07 (stop 22), a bench database built afresh (`--setup 20000 --timed 1000`, 20,360
projects), `--rounds 2`, niced, the code of 4651883, load average 10.2 at the start and 17.5 at
the end (seven helpers' tests and benches on 2 cores): whole call wall median 324.6 ms, p95
1452.6 ms; CPU of this process median 45.9 ms, p95 59.2 ms; memory added: model 138 MB, index
33 MB (30.0 MB of arrays). Vectors: 1,000 through the service in 78.2 s wall, 14.9 ms CPU each
= 5.0 min of CPU for 20,000 (load 13.6). The quiet figure of stop 21 (35.1 ms wall median, p95 42.5 ms, at
load 1.7-2.0) stands; nothing in the box's code changed since.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import _load_projects, distractors, load_author_sets, percentile  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def setup(n: int, *, timed: int) -> None:
    """Loads the projects if the database has none, then computes the missing vectors: the first
    `timed` with the real service, one process, timed (wall and CPU); the rest by copying the vector
    of a project with the same text (the distractors repeat ~6,600 texts), each distinct text
    encoded once, so that a bench database is ready in minutes on a busy machine."""
    from django.db import connection

    from common import sentence_embeddings
    from projects.models import Project, ProjectEmbedding
    from projects.services import project_embeddings_backfill
    from projects.similarity import embedding_text

    if not Project.objects.exists():
        rows = distractors(n) + [p["existing"] for ps in load_author_sets().values() for p in ps]
        started = time.perf_counter()
        _load_projects(rows, email="speed-bench@example.com")
        print(f"Loaded {len(rows)} projects in {time.perf_counter() - started:.1f}s", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE projects_project")
    started, cpu = time.perf_counter(), time.process_time()
    done = project_embeddings_backfill(limit=timed)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if done:
        print(
            f"Sentence vectors of {done} projects (the service, one process): {wall:.1f}s wall, {cpu:.1f}s CPU "
            f"= {cpu / done * 1000:.1f} ms CPU each, {cpu / done * 20000 / 60:.1f} min CPU for 20,000 "
            f"(load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    model = sentence_embeddings.encoder()
    assert model is not None
    missing = list(Project.objects.exclude(embedding__model=model.name).values_list("id", "name", "summary"))
    by_text: dict[str, list[int]] = {}
    for pk, name, summary in missing:
        by_text.setdefault(embedding_text(name, summary), []).append(pk)
    texts = list(by_text)
    for start in range(0, len(texts), 256):
        chunk = texts[start : start + 256]
        vectors = model.encode(chunk)
        ProjectEmbedding.objects.bulk_create(
            [
                ProjectEmbedding(
                    project_id=pk, model=model.name, vector=sentence_embeddings.vector_to_bytes(v)
                )
                for text, v in zip(chunk, vectors, strict=True)
                for pk in by_text[text]
            ]
        )
    if missing:
        print(
            f"Vectors of the other {len(missing)} projects copied from {len(by_text)} distinct texts",
            flush=True,
        )


def measure(rounds: int) -> dict:
    """Timings in ms and memory in MB, as a dict (printed by the parent for --before)."""
    before_model = rss_mb()
    from common import sentence_embeddings
    from projects import selectors, similarity

    model = sentence_embeddings.encoder()
    assert model is not None, "this bench needs the sentence model"
    after_model = rss_mb()
    index = selectors.projects_vector_index(model_name=model.name)
    index.refresh()
    after_index = rss_mb()
    drafts = [p["query"] for ps in load_author_sets().values() for p in ps]
    texts = [similarity.embedding_text(d["name"], d["summary"]) for d in drafts]
    selectors.project_look_alikes(name="Warm-up", summary="Loads the caches before timing.")
    try:  # every call encodes its draft: the remembered drafts are forgotten before each
        from common.retrieval import draft_vectors_forget
    except ImportError:  # the code before common.retrieval remembered none

        def draft_vectors_forget() -> None:
            pass

    calls, cpu, encode, nearest, words = [], [], [], [], []
    for _ in range(rounds):
        for d, text in zip(drafts, texts, strict=True):
            draft_vectors_forget()
            t0, c0 = time.perf_counter(), time.process_time()
            selectors.project_look_alikes(name=d["name"], summary=d["summary"], tags=d["tags"])
            calls.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            t0 = time.perf_counter()
            vector = model.encode([text])[0]
            encode.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            index.nearest(vector, k=similarity.SEMANTIC_CANDIDATES + 1)
            nearest.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            selectors._candidates_postgresql(name=d["name"], summary=d["summary"], tags=d["tags"])
            words.append(time.perf_counter() - t0)

    def stat(values: list[float]) -> tuple[float, float]:
        ms = [v * 1000 for v in values]
        return statistics.median(ms), percentile(ms, 95)

    call, enc, near, word = stat(calls), stat(encode), stat(nearest), stat(words)
    return {
        "projects": len(index),
        "calls": len(calls),
        "call": call,
        "cpu": stat(cpu),
        "encode": enc,
        "nearest": near,
        "words": word,
        "rest": (call[0] - enc[0] - near[0] - word[0], None),
        "model_mb": after_model - before_model,
        "index_mb": after_index - after_model,
        "index_bytes_mb": index.nbytes / 2**20,
        "rss_mb": rss_mb(),
        "load": os.getloadavg()[0],
    }


def report(title: str, m: dict) -> None:
    print(
        f"\n{title}: {m['calls']} calls over {m['projects']} projects (load average {m['load']:.1f} at the end)"
    )
    for key, label in [
        ("call", "whole call (wall)"),
        ("cpu", "whole call (CPU of this process)"),
        ("encode", "  the draft's vector"),
        ("nearest", "  nearest vectors (index)"),
        ("words", "  word candidates (SQL)"),
    ]:
        med, p95 = m[key]
        print(f"  {label:<34} median {med:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"  {'  rows, tags, scoring (the rest)':<34} median {m['rest'][0]:7.1f} ms")
    print(
        f"  memory: the sentence model adds {m['model_mb']:.0f} MB resident, the vector index {m['index_mb']:.0f} MB "
        f"({m['index_bytes_mb']:.1f} MB of arrays); the process holds {m['rss_mb']:.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--setup", type=int, metavar="N", help="load N distractors (if empty) and compute vectors"
    )
    parser.add_argument(
        "--timed", type=int, default=1000, help="with --setup: vectors computed and timed one by one"
    )
    parser.add_argument("--rounds", type=int, default=2, help="passes over the 360 drafts (default 2)")
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with, run alternately")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # the child of --before
    args = parser.parse_args(argv)
    if args.before:
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for _ in range(args.rounds):  # alternate, so that both see the same load
            for name, root in (("before", args.before), ("after", HERE.parent.parent)):
                out = subprocess.run(
                    [sys.executable, str(HERE / "speed.py"), "--json", "--rounds", "1"],
                    cwd=root,
                    env={**os.environ, "HIVE_BENCH_ROOT": str(root)},
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                runs[name].append(json.loads(out.strip().splitlines()[-1]))
        for name, ms in runs.items():
            merged = min(ms, key=lambda m: m["call"][0])
            report(f"{name} ({len(ms)} runs; the one with the lowest median shown)", merged)
            print("  medians of each run: " + ", ".join(f"{m['call'][0]:.1f} ms" for m in ms))
        b = statistics.median(m["call"][0] for m in runs["before"])
        a = statistics.median(m["call"][0] for m in runs["after"])
        print(f"\nafter / before, median of the runs' medians: {a:.1f} / {b:.1f} ms = {a / b:.2f}")
        return 0
    # The code under test: a --before checkout, or this one.
    sys.path.insert(0, os.environ.get("HIVE_BENCH_ROOT") or str(HERE.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-not-for-production-use-0123456789abcdef")
    import django

    django.setup()
    if args.setup:
        setup(args.setup, timed=args.timed)
        return 0
    result = measure(args.rounds)
    if args.json:
        print(json.dumps(result))
    else:
        report("look-alike box", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())

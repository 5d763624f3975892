"""One step of one system, run in a subprocess of its own by bench.run: a build or queries.

    python -m bench.tasks build|rerun SYSTEM CORPUS INDEX_DIR
    python -m bench.tasks query SYSTEM CORPUS INDEX_DIR REPS
    python -m bench.tasks churn leaksearch CORPUS INDEX_DIR SHARE RUN
    python -m bench.tasks cli leaksearch CORPUS INDEX_DIR REPS

prints its measurements as one line of JSON. churn changes SHARE of the corpus's files (RUN seeds
the change), then runs the incremental build over it. cli times whole `leaksearch search`
processes, start-up included.
"""

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.corpus import DOCS_PER_FOLDER, document


@dataclass(frozen=True)
class Query:
    """One benchmark query: its kind, the typed text, and a country to filter and facet by."""

    kind: str  # one of KINDS
    text: str
    country: str | None = None


# Words and phrases that occur in the People's Daily and Python-docs text the corpus is made of.
QUERIES = (
    Query("term", "经济"),
    Query("term", "记者"),
    Query("term", "function"),
    Query("term", "exception"),
    Query("phrase", "经济发展"),
    Query("phrase", "人民群众"),
    Query("phrase", "keyword argument"),
    Query("phrase", "default value"),
    Query("pinyin", "renmin"),
    Query("pinyin", "zhongguo"),
    Query("pinyin", "jingji"),
    Query("faceted", "政府", "IN"),
    Query("faceted", "function", "TH"),
    # Pinyin initials and a country's name in either language (leaksearch expands them; the
    # peers search the letters and the word as typed), and queries matching most of the corpus.
    Query("initials", "zg"),
    Query("initials", "rmqz"),
    Query("country", "India"),
    Query("country", "印度"),
    Query("common", "的"),
    Query("common", "the"),
    Query("common", "*"),
)
KINDS = ("term", "phrase", "pinyin", "faceted", "initials", "country", "common")
# `leaksearch search` from the command line, one process each: (label, arguments after QUERY).
CLI_QUERIES = (
    ("经济", "Chinese word", ()),
    ("function", "English word", ()),
    ("renmin", "pinyin", ()),
    ("India", "country name", ()),
    ("政府", "faceted, JSON", ("--country", "IN", "--json")),
)


def child_build(system: str, corpus: Path, index_dir: Path) -> dict:
    """Build (or, over an existing index, re-run) one system's index; seconds and counts."""
    if system == "leaksearch":
        from indexer.index.build import build_index
        from indexer.index.pipeline import BuildOptions

        report = build_index(corpus, index_dir, options=BuildOptions(ocr="off"))
        return {**asdict(report), **index_stats(index_dir)}
    from bench.peers import PEERS

    stats = PEERS[system][0](corpus, index_dir)
    return asdict(stats)


def index_stats(index_dir: Path) -> dict:
    """Live documents, documents including the deleted ones not yet purged, and segments."""
    from whoosh import index

    with index.open_dir(index_dir).reader() as reader:
        return {
            "doc_count": reader.doc_count(),
            "doc_count_all": reader.doc_count_all(),
            "segments": len(reader.leaf_readers()),
        }


def churn(corpus: Path, share: float, rng: random.Random) -> None:
    """Change share of the files: a fifth deleted, the rest rewritten with new text; as many new
    files added as were deleted, so the corpus keeps its size."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    picked = rng.sample(files, min(len(files), max(3, round(share * len(files)))))
    gone = picked[: max(1, len(picked) // 5)]
    for path in picked[len(gone) :]:
        path.write_bytes(_new_text(rng, path.suffix[1:]))
    for path in gone:
        path.unlink()
    first = max(int(p.stem) for p in files) + 1
    for n in range(first, first + len(gone)):
        fmt, text, _ = document(rng)
        folder = corpus / f"d{n // DOCS_PER_FOLDER:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{n:06d}.{fmt}").write_bytes(text.encode("utf-8"))


def _new_text(rng: random.Random, fmt: str) -> bytes:
    """A new generated document in the given format (the generator picks formats at random)."""
    while True:
        got, text, _ = document(rng)
        if got == fmt:
            return text.encode("utf-8")


def child_queries(system: str, index_dir: Path, reps: int) -> dict:
    """Each query once to warm up, then reps timed runs: hit counts and seconds, and the first
    run's seconds (nothing of that query read before; the index already open but for the first
    query)."""
    run = _leaksearch_query if system == "leaksearch" else _peer_query(system)
    out = []
    for q in QUERIES:
        hits, first = run(index_dir, q)
        times = [run(index_dir, q)[1] for _ in range(reps)]
        out.append({"query": asdict(q), "hits": hits, "seconds": times, "first": first})
    return {"queries": out}


def _leaksearch_query(index_dir: Path, q: Query) -> tuple[int, float]:
    from indexer.search.filters import Filters
    from indexer.search.search import search

    text = f'"{q.text}"' if q.kind == "phrase" else q.text
    filters = Filters(include={"country": (q.country,)}) if q.country else None
    started = time.perf_counter()
    # search() computes facets, timeline and snippets, as the UI; it reads the index through
    # searchers kept open between searches (indexer/index/reader.py), as the server does.
    results = search(index_dir, text, filters, page=1, pagelen=10)
    return results.total, time.perf_counter() - started


def child_cli(index_dir: Path, reps: int) -> dict:
    """Wall seconds of whole `leaksearch search` processes: one untimed, then reps per query."""

    def run(text: str, args: tuple[str, ...]) -> float:
        cmd = [sys.executable, "-m", "indexer.cli", "search", text, "--index", str(index_dir)]
        started = time.perf_counter()
        subprocess.run([*cmd, *args], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started

    text, _, args = CLI_QUERIES[0]
    run(text, args)  # reads the index and the interpreter's files into the page cache
    out = [
        {"command": [text, *args], "kind": kind, "seconds": [run(text, args) for _ in range(reps)]}
        for text, kind, args in CLI_QUERIES
    ]
    # Set, every process compiles leaksearch's own modules afresh (no __pycache__ is written).
    return {"cli": out, "no_bytecode": bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))}


def _peer_query(system: str):
    from bench.peers import PEERS

    search = PEERS[system][1]
    return lambda index_dir, q: search(index_dir, q.kind, q.text, q.country)


def main(task: str, system: str, corpus: Path, index_dir: Path, *params: str) -> None:
    import resource

    started = time.perf_counter()
    if task == "query":
        result = child_queries(system, index_dir, int(params[0]))
    elif task == "cli":
        result = child_cli(index_dir, int(params[0]))
    elif task == "churn":
        churn(corpus, float(params[0]), random.Random(int(params[1])))
        result = child_build(system, corpus, index_dir)
    else:
        result = child_build(system, corpus, index_dir)
    result["task_seconds"] = time.perf_counter() - started
    me, workers = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    # ru_maxrss (KiB on Linux): the largest single process, itself or a reaped worker.
    result["maxrss_self_mb"], result["maxrss_children_mb"] = (
        me.ru_maxrss / 1024,
        workers.ru_maxrss / 1024,
    )
    # CPU time of the task and its reaped workers varies less than wall time on a shared machine.
    result["cpu_seconds"] = sum(r.ru_utime + r.ru_stime for r in (me, workers))
    print(json.dumps(result))


if __name__ == "__main__":
    task, system, corpus, index_dir, *params = sys.argv[1:]
    main(task, system, Path(corpus), Path(index_dir), *params)

"""bench/RESULTS.md from the measurements of bench.run: tables, ratios, targets, hit counts."""

import datetime as dt
import importlib.metadata
import math
import os
import platform
import re
import sqlite3
import statistics
from pathlib import Path

from bench.corpus import FORMATS, CorpusInfo

PROFILE_HEADING = "## Profile"
PROFILE_PLACEHOLDER = "_To be filled in: where leaksearch's build and search spend their time._"
# The targets for leaksearch at 100,000 documents.
TARGET_MB_S = 1.0
TARGET_PEER_RATIO = 10.0  # MB/s against the naive whoosh-jieba peer of the same run
TARGET_INDEX_RATIO = 3.0  # index on disk / the corpus
TARGET_RERUN_SHARE = 0.05
TARGET_P50_MS, TARGET_P95_MS = 20.0, 100.0
TARGET_BUILD_MIB, TARGET_SERVER_MIB = 1.5 * 1024, 500.0
TARGET_GROWTH = 1.25  # index after the incremental runs / fresh build of the same corpus
TARGET_CLI_S = 0.5  # `leaksearch search`, a whole process, on a small index


def machine_info() -> dict:
    """What the numbers were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M)
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": model[1] if model else "unknown",
        "nproc": os.cpu_count(),
        "ram_gib": int(mem[1]) / 2**20 if mem else 0,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "whoosh": importlib.metadata.version("whoosh-reloaded"),
        "jieba": importlib.metadata.version("jieba"),
        "load_before": os.getloadavg(),
    }


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def latencies(result: dict, kind: str | None, first: bool = False) -> list[float]:
    """Every timed run (ms) of one kind of query, or of all queries; with first, the first run
    of each (not timed by earlier runs of the benchmark: none)."""
    runs = (
        ([q["first"]] if "first" in q else []) if first else q["seconds"]
        for q in result["query"]["queries"]
        if kind is None or q["query"]["kind"] == kind
    )
    return [s * 1000 for seconds in runs for s in seconds]


def metrics(result: dict, info: CorpusInfo, kinds: tuple[str, ...]) -> dict[str, float]:
    """The headline numbers of one system, keyed by metric name."""
    build, rerun = result["build"], result["rerun"]
    out = {
        "build s": build["seconds"],
        "MB/s": info.bytes / 1e6 / build["seconds"],
        "docs/s": info.files / build["seconds"],
        "build peak RSS MiB": build["peak_rss_mb"],
        "index MB": result["index_bytes"] / 1e6,
        "re-run s": rerun["seconds"],
    }
    for kind in kinds:
        if ms := latencies(result, kind):  # a results file of an earlier run may lack a kind
            out[f"{kind} p50 ms"] = statistics.median(ms)
            out[f"{kind} p95 ms"] = percentile(ms, 0.95)
    return out


def write_report(
    out: Path,
    command: str,
    machine: dict,
    info: CorpusInfo,
    results: dict[str, dict],
    queries: tuple,
    kinds: tuple[str, ...],
) -> None:
    """Write RESULTS.md, keeping the Profile section a person wrote into the previous one."""
    profile = _old_profile(out)
    parts = [
        "# Benchmark results\n",
        "Written by `bench/run.py`; see `bench/README.md` for what is measured and how.\n",
        _machine(machine, command),
        _corpus(info),
        _indexing(results, info),
        _rerun(results),
        _incremental(results),
        _latency(results, kinds),
        _cli(results, info),
        _ratios(results, info, kinds),
        _targets(results, info),
        _hits(results, queries),
        NOTES,
        f"{PROFILE_HEADING}\n\n{profile}\n",
    ]
    out.write_text("\n".join(parts), "utf-8")


def _old_profile(out: Path) -> str:
    try:
        text = out.read_text("utf-8")
    except FileNotFoundError:
        return PROFILE_PLACEHOLDER
    _, found, rest = text.partition(f"\n{PROFILE_HEADING}\n")
    return rest.strip() if found and rest.strip() else PROFILE_PLACEHOLDER


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _machine(m: dict, command: str) -> str:
    load = " / ".join(f"{x:.1f}" for x in m["load_before"])
    after = " / ".join(f"{x:.1f}" for x in m.get("load_after", ()))
    rows = [
        ["date", m["date"]],
        ["CPU", f"{m['cpu']} ({m['nproc']} logical CPUs)"],
        ["RAM", f"{m['ram_gib']:.1f} GiB"],
        ["OS", m["os"]],
        ["Python / SQLite", f"{m['python']} / {m['sqlite']}"],
        ["whoosh-reloaded / jieba", f"{m['whoosh']} / {m['jieba']}"],
        ["load average (1/5/15 min) before / after", f"{load} — {after}"],
        ["bench wall time", f"{m.get('minutes', 0):.1f} min"],
    ]
    return f"## Machine\n\n```sh\n{command}\n```\n\n" + _table(["", ""], rows)


def _corpus(info: CorpusInfo) -> str:
    mix = ", ".join(f".{f} {w}%" for f, w in FORMATS)
    return (
        f"## Corpus\n\n{info.files:,} documents, {info.bytes / 1e6:.1f} MB "
        f"(seed {info.seed}, generated in {info.seconds:.0f} s by `bench/corpus.py`): "
        f"{info.zh_docs:,} Chinese-dominant (People's Daily, January 1998), {info.en_docs:,} "
        f"English-dominant (Python documentation topics), with sprinkled country names, target "
        f"types, IPs, domains, emails and dates. Formats: {mix}.\n"
    )


def _indexing(results: dict, info: CorpusInfo) -> str:
    rows = []
    for system, r in results.items():
        b = r["build"]
        rows.append(
            [
                system,
                b["seconds"],
                b["cpu_seconds"],
                info.bytes / 1e6 / b["seconds"],
                info.files / b["seconds"],
                b["peak_rss_mb"],
                b["peak_pss_mb"],
                f"{b['maxrss_self_mb']:.0f} / {b['maxrss_children_mb']:.0f}",
                b["peak_processes"],
                r["index_bytes"] / 1e6,
            ]
        )
    header = [
        "system",
        "build s",
        "CPU s",
        "MB/s",
        "docs/s",
        "peak RSS MiB (tree)",
        "peak PSS MiB (tree)",
        "ru_maxrss MiB self / child",
        "processes",
        "index MB",
    ]
    return "## Full build\n\n" + _table(header, rows)


def _rerun(results: dict) -> str:
    rows, warnings = [], []
    for system, r in results.items():
        build, rerun = r["build"]["seconds"], r["rerun"]["seconds"]
        how = "full rebuild (no incremental mode)"
        if system == "leaksearch":
            done = r["rerun"]
            how = f"incremental: {done['unchanged']:,} unchanged files skipped"
            if done["added"] or done["updated"]:
                how += f", {done['added'] + done['updated']:,} read again"
                warnings.append(
                    "**Warning:** leaksearch's re-run read files again although the corpus did "
                    "not change (a schema or analyzer change between the two runs makes it start "
                    "from an empty index); its re-run time is not an incremental run.\n"
                )
        rows.append([system, rerun, r["rerun"]["cpu_seconds"], f"{100 * rerun / build:.1f}%", how])
    header = ["system", "re-run s", "CPU s", "of full build", "what it does"]
    return "## Re-run over the unchanged corpus\n\n" + _table(header, rows) + "\n".join(warnings)


def _incremental(results: dict) -> str:
    ours = results.get("leaksearch", {})
    incr = ours.get("incremental")
    if not incr:
        return "## Incremental runs\n\n(not measured: leaksearch not run, or `--no-incremental`)\n"
    runs, fresh = incr["runs"], incr["fresh"]

    def row(label: str, r: dict) -> list:
        counts = (r["added"], r["updated"], r["removed"], r["doc_count"])
        dead = r["doc_count_all"] - r["doc_count"]
        return [label, r["seconds"], *counts, dead, r["segments"], r["index_bytes"] / 1e6]

    start = {**ours["build"], "index_bytes": ours["index_bytes"]}
    rows = [row("0: the full build above", start)]
    rows += [row(str(n), r) for n, r in enumerate(runs, 1)]
    dead = max(r["doc_count_all"] - r["doc_count"] for r in runs)
    most = [dead, max(r["segments"] for r in runs), max(r["index_bytes"] for r in runs) / 1e6]
    rows.append([f"max of runs 1-{len(runs)}", *[""] * 5, *most])
    rows.append(row("fresh build of the final corpus", fresh))
    header = [
        "run",
        "wall s",
        "added",
        "updated",
        "removed",
        "documents",
        "deleted, not purged",
        "segments",
        "index MB",
    ]
    note = ""
    if runs[-1]["doc_count"] != fresh["doc_count"]:
        note = (
            f"\n**Warning:** after the runs the index holds {runs[-1]['doc_count']:,} documents, "
            f"a fresh build of the same corpus {fresh['doc_count']:,}.\n"
        )
    return (
        f"## Incremental runs (leaksearch)\n\n{len(runs)} runs of the incremental build over a "
        f"copy of the corpus and of the index built above, each after changing "
        f"{100 * incr['churn']:g}% of the files (a fifth of them deleted, the rest rewritten with "
        "new generated text, as many new files added as deleted); then a full build of the "
        "final corpus into an empty folder. A changed or deleted file's documents stay in their "
        "segment marked deleted until they pass a tenth of it and the segment is rewritten "
        "without them (`indexer/index/writer.py`). Index MB is the whole index folder, the pinyin "
        "lexicon and the failure list included.\n\n" + _table(header, rows) + note
    )


def _latency(results: dict, kinds: tuple[str, ...]) -> str:
    rows = []
    for system, r in results.items():
        for first in (False, True):
            row = [f"{system}, first runs" if first else system]
            for kind in (*kinds, None):
                ms = latencies(r, kind, first)
                p50, p95 = (statistics.median(ms), percentile(ms, 0.95)) if ms else (0, 0)
                row.append(f"{p50:.1f} / {p95:.1f}" if ms else "–")
            if not first or any(cell != "–" for cell in row[1:]):
                rows.append([*row, "" if first else r["query"]["peak_rss_mb"]])
    header = ["system", *(f"{k} p50 / p95 ms" for k in kinds), "all p50 / p95 ms", "peak RSS MiB"]
    note = (
        "\n\nEach query runs once, then is timed over its repeats; the first runs (a row of their "
        "own where recorded) are each query's first run in the process, the index already open "
        "from the queries before it but nothing of that query read yet.\n"
    )
    return "## Query latency\n\n" + _table(header, rows) + note


def _cli_medians(r: dict) -> list[tuple[dict, float]]:
    """Each CLI query with the median wall seconds of its processes."""
    return [(q, statistics.median(q["seconds"])) for q in r["cli"]["cli"]]


def _command(q: dict) -> str:
    return " ".join(["leaksearch", "search", *q["command"]])


def _cli(results: dict, info: CorpusInfo) -> str:
    r = results.get("leaksearch", {})
    if "cli" not in r:
        return "## CLI start-up\n\n(leaksearch was not run)\n"
    rows = [
        [f"`{_command(q)}`", q["kind"], f"{median:.3f}", len(q["seconds"])]
        for q, median in _cli_medians(r)
    ]
    bytecode = (
        " Python wrote no bytecode (PYTHONDONTWRITEBYTECODE), so every process also compiled "
        "leaksearch's own modules."
        if r["cli"]["no_bytecode"]
        else ""
    )
    return (
        f"## CLI start-up\n\nWall seconds of whole `leaksearch search` processes (interpreter "
        f"start, imports, the search, the output) over the index above ({info.files:,} "
        f"documents), after one untimed run.{bytecode}\n\n"
        + _table(["command", "kind", "median s", "runs"], rows)
    )


def _ratios(results: dict, info: CorpusInfo, kinds: tuple[str, ...]) -> str:
    if "leaksearch" not in results or len(results) < 2:
        return "## Ratios\n\n(needs leaksearch and at least one peer)\n"
    ours = metrics(results["leaksearch"], info, kinds)
    peers = [s for s in results if s != "leaksearch"]
    theirs = {p: metrics(results[p], info, kinds) for p in peers}
    rows = [
        [name, value, *(_ratio(value, theirs[p].get(name)) for p in peers)]
        for name, value in ours.items()
    ]
    header = ["metric", "leaksearch", *(f"leaksearch / {p}" for p in peers)]
    return (
        "## Ratios leaksearch / peer\n\nAbove 1 means leaksearch takes more (time, memory, "
        "disk) or, for MB/s and docs/s, does more.\n\n" + _table(header, rows)
    )


def _ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "–"  # "–": the peer's run did not measure it


def _targets(results: dict, info: CorpusInfo) -> str:
    if "leaksearch" not in results:
        return "## Targets\n\n(leaksearch was not run)\n"
    r = results["leaksearch"]
    mb_s = info.bytes / 1e6 / r["build"]["seconds"]
    share = r["rerun"]["seconds"] / r["build"]["seconds"]
    ms = latencies(r, None)
    p50, p95 = statistics.median(ms), percentile(ms, 0.95)
    build_rss = max(r[task]["peak_rss_mb"] for task in ("build", "rerun"))
    query_rss = r["query"]["peak_rss_mb"]
    ratio = r["index_bytes"] / info.bytes
    at = "" if info.files >= 100_000 else f" (measured at {info.files:,} documents only)"
    rows = [
        ["full-analysis indexing ≥ 1.0 MB/s", f"{mb_s:.3f} MB/s", _met(mb_s >= TARGET_MB_S)],
    ]
    if "whoosh-jieba" in results:
        peer = info.bytes / 1e6 / results["whoosh-jieba"]["build"]["seconds"]
        rows.append(
            [
                "indexing ≥ 10× the naive whoosh-jieba peer",
                f"{mb_s / peer:.2f}×",
                _met(mb_s >= TARGET_PEER_RATIO * peer),
            ]
        )
    rows += [
        [
            "index ≤ 3× the corpus",
            f"{ratio:.1f}× ({r['index_bytes'] / 1e6:,.0f} MB)",
            _met(ratio <= TARGET_INDEX_RATIO),
        ],
        [
            "unchanged re-run ≤ 5% of full build",
            f"{100 * share:.1f}%",
            _met(share <= TARGET_RERUN_SHARE),
        ],
        [
            f"search with snippets and facets p50 ≤ 20 ms, p95 ≤ 100 ms{at}",
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
            _met(p50 <= TARGET_P50_MS and p95 <= TARGET_P95_MS),
        ],
        [
            "peak memory building ≤ 1.5 GB (process tree)",
            f"{build_rss:,.0f} MiB",
            _met(build_rss <= TARGET_BUILD_MIB),
        ],
        [
            "searching ≤ 500 MB",
            f"{query_rss:,.0f} MiB",
            _met(query_rss <= TARGET_SERVER_MIB),
        ],
    ]
    if "cli" in r:
        query, slowest = max(_cli_medians(r), key=lambda qm: qm[1])
        target = (
            f"`leaksearch search` answers within {TARGET_CLI_S} s of starting (slowest median; "
            f"the target is for a small index, this one has {info.files:,} documents)"
        )
        measured = f"{slowest:.3f} s (`{_command(query)}`)"
        rows.append([target, measured, _met(slowest <= TARGET_CLI_S)])
    incr = r.get("incremental")
    if incr:
        after, fresh = incr["runs"][-1]["index_bytes"], incr["fresh"]["index_bytes"]
        target = (
            f"after {len(incr['runs'])} incremental runs the index is at most 1.25× the size "
            "of a fresh build of the same corpus"
        )
        measured = f"{after / fresh:.2f}× ({after / 1e6:.1f} MB / {fresh / 1e6:.1f} MB)"
        rows.append([target, measured, _met(after <= TARGET_GROWTH * fresh)])
    return (
        "## Targets (leaksearch)\n\nLatency is over every timed query, since every leaksearch "
        "search computes facet counts and snippets; memory is the largest process-tree RSS sum "
        "(the build's workers and writers; the query process).\n\n"
        + _table(["target", "measured", "verdict"], rows)
    )


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _hits(results: dict, queries: tuple) -> str:
    rows = []
    for n, q in enumerate(queries):
        label = f"`{q.text}`" + (f" + country {q.country}" if q.country else "")
        rows.append([label, q.kind, *(_hit_count(r, q, n) for r in results.values())])
    return "## Hit counts\n\n" + _table(["query", "kind", *results], rows)


def _hit_count(result: dict, q, n: int):
    found = result["query"]["queries"]
    same = n < len(found) and found[n]["query"]["text"] == q.text
    return found[n]["hits"] if same else "–"  # a query an earlier run did not time


NOTES = """## How to read this

- Times are wall-clock seconds of the build call inside its own process (interpreter start-up
  excluded); CPU s is the user + system time of that process and its workers, which a busy
  machine inflates less than wall time. MB are 10^6 bytes of corpus files, MiB 2^20 bytes.
- Peak RSS sums VmRSS over the process and all its descendants, sampled every 250 ms, so pages
  shared by forked workers count once per process (an upper bound); PSS shares them out (closer
  to the real footprint), sampled every 3 s (reading it costs more). ru_maxrss is the largest
  single process.
- leaksearch runs with `BuildOptions(ocr="off")` and the default number of workers; its search
  reads the index through searchers kept open between searches (as the server does) and
  computes the first page with snippets, facet counts and the timeline. The peers open their
  index per query, fetch the first 10 hits, and count facets only for the faceted queries.
- whoosh-jieba: jieba's `ChineseAnalyzer` stores character offsets as token positions, so
  Whoosh phrase queries over it find nothing; that is what the 30-line script gets. Its build
  time includes loading jieba's dictionary (a few seconds), as leaksearch's includes starting
  its workers.
- fts5: trigram MATCH needs 3 or more characters; 2-character words (经济, 记者, 政府) are found
  with `instr(content, ?)`, a scan of every row (`LIKE '%经济%'` returns no rows on SQLite 3.40).
  Trigram matches are substrings, so `function` also counts `functions`.
- Neither peer has pinyin (their pinyin rows are 0 by design), Traditional/Simplified folding or
  cross-lingual country names; their country facet is a substring check of eight names at index
  time (so 印度 also matches 印度尼西亚).
- The machine may be shared: see the load averages above.
"""

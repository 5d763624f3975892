"""stress.load's numbers: latency by phase and by query, totals checked against the old and new
index, and the markdown section for RESULTS.md."""

from urllib.parse import unquote_plus

from stress.harness import Reply, machine, percentiles


def _path(r: Reply) -> str:
    return "/" + r.url.split("/", 3)[3]


def _overlaps(r: Reply, start: float, end: float) -> bool:
    return r.started <= end and r.started + r.seconds >= start


def _row(name: str, replies: list[Reply], seconds: float | None) -> dict:
    failed = sum(r.status != 200 for r in replies)
    rps = len(replies) / seconds if seconds else None
    return {"name": name, **percentiles([r.seconds for r in replies]), "failed": failed, "rps": rps}


def summarize(load, windows, swaps: list[float], before: dict, after: dict) -> dict:
    """Latency rows by phase, failures, and every total that was neither old nor new."""
    replies = [r for rs in load.replies for r in rs]
    spans = [(s, e) for _, s, e, _ in windows]
    during = [r for r in replies if any(_overlaps(r, s, e) for s, e in spans)]
    outside = [r for r in replies if not any(_overlaps(r, s, e) for s, e in spans)]
    busy = sum(e - s for s, e in spans)
    whole = load.ended - load.started
    rows = [
        _row("whole load", replies, whole),
        _row("outside reindex runs", outside, whole - busy),
        _row("during reindex runs", during, busy),
    ]
    for what, s, e, _ in windows:
        rows.append(_row(f"during {what}", [r for r in replies if _overlaps(r, s, e)], e - s))
    bad, flips = _check_totals(load.replies, spans[-1], before, after)
    by_query = []
    for q in dict.fromkeys(map(_path, replies)):  # in order of first use
        rs = [r for r in replies if _path(r) == q]
        totals = sorted({t for r in rs if (t := r.total()) is not None})
        by_query.append({**_row(q, rs, None), "totals": totals})
    return {
        "rows": rows,
        "by_query": by_query,
        "failed": [r for r in replies if r.status != 200],
        "bad_totals": bad,
        "flips": flips,
        "swaps": sum(load.started <= t <= load.ended for t in swaps),
        "requests": len(replies),
        "cut_short": sum(r.cut_short() for r in replies),
    }


def _check_totals(by_thread, change: tuple[float, float], before: dict, after: dict):
    """Totals outside {old, new}, and how often a client saw the old index after the new one."""
    # Rebuilds re-index the same files, so totals may change only with the incremental run.
    bad, flips = [], 0
    for thread in by_thread:
        seen_new: set[str] = set()
        for r in thread:
            q, total = _path(r), r.total()
            if total is None or r.cut_short():  # counted apart: a time limit, not an index swap
                continue
            if r.started + r.seconds < change[0]:
                allowed = {before[q]}
            elif r.started > change[1]:
                allowed = {after[q]}
            else:
                allowed = {before[q], after[q]}
            if total not in allowed:
                bad.append((q, total, sorted(allowed)))
            if total == after[q] != before[q]:
                seen_new.add(q)
            elif q in seen_new and total == before[q]:
                flips += 1  # an older index answered after this client had seen the newer one
    return bad, flips


def _ms(row: dict) -> str:
    return " | ".join(f"{row[k]:.0f}" for k in ("p50", "p95", "p99", "max"))


def markdown(summary: dict, context: dict) -> str:
    """The RESULTS.md section: machine, commands, runs, latency tables, checks, failures."""
    out = [
        "## Load during reindexing (`python -m stress.load`)",
        "",
        f"- Measured {context['date']} on {machine()}.",
        (
            f"- Command: `{context['command']}`; server `{context['server']}`; "
            f"indexer `{context['indexer']}` (the third run without `--rebuild`)."
        ),
        (
            f"- Corpus: {context['files']} files (corpus_sample's text folders + generated "
            ".txt/.md); "
            f"{context['clients']} client threads, {summary['requests']} requests in "
            f"{context['seconds']:.0f} s."
        ),
        "",
        "| indexer run under load | seconds | indexer output |",
        "| --- | ---: | --- |",
        *(f"| {w} | {e - s:.1f} | {out} |" for w, s, e, out in context["windows"]),
        "",
        "| phase | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['name']} | {r['n']} | {r['failed']} | {r['rps']:.1f} | {_ms(r)} |"
            for r in summary["rows"]
        ),
        "",
        "| query | requests | failed | p50 ms | p95 ms | p99 ms | max ms | totals seen |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *(
            f"| `{unquote_plus(r['name'])}` | {r['n']} | {r['failed']} | {_ms(r)} | "
            f"{', '.join(map(str, r['totals'])) or '-'} |"
            for r in summary["by_query"]
        ),
        "",
        f"- Index swaps (Whoosh TOC generations) during the load: {summary['swaps']}.",
        (
            f"- Totals neither the old nor the new index's: {len(summary['bad_totals'])}; "
            f"old total seen again after the new one by the same client: {summary['flips']}; "
            f"answers cut short by the search time limit (not checked): {summary['cut_short']}."
        ),
        f"- Failed requests: {len(summary['failed'])}; server tracebacks: {context['tracebacks']}.",
    ]
    for run, _, _, output in context["windows"]:
        if "unchanged 0," in output and not run.startswith("rebuild"):
            out.append(
                f"- The {run} run re-read every file: it found no usable index (a schema change "
                "makes `build_index` recreate the index empty before it starts)."
            )
    for r in summary["failed"][:5]:
        body = " ".join(r.body.split())[:160]
        out.append(f"  - `{unquote_plus(_path(r))}` → {r.status} after {r.seconds:.2f}s: `{body}`")
    for q, total, allowed in summary["bad_totals"][:5]:
        out.append(f"  - `{q}` total {total}, expected one of {allowed}")
    if context["traceback"]:
        out += ["", "First server traceback:", "", "```", context["traceback"], "```"]
    return "\n".join(out) + "\n"

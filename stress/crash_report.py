"""stress.crash's markdown section for RESULTS.md: one row per kill."""

import time
from urllib.parse import unquote_plus

from stress.harness import machine

COLUMNS = (  # (header, alignment, cell) of the per-round table
    ("round", "---:", lambda r: r.n),
    ("killed run", "---", lambda r: r.mode),
    ("kill at s", "---:", lambda r: f"{r.kill_at:.1f}"),
    ("kill landed", "---", lambda r: r.landed),
    ("lock after kill", "---", lambda r: r.lock),
    ("files left by kill", "---:", lambda r: r.left),
    ("indexed before → after kill", "---", lambda r: f"{r.before} → {r.readable}"),
    ("recovery s", "---:", lambda r: f"{r.recovery:.1f}"),
    ("recovery run", "---", lambda r: r.recovery_output.splitlines()[0][:90]),
    (
        "indexed + listed = on disk",
        "---",
        lambda r: f"{r.check.indexed} + {r.check.listed} = {r.check.on_disk}",
    ),
    ("API total", "---:", lambda r: r.check.api_total),
    ("orphans after", "---:", lambda r: r.check.orphans),
    ("index MB", "---:", lambda r: f"{r.check.index_mb:.1f}"),
    ("requests", "---:", lambda r: r.requests),
    ("failed", "---:", lambda r: len(r.errors)),
    ("check", "---", lambda r: "; ".join(r.check.problems) or "OK"),
)


def markdown(rounds: list, context: dict) -> str:
    """Machine, commands, one table row per round, and every failed request or check."""
    out = [
        "## Repeated kill -9 (`python -m stress.crash`)",
        "",
        f"- Measured {time.strftime('%Y-%m-%d %H:%M')} on {machine()}.",
        (
            f"- Command: `{context['command']}`; server `{context['server']}`; killed runs "
            f"`{context['indexer']}` (even rounds: without `--rebuild`, after changing 40 files, "
            "adding 3 and deleting 1), started with `start_new_session=True` and killed with "
            "`os.killpg(pid, SIGKILL)`; recovery runs are the same command without `--rebuild`."
        ),
        (
            f"- Corpus: {context['files']} files at the start; a full build took "
            f"{context['full']:.1f} s, so kills land uniformly between 0.2 s and that."
        ),
        (
            f"- One client thread queried the server throughout: {context['requests']} requests, "
            f"{sum(len(r.errors) for r in rounds)} failed; "
            f"server tracebacks: {context['tracebacks']}."
        ),
        "",
        "| " + " | ".join(name for name, _, _ in COLUMNS) + " |",
        "| " + " | ".join(align for _, align, _ in COLUMNS) + " |",
        *("| " + " | ".join(str(cell(r)) for _, _, cell in COLUMNS) + " |" for r in rounds),
    ]
    for r in rounds:
        for e in r.errors[:3]:
            path = unquote_plus("/" + e.url.split("/", 3)[3])
            out.append(f"- round {r.n}: `{path}` → {e.status}: `{e.body[:300]!r}`")
        if r.recovery < 0:
            out.append(f"- round {r.n}: the recovery run failed: `{r.recovery_output[-500:]!r}`")
    if context["traceback"]:
        out += ["", "First server traceback:", "", "```", context["traceback"], "```"]
    return "\n".join(out) + "\n"

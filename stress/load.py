"""Load during reindexing: concurrent clients query `leaksearch serve` while the index is rebuilt
twice and updated once; every request must succeed and every total must be the old or the new one.

    python -m stress.load [--clients 8] [--duration 60] [--files 300]
"""

import argparse
import random
import shlex
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from stress.corpus import DEFAULT_FILES, MARKER, Corpus, add_files, make_corpus, touch_files
from stress.harness import Reply, Server, generation, get, index_command, run_indexer, write_section
from stress.load_report import markdown, summarize

DOC = "gen/000/00003.md"  # a generated file the incremental run changes: /doc/ must still find it


def queries() -> list[str]:
    """The fixed mix every client cycles through: HTML and JSON search, pinyin, Chinese, docs."""
    api = "/api/search?"
    return [
        "/?" + urlencode({"q": "安洵"}),
        "/?" + urlencode({"q": "anxun", "country": "IN"}),
        api + urlencode({"q": "India", "country": "IN"}),
        api + urlencode({"q": MARKER, "limit": 5}),
        api + urlencode({"q": "压力测试"}),
        api + urlencode({"q": "yali ceshi"}),  # pinyin of 压力测试
        api + urlencode({"q": "", "kind": "document", "limit": 1}),
        "/doc/" + quote(DOC) + "?" + urlencode({"q": "安洵"}),
        "/doc/" + quote("targets/2022Q3_权限清单.md"),
    ]


class Load:
    """Client threads cycling through the query mix until stopped; every reply is kept."""

    def __init__(self, base: str, clients: int) -> None:
        self.base, self.stop = base, threading.Event()
        self.replies: list[list[Reply]] = [[] for _ in range(clients)]
        self.threads = [threading.Thread(target=self._client, args=(i,)) for i in range(clients)]

    def _client(self, i: int) -> None:
        mix, k = queries(), i  # each thread starts at a different query: a mixed load at once
        while not self.stop.is_set():
            self.replies[i].append(get(self.base + mix[k % len(mix)]))
            k += 1

    def __enter__(self) -> "Load":
        self.started = time.monotonic()
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()
        self.ended = time.monotonic()


def watch_swaps(index_dir: Path, stop: threading.Event, swaps: list[float]) -> None:
    """Record when the TOC generation goes up: each is one index swap (a commit)."""
    last = generation(index_dir)
    while not stop.wait(0.02):
        gen = generation(index_dir)
        if gen != last:
            swaps.extend([time.monotonic()] * (gen - last))
            last = gen


def main(argv: list[str] | None = None) -> int:
    """Run the load test, print and save the results; 1 if any request or total was wrong."""
    parser = argparse.ArgumentParser(
        prog="python -m stress.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--duration", type=float, default=60, help="minimum seconds of load")
    parser.add_argument(
        "--quiet", type=float, default=10, help="seconds of load before and after the runs"
    )
    parser.add_argument("--files", type=int, default=DEFAULT_FILES, help="generated files")
    parser.add_argument("--seed", type=int, default=7, help="corpus and change seed")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    command = shlex.join(["python", "-m", "stress.load", *(sys.argv[1:] if argv is None else argv)])
    with tempfile.TemporaryDirectory(prefix="leaksearch-load-") as tmp:
        return _run(args, Path(tmp), command)


def _run(args: argparse.Namespace, tmp: Path, command: str) -> int:
    corpus, index_dir = make_corpus(tmp / "corpus", args.files, args.seed), tmp / "index"
    print(f"corpus: {corpus.files} files in {corpus.root}", flush=True)
    seconds, output = run_indexer(corpus.root, index_dir, rebuild=True)
    print(f"initial build: {seconds:.1f}s ({output})", flush=True)
    server = Server(index_dir, tmp / "server.log")
    before = {q: get(server.base + q).total() for q in queries() if q.startswith("/api/")}
    windows: list[tuple[str, float, float, str]] = []  # (run, start, end, indexer output)
    swaps: list[float] = []
    stop_watch = threading.Event()
    watcher = threading.Thread(target=watch_swaps, args=(index_dir, stop_watch, swaps))
    watcher.start()
    try:
        with Load(server.base, args.clients) as load:
            time.sleep(args.quiet)  # load with no indexer running, to compare against
            for run in ("rebuild 1", "rebuild 2", "incremental after changes"):
                rebuild = run.startswith("rebuild")
                if not rebuild:
                    _change(corpus, args.seed)
                print(f"{run}: indexing under load", flush=True)
                start = time.monotonic()
                _, output = run_indexer(corpus.root, index_dir, rebuild=rebuild)
                windows.append((run, start, time.monotonic(), output))
                print(f"{run}: {windows[-1][2] - start:.1f}s ({output})", flush=True)
            time.sleep(max(args.quiet, args.duration - (time.monotonic() - load.started)))
    finally:
        stop_watch.set()
        watcher.join()
        after = {q: get(server.base + q).total() for q in before}
        server.stop()
    summary = summarize(load, windows, swaps, before, after)
    context = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "command": command,
        "server": server.command.replace(str(tmp), "$TMP"),
        "indexer": shlex.join(index_command(corpus.root, index_dir, True)).replace(
            str(tmp), "$TMP"
        ),
        "files": corpus.files,
        "clients": args.clients,
        "seconds": load.ended - load.started,
        "windows": windows,
        "tracebacks": server.tracebacks(),
        "traceback": server.first_traceback(),
    }
    text = markdown(summary, context)
    print(text)
    if not args.no_results:
        write_section("stress.load", text)
    failed = summary["failed"] or summary["bad_totals"] or summary["flips"] or context["tracebacks"]
    return 1 if failed else 0


def _change(corpus: Corpus, seed: int) -> None:
    """Change 20 files, add 10 and change the /doc/ one, so the next run updates the index."""
    rng = random.Random(seed)
    touch_files(corpus, 20, rng, "load")
    add_files(corpus, 10, rng, "load")
    with (corpus.root / DOC).open("a", encoding="utf-8") as f:
        f.write("changed during the load test\n")  # deleted and re-added in one commit


if __name__ == "__main__":
    sys.exit(main())

"""Repeated kill -9: the indexer (and its workers) is killed at a random moment while `leaksearch
serve` answers from the same index; every request must succeed, and after each kill a normal run
must finish the work: every corpus file indexed or listed by `leaksearch failures`.

    python -m stress.crash [--rounds 12] [--files 300] [--seed 11]
"""

import argparse
import random
import shlex
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from stress.corpus import DEFAULT_FILES, make_corpus
from stress.crash_check import Check, check_index, indexed_roots, listed_failures, orphans
from stress.crash_report import markdown
from stress.harness import Reply, Server, get, index_command, run_indexer, write_section
from stress.kill import kill_round, lock_state
from stress.load import queries


@dataclass(frozen=True)
class Round:
    """One kill and its recovery."""

    n: int
    mode: str  # rebuild | incremental
    kill_at: float  # seconds after the start, or the run's own length if it finished first
    landed: str  # where the run was when the kill landed
    lock: str  # state of the lock file after the kill
    left: int  # segment files the killed writer left that no TOC names
    before: int  # corpus files the index held before the kill
    readable: int  # and right after it: must not drop, the previous index stays usable
    recovery: float  # seconds the next, normal run took (-1: it failed)
    recovery_output: str
    check: Check
    requests: int
    errors: list[Reply]


class Client:
    """A thread querying the server in a loop, so requests run during every kill and recovery."""

    def __init__(self, base: str) -> None:
        self.base, self.stop, self.replies = base, threading.Event(), []
        self.thread = threading.Thread(target=self._loop)

    def _loop(self) -> None:
        mix, k = queries(), 0
        while not self.stop.is_set():
            self.replies.append(get(self.base + mix[k % len(mix)]))
            k += 1

    def __enter__(self) -> "Client":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def main(argv: list[str] | None = None) -> int:
    """Run the kill rounds, print and save the results; 1 if any round or request failed."""
    parser = argparse.ArgumentParser(
        prog="python -m stress.crash",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, default=12, help="kills (at least 10 to count)")
    parser.add_argument("--files", type=int, default=DEFAULT_FILES, help="generated files")
    parser.add_argument("--seed", type=int, default=11, help="corpus, change and kill-time seed")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    command = shlex.join(
        ["python", "-m", "stress.crash", *(sys.argv[1:] if argv is None else argv)]
    )
    with tempfile.TemporaryDirectory(prefix="leaksearch-crash-") as tmp:
        return _run(args, Path(tmp), command)


def _run(args: argparse.Namespace, tmp: Path, command: str) -> int:
    corpus, index_dir = make_corpus(tmp / "corpus", args.files, args.seed), tmp / "index"
    print(f"corpus: {corpus.files} files in {corpus.root}", flush=True)
    full, output = run_indexer(corpus.root, index_dir, rebuild=True)
    print(f"full build: {full:.1f}s ({output}); kills land between 0.2s and that", flush=True)
    expected = set(listed_failures(index_dir))
    server, rng, rounds = Server(index_dir, tmp / "server.log"), random.Random(args.seed), []
    try:
        with Client(server.base) as client:
            for n in range(1, args.rounds + 1):
                seen, before = len(client.replies), len(indexed_roots(index_dir))
                kill_at, landed = kill_round(n, corpus, index_dir, full, rng, tmp / f"run{n}.log")
                lock, left = lock_state(index_dir), orphans(index_dir)
                readable = len(indexed_roots(index_dir))
                try:
                    recovery, out = run_indexer(corpus.root, index_dir, rebuild=False)
                except RuntimeError as e:  # e.g. a lock left by the killed writer
                    recovery, out = -1.0, str(e)
                check = check_index(corpus.root, index_dir, server.base, expected)
                replies = client.replies[seen:]
                errors = [r for r in replies if r.status != 200]
                mode = "rebuild" if n % 2 else "incremental"
                rounds.append(
                    Round(
                        n,
                        mode,
                        kill_at,
                        landed,
                        lock,
                        left,
                        before,
                        readable,
                        recovery,
                        out,
                        check,
                        len(replies),
                        errors,
                    )
                )
                print(
                    f"round {n}/{args.rounds} ({mode}): killed at {kill_at:.1f}s, {landed}; "
                    f"{lock}; {left} orphan file(s); {before} -> {readable} files indexed; "
                    f"recovery {recovery:.1f}s "
                    f"({out.splitlines()[0]}); "
                    f"{check.indexed} indexed + {check.listed} "
                    f"listed / {check.on_disk} on disk; {len(errors)} failed of {len(replies)} "
                    f"requests; {'; '.join(check.problems) or 'OK'}",
                    flush=True,
                )
    finally:
        server.stop()
    context = {
        "command": command,
        "full": full,
        "server": server.command.replace(str(tmp), "$TMP"),
        "indexer": shlex.join(index_command(corpus.root, index_dir, True)).replace(
            str(tmp), "$TMP"
        ),
        "files": corpus.files,
        "tracebacks": server.tracebacks(),
        "traceback": server.first_traceback(),
        "requests": len(client.replies),
    }
    text = markdown(rounds, context)
    print(text)
    if not args.no_results:
        write_section("stress.crash", text)
    bad = [
        r
        for r in rounds
        if r.errors
        or r.check.problems
        or r.recovery < 0
        or r.readable < r.before
        or "FAILED" in r.landed
    ]
    return 1 if bad or context["tracebacks"] or args.rounds < 1 else 0


if __name__ == "__main__":
    sys.exit(main())

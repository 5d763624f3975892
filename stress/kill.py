"""Kill an indexing run at a random moment (SIGKILL to its whole process group) and tell where
the kill landed: before, during or after the commit, and what it left behind."""

import fcntl
import os
import random
import signal
import subprocess
import time
from pathlib import Path

from stress.corpus import Corpus, add_files, touch_files
from stress.harness import ROOT, generation, index_command

LOCK = "MAIN_WRITELOCK"  # Whoosh's writer lock file for the index named MAIN


def kill_round(
    n: int, corpus: Corpus, index_dir: Path, full: float, rng: random.Random, log: Path
) -> tuple[float, str]:
    """Start the indexer, SIGKILL its process group at a random moment; (kill_at, landed)."""
    rebuild = n % 2 == 1
    if not rebuild:  # an incremental run needs work to do: change, add and remove files
        touch_files(corpus, 40, rng, f"round{n}")
        add_files(corpus, 3, rng, f"round{n}")
        old = corpus.root / f"gen/new-round{n - 2}/000.txt"
        old.unlink(missing_ok=True)
    before = generation(index_dir)
    delay = rng.uniform(0.2, full)
    started = time.monotonic()
    with log.open("w") as out:
        # A session of its own, so killpg reaches the pebble workers as well.
        proc = subprocess.Popen(
            index_command(corpus.root, index_dir, rebuild),
            stdout=out,
            stderr=out,
            cwd=ROOT,
            start_new_session=True,
        )
    try:
        code = proc.wait(timeout=delay)
        landed = "after: the run had finished" if code == 0 else f"none: the run FAILED ({code})"
        return time.monotonic() - started, landed
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    kill_at = time.monotonic() - started
    survivors = _wait_group(proc.pid)
    if generation(index_dir) > before:
        landed = "after commit (failures.json / exit)"
    else:
        # Progress lines come every 10 s, and always after the last file: all read = writing.
        lines = [ln for ln in log.read_text().splitlines() if ln.startswith("indexed ")]
        done = lines[-1].split(" files")[0].removeprefix("indexed ") if lines else ""
        a, _, b = done.partition("/")
        if not done:
            landed = "before commit (no progress line yet)"
        else:
            landed = "during write/commit" if a == b else f"before commit (last progress {done})"
    if survivors:
        landed += f"; {survivors} process(es) of the group still alive after 30 s!"
    return kill_at, landed


def _wait_group(pgid: int, limit: float = 30.0) -> int:
    """Wait for the killed group to be gone; the processes still alive after limit seconds."""
    # A SIGKILLed process with a big heap takes a moment to exit on a busy machine, and until
    # it has, it still holds the index's lock file (the workers inherit its descriptor).
    deadline = time.monotonic() + limit
    while (alive := _group_alive(pgid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _group_alive(pgid: int) -> int:
    """Processes still in the killed group that are not zombies (workers must die too)."""
    alive = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[2]) == pgid and stat[0] != "Z":
            alive += 1
    return alive


def lock_state(index_dir: Path) -> str:
    """Whether the killed writer left a lock file, and whether anyone still holds it."""
    path = index_dir / LOCK
    if not path.exists():
        return "no lock file"
    with path.open("rb") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return "file left, STILL HELD"
        fcntl.flock(f, fcntl.LOCK_UN)
    return "file left, not held"

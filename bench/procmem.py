"""Peak memory of a process tree, sampled from /proc while it runs."""

import os
import threading
from pathlib import Path

SAMPLE_SECONDS = 0.25  # VmRSS: cheap
# smaps_rollup walks page tables: read four times a second it took 20-30% of a core from a
# 1,000,000-document build (the shares of the forked processes' pages change slowly).
PSS_EVERY = 12  # samples: every 3 s


class TreeSampler(threading.Thread):
    """Samples the summed VmRSS of a process and all its descendants every 250 ms, their summed
    Pss every 3 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_rss_kb, self.peak_pss_kb, self.peak_procs = pid, 0, 0, 0
        self._done = threading.Event()
        self._samples = 0

    def run(self) -> None:
        while True:
            self.sample()
            if self._done.wait(SAMPLE_SECONDS):
                return

    def stop(self) -> None:
        self._done.set()
        self.join()

    def sample(self) -> None:
        pids = _descendants(self.pid)
        self.peak_rss_kb = max(self.peak_rss_kb, sum(_kb(p, "status", "VmRSS:") for p in pids))
        if self._samples % PSS_EVERY == 0:
            pss = sum(_kb(p, "smaps_rollup", "Pss:") for p in pids)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
        self._samples += 1
        self.peak_procs = max(self.peak_procs, len(pids))


def _descendants(root: int) -> list[int]:
    """root and every process below it, from the parent ids in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path("/proc", name, "stat").read_text()
            except OSError:
                continue  # exited while we looked
            # The command name may hold spaces and parentheses: fields start after the last ")".
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _kb(pid: int, file: str, key: str) -> int:
    try:
        for line in Path("/proc", str(pid), file).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass  # exited, or a kernel thread without the field
    return 0

"""Progress of an indexing run: a bar on a terminal, plain log lines elsewhere."""

import sys
import time
from collections.abc import Callable

from tqdm import tqdm

from indexer.index.build import Progress

_LOG_EVERY = 10.0  # seconds between log lines when not on a terminal


def progress_reporter(stream=sys.stderr) -> tuple[Callable[[Progress], None], Callable[[], None]]:
    """A progress callback for build_index and a function to call when the run ends."""
    if stream.isatty():
        bar = tqdm(total=0, unit="file", file=stream, dynamic_ncols=True)

        def update(p: Progress) -> None:
            bar.total = p.total_files
            bar.set_postfix_str(
                f"{p.bytes / 2**20:.1f}/{p.total_bytes / 2**20:.1f} MB", refresh=False
            )
            bar.update(p.files - bar.n)

        return update, bar.close

    started = time.monotonic()
    last = [0.0]

    def log(p: Progress) -> None:
        now = time.monotonic() - started
        if now - last[0] < _LOG_EVERY and p.files != p.total_files:
            return
        last[0] = now
        eta = now / p.bytes * (p.total_bytes - p.bytes) if p.bytes else 0.0
        print(
            f"indexed {p.files}/{p.total_files} files, {p.bytes / 2**20:.1f}/"
            f"{p.total_bytes / 2**20:.1f} MB, {now:.0f}s elapsed, ETA {eta:.0f}s",
            file=stream,
            flush=True,
        )

    return log, lambda: None

"""Build or update an index from a corpus folder: incremental by content hash, extraction in
parallel worker processes with a time limit per file, one Whoosh writer, one atomic commit.

A search opened before the commit keeps reading the previous index; one opened after reads the
new one. Killed at any moment (even kill -9), the index stays as the last commit left it, OCR
results already made stay cached, and the next run finishes the work.
"""

import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from pebble import ProcessExpired, ProcessPool
from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, Index
from whoosh.writing import CLEAR

from indexer.extract.rapid import rapidocr_available
from indexer.index.aliases import write_aliases
from indexer.index.lexicon import LexiconWriter
from indexer.index.orphans import die_with_parent
from indexer.index.pipeline import BuildOptions, Failure, FileResult, process_file, utf8_safe
from indexer.index.reader import UNREADABLE_TOC
from indexer.index.schema import build_schema, is_current
from indexer.index.writer import compact, merge_and_purge, open_writer

FAILURES_FILE = "failures.json"
OCR_CACHE = "ocr-cache"
_FILES_IN_FLIGHT_PER_WORKER = 16


@dataclass(frozen=True)
class Report:
    """What one run did; added + updated + unchanged + failed = files under the corpus root."""

    added: int
    updated: int
    removed: int
    unchanged: int
    failed: int
    seconds: float
    failures: int  # everything listed by `leaksearch failures`, files inside containers included


@dataclass(frozen=True)
class Progress:
    """How far a run is: files and bytes done out of those that needed reading."""

    files: int
    total_files: int
    bytes: int
    total_bytes: int


class OCRUnavailable(RuntimeError):
    """--ocr on was asked for but Tesseract cannot run here."""


def build_index(
    corpus: Path,
    index_dir: Path,
    rebuild: bool = False,
    options: BuildOptions | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Report:
    """Index every file under corpus into index_dir, re-reading only files whose content changed."""
    started = time.monotonic()
    options = options or BuildOptions()
    ocr_problem = _ocr_problem(options.ocr)
    corpus = corpus.resolve()
    ix, fresh, other_schema = _open_or_create(index_dir)
    rebuild = rebuild or fresh
    indexed = {} if rebuild else _indexed_hashes(ix)
    old = {} if rebuild else _failures_by_root(read_failures(index_dir))
    failures: dict[str, Failure] = {}
    # (path, rel, size), the path a string: a million Paths took 521 MB, as strings 298 MB.
    todo: list[tuple[str, str, int]] = []
    unchanged = 0
    seen: set[str] = set()
    for path, rel in _walk(corpus):
        seen.add(rel)
        size = path.stat().st_size
        if size > options.max_file_mb * 2**20:
            failures[rel] = Failure(
                rel, f"not read: larger than {options.max_file_mb:g} MB", "", size
            )
            continue
        sha = _sha256(path)
        if indexed.get(rel) == sha:
            unchanged += 1
            failures.update((f.path, f) for f in old.get(rel, ()))  # of its container members
        elif any(f.path == rel and f.sha256 == sha for f in old.get(rel, ())):
            failures.update((f.path, f) for f in old[rel])  # same bytes, same failure: skip
        else:
            todo.append((str(path), rel, size))
    removed = [rel for rel in indexed if rel not in seen]
    counts = {"added": 0, "updated": 0}
    with _shared_with_children():
        writer = open_writer(ix, options.workers, schema_changed=other_schema)
        lexicon = LexiconWriter(index_dir, rebuild)
        try:
            for rel in removed:
                writer.delete_by_term("root", rel)
            for result in _run(todo, options, index_dir / OCR_CACHE, ocr_problem, progress):
                if result.root in indexed:
                    writer.delete_by_term("root", result.root)
                for doc in result.docs:
                    writer.add_document(**doc)
                lexicon.add(result.readings.splitlines())
                failures.update((f.path, f) for f in result.failures)
                if any(d["path"] == result.root for d in result.docs):
                    counts["updated" if result.root in indexed else "added"] += 1
            # Readings first: a search of the new index finds every reading it needs.
            lexicon.replace()
            # A rebuild swaps every old segment for the new ones in the same atomic commit.
            writer.commit(optimize=False, mergetype=CLEAR if rebuild else merge_and_purge)
        except BaseException:
            lexicon.close()
            writer.cancel()
            raise
    if rebuild:
        compact(ix)  # the segments of the run's writer processes made one
    _write_failures(index_dir, failures)
    if todo or removed or rebuild:
        write_aliases(index_dir, ix)
    return Report(
        added=counts["added"],
        updated=counts["updated"],
        removed=len(removed),
        unchanged=unchanged,
        failed=sum(1 for rel in failures if rel in seen),
        seconds=round(time.monotonic() - started, 3),
        failures=len(failures),
    )


@contextmanager
def _shared_with_children() -> Iterator[None]:
    """The objects made so far left out of garbage collection while the run's worker and writer
    processes, forked from this one, run: a collection in a child writes to every object it
    visits, copying the pages that hold it into the child (a million files' list of Paths:
    239 MB in each child; frozen, 23 MB)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def read_failures(index_dir: Path) -> list[Failure]:
    """The files of the last run that were not indexed, sorted by path."""
    try:
        rows = json.loads((index_dir / FAILURES_FILE).read_text("utf-8"))
    except FileNotFoundError:
        return []
    return sorted((Failure(**row) for row in rows), key=lambda f: f.path)


def _ocr_problem(mode: str) -> str | None:
    if mode == "off":
        return "OCR is off (--ocr off)"
    problem = rapidocr_available()
    if problem and mode == "on":
        raise OCRUnavailable(problem)
    return problem


def _run(
    todo: list[tuple[str, str, int]],
    options: BuildOptions,
    cache_dir: Path,
    ocr_problem: str | None,
    progress: Callable[[Progress], None] | None,
) -> Iterator[FileResult]:
    """Extract files in worker processes, yielding each result as it completes."""
    total_bytes = sum(size for _, _, size in todo)
    done = done_bytes = 0
    queue = iter(todo)
    # A bounded number of files in flight: results wait in memory while the writer is busy.
    in_flight = max(1, options.workers) * _FILES_IN_FLIGHT_PER_WORKER
    with ProcessPool(max_workers=max(1, options.workers), initializer=die_with_parent) as pool:
        pending: dict = {}

        def refill() -> None:
            for path, rel, size in islice(queue, in_flight - len(pending)):
                args = (Path(path), rel, options, cache_dir, ocr_problem)
                pending[pool.schedule(process_file, args, timeout=options.timeout)] = (rel, size)

        refill()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                rel, size = pending.pop(future)
                yield _result(future, rel, size, options)
                done, done_bytes = done + 1, done_bytes + size
                if progress:
                    progress(Progress(done, len(todo), done_bytes, total_bytes))
            refill()


def _result(future, rel: str, size: int, options: BuildOptions) -> FileResult:
    # A hung or crashed extractor costs its file, never the run: the pool replaces the worker.
    try:
        return future.result()
    except FutureTimeout:
        reason = f"not read: extraction took longer than {options.timeout:g} s"
    except ProcessExpired as e:
        reason = f"not read: the extractor crashed ({e})"
    return FileResult(rel, (), (Failure(rel, reason, "", size),))


def _failures_by_root(failures: list[Failure]) -> dict[str, list[Failure]]:
    by_root: dict[str, list[Failure]] = {}
    for f in failures:
        by_root.setdefault(f.root, []).append(f)
    return by_root


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _walk(corpus: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under corpus, sorted, with its corpus-relative POSIX path."""
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if path.is_file():
                # A name that is not UTF-8 is kept on disk and shown with \xNN escapes.
                yield path, utf8_safe(path.relative_to(corpus).as_posix())


def _open_or_create(index_dir: Path) -> tuple[Index, bool, bool]:
    """The index to write to, whether it must be rebuilt, and whether its schema is another's."""
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        ix = whoosh_index.open_dir(index_dir)
        schema = ix.schema
    except (EmptyIndexError, *UNREADABLE_TOC):
        # None yet, or another version's whose schema names classes this one lacks: nothing of
        # it can be read (nor searched), so it is replaced by an empty one at once.
        return whoosh_index.create_in(index_dir, build_schema()), True, False
    if is_current(schema):
        return ix, False, False
    # Another version's index: rebuilt under the new schema, which the rebuild's commit swaps in
    # with the new segments; until then searches keep reading the old index (create_in would
    # empty it at once).
    return whoosh_index.open_dir(index_dir, schema=build_schema()), True, True


def _indexed_hashes(ix: Index) -> dict[str, str]:
    """Corpus file -> sha256 of every file the index holds (not the files inside containers)."""
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return {}
        # Column readers avoid decompressing each document's stored text just to read keys.
        paths, roots = reader.column_reader("path"), reader.column_reader("root")
        hashes = reader.column_reader("sha256")
        return {paths[n]: hashes[n] for n in reader.all_doc_ids() if paths[n] == roots[n]}


def _write_failures(index_dir: Path, failures: dict[str, Failure]) -> None:
    rows = [f.__dict__ for f in sorted(failures.values(), key=lambda f: f.path)]
    tmp = index_dir / (FAILURES_FILE + ".tmp")
    tmp.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, index_dir / FAILURES_FILE)

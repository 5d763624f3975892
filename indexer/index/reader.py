"""Open an index for reading, and read the newest committed one even while a run commits.

Segments are separate files (see build.py) and Whoosh opens some of them, such as a field's
column, only when first used. A commit deletes the files of the segments it replaced, so a search
that opened the index just before a commit can find a file gone halfway through. Such a search is
run again on the new index; an error on an index that did not change is a real one and is raised.

Whoosh pickles the schema, analyzers included, into the index's table of contents: an index
written by another version names classes this one may not have, or holds other fields. Either is
OldIndexError, never retried (rereading cannot help) and never searched (its answers are wrong).

Opening an index reads its table of contents (the pickled schema) and every segment's term
dictionary head, lengths and columns: tens of milliseconds at 100,000 documents, more with more
segments, and the term blocks a search decoded are lost with the reader. So searchers are kept
open between searches (_Pool) while the index's newest table of contents is the one they read;
a searcher serves one search at a time (Whoosh's files are read by seek and read).
"""

import os
import pickle
import shlex
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, EmptyIndexError, Index, IndexVersionError
from whoosh.searching import Searcher

from indexer.index.schema import is_current
from indexer.search.query import QueryError

T = TypeVar("T")
_ATTEMPTS = 3
# What reading a table of contents raises when a class or module it names is gone (or Whoosh's
# own format changed); a commit replacing it under a reader gives FileNotFoundError instead.
UNREADABLE_TOC = (AttributeError, ImportError, pickle.UnpicklingError, IndexVersionError)


class OldIndexError(ValueError):
    """The index was written by another version of leaksearch: it must be rebuilt."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.command = f"leaksearch index CORPUS --index {shlex.quote(str(index_dir))} --rebuild"
        super().__init__(
            f"this index was written by another version of leaksearch; rebuild it: {self.command}"
        )


def open_index(index_dir: Path) -> Index:
    """The index in index_dir, for reading; OldIndexError if another version wrote it."""
    try:
        ix = whoosh_index.open_dir(index_dir)
        schema = ix.schema
    except UNREADABLE_TOC as e:
        raise OldIndexError(index_dir) from e
    if not is_current(schema):
        raise OldIndexError(index_dir)
    return ix


def read_index(index_dir: Path, work: Callable[..., T]) -> T:
    """work(searcher) on the newest committed index, again on a newer one if it changed under it."""
    for attempt in range(1, _ATTEMPTS + 1):
        searcher = None
        try:
            toc, searcher = _POOL.take(index_dir)
            result = work(searcher)
        except (QueryError, EmptyIndexError, OldIndexError):
            if searcher is not None:
                _POOL.give(index_dir, toc, searcher)
            raise
        except Exception:
            # Opening itself fails when a commit removes the table of contents being read.
            if searcher is not None:
                searcher.close()
            if attempt == _ATTEMPTS or (searcher is not None and _newest(index_dir) == toc):
                raise
            continue
        _POOL.give(index_dir, toc, searcher)
        return result
    raise AssertionError("unreachable")


def _newest(index_dir: Path) -> tuple | None:
    """Which table of contents is the index's newest: its generation and the file's identity
    (an index rebuilt from scratch starts again at generation 0); None when there is none."""
    generation = TOC._latest_generation(FileStorage(str(index_dir)), "MAIN")
    if generation < 0:
        return None
    try:
        stat = os.stat(index_dir / TOC._filename("MAIN", generation))
    except FileNotFoundError:  # replaced by a commit between the listing and here
        return None
    return generation, stat.st_ino, stat.st_mtime_ns, stat.st_size


class _Pool:
    """Idle searchers of the indexes searched lately, each with the table of contents it read."""

    INDEXES = 4  # indexes kept open
    PER_INDEX = 4  # idle searchers of one index (the web server's threads)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: OrderedDict[Path, list[tuple[tuple, Searcher]]] = OrderedDict()

    def take(self, index_dir: Path) -> tuple[tuple | None, Searcher]:
        """A searcher of the newest index and its table of contents (None if unknown: then it is
        closed after use rather than kept)."""
        newest = _newest(index_dir)
        with self._lock:
            idle = self._idle.get(index_dir, [])
            stale = [searcher for toc, searcher in idle if toc != newest]
            idle[:] = [(toc, searcher) for toc, searcher in idle if toc == newest]
            found = idle.pop() if idle else None
        for searcher in stale:
            searcher.close()
        if found is not None:
            return found
        searcher = open_index(index_dir).searcher()
        if newest is None or searcher.reader().generation() != newest[0]:
            newest = None  # a commit landed between the listing and the opening
        return newest, searcher

    def give(self, index_dir: Path, toc: tuple | None, searcher: Searcher) -> None:
        """Keep a searcher after its search, unless a newer index or too many make it useless."""
        closing = []
        with self._lock:
            idle = self._idle.setdefault(index_dir, [])
            self._idle.move_to_end(index_dir)
            if toc is None or len(idle) >= self.PER_INDEX:
                closing.append(searcher)
            else:
                idle.append((toc, searcher))
            while len(self._idle) > self.INDEXES:
                closing += [s for _, s in self._idle.popitem(last=False)[1]]
        for old in closing:
            old.close()


_POOL = _Pool()

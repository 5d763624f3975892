"""Open an index for reading, and read the newest committed one even while a run commits.

Segments are separate files (see build.py) and Whoosh opens some of them, such as a field's
column, only when first used. A commit deletes the files of the segments it replaced, so a search
that opened the index just before a commit can find a file gone halfway through. Such a search is
run again on the new index; an error on an index that did not change is a real one and is raised.

Whoosh pickles the schema, analyzers included, into the index's table of contents: an index
written by another version names classes this one may not have, or holds other fields. Either is
OldIndexError, never retried (rereading cannot help) and never searched (its answers are wrong).
"""

import pickle
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, Index, IndexVersionError

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
        opened = None  # the generation read, once the index is open
        try:
            ix = open_index(index_dir)
            with ix.searcher() as searcher:
                opened = searcher.reader().generation()
                return work(searcher)
        except (QueryError, EmptyIndexError, OldIndexError):
            raise
        except Exception:
            # Opening itself fails when a commit removes the table of contents being read.
            if attempt == _ATTEMPTS or (opened is not None and _latest(index_dir) == opened):
                raise
    raise AssertionError("unreachable")


def _latest(index_dir: Path) -> int:
    return whoosh_index.open_dir(index_dir).latest_generation()

"""Read the newest committed index, even while an indexing run commits a new one.

Segments are separate files (see build.py) and Whoosh opens some of them, such as a field's
column, only when first used. A commit deletes the files of the segments it replaced, so a search
that opened the index just before a commit can find a file gone halfway through. Such a search is
run again on the new index; an error on an index that did not change is a real one and is raised.
"""

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError

from indexer.query import QueryError

T = TypeVar("T")
_ATTEMPTS = 3


def read_index(index_dir: Path, work: Callable[..., T]) -> T:
    """work(searcher) on the newest committed index, again on a newer one if it changed under it."""
    for attempt in range(1, _ATTEMPTS + 1):
        opened = None  # the generation read, once the index is open
        try:
            ix = whoosh_index.open_dir(index_dir)
            with ix.searcher() as searcher:
                opened = searcher.reader().generation()
                return work(searcher)
        except (QueryError, EmptyIndexError):
            raise
        except Exception:
            # Opening itself fails when a commit removes the table of contents being read.
            if attempt == _ATTEMPTS or (opened is not None and _latest(index_dir) == opened):
                raise
    raise AssertionError("unreachable")


def _latest(index_dir: Path) -> int:
    return whoosh_index.open_dir(index_dir).latest_generation()

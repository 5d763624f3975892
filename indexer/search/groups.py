"""Chat messages grouped under their log: each document's log, place and date, per index state.

A chat log is indexed as one document plus one document per message (same `path`). Grouping a
result set, paging a log and showing the messages around one all need, for a document number,
the log it belongs to and its `msg_index`. Whoosh keeps neither in a column, so they are read once
per committed index state from the `msg_index` terms and the `path` column, and kept while that
state is current; a query's grouping is then array work over its matched document numbers.
"""

from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

_STATES_KEPT = 3
_TABLES: dict[tuple, "ChatTable"] = {}


@dataclass(frozen=True)
class ChatTable:
    """Per document number: its group (a message's log, else itself), msg_index and raw date."""

    log_of: np.ndarray
    position: np.ndarray  # msg_index of a message, -1 for any other document
    dates: np.ndarray  # the raw `date` column (unsigned; undated is the largest), as Whoosh sorts
    logs: dict[int, np.ndarray]  # log document -> its messages' document numbers, in log order

    def rank(self, ids: np.ndarray, scores: np.ndarray, sort: str) -> np.ndarray:
        """The groups of the matched ids, best first: by best score, oldest or newest member."""
        groups = self.log_of[ids]
        key = {"date": self.dates[ids], "-date": ~self.dates[ids]}.get(sort, -scores)
        order = np.lexsort((groups, key))
        ranked = groups[order]
        _, first = np.unique(ranked, return_index=True)
        return ranked[np.sort(first)]

    def members(self, ids: np.ndarray, log: int) -> np.ndarray:
        """The matched messages of one log, in log order."""
        mine = ids[(self.log_of[ids] == log) & (self.position[ids] >= 0)]
        return mine[np.argsort(self.position[mine], kind="stable")]

    def tally(self, ids: np.ndarray) -> tuple[int, int]:
        """(grouped hits, messages) among the matched ids."""
        return len(np.unique(self.log_of[ids])), int(np.count_nonzero(self.position[ids] >= 0))

    def around(self, log: int, first: int, last: int) -> np.ndarray:
        """The document numbers of a log's messages first..last (msg_index, inclusive)."""
        messages = self.logs.get(log, np.zeros(0, dtype=np.int64))
        places = self.position[messages]
        lo, hi = np.searchsorted(places, first), np.searchsorted(places, last, side="right")
        return messages[lo:hi]


def chat_table(searcher: Searcher) -> ChatTable:
    """The table for the index state this searcher reads, built on first use of that state."""
    reader = searcher.reader()
    if reader.doc_count_all() == 0:
        return _build(searcher, reader)
    state = tuple(
        (r.segment().segment_id(), r.segment().deleted_count()) for r, _ in reader.leaf_readers()
    )
    table = _TABLES.get(state)
    if table is None:
        if len(_TABLES) >= _STATES_KEPT:
            _TABLES.pop(next(iter(_TABLES)))
        table = _TABLES[state] = _build(searcher, reader)
    return table


def _build(searcher: Searcher, reader: IndexReader) -> ChatTable:
    n = reader.doc_count_all()
    position = _positions(reader, n) if n else np.zeros(0, dtype=np.int64)
    log_of = np.arange(n, dtype=np.int64)
    messages = np.flatnonzero(position >= 0)
    logs: dict[int, np.ndarray] = {}
    if len(messages):
        column = reader.column_reader("path")
        paths = np.array([column[int(d)] for d in messages], dtype=object)
        for path in set(paths):
            log = searcher.document_number(path=path, kind="document")
            if log is not None:
                mine = messages[paths == path]
                log_of[mine] = log
                logs[log] = mine[np.argsort(position[mine], kind="stable")]
    return ChatTable(log_of, position, _dates(reader, n), logs)


def _positions(reader: IndexReader, n: int) -> np.ndarray:
    """msg_index per live document number, -1 where there is none."""
    position = np.full(n, -1, dtype=np.int64)
    field = reader.schema["msg_index"]
    for leaf, offset in reader.leaf_readers():
        # Full-precision terms only (prefix 0); a short posting list is read from its term entry,
        # since opening a matcher per term costs as much as the 8,000 terms of a long log.
        for token, info in leaf.iter_prefix("msg_index", b"\x00"):
            if info.doc_frequency() == 1:
                ids = [info.min_id()]
            elif getattr(info, "is_inlined", lambda: False)():
                ids = list(info.inlined_postings()[0])
            else:
                ids = list(leaf.postings("msg_index", token).all_ids())
            position[np.array(ids, dtype=np.int64) + offset] = field.from_bytes(token)
        if leaf.has_deletions():
            dead = [d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)]
            position[np.array(dead, dtype=np.int64) + offset] = -1
    return position


def _dates(reader: IndexReader, n: int) -> np.ndarray:
    if n == 0 or not reader.has_column("date"):
        return np.zeros(n, dtype=np.uint64)
    column = reader.column_reader("date", translate=False)
    return np.array([column[d] for d in range(n)], dtype=np.uint64)

"""Fixes for bugs of whoosh-reloaded 2.7.5 that leaksearch runs into, applied on import.

AndNotMatcher (behind `a ANDNOT b`, `a NOT b` and every excluded facet value) skips the excluded
list forward only when both lists start on the same document: with the excluded list starting
before the first match (excluded [104, 105], matched [105, 107]), document 105 came through.
Whether it happened depended on how documents fell into segments.

MultiReader.column_reader left out the segments that have no file for a column (no document of
theirs had the field) but kept the other segments' document offsets, so a document of a missing
segment was read from another segment, at a negative or foreign position: a crash, or the wrong
date, path or hash. Every segment reader answers for its column, missing or not (Whoosh's
SegmentReader gives the column's default value then), so all of them are kept.

ListMatcher, which serves the short posting lists leaksearch's codec keeps in the term table
(indexer/index/codec.py), gives a posting without a value as "" where the rest of Whoosh has b"", so
merging segments (Whoosh's own merge policy, the seventh incremental run or so) asserted.

TOC.read left the index's table of contents open when it could not read it (another version's
index: a class its schema names is gone), a file handle leaked per attempt.
"""

from whoosh import columns, index, reading
from whoosh.matching import binary, mcore


def _find_first(self) -> None:
    if self.a.is_active() and self.b.is_active():
        self._find_next()


def _column_reader(self, fieldname, column=None, reverse=False, translate=True):
    readers = [
        r.column_reader(fieldname, column=column, reverse=reverse, translate=translate)
        for r in self.readers
    ]
    return columns.MultiColumnReader(readers, list(self.doc_offsets))


_list_value = mcore.ListMatcher.value


def _value(self) -> bytes:
    value = _list_value(self)
    return b"" if value == "" else value


class _ClosingStorage:
    """A storage that remembers the files opened through it, to close them whatever happens."""

    def __init__(self, storage) -> None:
        self._storage = storage
        self.opened: list = []

    def open_file(self, name, *args, **kwargs):
        f = self._storage.open_file(name, *args, **kwargs)
        self.opened.append(f)
        return f

    def __getattr__(self, name):
        return getattr(self._storage, name)

    def __iter__(self):
        return iter(self._storage)


_toc_read = index.TOC.read.__func__


def _read_toc(cls, storage, indexname, gen=None, schema=None):
    tracked = _ClosingStorage(storage)
    try:
        return _toc_read(cls, tracked, indexname, gen, schema)
    finally:
        for f in tracked.opened:
            if not f.is_closed:
                f.close()


binary.AndNotMatcher._find_first = _find_first
mcore.ListMatcher.value = _value
reading.MultiReader.column_reader = _column_reader
index.TOC.read = classmethod(_read_toc)

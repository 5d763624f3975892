"""The term dictionary of a segment: each field's terms sorted, in compressed blocks.

Whoosh's W3 format keeps a hash table entry per term (key and value lengths, hash, position, an
ordering index: over 30 bytes before the term and its statistics); a segment of a Chinese corpus
has hundreds of thousands of terms, most of them bigrams seen in a few documents. Here a field's
terms are cut into blocks of TERMS_PER_BLOCK, each the pickled list of the block's terms and
their packed statistics, zlib-compressed; the first term of every block stays in memory, so a
lookup is a bisection, one block read (cached) and a bisection in it.
"""

import heapq
import pickle
import struct
import zlib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import suppress
from functools import lru_cache
from itertools import takewhile

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from indexer.index.postings import joined_ids, posting_ids, stored_deltas, term_lists

TERMS_PER_BLOCK = 128
_MAGIC = b"LSTD"
_TAIL = struct.Struct("<Q4s")  # where the field table starts, and the magic again
# A term's statistics: total weight, documents, shortest and longest field length (Whoosh's
# length bytes), highest weight, first and last document, where its postings lie.
INFO = np.dtype(
    [
        ("weight", "<f4"),
        ("df", "<u4"),
        ("minlen", "u1"),
        ("maxlen", "u1"),
        ("maxweight", "<f4"),
        ("minid", "<u4"),
        ("maxid", "<u4"),
        ("offset", "<u8"),
        ("length", "<u4"),
    ]
)
_INFO = struct.Struct("<fIBBfIIQI")
assert _INFO.size == INFO.itemsize


class MissingTerm(TermNotFound, KeyError):
    """A term not in the segment (Whoosh's readers expect either exception, depending)."""


def write_terms(
    dbfile, fields: list[tuple[str, list[bytes], np.ndarray, list]], compression: int
) -> None:
    """Write each field's sorted terms, their INFO records and the postings of those whose
    postings are kept here (None for the others)."""
    dbfile.write(_MAGIC)
    table = {}
    for fieldname, keys, infos, inline in fields:
        first, extents = [], []
        raw = infos.tobytes()
        for i in range(0, len(keys), TERMS_PER_BLOCK):
            block = keys[i : i + TERMS_PER_BLOCK]
            data = (
                block,
                raw[i * _INFO.size : (i + len(block)) * _INFO.size],
                inline[i : i + TERMS_PER_BLOCK],
            )
            packed = zlib.compress(pickle.dumps(data, pickle.HIGHEST_PROTOCOL), compression)
            first.append(block[0])
            extents.append((dbfile.tell(), len(packed)))
            dbfile.write(packed)
        table[fieldname] = (first, extents, len(keys))
    at = dbfile.tell()
    dbfile.write(pickle.dumps(table, pickle.HIGHEST_PROTOCOL))
    dbfile.write(_TAIL.pack(at, _MAGIC))


class PackedTermInfo(W3TermInfo):
    """Whoosh's term statistics, and the term's postings where the dictionary keeps them."""

    inline: bytes | None = None


def _terminfo(record: tuple, inline: bytes | None) -> PackedTermInfo:
    weight, df, minlen, maxlen, maxweight, minid, maxid, offset, length = record
    info = PackedTermInfo()
    info.inline = inline
    info._weight, info._df, info._maxweight = weight, df, maxweight
    info._minlength, info._maxlength = byte_to_length(minlen), byte_to_length(maxlen)
    info._minid, info._maxid = minid, maxid
    info._offset, info._length = offset, length
    return info


class PackedTermsReader(base.TermsReader):
    """Whoosh's TermsReader interface over a term dictionary written by write_terms."""

    def __init__(self, codec, dbfile, length: int, postfile) -> None:
        self._codec = codec
        self._dbfile = dbfile
        self._postfile = postfile
        at, magic = _TAIL.unpack(dbfile.get(length - _TAIL.size, _TAIL.size))
        if magic != _MAGIC or dbfile.get(0, 4) != _MAGIC:
            raise ValueError("not a leaksearch term dictionary")
        self._fields = pickle.loads(dbfile.get(at, length - _TAIL.size - at))
        self._names = sorted(self._fields)
        self._block = lru_cache(maxsize=256)(self._read_block)

    def _read_block(self, fieldname: str, i: int) -> tuple[list[bytes], bytes, list]:
        offset, size = self._fields[fieldname][1][i]
        return pickle.loads(zlib.decompress(self._dbfile.get(offset, size)))

    def _find(self, fieldname: str, tbytes: bytes) -> tuple:
        field = self._fields.get(fieldname)
        if field is None:
            raise MissingTerm(f"no term {fieldname}:{tbytes!r}")
        i = bisect_right(field[0], tbytes) - 1
        if i >= 0:
            keys, infos, inline = self._block(fieldname, i)
            j = bisect_left(keys, tbytes)
            if j < len(keys) and keys[j] == tbytes:
                return _INFO.unpack_from(infos, j * _INFO.size), inline[j]
        raise MissingTerm(f"no term {fieldname}:{tbytes!r}")

    def _items(self, fieldname: str, start: bytes = b"") -> Iterator[tuple[bytes, tuple]]:
        """(term, record) of one field from the first term >= start, in order."""
        first = self._fields[fieldname][0]
        for i in range(max(bisect_right(first, start) - 1, 0), len(first)):
            keys, infos, inline = self._block(fieldname, i)
            for j in range(bisect_left(keys, start), len(keys)):
                yield keys[j], (_INFO.unpack_from(infos, j * _INFO.size), inline[j])

    def _items_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[tuple, tuple]]:
        # Whoosh's order runs on into the following fields (its callers stop at the field's end).
        for name in self._names[bisect_left(self._names, fieldname) :]:
            start = prefix if name == fieldname else b""
            for key, record in self._items(name, start):
                yield (name, key), record

    def __contains__(self, term) -> bool:
        try:
            self._find(*term)
        except MissingTerm:
            return False
        return True

    def indexed_field_names(self):
        return self._names

    def cursor(self, fieldname, fieldobj):
        return _Cursor(self, fieldname, fieldobj)

    def terms(self):
        return (term for term, _ in self._items_from("", b""))

    def terms_from(self, fieldname, prefix):
        return (term for term, _ in self._items_from(fieldname, prefix))

    def items(self):
        return ((term, _terminfo(*found)) for term, found in self._items_from("", b""))

    def items_from(self, fieldname, prefix):
        return ((term, _terminfo(*found)) for term, found in self._items_from(fieldname, prefix))

    def term_info(self, fieldname, tbytes):
        return _terminfo(*self._find(fieldname, tbytes))

    def frequency(self, fieldname, tbytes):
        return self._find(fieldname, tbytes)[0][0]

    def doc_frequency(self, fieldname, tbytes):
        return self._find(fieldname, tbytes)[0][1]

    def ids(self, fieldname: str, terms: Iterable[bytes]) -> np.ndarray:
        """The document numbers of the terms the field has, a document once for each term it
        holds (deleted ones included), read without a matcher per term and decoded at once."""
        return self._ids(self._sweep(fieldname, sorted(terms)))

    def _sweep(self, fieldname: str, terms: list[bytes]) -> Iterator[tuple]:
        """_find of each of the sorted terms that the field has, each block looked up once (a
        thousand terms spread over more blocks than the cache keeps)."""
        first = self._fields[fieldname][0] if fieldname in self._fields else []
        at = -1
        for term in terms:
            i = bisect_right(first, term) - 1
            if i < 0:
                continue
            if i != at:
                at, (keys, infos, inline) = i, self._block(fieldname, i)
            j = bisect_left(keys, term)
            if j < len(keys) and keys[j] == term:
                yield _INFO.unpack_from(infos, j * _INFO.size), inline[j]

    def ids_per_term(self, fieldname: str, terms: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """ids() of the terms in their order, and how many of them each term has (0 for a
        term the field does not have)."""
        found = [self._get(fieldname, t) for t in terms]
        counts = np.array([f[0][1] if f else 0 for f in found], np.int64)
        return self._ids(f for f in found if f), counts

    def prefix_ids(self, fieldname: str, prefix: bytes) -> np.ndarray:
        """ids() of every term of the field that starts with prefix."""
        return self._ids(found for _, found in self._prefixed(fieldname, prefix))

    def prefix_size(self, fieldname: str, prefix: bytes) -> int:
        """How many documents the terms starting with prefix are in, summed over the terms."""
        return sum(record[1] for _, (record, _) in self._prefixed(fieldname, prefix))

    def _get(self, fieldname: str, tbytes: bytes) -> tuple | None:
        try:
            return self._find(fieldname, tbytes)
        except MissingTerm:
            return None

    def _prefixed(self, fieldname: str, prefix: bytes) -> Iterator[tuple[bytes, tuple]]:
        if fieldname in self._fields:
            items = self._items(fieldname, prefix)
            yield from takewhile(lambda item: item[0].startswith(prefix), items)

    def _ids(self, found: Iterable[tuple]) -> np.ndarray:
        deltas, counts = [], []
        for record, inline in found:
            if inline is None:
                stored_deltas(self._postfile, record[7], deltas, counts)
            else:
                deltas.append(inline[1 : 1 + 4 * record[1]])
                counts.append(record[1])
        return joined_ids(b"".join(deltas), np.array(counts, np.int64))

    def records(self, fieldname: str) -> Iterator[tuple[bytes, tuple, bytes | None]]:
        """Every term of the field in order, its INFO record and its inline postings (None for
        a term with postings of its own): what a merge of segments reads."""
        if fieldname in self._fields:
            for term, (record, inline) in self._items(fieldname):
                yield term, record, inline

    def postings(self, record: tuple, inline: bytes | None, shift: int = 0) -> tuple:
        """The postings of a term of records(), its documents' numbers plus shift
        (postings.term_lists)."""
        return term_lists(self._postfile, record[7], inline, record[1], shift)

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        terminfo = self.term_info(fieldname, tbytes)
        return self._codec.postings_reader(
            self._postfile, terminfo, format_, term=(fieldname, tbytes), scorer=scorer
        )

    def close(self):
        self._block.cache_clear()
        self._dbfile.close()
        self._postfile.close()


class _Cursor(base.FieldCursor):
    """Whoosh's cursor over one field's terms (fuzzy and automaton queries walk it)."""

    def __init__(self, reader: PackedTermsReader, fieldname: str, fieldobj) -> None:
        self._reader, self._fieldname, self._fieldobj = reader, fieldname, fieldobj
        self.first()

    def _start(self, at: bytes):
        self._items = (
            self._reader._items(self._fieldname, at)
            if self._fieldname in self._reader._fields
            else iter(())
        )
        return self.next()

    def first(self):
        return self._start(b"")

    def find(self, term):
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        return self._start(term)

    def next(self):
        key, self._found = next(self._items, (None, None))
        self._text = None if key is None else self._fieldobj.from_bytes(key)
        return self._text

    def text(self):
        return self._text

    def term_info(self):
        return None if self._found is None else _terminfo(*self._found)

    def is_valid(self):
        return self._text is not None


def prefix_size(reader, fieldname: str, text: str) -> int:
    """A segment's document frequencies of the field's terms starting with text, summed."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, PackedTermsReader):  # not one segment of ours: Whoosh's way
        found = reader.expand_prefix(fieldname, text)
        return sum(reader.doc_frequency(fieldname, t) for t in found)
    return terms.prefix_size(fieldname, reader.schema[fieldname].to_bytes(text))


def term_ids(reader, fieldname: str, texts: Iterable) -> np.ndarray:
    """A segment's live documents holding the terms (str or bytes) of the field, a document once
    for each term it holds."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, PackedTermsReader):
        return _whoosh_ids(reader, fieldname, texts)
    to_bytes = reader.schema[fieldname].to_bytes
    found = terms.ids(fieldname, (t if isinstance(t, bytes) else to_bytes(t) for t in texts))
    return _live(reader, found)


def prefix_ids(reader, fieldname: str, text: str) -> np.ndarray:
    """term_ids of every term of the field starting with text."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, PackedTermsReader):
        return _whoosh_ids(reader, fieldname, reader.expand_prefix(fieldname, text))
    found = terms.prefix_ids(fieldname, reader.schema[fieldname].to_bytes(text))
    return _live(reader, found)


def _whoosh_ids(reader, fieldname: str, texts: Iterable) -> np.ndarray:
    # A reader of several segments, or of another codec: one Whoosh matcher per term.
    found = [np.zeros(0, np.int64)]
    for text in texts:
        with suppress(TermNotFound):  # a term no document of this segment holds
            found.append(posting_ids(reader.postings(fieldname, text)))
    return np.concatenate(found)


def _live(reader, ids: np.ndarray) -> np.ndarray:
    deleted = reader.deleted_docs_set
    if not deleted:
        return ids
    return ids[~np.isin(ids, np.fromiter(deleted, np.int64, len(deleted)))]


def term_postings(reader, fieldname: str, terms: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Every live (document, term number) pair of the terms, in a reader of one segment or many:
    a facet's thousands of values read without a matcher each."""
    docs, numbers = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for sub, offset in reader.leaf_readers():
        packed = getattr(sub, "_terms", None)
        if isinstance(packed, PackedTermsReader):
            ids, counts = packed.ids_per_term(fieldname, terms)
        else:
            each = [_whoosh_ids(sub, fieldname, [t]) for t in terms]
            ids = np.concatenate([np.zeros(0, np.int64), *each])
            counts = np.array([len(e) for e in each], np.int64)
        which = np.repeat(np.arange(len(terms)), counts)
        deleted = sub.deleted_docs_set
        if deleted:
            live = ~np.isin(ids, np.fromiter(deleted, np.int64, len(deleted)))
            ids, which = ids[live], which[live]
        docs.append(ids + offset)
        numbers.append(which)
    return np.concatenate(docs), np.concatenate(numbers)


def most_frequent(reader, fieldname: str, number: int) -> list[bytes]:
    """The field's number most frequent terms, as Whoosh's most_frequent_terms ranks them (by
    total weight, then term), read from the term dictionaries' records."""
    totals: Counter[bytes] = Counter()
    for sub, _ in reader.leaf_readers():
        packed = getattr(sub, "_terms", None)
        if not isinstance(packed, PackedTermsReader):
            return [t for _, t in reader.most_frequent_terms(fieldname, number)]
        if fieldname in packed._fields:
            for key, (record, _) in packed._items(fieldname):
                totals[key] += record[0]
    return [t for _, t in heapq.nlargest(number, ((w, t) for t, w in totals.items()))]

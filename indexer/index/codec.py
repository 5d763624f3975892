"""leaksearch's segment format: Whoosh's W3 per-document files, with packed postings and terms.

Stored fields, columns and field lengths are Whoosh's W3 files. The inverted index is ours:
postings as blocks of packed arrays written for the whole segment at once (postings.py) and a
term dictionary of compressed blocks (terms.py). A segment records the codec it was written with
(its class is pickled in the index's table of contents), so `whoosh.index.open_dir` reads it.
Whoosh's own segment flush pickled a tuple per posting block and handled every posting and term
in Python (most of an indexing run's time); its term table took over 30 bytes per term.
"""

import heapq
import struct
from collections.abc import Iterator
from itertools import accumulate, groupby
from operator import itemgetter

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.index.pool import PackedPool
from indexer.index.postings import PackedMatcher, decode_inline, gather, write_segment_postings
from indexer.index.terms import INFO, PackedTermsReader, write_terms


class _LengthsReader(W3PerDocReader):
    """W3PerDocReader that decodes a field's lengths all at once when asked for many: a search
    asks once per document it scores (one matching a few documents of a large index reads just
    those; Whoosh's reader reads one document at a time)."""

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.__dict__.setdefault("_lengths", {})
        found = lengths.get(fieldname, _UNREAD)
        if found is None:  # a field without lengths (keywords, facets)
            return default
        if found is not _UNREAD:
            return found[docnum]
        asked = self.__dict__.setdefault("_asked", {})
        asked[fieldname] = asked.get(fieldname, 0) + 1
        reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            lengths[fieldname] = None
            return default
        if asked[fieldname] < self._doccount // 4 + 64:
            return super().doc_field_length(docnum, fieldname, default)
        lengths[fieldname] = [_LENGTH[b] for b in _length_bytes(reader, self._doccount)]
        return lengths[fieldname][docnum]


_UNREAD: list = []  # a field whose lengths are not decoded (yet)


def _length_bytes(reader, doccount: int) -> bytes:
    """A lengths column's bytes, one per document, read at once (Whoosh's reader reads one
    document at a time: 20 ms for 5,000 documents)."""
    stored = min(reader._count, doccount)  # documents after the last one stored have none
    return bytes(reader._dbfile.get(reader._basepos, stored)) + bytes(doccount - stored)


# A length byte's value: Whoosh stores field lengths in one byte each, 0 (None) for none.
_LENGTH = [byte_to_length(b) if b else None for b in range(256)]


class PackedFieldWriter(base.FieldWriter):
    """Writes a segment's postings and term dictionary from a PackedPool, all at once."""

    def __init__(self, codec: "PackedCodec", storage, segment) -> None:
        self._codec = codec
        self._termsfile = segment.create_file(storage, codec.TERMS_EXT)
        self._postfile = segment.create_file(storage, codec.POSTS_EXT)
        self.is_closed = False

    def add_postings(self, schema, lengths, items) -> None:
        # Whoosh's route (its writers merging sorted runs): leaksearch's writers call write_pool.
        pool = PackedPool()
        for item in items:
            pool.add(item)
        self.write_pool(schema, lengths, pool)

    def write_pool(self, schema, lengths, pool: PackedPool) -> None:
        """Write every posting of the pool (which is emptied); lengths is the segment's
        per-document reader."""
        keys, tids, docs, weights, ends, values = pool.take()
        order = np.array(sorted(range(len(keys)), key=keys.__getitem__), np.int64)
        rank = np.empty(len(keys), np.int32)
        rank[order] = np.arange(len(keys), dtype=np.int32)
        ranks = rank[np.frombuffer(tids, np.uint32)]
        del tids
        # A term's postings arrive in document order (documents are added in turn, a merged
        # segment's after the last), so a stable sort by term keeps them so.
        perm = np.argsort(ranks, kind="stable")
        counts = np.bincount(ranks, minlength=len(keys))
        del ranks
        docs = np.frombuffer(docs, np.uint32)[perm]
        weights = np.frombuffer(weights, np.float32)[perm]
        ends = np.frombuffer(ends, np.uint64)
        value_lengths = np.diff(ends, prepend=np.uint64(0)).astype(np.int32)[perm]
        value_starts = ends[perm].astype(np.int64)
        del ends, perm
        value_starts -= value_lengths
        values = gather(values, value_starts, value_starts + value_lengths)
        del value_starts
        starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

        sorted_keys = [keys[i] for i in order.tolist()]
        fields = _field_ranges(sorted_keys)
        length_bytes = np.zeros(len(docs), np.uint8)
        doccount = int(docs.max()) + 1 if len(docs) else 0
        for fieldname, t0, t1 in fields:
            if schema[fieldname].scorable and lengths is not None:
                p0, p1 = starts[t0], starts[t1]
                length_bytes[p0:p1] = field_length_bytes(lengths, fieldname, doccount)[docs[p0:p1]]
        infos, inline = self._write_postings(
            starts, docs, weights, length_bytes, values, value_lengths
        )
        write_terms(
            self._termsfile,
            [
                (name, [k for _, k in sorted_keys[t0:t1]], infos[t0:t1], inline[t0:t1])
                for name, t0, t1 in fields
            ],
            self._codec._compression,
        )

    def write_merged(self, schema, lengths, sources: list[tuple[PackedTermsReader, np.ndarray]]):
        """Write the postings of the segments merged into this one. Each source is a segment's
        terms reader and its documents' numbers here (-1: deleted), in document order.

        Each field's terms are merged in order and their postings copied in chunks, so memory
        stays bounded whatever the segments' size (Whoosh's merge passed every posting through
        the pool one at a time: 313 s and 1.7 GB for the 10 segments of 100,000 documents).
        """
        doccount = max((int(new.max()) + 1 for _, new in sources if len(new)), default=0)
        names = {name for terms, _ in sources for name in terms.indexed_field_names()}
        fields = []
        for fieldname in sorted(name for name in names if name in schema):
            scored = schema[fieldname].scorable and lengths is not None
            lens = field_length_bytes(lengths, fieldname, doccount) if scored else None
            keys, infos, inline = self._merged_field(fieldname, lens, sources)
            if keys:
                fields.append((fieldname, keys, infos, inline))
        write_terms(self._termsfile, fields, self._codec._compression)

    def _merged_field(self, fieldname: str, lens, sources) -> tuple[list, np.ndarray, list]:
        # A term kept inline in one source whose documents only move (no deletions) is copied with
        # its first document number changed; any other term is decoded to lists and rewritten.
        shifts = [_shift(new) for _, new in sources]
        numbers = [
            new.tolist() if shift is None else None
            for (_, new), shift in zip(sources, shifts, strict=True)
        ]
        streams = [_numbered(terms.records(fieldname), k) for k, (terms, _) in enumerate(sources)]
        keys: list[bytes] = []
        records: list = []  # each term's INFO record (a tuple), written in order
        inlines: list = []
        chunk = _Chunk()
        for term, group in groupby(heapq.merge(*streams, key=itemgetter(0)), key=itemgetter(0)):
            found = list(group)
            _, record, inline, k = found[0]
            if len(found) == 1 and inline is not None and shifts[k] is not None:
                keys.append(term)
                records.append(_moved(record, shifts[k]))
                inlines.append(_moved_inline(inline, shifts[k]))
                continue
            postings = [
                sources[k][0].postings(record, inline, shifts[k])
                if shifts[k] is not None
                else _renumbered(sources[k][0], numbers[k], record, inline)
                for _, record, inline, k in found
            ]
            if any(p[0] for p in postings):  # not in deleted documents only
                chunk.add(len(keys), postings)
                keys.append(term)
                records.append(None)
                inlines.append(None)
            if chunk.size >= _CHUNK_POSTINGS:
                self._write_chunk(chunk, lens, records, inlines)
        self._write_chunk(chunk, lens, records, inlines)
        return keys, np.array(records, INFO), inlines

    def _write_chunk(self, chunk: "_Chunk", lens, records: list, inlines: list) -> None:
        if not chunk.at:
            return
        at, docs, weights, values, value_lengths, counts = chunk.take()
        starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        length_bytes = lens[docs] if lens is not None else np.zeros(len(docs), np.uint8)
        infos, inline = self._write_postings(
            starts, docs, weights, length_bytes, values, value_lengths
        )
        for i, info, kept in zip(at, infos.tolist(), inline, strict=True):
            records[i], inlines[i] = info, kept

    def _write_postings(self, starts, docs, weights, length_bytes, values, value_lengths):
        """Write postings sorted by term (term i's from starts[i]); return the terms' INFO
        records and, for those kept in the term dictionary, their postings' bytes."""
        extents, inline = write_segment_postings(
            self._postfile,
            starts,
            docs,
            weights,
            length_bytes,
            values,
            value_lengths,
            self._codec._compression,
        )
        counts = np.diff(starts)
        infos = np.zeros(len(counts), INFO)
        if len(counts):
            firsts = starts[:-1]
            infos["weight"] = np.add.reduceat(weights.astype(np.float64), firsts)
            infos["df"] = counts
            infos["minlen"] = np.minimum.reduceat(length_bytes, firsts)
            infos["maxlen"] = np.maximum.reduceat(length_bytes, firsts)
            infos["maxweight"] = np.maximum.reduceat(weights, firsts)
            infos["minid"] = docs[firsts]
            infos["maxid"] = docs[starts[1:] - 1]
            infos["offset"], infos["length"] = np.array(extents, np.int64).T
        return infos, inline

    def close(self) -> None:
        if not self.is_closed:
            self._termsfile.close()
            self._postfile.close()
            self.is_closed = True


def _field_ranges(sorted_keys: list[tuple[str, bytes]]) -> list[tuple[str, int, int]]:
    """(field, first, end) of each field's run of terms in the sorted keys."""
    ranges: list[tuple[str, int, int]] = []
    for i, (fieldname, _) in enumerate(sorted_keys):
        if not ranges or ranges[-1][0] != fieldname:
            if ranges:
                ranges[-1] = (ranges[-1][0], ranges[-1][1], i)
            ranges.append((fieldname, i, i))
    if ranges:
        ranges[-1] = (ranges[-1][0], ranges[-1][1], len(sorted_keys))
    return ranges


# Postings a merge gathers before writing them: bounds its memory (about 100 bytes a posting, in
# lists: 380 MB at most merging the 10 segments of 100,000 documents).
_CHUNK_POSTINGS = 1 << 20


class _Chunk:
    """Terms' postings gathered for one write: where each term's record goes, and the postings
    as lists (a term at a time, most of them a few postings)."""

    def __init__(self) -> None:
        self.at: list[int] = []
        self.counts: list[int] = []
        self.docs: list[int] = []
        self.weights: list[float] = []
        self.lengths: list[int] = []
        self.values: list[bytes] = []

    def add(self, at: int, postings: list[tuple]) -> None:
        self.at.append(at)
        count = 0
        for docs, weights, lengths, values in postings:
            self.docs += docs
            self.weights += weights
            self.lengths += lengths
            self.values.append(values)
            count += len(docs)
        self.counts.append(count)

    @property
    def size(self) -> int:
        return len(self.docs)

    def take(self) -> tuple:
        """Where each term's record goes; documents, weights, values and value lengths of every
        posting; each term's count. The chunk is left empty."""
        taken = (
            self.at,
            np.array(self.docs, np.uint32),
            np.array(self.weights, np.float32),
            b"".join(self.values),
            np.array(self.lengths, np.int32),
            np.array(self.counts, np.int64),
        )
        self.__init__()
        return taken


def _numbered(records: Iterator[tuple], k: int) -> Iterator[tuple]:
    """A source's term records, each with the source's number."""
    for term, record, inline in records:
        yield term, record, inline, k


def _renumbered(terms, new: list[int], record: tuple, inline: bytes | None) -> tuple:
    """A term's postings in a merged segment, with their documents' new numbers (the deleted
    ones left out): for a segment whose documents do not simply move."""
    ids, weights, lengths, values = terms.postings(record, inline)
    ids = [new[i] for i in ids]
    if min(ids) >= 0:
        return ids, weights, lengths, values
    ends = list(accumulate(lengths, initial=0))
    live = [i for i, doc in enumerate(ids) if doc >= 0]
    return (
        [ids[i] for i in live],
        [weights[i] for i in live],
        [lengths[i] for i in live],
        b"".join(values[ends[i] : ends[i + 1]] for i in live),
    )


def _shift(new: np.ndarray) -> int | None:
    """How far a segment's documents move in a merge, or None if they do not simply move."""
    if not len(new) or new[0] < 0:
        return None
    shift = int(new[0])
    return shift if np.array_equal(new, np.arange(shift, shift + len(new))) else None


def _moved(record: tuple, shift: int) -> tuple:
    weight, df, minlen, maxlen, maxweight, minid, maxid, offset, length = record
    return weight, df, minlen, maxlen, maxweight, minid + shift, maxid + shift, offset, length


def _moved_inline(inline: bytes, shift: int) -> bytes:
    """Inline postings with their documents moved: the first number is whole, the rest deltas."""
    (first,) = _FIRST.unpack_from(inline, 1)
    return inline[:1] + _FIRST.pack(first + shift) + inline[5:]


_FIRST = struct.Struct("<I")


def field_length_bytes(lengths, fieldname: str, doccount: int) -> np.ndarray:
    """Each document's length byte for the field (0 for none), from a per-document reader."""
    if isinstance(lengths, W3PerDocReader):
        # Kept with the reader, which serves many searches (indexer.index.reader).
        kept = lengths.__dict__.setdefault("_length_arrays", {})
        if (fieldname, doccount) not in kept:
            reader = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            found = _length_bytes(reader, doccount) if reader is not None else bytes(doccount)
            kept[fieldname, doccount] = np.frombuffer(found, np.uint8)
        return kept[fieldname, doccount]
    return np.array(
        [length_to_byte(lengths.doc_field_length(d, fieldname, 0)) for d in range(doccount)],
        np.uint8,
    )


class PackedCodec(W3Codec):
    """The codec leaksearch writes segments with (readers find it in each segment's info)."""

    TERMS_EXT = ".ltm"  # not W3's names: a segment is read by the codec it was written with
    POSTS_EXT = ".lps"

    def __init__(self, compression: int = 3) -> None:
        super().__init__(compression=compression)

    def field_writer(self, storage, segment):
        return PackedFieldWriter(self, storage, segment)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.inline is not None:
            postings = decode_inline(
                terminfo.inline, terminfo.doc_frequency(), format_.fixed_value_size()
            )
            return ListMatcher(*postings, format_, scorer=scorer, term=term, terminfo=terminfo)
        offset, length = terminfo.extent()
        return PackedMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def per_document_reader(self, storage, segment):
        return _LengthsReader(storage, segment)

    def terms_reader(self, storage, segment):
        name = segment.make_filename(self.TERMS_EXT)
        termsfile = storage.open_file(name)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return PackedTermsReader(self, termsfile, storage.file_length(name), postfile)

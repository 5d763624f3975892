"""Whoosh's W3 codec with rare terms' postings kept in the term table.

Most terms of a Chinese/pinyin index (bigrams, initials, rare words) occur in a handful of
documents. Whoosh writes each posting list as its own pickled, zlib-compressed block; for a list
of 1 to 8 postings that per-term work dominated the segment flush. W3Codec's `inlinelimit` option
stores such short lists inside the term's entry instead, but its writer calls a misspelt method
(`set_inline`), so the option crashes; this module fixes that one call.
"""

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.util.numeric import byte_to_length

INLINE_LIMIT = 8  # posting lists shorter than this live in the term table


class InliningPostingsWriter(W3PostingsWriter):
    """W3PostingsWriter whose short posting lists are inlined, as its inlinelimit intends."""

    def finish_postings(self):
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        terminfo.set_inlined(self._ids, self._weights, self._values)
        self._terminfo = None
        return terminfo


class _LengthsReader(W3PerDocReader):
    """W3PerDocReader that decodes a field's lengths all at once when asked for many: the segment
    flush asks once per posting (a fifth of the flush went to those lookups), a search once per
    document it scores (a search matching a few documents of a large index reads just those)."""

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


class LeakCodec(W3Codec):
    """The codec leaksearch writes segments with (readers find it in each segment's info)."""

    def __init__(self, blocklimit: int = 128, compression: int = 3) -> None:
        super().__init__(blocklimit, compression, inlinelimit=INLINE_LIMIT)

    def per_document_reader(self, storage, segment):
        return _LengthsReader(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

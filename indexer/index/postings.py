"""Posting lists on disk: blocks of packed arrays, written for a whole segment at once.

A term's postings are blocks of up to BLOCK postings, each a header (what Whoosh's block-quality
skipping reads without decoding the block) and its data: document numbers as deltas, weights,
value lengths and values, each a little-endian array, compressed with zlib when that pays.
Whoosh's W3 format pickled a tuple per block and its writer handled each posting in Python; here
every block's arrays are slices of arrays computed for the whole segment with numpy.
"""

import struct
import zlib
from array import array
from itertools import accumulate, chain
from sys import byteorder

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher, ListMatcher
from whoosh.util.numeric import byte_to_length

BLOCK = 128  # postings per block: the unit Whoosh skips by quality
# Terms in this many documents or fewer (most of a Chinese index's bigrams) keep their postings
# in the term dictionary, whose blocks are compressed, instead of a block of their own.
INLINE_LIMIT = 4
_COMPRESS_FROM = 64  # bytes of block data below which zlib costs more than it saves

# Block header: data length (negative on a term's last block), postings, last document number,
# highest weight, shortest and longest field length (Whoosh's length bytes), flags.
_HEADER = struct.Struct("<iHIfBBB")
_ZLIB, _UNIT_WEIGHTS, _SHORT_LENGTHS, _NO_VALUES, _BYTE_WEIGHTS = 1, 2, 4, 8, 16
_SWAP = byteorder != "little"


def gather(values, starts: np.ndarray, ends: np.ndarray, chunk: int = 1 << 20) -> bytes:
    """The byte ranges values[starts[i]:ends[i]] joined, in that order (numpy, in chunks)."""
    source = np.frombuffer(values, np.uint8)
    out = []
    for c in range(0, len(starts), chunk):
        s, e = starts[c : c + chunk], ends[c : c + chunk]
        lens = e - s
        total = int(lens.sum())
        if total:
            at = np.cumsum(lens) - lens  # where each range starts in the output
            out.append(source[np.arange(total) + np.repeat(s - at, lens)].tobytes())
    return b"".join(out)


def write_segment_postings(
    postfile,
    starts: np.ndarray,
    docs: np.ndarray,
    weights: np.ndarray,
    length_bytes: np.ndarray,
    values: bytes,
    value_lengths: np.ndarray,
    compression: int,
) -> tuple[list[tuple[int, int]], list[bytes | None]]:
    """Write the postings of every term of a segment; return each term's (offset, length) in
    the file, and its postings' bytes where they are kept in the term dictionary instead.

    The arrays hold every posting sorted by term, then document: starts[i] is term i's first
    posting (starts[-1] the total), length_bytes the field length byte of each posting's
    document, values the postings' values joined in that order, value_lengths their lengths.
    """
    n = len(docs)
    counts = np.diff(starts)
    per_term = -(-counts // BLOCK)  # blocks of each term
    first = np.cumsum(per_term) - per_term  # each term's first block
    in_term = np.arange(int(per_term.sum())) - np.repeat(first, per_term)
    bstarts = np.repeat(starts[:-1], per_term) + BLOCK * in_term
    bends = np.append(bstarts[1:], n)
    deltas = docs.copy()
    deltas[1:] -= docs[:-1]  # wraps where a term starts: a block start, overwritten next
    deltas[bstarts] = docs[bstarts]  # a block's first number is whole: blocks decode alone
    ids_buf = _bytes(deltas, "<u4")
    weight_buf = _bytes(weights, "<f4")
    weight_bytes = _bytes(np.minimum(weights, 255), "u1")  # for blocks of small whole weights
    long_values = n and int(value_lengths.max()) > 65535
    vlen_buf = _bytes(value_lengths, "<u4" if long_values else "<u2")
    vwidth = 4 if long_values else 2
    view = memoryview(values)
    if n:
        voffsets = np.concatenate(
            ([0], np.cumsum(np.add.reduceat(value_lengths, bstarts, dtype=np.int64)))
        )
        blocks = (
            bstarts,
            bends,
            docs[bends - 1],
            np.maximum.reduceat(weights, bstarts),
            np.minimum.reduceat(length_bytes, bstarts),
            np.maximum.reduceat(length_bytes, bstarts),
            np.logical_and.reduceat(weights == 1.0, bstarts),
            np.logical_and.reduceat((weights == np.floor(weights)) & (weights < 256), bstarts),
            np.maximum.reduceat(value_lengths, bstarts),
            in_term == 0,  # a term's first block
            np.append(in_term[1:] == 0, True),  # its last
            voffsets[:-1],
            voffsets[1:],
        )
    else:
        blocks = ((),) * 13

    extents, inline = [], []
    write, tell, pack, compress = postfile.write, postfile.tell, _HEADER.pack, zlib.compress
    # Block by block in chunks: Python lists of every block's numbers would be most of the memory.
    for c in range(0, len(bstarts), 1 << 16):
        rows = zip(*(column[c : c + (1 << 16)].tolist() for column in blocks), strict=True)
        for a, b, maxid, maxweight, minlen, maxlen, unit, small, vmax, first, last, v0, v1 in rows:
            flags = 0
            parts = [ids_buf[4 * a : 4 * b]]
            if unit:
                flags |= _UNIT_WEIGHTS
            elif small:  # term frequencies, mostly
                flags |= _BYTE_WEIGHTS
                parts.append(weight_bytes[a:b])
            else:
                parts.append(weight_buf[4 * a : 4 * b])
            if vmax == 0:
                flags |= _NO_VALUES
            else:
                if vwidth == 2:
                    flags |= _SHORT_LENGTHS
                parts.append(vlen_buf[vwidth * a : vwidth * b])
                parts.append(view[v0:v1])
            data = b"".join(parts)
            if first and last and b - a <= INLINE_LIMIT:
                extents.append((0, 0))
                inline.append(bytes((flags,)) + data)
                continue
            if first:
                extents.append((tell(), 0))
                inline.append(None)
            if compression and len(data) >= _COMPRESS_FROM:
                data = compress(data, compression)
                flags |= _ZLIB
            length = len(data)
            write(pack(-length if last else length, b - a, maxid, maxweight, minlen, maxlen, flags))
            write(data)
            if last:
                extents[-1] = (extents[-1][0], tell() - extents[-1][0])
    return extents, inline


def decode_inline(data: bytes, count: int, fixedsize) -> tuple[tuple, object, tuple]:
    """The (ids, weights, values) of postings kept in the term dictionary."""
    ids, weights, lengths, at = _decode(data[1:], data[0], count)
    if weights is None:
        weights = (1.0,) * count
    return tuple(accumulate(ids)), weights, _values(data[1:], at, lengths, count, fixedsize)


def _decode(data: bytes, flags: int, n: int):
    """A block's document deltas, weights (None: all 1.0), value lengths, and where its values
    start in data."""
    ids = _array("I", data[: 4 * n])
    at = 4 * n
    if flags & _UNIT_WEIGHTS:
        weights = None
    elif flags & _BYTE_WEIGHTS:
        weights = array("f", iter(data[at : at + n]))
        at += n
    else:
        weights = _array("f", data[at : at + 4 * n])
        at += 4 * n
    lengths = None
    if not flags & _NO_VALUES:
        width = 2 if flags & _SHORT_LENGTHS else 4
        lengths = _array("H" if width == 2 else "I", data[at : at + width * n])
        at += width * n
    return ids, weights, lengths, at


def _values(data: bytes, at: int, lengths, n: int, fixedsize) -> tuple:
    if lengths is None:
        return (None if fixedsize == 0 else b"",) * n
    ends = list(accumulate(lengths, initial=at))
    return tuple(data[s:e] for s, e in zip(ends, ends[1:], strict=False))


def _bytes(numbers: np.ndarray, dtype: str) -> memoryview:
    """The numbers as bytes of the little-endian type, sliceable without copies."""
    return memoryview(np.ascontiguousarray(numbers, dtype=dtype)).cast("B")


def _array(typecode: str, data: bytes) -> array:
    """An array of the little-endian numbers in data."""
    numbers = array(typecode, data)
    if _SWAP:
        numbers.byteswap()
    return numbers


class PackedMatcher(W3LeafMatcher):
    """Whoosh's leaf matcher over one term's packed blocks (what to skip is read from headers;
    a block's arrays are decoded when a posting of it is asked for)."""

    def _read_header(self) -> None:
        self._baseoffset = self._startoffset

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        raw = self._postfile.get(position, _HEADER.size)
        length, count, maxid, maxweight, minlen, maxlen, flags = _HEADER.unpack(raw)
        if length < 0:
            self._lastblock = True
            length = -length
        self._dataoffset = position + _HEADER.size
        self._nextoffset = self._dataoffset + length
        self._blocklength, self._maxid, self._maxweight = count, maxid, maxweight
        self._compression = flags
        self._minlength, self._maxlength = byte_to_length(minlen), byte_to_length(maxlen)

    def _read_data(self) -> None:
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        flags, n = self._compression, self._blocklength
        if flags & _ZLIB:
            data = zlib.decompress(data)
        ids, weights, lengths, at = _decode(data, flags, n)
        self._data = (ids, weights, lengths, data, at)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = tuple(accumulate(self._data[0]))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        self._weights = weights if weights is not None else (1.0,) * self._blocklength

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        _, _, lengths, data, at = self._data
        self._values = _values(data, at, lengths, self._blocklength, self._fixedsize)

    def all_ids(self):
        """Every document number of the term, block by block without scoring."""
        while self.is_active():
            if self._ids is None:
                self._read_ids()
            yield from self._ids[self._i :]
            self._next_block()


def leaf_arrays(m) -> tuple[np.ndarray, np.ndarray]:
    """A term matcher's postings (ours or a ListMatcher) from its current one to the end, as
    arrays of document numbers and weights (the matcher is used up)."""
    if type(m) is PackedMatcher:
        ids, weights, _ = _blocks(m, False)
        return ids, weights
    ids = np.asarray(m._ids[m._i :], np.int64)
    if m._all_weights:
        return ids, np.full(len(ids), float(m._all_weights))
    if m._weights:
        return ids, np.asarray(m._weights[m._i :], np.float64)
    return ids, np.ones(len(ids))


def leaf_positions(m) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """leaf_arrays, and every position of those postings: the index of its posting, and the
    position itself."""
    if type(m) is PackedMatcher:
        ids, weights, (values, lengths) = _blocks(m, True)
        return ids, weights, *_varint_positions(values, lengths)
    found = [m._format.decode_positions(v) for v in m._values[m._i :]]  # a few postings
    ids, weights = leaf_arrays(m)
    owner = np.repeat(np.arange(len(found)), [len(f) for f in found])
    return ids, weights, owner, np.fromiter(chain.from_iterable(found), np.int64)


def _blocks(m: PackedMatcher, with_values: bool):
    ids, weights, values, lengths = [], [], [], []
    skip = m._i
    while m.is_active():
        data = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
        flags, n = m._compression, m._blocklength
        if flags & _ZLIB:
            data = zlib.decompress(data)
        ids.append(np.cumsum(np.frombuffer(data, "<u4", n), dtype=np.int64)[skip:])
        at = 4 * n
        if flags & _UNIT_WEIGHTS:
            weights.append(np.ones(n - skip))
        elif flags & _BYTE_WEIGHTS:
            weights.append(np.frombuffer(data, np.uint8, n, at)[skip:].astype(np.float64))
            at += n
        else:
            weights.append(np.frombuffer(data, "<f4", n, at)[skip:].astype(np.float64))
            at += 4 * n
        if with_values:
            short = flags & _SHORT_LENGTHS
            sizes = np.frombuffer(data, "<u2" if short else "<u4", n, at).astype(np.int64)
            start = at + (2 if short else 4) * n + int(sizes[:skip].sum())
            lengths.append(sizes[skip:])
            values.append(np.frombuffer(data, np.uint8, int(sizes[skip:].sum()), start))
        skip = 0
        m._next_block()
    if not ids:
        empty = np.zeros(0, np.int64)
        return empty, np.zeros(0), (np.zeros(0, np.uint8), empty)
    if with_values:
        return (
            np.concatenate(ids),
            np.concatenate(weights),
            (np.concatenate(values), np.concatenate(lengths)),
        )
    return np.concatenate(ids), np.concatenate(weights), None


def _varint_positions(values: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Postings' positions (schema.VarintPositions: varint deltas, each posting's from 0) decoded
    at once: the index of each position's posting, and the position."""
    last = values < 128  # the last byte of a varint
    if last.all():
        deltas, counts = values.astype(np.int64), lengths
    else:
        starts = np.flatnonzero(np.concatenate(([True], last[:-1])))
        group = np.cumsum(np.concatenate(([0], last[:-1])))
        shift = 7 * (np.arange(len(values)) - starts[group])
        deltas = np.add.reduceat((values & 127).astype(np.int64) << shift, starts)
        ended = np.cumsum(last)[np.cumsum(lengths) - 1]  # varints ended by each posting's end
        counts = np.diff(ended, prepend=0)
    owner = np.repeat(np.arange(len(counts)), counts)
    total = np.cumsum(deltas)
    first = np.cumsum(counts) - counts
    return owner, total - np.repeat(total[first] - deltas[first], counts)


def stored_deltas(postfile, offset: int, deltas: list, counts: list) -> None:
    """Append each block of a term's postings' document deltas and their count, read without a
    matcher (a union of hundreds of terms opened a matcher, and read a block, for each)."""
    while True:
        length, n, *_, flags = _HEADER.unpack(postfile.get(offset, _HEADER.size))
        data = postfile.get(offset + _HEADER.size, abs(length))
        deltas.append((zlib.decompress(data) if flags & _ZLIB else data)[: 4 * n])
        counts.append(n)
        if length < 0:  # the term's last block
            return
        offset += _HEADER.size + length


def joined_ids(deltas: bytes, counts: np.ndarray) -> np.ndarray:
    """Document numbers from runs of id deltas joined (a block's or an inline term's, each
    counting from 0), decoded at once."""
    steps = np.frombuffer(deltas, "<u4").astype(np.int64)
    if not len(steps):
        return steps
    total = np.cumsum(steps)
    first = np.cumsum(counts) - counts
    return total - np.repeat(total[first] - steps[first], counts)


def posting_ids(m) -> np.ndarray:
    """The document numbers of a term's matcher from its current posting on (it is used up)."""
    if type(m) in (PackedMatcher, ListMatcher):
        return leaf_arrays(m)[0]
    if type(m) is FilterMatcher:  # a segment's deleted documents left out
        ids = posting_ids(m.child)
        return ids[passes(m, ids)]
    return np.fromiter(m.all_ids(), np.int64)


def passes(m: FilterMatcher, ids: np.ndarray) -> np.ndarray:
    """Which of its child's document numbers a FilterMatcher lets through."""
    listed = np.isin(ids, np.fromiter(m._ids, np.int64, len(m._ids)))
    return ~listed if m._exclude else listed


def term_lists(postfile, offset: int, inline: bytes | None, count: int, shift: int = 0) -> tuple:
    """A term's postings as lists, for copying into another segment: document numbers (plus
    shift), weights, value lengths, and the values joined; read from the term dictionary's inline
    bytes, or else from its blocks at offset. Plain lists: most terms have a few postings, where a
    numpy call costs more than the decoding."""
    if inline is not None:
        return _lists(inline, 1, inline[0], count, shift)
    ids, weights, lengths, values = [], [], [], []
    while True:
        length, n, *_, flags = _HEADER.unpack(postfile.get(offset, _HEADER.size))
        data = postfile.get(offset + _HEADER.size, abs(length))
        block = _lists(zlib.decompress(data) if flags & _ZLIB else data, 0, flags, n, shift)
        ids += block[0]
        weights += block[1]
        lengths += block[2]
        values.append(block[3])
        if length < 0:  # the term's last block
            return ids, weights, lengths, b"".join(values)
        offset += _HEADER.size + length


def _lists(data: bytes, at: int, flags: int, n: int, shift: int) -> tuple:
    # The first number is whole, the others deltas: shifting it shifts them all.
    ids = list(accumulate(struct.unpack_from(f"<{n}I", data, at), initial=shift))[1:]
    at += 4 * n
    if flags & _UNIT_WEIGHTS:
        weights = [1.0] * n
    elif flags & _BYTE_WEIGHTS:
        weights = list(data[at : at + n])
        at += n
    else:
        weights = list(struct.unpack_from(f"<{n}f", data, at))
        at += 4 * n
    if flags & _NO_VALUES:
        return ids, weights, [0] * n, b""
    width = 2 if flags & _SHORT_LENGTHS else 4
    lengths = list(struct.unpack_from(f"<{n}{'H' if width == 2 else 'I'}", data, at))
    at += width * n
    return ids, weights, lengths, bytes(data[at : at + sum(lengths)])

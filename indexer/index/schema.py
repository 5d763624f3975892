"""The index schema: one document per file, several analysed views of its text, facet fields."""

from collections import Counter
from itertools import accumulate

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions

from indexer.analyse.analysis import bigram_analyzer, term_positions, word_analyzer

# Fields a query searches by default, each holding one view of title + text (see analysis.py).
# Typed pinyin is expanded into cjk terms through the lexicon kept beside the index (lexicon.py).
TEXT_FIELDS = ("content", "cjk")
# Multi-valued facets are stored as space-separated codes; single-valued ones as one token.
FACETS = (
    "kind",
    "country",
    "target_type",
    "lang",
    "filetype",
    "sender",
    "recipient",
    "person",
    "org",
)
# Name facets (people, organisations) can hold a value per name in the corpus: a search lists
# the most frequent, the facet page every one.
NAME_FACETS = ("person", "org")
# Indicator facets have many values: only the most frequent in the index are counted.
INDICATOR_FACETS = ("domain", "ip", "email", "url", "hash", "phone", "amount")


class MultiDATETIME(DATETIME):
    """A DATETIME field holding many dates per document, each term posted once per document.

    Whoosh indexes a number at several resolutions (tiers), so two dates of one month share
    their coarse terms; NUMERIC.index yields such a term once per date, and the writer posted
    the document that many times. Matchers then returned it repeatedly and Whoosh's
    intersection asserted (a 500 on every date filter over a long chat log).
    """

    def index(self, value, **kwargs):
        counts = Counter(term for term, *_ in super().index(value, **kwargs))
        return [(term, n, float(n), b"") for term, n in sorted(counts.items())]


class VarintPositions(Positions):
    """Whoosh's Positions format with a posting's positions as varint deltas (one byte each,
    mostly) instead of a 4-byte count and a pickled list (13 bytes for a single position); a
    text is read into terms and positions without Token objects (analysis.term_positions)."""

    def word_values(self, value, analyzer, **kwargs):
        indexing = isinstance(value, str) and kwargs.get("mode", "index") == "index"
        found = term_positions(analyzer, value) if indexing else None
        if found is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        for term, positions in found.items():
            yield term, len(positions), len(positions) * self.field_boost, self.encode(positions)

    def encode(self, poslist) -> bytes:
        out = bytearray()
        last = 0
        for pos in poslist:
            delta, last = pos - last, pos
            while delta > 127:
                out.append(delta & 127 | 128)
                delta >>= 7
            out.append(delta)
        return bytes(out)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if valuestring.isascii():  # every delta in one byte
            return list(accumulate(valuestring))
        deltas, delta, shift = [], 0, 0
        for byte in valuestring:
            delta |= (byte & 127) << shift
            if byte > 127:
                shift += 7
            else:
                deltas.append(delta)
                delta = shift = 0
        return list(accumulate(deltas))

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring.translate(None, _CONTINUED))


_CONTINUED = bytes(range(128, 256))  # a varint's bytes before its last


def _text(**options) -> TEXT:
    field = TEXT(phrase=True, **options)
    field.format = VarintPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    """The schema every leaksearch index is created with."""
    return Schema(
        path=ID(stored=True, unique=True, sortable=True),
        # The corpus file a document came from: itself, or the container it was found in.
        root=ID(stored=True, sortable=True),
        kind=ID(stored=True),  # document, or message: one chat message of a chat log
        msg_index=NUMERIC(stored=True),
        msg_time=STORED(),
        sender=ID(stored=True),
        recipient=ID(stored=True),
        sha256=ID(stored=True, sortable=True),
        title=_text(stored=True, analyzer=word_analyzer()),
        content=_text(analyzer=word_analyzer()),
        cjk=_text(analyzer=bigram_analyzer()),
        text=STORED(),
        country=KEYWORD(stored=True, lowercase=False, scorable=False),
        target_type=KEYWORD(stored=True, lowercase=False, scorable=False),
        # People and organisations named (classify/entities.py): comma-separated, since a name
        # holds spaces (Wu Haibo, Ministry of Public Security).
        person=KEYWORD(stored=True, lowercase=False, commas=True, scorable=False),
        org=KEYWORD(stored=True, lowercase=False, commas=True, scorable=False),
        lang=ID(stored=True),
        filetype=ID(stored=True),
        encoding=STORED(),
        meta=STORED(),
        # Indicators: space-separated, kept whole; `domain` holds every parent domain too.
        ip=KEYWORD(stored=True, scorable=False),
        domain=KEYWORD(stored=True, scorable=False),
        email=KEYWORD(stored=True, scorable=False),
        url=KEYWORD(stored=True, scorable=False),
        hash=KEYWORD(stored=True, scorable=False),
        phone=KEYWORD(stored=True, scorable=False),
        amount=KEYWORD(stored=True, scorable=False),
        dates=MultiDATETIME(),  # every month a document mentions, for date-range filters
        date=DATETIME(stored=True, sortable=True),  # its own time, or the earliest it mentions
        size=NUMERIC(stored=True, bits=64),
        mtime=NUMERIC(stored=True, bits=64),
    )


def is_current(schema: Schema) -> bool:
    """True if an existing index's schema has this version's fields and analyzers."""
    # Field objects hold column objects without equality, so compare what defines the index.
    current = build_schema()
    return schema.names() == current.names() and all(
        type(schema[n]) is type(current[n])
        and getattr(schema[n], "analyzer", None) == getattr(current[n], "analyzer", None)
        and type(schema[n].format) is type(current[n].format)
        and schema[n].stored == current[n].stored
        for n in current.names()
    )

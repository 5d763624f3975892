"""Another region's word for a typed word (服务器 for 伺服器), scored below the word typed."""

from whoosh import query as Q
from whoosh.matching import WrappingMatcher

# A variant is a near-synonym, not the word typed: in the same document with the same counts, a
# match of the typed word scores higher.
DISCOUNT = 0.8


class Variant(Q.WrappingQuery):
    """What child matches, each score scaled so it stays below the typed word's at equal counts.

    A term's BM25 score at given counts is proportional to its idf, and a Chinese word's score is
    the sum of its bigrams': a rare variant (or one of more bigrams) would outscore the typed word
    itself, so the variant's scores are scaled by the typed word's idf sum over its own.
    """

    def __init__(self, child: Q.Query, typed: Q.Query) -> None:
        self.child, self.typed = child, typed

    def __eq__(self, other) -> bool:
        return type(other) is Variant and (self.child, self.typed) == (other.child, other.typed)

    def __hash__(self) -> int:
        return hash((Variant, self.child, self.typed))

    def __repr__(self) -> str:
        return f"Variant({self.child!r}, typed={self.typed!r})"

    @property
    def boost(self) -> float:  # Whoosh's Or.normalize multiplies a flattened child's boost
        return self.child.boost

    def _rewrap(self, child: Q.Query) -> "Variant":
        return Variant(child, self.typed)

    def normalize(self) -> Q.Query:
        child = self.child.normalize()
        return child if child is Q.NullQuery else Variant(child, self.typed)

    def matcher(self, searcher, context=None):
        m = self.child.matcher(searcher, context)
        if not m.is_active():
            return m
        ratio = _idf_sum(searcher, self.typed) / _idf_sum(searcher, self.child)
        return WrappingMatcher(m, boost=DISCOUNT * min(1.0, ratio))


def _idf_sum(searcher, q: Q.Query) -> float:
    # Whoosh's idf counts documents in the whole index (the parent searcher), never below 1.
    return sum(searcher.idf(field, text) for field, text in q.iter_all_terms()) or 1.0

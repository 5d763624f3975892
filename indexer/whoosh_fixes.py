"""Fixes for bugs of whoosh-reloaded 2.7.5 that leaksearch runs into, applied on import.

AndNotMatcher (behind `a ANDNOT b`, `a NOT b` and every excluded facet value) skips the excluded
list forward only when both lists start on the same document: with the excluded list starting
before the first match (excluded [104, 105], matched [105, 107]), document 105 came through.
Whether it happened depended on how documents fell into segments.
"""

from whoosh.matching import binary


def _find_first(self) -> None:
    if self.a.is_active() and self.b.is_active():
        self._find_next()


binary.AndNotMatcher._find_first = _find_first

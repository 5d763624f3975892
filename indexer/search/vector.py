"""Every match of a query and its score, computed over whole posting lists with numpy.

Whoosh finds and scores matches one posting at a time through a tree of Python matchers: at
100,000 documents a common word matches 20,000 of them and that loop was most of a search. The
totals, facets and timeline need every match; the page needs the best scores. Here the same tree
is evaluated list by list: a term's postings decoded block by block into arrays and scored with
the BM25F formula Whoosh uses, unions, intersections and exclusions done on sorted arrays. A part
of the tree this does not evaluate (a phrase, whose positions must be compared) is walked one
match at a time, as Whoosh's collector walks it.
"""

import math
import time

import numpy as np
from whoosh import query as Q
from whoosh.matching import binary, combo, mcore, wrappers
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from indexer.index.codec import field_length_bytes
from indexer.index.postings import PackedMatcher, leaf_arrays, leaf_positions, passes
from indexer.index.terms import term_postings
from indexer.search.query import BelowMatcher, OutsideMatcher, below

Found = tuple[np.ndarray, np.ndarray]  # document numbers (ascending), their scores


def matches(
    searcher: Searcher, q, deadline: float = math.inf
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Document numbers (of the whole index, ascending) q matches, their scores as Whoosh's
    collector scores them, and True if the deadline (time.monotonic) stopped the search: the
    matches are then those found before it."""
    context = searcher.context()  # the collector's: Whoosh makes some matchers by context
    budget = _Budget(deadline)
    ids, scores = [np.zeros(0, np.int64)], [np.zeros(0)]
    for sub, offset in searcher.leaf_searchers():
        if budget.spent():
            break
        found = _evaluate(q.matcher(sub, context), sub, budget)
        ids.append(found[0] + offset)
        scores.append(found[1])
    return np.concatenate(ids), np.concatenate(scores), budget.cut


class _Budget:
    """The time a search has left; cut once it ran out."""

    def __init__(self, deadline: float) -> None:
        self.deadline, self.cut = deadline, False

    def spent(self) -> bool:
        self.cut = self.cut or time.monotonic() > self.deadline
        return self.cut


def _evaluate(m, searcher: Searcher, budget: _Budget) -> Found:
    kind = type(m)
    if not m.is_active() or budget.spent():
        return _EMPTY
    if kind is PackedMatcher or kind is mcore.ListMatcher:
        return _leaf(m, searcher, budget)
    if kind is wrappers.WrappingMatcher:
        ids, scores = _evaluate(m.child, searcher, budget)
        return ids, scores * m.boost
    if kind is wrappers.FilterMatcher:
        ids, scores = _evaluate(m.child, searcher, budget)
        keep = passes(m, ids)
        return ids[keep], scores[keep] * m.boost
    if kind is binary.UnionMatcher:
        return _union([_evaluate(m.a, searcher, budget), _evaluate(m.b, searcher, budget)])
    if kind is combo.ArrayUnionMatcher and all(type(c) in _LEAVES for c in m._submatchers):
        for child in m._submatchers:  # it reads its children ahead when it is made
            child.reset()
        ids, scores = _union([_evaluate(c, searcher, budget) for c in m._submatchers])
        return ids, scores * m._boost if m._scored else np.ones(len(ids))
    if kind is binary.IntersectionMatcher:
        (a, sa), (b, sb) = _evaluate(m.a, searcher, budget), _evaluate(m.b, searcher, budget)
        both, ia, ib = np.intersect1d(a, b, assume_unique=True, return_indices=True)
        return both, sa[ia] + sb[ib]
    if kind is binary.AndNotMatcher:
        (a, sa), (b, _) = _evaluate(m.a, searcher, budget), _evaluate(m.b, searcher, budget)
        if budget.cut:  # b partly read: a document it excludes could come through
            return _EMPTY
        keep = ~np.isin(a, b, assume_unique=True)
        return a[keep], sa[keep]
    if kind is binary.AndMaybeMatcher:
        (a, sa), (b, sb) = _evaluate(m.a, searcher, budget), _evaluate(m.b, searcher, budget)
        _, ia, ib = np.intersect1d(a, b, assume_unique=True, return_indices=True)
        scores = sa.copy()
        scores[ia] += sb[ib]
        return a, scores
    if kind is wrappers.ConstantScoreWrapperMatcher:
        ids, _ = _evaluate(m.child, searcher, budget)
        return ids, np.full(len(ids), float(m._score))
    if kind is OutsideMatcher:
        return _outside(m, searcher, budget)
    if kind is SpanNear2.SpanNear2Matcher and _is_phrase(m):
        return _phrase(m, searcher, budget)
    if kind is BelowMatcher:
        ids, scores = _evaluate(m.child, searcher, budget)
        return ids, below(scores, m.boost)
    return _one_by_one(m, budget)


def _one_by_one(m, budget: _Budget) -> Found:
    """What a matcher this module does not evaluate finds, walked as Whoosh's collector walks it
    (a phrase compares its terms' positions in each document that holds them all)."""
    ids, scores = [], []
    while m.is_active() and (len(ids) % 256 or not budget.spent()):
        ids.append(m.id())
        scores.append(m.score())
        m.next()
    return np.array(ids, np.int64), np.array(scores, np.float64)


def _outside(m: OutsideMatcher, searcher: Searcher, budget: _Budget) -> Found:
    """A name's matches less the documents where each is inside a longer name (India, not in
    British Indian Ocean Territory): only documents that may hold a longer name are compared,
    all at once, by (document, position) keys."""
    child = m.child
    suspects = np.array(sorted(set().union(*(longer.suspects for longer in m._longer))))
    covered = [_covered(longer.q, searcher, suspects) for longer in m._longer]
    leaf = _unfiltered(child)
    if type(leaf) not in _LEAVES or not _scored_here(leaf) or any(c is None for c in covered):
        return _one_by_one(m, budget)
    # The matcher has passed over the vetoed documents before its current one.
    ids, scores, owner, positions = _postings_with_positions(child, searcher)
    maybe = np.isin(ids, suspects)[owner]
    keys = ids[owner[maybe]] << 32 | positions[maybe]
    inside = np.isin(keys, np.concatenate(covered))
    held = np.bincount(owner[maybe], minlength=len(ids))
    vetoed = (held > 0) & (np.bincount(owner[maybe], inside, len(ids)) == held)
    return ids[~vetoed], scores[~vetoed] * m.boost


def _covered(q, searcher: Searcher, docs: np.ndarray) -> np.ndarray | None:
    """(document << 32 | position) of every position a match of q (a term or phrase) spans in
    docs; None for a query read otherwise."""
    m = q.matcher(searcher)
    if not m.is_active():
        return np.zeros(0, np.int64)
    if type(_unfiltered(m)) in _LEAVES:
        ids, _, owner, positions = _postings_with_positions(m, None)
        starts, width = ids[owner] << 32 | positions, 1
    elif type(m) is SpanNear2.SpanNear2Matcher and _is_phrase(m):
        starts, width = _phrase_keys([_postings_with_positions(t, None) for t in m.ms]), len(m.ms)
    else:
        return None
    starts = starts[np.isin(starts >> 32, docs)]
    return (starts[:, None] + np.arange(width)).ravel()


_EMPTY: Found = (np.zeros(0, np.int64), np.zeros(0))
_LEAVES = (PackedMatcher, mcore.ListMatcher)


def _union(parts: list[Found]) -> Found:
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    unique, where = np.unique(ids, return_inverse=True)
    return unique, np.bincount(where, weights=scores, minlength=len(unique))


def _leaf(m, searcher: Searcher, budget: _Budget) -> Found:
    """A term's remaining postings, scored as its scorer scores them one by one."""
    if not _scored_here(m):
        return _one_by_one(m, budget)
    ids, weights = leaf_arrays(m)
    return ids, _scores(m, searcher, ids, weights)


def _scored_here(m) -> bool:
    scorer = _scorer(m)
    return scorer is None or type(scorer) in (BM25FScorer, WeightScorer)


def _scorer(m):
    return m.scorer if type(m) is PackedMatcher else m._scorer


def _scores(m, searcher: Searcher, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
    scorer = _scorer(m)
    if scorer is None or type(scorer) is WeightScorer:
        return weights
    reader = searcher.reader()
    length_bytes = field_length_bytes(reader._perdoc, m.term()[0], reader.doc_count_all())
    lengths = _LENGTHS[length_bytes[ids]]
    k1, b = scorer.K1, scorer.B
    # whoosh.scoring.bm25, on arrays
    norm = k1 * ((1 - b) + b * lengths / scorer.avgfl)
    return scorer.idf * (weights * (k1 + 1)) / (weights + norm)


def _is_phrase(m) -> bool:
    """A phrase of terms (whoosh.query.Phrase: each term right after the one before) whose
    postings this module reads, deleted documents left out or not."""
    return (m.slop, m.ordered, m.mindist) == (1, True, 1) and all(
        type(_unfiltered(t)) in _LEAVES and _scored_here(_unfiltered(t)) for t in m.ms
    )


def _unfiltered(m):
    return m.child if type(m) is wrappers.FilterMatcher else m


def _phrase(m, searcher: Searcher, budget: _Budget) -> Found:
    """Documents where the phrase's terms stand one after another, scored as Whoosh scores a
    phrase (the sum of its terms' scores)."""
    terms = []
    for term in m.ms:
        if budget.spent():  # a phrase's matches are known only once every term is read
            return _EMPTY
        terms.append(_postings_with_positions(term, searcher))
    return _phrase_scores(terms)


def _phrase_scores(terms: list[tuple]) -> Found:
    """The documents of a phrase of the terms (_postings_with_positions each), scored as the sum
    of its terms' scores."""
    found = np.unique(_phrase_keys(terms) >> 32)
    total = np.zeros(len(found))
    for ids, scores, _, _ in terms:
        total += scores[np.searchsorted(ids, found)]
    return found, total


def phrase_union(searcher: Searcher, context, phrases: list) -> Found | None:
    """The documents where one of the phrases (whoosh.query.Phrase, all of one field) stands, each
    scored as Whoosh's Or of the phrases scores it (the sum of the matching phrases' scores, a
    phrase's the sum of its terms'); each term's postings read once, however many phrases share
    it. None if a term's postings are not read here."""
    fieldname = phrases[0].fieldname
    reader = searcher.reader()
    if fieldname not in reader.schema:
        return _EMPTY
    # Documents first, from the term dictionary: most phrases of a thousand are in none.
    words = sorted({w for p in phrases for w in p.words})
    to_bytes = reader.schema[fieldname].to_bytes
    docs, numbers = term_postings(reader, fieldname, [to_bytes(w) for w in words])
    each = np.split(docs, np.searchsorted(numbers, range(1, len(words))))
    holding = dict(zip(words, each, strict=True))
    phrases = [p for p in phrases if len(_intersection([holding[w] for w in p.words]))]
    read: dict[str, tuple | None] = {}

    def postings(word: str) -> tuple | None:
        if word not in read:
            m = Q.Term(fieldname, word).matcher(searcher, context)
            leaf = _unfiltered(m)
            if m.is_active() and not (type(leaf) in _LEAVES and _scored_here(leaf)):
                raise _NotHere
            read[word] = _postings_with_positions(m, searcher) if m.is_active() else None
        return read[word]

    found = []
    try:
        for p in phrases:
            terms = [postings(w) for w in p.words]
            if any(t is None for t in terms):
                continue
            ids, scores = _phrase_scores(terms)
            found.append((ids, scores * p.boost))
    except _NotHere:
        return None
    return _union(found) if found else _EMPTY


def _intersection(arrays: list[np.ndarray]) -> np.ndarray:
    found = arrays[0]
    for ids in arrays[1:]:
        found = np.intersect1d(found, ids, assume_unique=True)
    return found


class _NotHere(Exception):
    """A term's postings this module does not read."""


def _phrase_keys(terms: list[tuple]) -> np.ndarray:
    """(document << 32 | position) where a phrase of the terms starts: their postings are
    intersected, then their positions in those documents compared all at once, the n-th term's
    less n."""
    docs = _intersection([ids for ids, *_ in terms])
    keys = None
    for n, (ids, _, owner, positions) in enumerate(terms):
        at = np.isin(ids, docs)[owner] & (positions >= n)
        term_keys = ids[owner[at]] << 32 | (positions[at] - n)
        keys = term_keys if keys is None else np.intersect1d(keys, term_keys, assume_unique=True)
    return keys


def _postings_with_positions(m, searcher: Searcher | None):
    """A term's document numbers, scores (None without a searcher), and positions (each with
    its posting's index)."""
    leaf = _unfiltered(m)
    ids, weights, owner, positions = leaf_positions(leaf)
    if leaf is not m:  # deleted documents left out
        kept = passes(m, ids)
        ids, weights = ids[kept], weights[kept]
        of_kept = kept[owner]
        owner, positions = np.cumsum(kept)[owner[of_kept]] - 1, positions[of_kept]
    scores = _scores(leaf, searcher, ids, weights) if searcher else None
    return ids, scores, owner, positions


# A length byte's field length; none (0) read as 1, as the scorer reads it.
_LENGTHS = np.array([1.0] + [byte_to_length(b) for b in range(1, 256)])

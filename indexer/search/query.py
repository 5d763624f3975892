"""Turn what a researcher types into a Whoosh query over the index's analysed views.

The query is parsed with Whoosh's syntax (AND / OR / NOT, "phrases", field:value, wildcards) on
a parse-only schema that keeps every typed word whole; each word is then expanded into the views:
Chinese as a phrase of bigrams (found whatever the document's segmentation), English as stemmed
words, typed pinyin and initials as the Chinese of the index that reads so (through the lexicon
kept beside the index, when the query runs), a known name (India, 印度, i-Soon) as every name
of its group, and a Chinese word also as the word other regions use for it (伺服器, 服务器). Runs
of words are matched first: `Hong Kong`, `an xun`. English words and runs are also searched as
the Chinese words the dictionary translates them to, and a Chinese word as its English where
that is unambiguous (translate.py), scored below what was typed. A "quoted" word or phrase is
searched as written, without names, pinyin, translations or other regions' words. A country's
name does not match inside another place's longer name (印度 is not found in 印度尼西亚).
"""

import re
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as Q
from whoosh.analysis import STOP_WORDS
from whoosh.fields import ID, Schema
from whoosh.matching import ListMatcher, NullMatcher, WrappingMatcher
from whoosh.qparser import QueryParser

from indexer.analyse.analysis import HAN, INITIALS, PAIR, SYLLABLE, word_analyzer
from indexer.analyse.fold import fold, is_cjk
from indexer.analyse.pinyin import looks_like_initials, split_syllables
from indexer.analyse.regional import regional_variants
from indexer.classify.countries import longer_names, resolve_country
from indexer.classify.enrich import INDICATORS
from indexer.classify.entities import normalize_org, normalize_person
from indexer.classify.indicators import find_indicators
from indexer.classify.target_types import resolve_target_type
from indexer.index import lexicon
from indexer.index.aliases import same_person
from indexer.index.lexicon import index_folder
from indexer.index.terms import prefix_ids, prefix_size, term_ids
from indexer.search import translate
from indexer.search.indicator_query import DomainTree, IPNetwork, network
from indexer.search.synonyms import MAX_WORDS, synonyms
from indexer.search.translate import Translation
from indexer.search.variant import Variant

DEFAULT = "text"
_HAN_RUNS = re.compile(rf"[{HAN}]+")
_MAX_PINYIN_COMBOS = 4
# Splitting typed pinyin costs time quadratic in the run's length (10,000 letters took 12 s);
# the longest name anyone types as one run (zhonghuarenmingongheguo) is under half this.
_MAX_PINYIN_LETTERS = 48
# Whoosh's parser takes time quadratic in the length of a word (10,000 letters took 7 s).
MAX_WORD_CHARS = 1000
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1}}}")


class QueryError(ValueError):
    """The query cannot be run; str(exc) says why, in words a user can act on."""


@dataclass(frozen=True)
class Expansion:
    """What a typed word or run was searched as besides itself, for the page to show."""

    typed: str
    # names (synonyms, country names), pinyin, initials, initials_fallback, regional, translation
    kind: str
    searched: tuple[str, ...]
    # translation: the candidates; after settle_expansions, those the index holds
    translations: tuple[Translation, ...] = ()

    def to_json(self) -> dict:
        """The expansion as the CLI and API print it."""
        out = {"typed": self.typed, "kind": self.kind, "searched": list(self.searched)}
        if self.kind == "translation":
            out["translations"] = [t.to_json() for t in self.translations]
        return out


class NotInside(Q.SpanNot):
    """Matches of a that do not all stand inside a match of b: a name outside the longer names b.

    Whoosh's SpanNot computes both sides' spans in every document a matches, and asks b for its
    current document even when b has none; a common name (中国, in thousands of documents) took
    seconds. Here positions are compared only in the documents that hold every word of a longer
    name's rarest word, the rest are a's matches as they are.
    """

    boost = 1.0

    def estimate_size(self, ixreader) -> int:
        return self.a.estimate_size(ixreader)

    def estimate_min_size(self, ixreader) -> int:
        return 0

    def matcher(self, searcher, context=None):
        inside = self.a.matcher(searcher, context)
        reader = searcher.reader()
        longer = []
        for alternative in _alternatives(self.b):
            # A document can hold a longer name only if it holds that name's rarest word.
            words = alternative.words if isinstance(alternative, Q.Phrase) else [alternative.text]
            rarest = min(words, key=lambda w: reader.doc_frequency(alternative.fieldname, w))
            suspects = set(Q.Term(alternative.fieldname, rarest).docs(searcher))
            if suspects:
                longer.append(_Longer(alternative, suspects, searcher))
        if not inside.is_active() or not longer:
            return inside
        return OutsideMatcher(inside, tuple(longer))


def _alternatives(q: Q.Query) -> list[Q.Query]:
    """The terms and phrases of a span query (a SpanOr of them, or one)."""
    return (
        [alt for sub in q.subqs for alt in _alternatives(sub)] if isinstance(q, Q.SpanOr) else [q]
    )


class _Longer:
    """One longer name in one segment: the documents that may hold it, and its spans in one,
    its matcher opened only when a match of the shorter name is among those documents."""

    def __init__(self, q: Q.Query, suspects: set[int], searcher) -> None:
        self.q, self.suspects, self._searcher = q, suspects, searcher
        self._matcher, self._last = None, -1

    def spans(self, docnum: int) -> list:
        if docnum not in self.suspects:
            return []
        if self._matcher is None or docnum < self._last:  # first use, or a copy went back
            self._matcher = self.q.matcher(self._searcher)
        self._last = docnum
        m = self._matcher
        if m.is_active() and m.id() < docnum:
            m.skip_to(docnum)
        return m.spans() if m.is_active() and m.id() == docnum else []


class OutsideMatcher(WrappingMatcher):
    """a's matches, less the documents where each of a's spans overlaps a longer name's."""

    def __init__(self, child, longer: tuple[_Longer, ...], boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self._longer = longer
        self._settle()

    def _replacement(self, newchild):
        return OutsideMatcher(newchild, self._longer, self.boost)

    def copy(self):
        return OutsideMatcher(self.child.copy(), self._longer, self.boost)

    def _inside(self) -> bool:
        docnum = self.child.id()
        vetoes = [v for longer in self._longer for v in longer.spans(docnum)]
        return bool(vetoes) and all(any(s.overlaps(v) for v in vetoes) for s in self.child.spans())

    def _settle(self) -> None:
        while self.child.is_active() and self._inside():
            self.child.next()

    def next(self):
        self.child.next()
        self._settle()
        return True

    def skip_to(self, id):
        self.child.skip_to(id)
        self._settle()
        return True

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def supports_block_quality(self) -> bool:
        return False  # skipping by quality could land on a document inside a longer name


def _once(q: Q.Query, searcher, decide: Callable[[Any], Any]):
    """decide(top-level searcher), computed once per top-level searcher for the query q: the
    same for every segment, and for highlighting what the search matched."""
    top = searcher.get_parent() if searcher.has_parent() else searcher
    decided = q.__dict__.setdefault("_decided", weakref.WeakKeyDictionary())
    if top not in decided:
        decided[top] = decide(top)
    return decided[top]


class Fallback(Q.Otherwise):
    """Matches of a, or of b if no document of the whole index matches a.

    Whoosh's Otherwise decides segment by segment, so a segment without a would get b's matches
    beside another segment's matches of a.
    """

    def chosen(self, searcher) -> Q.Query:
        """a, or b where nothing in the index matches a."""

        def matches_a(top) -> bool:
            return any(self.a.matcher(leaf).is_active() for leaf, _ in top.leaf_searchers())

        return self.a if _once(self, searcher, matches_a) else self.b

    def matcher(self, searcher, context=None):
        return self.chosen(searcher).matcher(searcher, context)


class ReadAs(Q.Query):
    """Typed pinyin syllables or initials: the index's Chinese terms that read so, looked up in
    the lexicon kept beside the index when the query runs (lexicon.py).

    One or two syllables or letters are the bigrams (or, alone, characters) that read so; more are
    phrases of overlapping bigrams chained through their shared characters (anxunxinxi: 安洵 洵信
    信息), as a Chinese string is searched.
    """

    fieldname = "cjk"  # where its expansion is searched

    def __init__(self, kind: str, typed: tuple[str, ...], boost: float = 1.0) -> None:
        self.kind, self.typed, self.boost = kind, typed, boost  # kind: pinyin or initials

    def __eq__(self, other) -> bool:
        return type(other) is ReadAs and (self.kind, self.typed, self.boost) == (
            other.kind,
            other.typed,
            other.boost,
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.typed, self.boost))

    def __repr__(self) -> str:
        return f"ReadAs({self.kind!r}, {self.typed!r})"

    def __unicode__(self) -> str:
        return f"{self.kind}:{' '.join(self.typed)}"

    __str__ = __unicode__

    def estimate_size(self, ixreader) -> int:
        return ixreader.doc_count_all()  # unknown until expanded: as common as can be

    def estimate_min_size(self, ixreader) -> int:
        return 0

    def chinese(self, searcher) -> Q.Query:
        """The Chinese terms and phrases of this index that read as typed."""

        def expand(top) -> Q.Query:
            folder = index_folder(top)
            return _read_as(folder, self.kind, self.typed) if folder else Q.NullQuery

        return _once(self, searcher, expand)

    def matcher(self, searcher, context=None):
        return self.chinese(searcher).matcher(searcher, context)


class Translated(Q.Query):
    """A typed word's or run's translations, those the index holds (the best of them) chosen
    when the query runs, each searched as written and scored below the typed words."""

    fieldname = None  # its words are searched in the fields their script is indexed in

    def __init__(
        self, typed: str, candidates: tuple[Translation, ...], dropped: frozenset[str]
    ) -> None:
        self.typed, self.candidates, self.dropped = typed, candidates, dropped
        self.boost = translate.BOOST

    def __eq__(self, other) -> bool:
        return type(other) is Translated and (self.typed, self.candidates, self.dropped) == (
            other.typed,
            other.candidates,
            other.dropped,
        )

    def __hash__(self) -> int:
        return hash((self.typed, self.candidates, self.dropped))

    def __repr__(self) -> str:
        return f"Translated({self.typed!r})"

    def __unicode__(self) -> str:
        return f"translate:{self.typed}"

    __str__ = __unicode__

    def estimate_size(self, ixreader) -> int:
        return ixreader.doc_count_all()  # unknown until chosen: as common as can be

    def estimate_min_size(self, ixreader) -> int:
        return 0

    def chosen(self, searcher) -> tuple[Translation, ...]:
        """The translations searched in this index (the user's dropped ones left out)."""
        found = _once(self, searcher, lambda top: _choose(self.candidates, top))
        return tuple(t for t in found if t.word not in self.dropped)

    def searched(self, searcher) -> Q.Query:
        """The chosen translations as a query."""
        options = [_literal(t.word) for t in self.chosen(searcher)]
        return Q.Or(options, boost=self.boost) if options else Q.NullQuery

    def matcher(self, searcher, context=None):
        m = self.searched(searcher).matcher(searcher, context)
        return BelowMatcher(m, self.boost) if m.is_active() else m


class BelowMatcher(WrappingMatcher):
    """A translation's matches, scored below the bound however well they match: a document
    with the typed word ranks above one that has only its translation."""

    def _replacement(self, newchild):
        return BelowMatcher(newchild, self.boost)

    def copy(self):
        return BelowMatcher(self.child.copy(), self.boost)

    def supports_block_quality(self) -> bool:
        return False

    def score(self):
        return below(self.child.score(), self.boost)


def below(raw, bound: float):
    """A score squeezed under the bound, in the same order (raw: a number or an array)."""
    return bound * raw / (raw + 1.0)


def _choose(candidates: tuple[Translation, ...], top) -> tuple[Translation, ...]:
    """The candidates this index holds, the best of them (translate.choose)."""
    chinese = any(_HAN_RUNS.fullmatch(t.word) for t in candidates)
    limit = translate.MAX_CHINESE if chinese else translate.MAX_ENGLISH
    return translate.choose(candidates, lambda word: _frequency(word, top), limit)


def _frequency(text: str, top) -> int:
    """About how many documents of the index hold the text as written (0: none); kept with the
    searcher, which serves many searches (indexer.index.reader)."""
    known = _FREQUENCIES.setdefault(top, {})
    if text not in known:
        q = _literal(text)
        active = not _is_null(q) and any(q.matcher(s).is_active() for s, _ in top.leaf_searchers())
        known[text] = max(1, q.estimate_size(top.reader())) if active else 0
    return known[text]


_FREQUENCIES: "weakref.WeakKeyDictionary[Any, dict[str, int]]" = weakref.WeakKeyDictionary()


def settle_expansions(
    expansions: tuple[Expansion, ...], q: Q.Query, searcher
) -> tuple[Expansion, ...]:
    """The expansions of the query q as they ran on this index: a translation lists the words
    it searched, those the user dropped left out (and is left out if none is left)."""
    ran = {t.typed: t.chosen(searcher) for t in q.leaves() if isinstance(t, Translated)}
    out = []
    for e in expansions:
        if e.kind == "translation":
            chosen = ran.get(e.typed, ())
            if not chosen:
                continue
            e = Expansion(e.typed, e.kind, tuple(t.word for t in chosen), chosen)
        out.append(e)
    return tuple(out)


# Expansions kept per typed reading, those seen in the most files first: a single syllable or a
# pair of initials reads as hundreds of words in a large corpus.
_MAX_TERMS = 1000
_MAX_CHAINS = 200
# Above this many terms an expansion is matched as one union of postings, not a scored Or.
_UNION_TERMS = 16


class SamePerson(Q.Term):
    """A person's name in every form the index holds it (吴海波 and Wu Haibo: index/aliases.py)."""

    def matcher(self, searcher, context=None):
        folder = index_folder(searcher)
        forms = same_person(folder, self.text) if folder else (self.text,)
        return Q.Or([Q.Term(self.fieldname, f) for f in forms]).matcher(searcher, context)


def _union(found: np.ndarray, boost: float):
    """A matcher of the documents found (once for each term they hold), each scored by how many
    of the terms it holds.

    Whoosh's Or opens a scored matcher per term and walks them as a tree of unions: a Chinese
    character (the 1,700 bigrams that start with 的) or a thousand readings took a second.
    """
    ids, counts = np.unique(found, return_counts=True)
    if not len(ids):
        return NullMatcher()
    return ListMatcher(ids.tolist(), weights=(counts * boost).tolist())


class AnyTerm(Q.Or):
    """Many terms of one field (one syllable or two initials read as hundreds of words), matched
    as one union; its children stay the terms, for highlighting."""

    def matcher(self, searcher, context=None):
        terms = self.subqueries
        texts = (t.text for t in terms)
        return _union(term_ids(searcher.reader(), terms[0].fieldname, texts), self.boost)


class AnyPhrase(Q.Or):
    """Many phrases of one field (four initials read as two hundred Chinese strings), matched as
    one union, each term's postings read once (vector.phrase_union); its children stay the
    phrases, for highlighting. Scored as Whoosh scores their Or."""

    def matcher(self, searcher, context=None):
        from indexer.search.vector import phrase_union  # which reads this module's matchers

        found = phrase_union(searcher, context, self.subqueries)
        if found is None:  # postings of another codec: Whoosh's way
            return Q.Or(self.subqueries, boost=self.boost).matcher(searcher, context)
        ids, scores = found
        if not len(ids):
            return NullMatcher()
        return ListMatcher(ids.tolist(), weights=(scores * self.boost).tolist())


class _ManyTerms:
    """A prefix or wildcard matched as one union when it expands to many terms."""

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        texts = list(islice(self._btexts(reader), _UNION_TERMS + 1)) if self.text else []
        if len(texts) <= _UNION_TERMS:
            return super().matcher(searcher, context)
        return _union(self._ids(reader), self.boost)

    def _ids(self, reader) -> np.ndarray:
        return term_ids(reader, self.fieldname, self._btexts(reader))


class Prefix(_ManyTerms, Q.Prefix):
    """Whoosh's Prefix, one union when it expands to many terms (的 -> every bigram 的x)."""

    def _ids(self, reader) -> np.ndarray:
        return prefix_ids(reader, self.fieldname, self.text)

    def estimate_size(self, ixreader) -> int:
        # Whoosh's asks each term for its document frequency: 1,700 lookups for 的 per segment.
        return prefix_size(ixreader, self.fieldname, self.text)


class Wildcard(_ManyTerms, Q.Wildcard):
    """Whoosh's Wildcard, one union when it expands to many terms."""


def _read_as(index_dir: Path, kind: str, typed: tuple[str, ...]) -> Q.Query:
    if kind == "pinyin" and len(typed) == 1:
        found = lexicon.terms(index_dir, PAIR, typed[0] + "_", _MAX_TERMS, prefix=True)
        found += lexicon.terms(index_dir, SYLLABLE, typed[0], _MAX_TERMS)
        return _any_of([Q.Term("cjk", t) for t in dict.fromkeys(found)])
    code, joint = (PAIR, "_") if kind == "pinyin" else (INITIALS, "")
    steps = [lexicon.terms(index_dir, code, a + joint + b, _MAX_TERMS) for a, b in pairwise(typed)]
    if len(steps) == 1:
        return _any_of([Q.Term("cjk", t) for t in steps[0]])
    return _any_of([Q.Phrase("cjk", list(chain)) for chain in _chains(steps)])


def _chains(steps: list[list[str]]) -> list[tuple[str, ...]]:
    """Bigrams, one of each step, each starting with the character the one before ends with."""
    chains = [(bigram,) for bigram in steps[0]]
    for step in steps[1:]:
        following = defaultdict(list)
        for bigram in step:
            following[bigram[0]].append(bigram)
        chains = [c + (b,) for c in chains for b in following[c[-1][1]]][:_MAX_CHAINS]
    return chains


def _any_of(options: list[Q.Query]) -> Q.Query:
    if len(options) > _UNION_TERMS and all(type(o) is Q.Term for o in options):
        return AnyTerm(options)
    if len(options) > 1 and all(type(o) is Q.Phrase for o in options):
        return AnyPhrase(options)
    return Q.NullQuery if not options else options[0] if len(options) == 1 else Q.Or(options)


def settle(q: Q.Query, searcher) -> Q.Query:
    """The query with each Fallback replaced by the side it takes on this index, and typed pinyin
    by the Chinese it was read as (to mark what matched, not what might have)."""
    if isinstance(q, Fallback):
        return settle(q.chosen(searcher), searcher)
    if isinstance(q, ReadAs):
        return q.chinese(searcher)
    if isinstance(q, Translated):
        return q.searched(searcher)
    return q.apply(lambda child: settle(child, searcher))


class _Quoted(Q.Term):
    """A "quoted" word or phrase of the default field: searched as written, never expanded."""


@cache
def _parser() -> QueryParser:
    # ID fields keep each typed word and "phrase" whole, so expansion sees what was typed.
    fields = ("title", "path", "country", "target_type", "lang", "filetype", "kind", "sender")
    fields += ("recipient", "person", "org", *INDICATORS)
    return QueryParser(DEFAULT, Schema(**{DEFAULT: ID()}, **{f: ID() for f in fields}))


def parse_query(text: str, translation: translate.Options | None = None) -> Q.Query:
    """Parse and expand a typed query; raises QueryError for one that cannot run."""
    return expand_query(text, translation)[0]


def expand_query(
    text: str, translation: translate.Options | None = None
) -> tuple[Q.Query, tuple[Expansion, ...]]:
    """The expanded query and what it searched besides the typed words; QueryError if it
    cannot run. A translation's words are those it may search: settle_expansions says which
    the index holds."""
    if not text.strip():
        return Q.Every(), ()
    if _LONG_WORD.search(text):
        raise QueryError(f"a word of the query is longer than {MAX_WORD_CHARS:,} characters")
    try:
        parsed = _parser().parse(text)
    except Exception as e:  # Whoosh's parser raises assorted errors on odd input.
        raise QueryError(f"could not parse the query: {e}") from e
    notes = _Notes(translation or translate.Options())
    expanded = _expand(_mark_quoted(parsed, text), notes).normalize()
    if _is_null(expanded):
        raise QueryError("the query has no searchable words")
    return expanded, tuple(dict.fromkeys(notes))


class _Notes(list):
    """The expansions noted while a query is expanded, and whether to translate."""

    def __init__(self, translation: translate.Options) -> None:
        super().__init__()
        self.translation = translation


def _mark_quoted(q: Q.Query, text: str) -> Q.Query:
    """The parsed query with each "quoted" default-field term made a _Quoted."""
    if (
        type(q) is Q.Term
        and q.fieldname == DEFAULT
        and q.startchar
        and text[q.startchar - 1] == '"'
        and text[q.endchar : q.endchar + 1] == '"'
    ):
        return _Quoted(q.fieldname, q.text, boost=q.boost)
    return q.apply(lambda child: _mark_quoted(child, text))


def _is_null(q: Q.Query) -> bool:
    return q is Q.NullQuery or isinstance(q, type(Q.NullQuery))


def _expand(q: Q.Query, notes: list[Expansion]) -> Q.Query:
    if isinstance(q, Q.And):
        return Q.And(_expand_runs(q.subqueries, notes), boost=q.boost)
    if isinstance(q, Q.BinaryQuery):  # ANDNOT, ANDMAYBE, REQUIRE: built from (a, b), no list
        a, b = _expand(q.a, notes).normalize(), _expand(q.b, notes).normalize()
        # Whoosh would normalize `!! ANDNOT x` to `x`: with nothing to search on the left, the
        # right side alone must not become the query.
        if _is_null(a) and not isinstance(q, Q.Otherwise):
            return Q.NullQuery
        if isinstance(q, Q.Require):
            # Whoosh's RequireMatcher trips an assert in skip_to_quality (a REQUIRE b was a 500);
            # AND matches the same documents, scoring b's words too.
            return Q.And([a, b])
        return type(q)(a, b)
    if isinstance(q, Q.CompoundQuery):
        return type(q)([_expand(s, notes) for s in q.subqueries], boost=q.boost)
    if isinstance(q, (Q.Term, Q.Phrase, Q.Prefix, Q.Wildcard, Q.TermRange)):
        return _expand_leaf(q, notes)
    if isinstance(q, Q.Every):
        return Q.Every()
    if getattr(q, "error", None):
        raise QueryError(f"could not parse the query: {q.error}")
    return q.apply(lambda child: _expand(child, notes))


def _expand_runs(subs: list[Q.Query], notes: list[Expansion]) -> list[Q.Query]:
    """Expand an AND group, reading runs of plain words as one name or one pinyin word first."""
    out: list[Q.Query] = []
    i = 0
    while i < len(subs):
        for n in range(min(MAX_WORDS, len(subs) - i), 1, -1):
            words = _plain_words(subs[i : i + n])
            if words and (found := _run_query(words, notes)) is not None:
                out.append(found)
                i += n
                break
        else:
            out.append(_expand(subs[i], notes))
            i += 1
    return out


def _plain_words(subs: list[Q.Query]) -> list[str] | None:
    # type(): a _Quoted term is a Term too, but is never read together with its neighbours.
    if all(type(s) is Q.Term and s.fieldname == DEFAULT for s in subs):
        return [s.text for s in subs]
    return None


def _run_query(words: list[str], notes: list[Expansion]) -> Q.Query | None:
    joined = " ".join(words)
    if names := synonyms(joined):
        _note(notes, joined, "names", [n for n in names if n != joined])
        return Q.Or([_name(n) for n in names])
    combos = _pinyin_combos(words)
    if combos is None:
        return _translated_run(words, notes)
    _note(notes, joined, "pinyin", [" ".join(c) for c in combos])
    # The words read one by one as English, not as single syllables (an xun is not 安 + 讯).
    return Q.Or([_pinyin(combos), Q.And([_literal(w) for w in words])])


def _translated_run(words: list[str], notes: list[Expansion]) -> Q.Query | None:
    """A run of English words the dictionary translates as one (public security bureau): the
    words as typed, or its translations; None if it has none."""
    if not _translating(notes) or not all(_may_be_english(w) for w in words):
        return None
    joined = " ".join(words)
    found = _translation(joined, translate.english(tuple(words), run=True), notes)
    if found is None:
        return None
    typed = Q.And([_word(w, notes, translated=False) for w in words])
    return Q.Or([typed, found])


def _translating(notes: list[Expansion]) -> bool:
    return isinstance(notes, _Notes) and notes.translation.on


def _translation(
    typed: str, candidates: tuple[Translation, ...], notes: list[Expansion]
) -> Q.Query | None:
    if not candidates:
        return None
    searched = tuple(t.word for t in candidates)
    notes.append(Expansion(typed, "translation", searched, candidates))
    return Translated(typed, candidates, notes.translation.dropped)


def _note(notes: list[Expansion], typed: str, kind: str, searched: list[str]) -> None:
    if searched:
        notes.append(Expansion(typed, kind, tuple(searched)))


def _expand_leaf(q: Q.Query, notes: list[Expansion]) -> Q.Query:
    field = q.fieldname
    if field == DEFAULT:
        if isinstance(q, _Quoted):
            return _literal(q.text)
        if isinstance(q, Q.Term):
            return _word(q.text, notes)
        return _pattern(q)
    if field == "title":
        return _literal(q.text, "title") if isinstance(q, Q.Term) else q
    if field in ("country", "target_type") and isinstance(q, Q.Term):
        resolve = resolve_country if field == "country" else resolve_target_type
        code = resolve(q.text)
        if code is None:
            raise QueryError(f"unknown {field.replace('_', ' ')}: {q.text}")
        return Q.Term(field, code)
    if field in INDICATORS and isinstance(q, Q.Term):
        return _indicator(field, q.text)
    if field == "person" and isinstance(q, Q.Term):
        return SamePerson(field, normalize_person(q.text))
    if field == "org" and isinstance(q, Q.Term):
        return Q.Term(field, normalize_org(q.text))
    if field in ("lang", "filetype") and isinstance(q, Q.Term):
        return Q.Term(field, q.text.lower().lstrip("."))
    return q


def _indicator(field: str, value: str) -> Q.Query:
    """A typed indicator as the index holds it (amount:95.2 GB -> 95.2GB, IP:: normalised).

    A domain matches its subdomains too, and ip:a.b.c.d/n every address of the network.
    """
    if field == "domain":
        return DomainTree(field, value)
    if field == "ip" and "/" in value:
        if network(value) is None:
            raise QueryError(f"not an IP network (a.b.c.d/n): {value}")
        return IPNetwork(field, value)
    found = getattr(find_indicators(value), field, ())
    return Q.Term(field, found[0] if found else value.strip().lower())


def _word(word: str, notes: list[Expansion], translated: bool = True) -> Q.Query:
    """One typed word: its literal forms, every name of its group, other regions' words for it,
    its pinyin readings and its translations."""
    names = [n for n in synonyms(word) if n != word]
    _note(notes, word, "names", names)
    options = [_name(word), *(_name(n) for n in names), *_regional(word, names, notes)]
    combos = _pinyin_combos([word])
    # Typed pinyin (anxun) is Chinese already: no dictionary is read for it.
    if (
        translated
        and combos is None
        and (found := _translated_word(word, names, notes)) is not None
    ):
        options.append(found)
    if combos is not None:
        _note(notes, word, "pinyin", [" ".join(c) for c in combos])
        options.append(_pinyin(combos))
    elif looks_like_initials(word) and word.isupper():
        # Capitals are an acronym first (MSS, XSS): its initials (没说啥) only if nothing in the
        # index has it.
        _note(notes, word, "initials_fallback", [word.lower()])
        return Fallback(_any(options), _initials(word.lower()))
    elif looks_like_initials(word) and word.lower() not in STOP_WORDS:
        # the, and, for ... are English, never initials: as initials they were hundreds of
        # words, slow and found in every Chinese text.
        _note(notes, word, "initials", [word.lower()])
        options.append(_initials(word.lower()))
    return _any(options)


def _regional(word: str, names: list[str], notes: list[Expansion]) -> list[Q.Query]:
    """Other regions' words for a Chinese word (伺服器, 服务器) that are not among its names,
    each scored below the word typed."""
    known = {fold(n) for n in names}
    variants = [v for v in regional_variants(word) if v not in known]
    _note(notes, word, "regional", variants)
    typed = _literal(word) if variants else Q.NullQuery
    return [Variant(_literal(v), typed) for v in variants]


def _translated_word(word: str, names: list[str], notes: list[Expansion]) -> Q.Query | None:
    """A typed word's translations; none for a known name (India: 印度, Bharat), which its
    names say precisely (the dictionary would add 中印, 印巴, 新德里 ...)."""
    if not word or names or not _translating(notes):
        return None
    if not (is_cjk(word[0]) or _may_be_english(word)):
        return None
    candidates = translate.chinese(word) if is_cjk(word[0]) else translate.english((word,))
    return _translation(word, tuple(t for t in candidates if t.word != word), notes)


def _may_be_english(word: str) -> bool:
    """A word with a vowel: typed initials (wjb) and acronyms (MSS) have no translation to
    look up."""
    return _VOWEL.search(word) is not None


def _any(options: list[Q.Query]) -> Q.Query:
    return Q.Or(options) if len(options) > 1 else options[0]


def _name(text: str) -> Q.Query:
    """The text as written, except where it stands inside another place's longer name: a
    country's 印度 is not matched in 印度尼西亚 or 印度洋, nor Guinea in Papua New Guinea."""
    literal = _literal(text)
    outside = [_spans(_literal(n)) for n in longer_names(text)]
    outside = [o for o in outside if o is not None]
    if not outside or (inside := _spans(literal)) is None:
        return literal
    return NotInside(inside, outside[0] if len(outside) == 1 else Q.SpanOr(outside))


def _spans(q: Q.Query) -> Q.Query | None:
    """The query as one whose matches have positions (terms, phrases and their unions)."""
    if isinstance(q, (Q.Term, Q.Phrase)):
        return q
    if isinstance(q, Q.Or):
        subs = [_spans(s) for s in q.subqueries]
        return Q.SpanOr(subs) if all(s is not None for s in subs) else None
    return None


def _initials(typed: str) -> Q.Query:
    """Typed initials (ax, wjb): the Chinese of the index whose characters start so."""
    return ReadAs("initials", tuple(typed))


def _literal(text: str, field: str = "content") -> Q.Query:
    """The text as written: Chinese runs as bigram phrases, the rest as an analysed word phrase."""
    folded = fold(text)
    parts: list[Q.Query] = []
    if field == "content":
        # Spaces between Chinese characters are typing, not meaning: 安洵 信息 is 安洵信息.
        folded = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", folded)
        parts += [_han(run) for run in _HAN_RUNS.findall(folded)]
        folded = _HAN_RUNS.sub(" ", folded)
    tokens = [t.text for t in word_analyzer()(folded, mode="query")]
    if len(tokens) == 1:
        parts.append(_compound(field, tokens[0]))
    elif tokens:
        # The index puts a compound's parts at successive positions and the next word after the
        # last part, so in a phrase a compound is its parts (U.S. Virgin Islands: u s virgin ...).
        # A plain token is already stemmed: stemming it again broke phrases (compromised hosts
        # was searched as compromi host, the index holds compromis host).
        words = [p for t in tokens for p in (_parts(t) if _COMPOUND.search(t) else [t])]
        parts.append(Q.Phrase(field, words))
    if not parts:
        return Q.NullQuery
    return Q.And(parts) if len(parts) > 1 else parts[0]


def _compound(field: str, token: str) -> Q.Query:
    """A whole token (mail.gov.in, i-soon) or, inside a longer one, the phrase of its parts."""
    parts = _parts(token)
    if len(parts) < 2:
        return Q.Term(field, token)
    return Q.Or([Q.Term(field, token), Q.Phrase(field, parts)])


_COMPOUND = re.compile(r"[._@:/-]")
_VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)


def _parts(token: str) -> list[str]:
    """A compound token's parts as the index holds them (mail.gov.in -> mail gov in)."""
    return [t.text for t in word_analyzer()(_COMPOUND.sub(" ", token), mode="query")]


def _han(run: str) -> Q.Query:
    if len(run) == 1:
        return Q.Or([Q.Term("cjk", run), Prefix("cjk", run)])
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    return Q.Term("cjk", bigrams[0]) if len(bigrams) == 1 else Q.Phrase("cjk", bigrams)


def _pinyin_combos(words: list[str]) -> list[tuple[str, ...]] | None:
    """Syllable readings of typed pinyin (one run or several words), or None if not pinyin."""
    if len(words) == 1 and words[0].lower() in _english_pinyin():
        return None
    if any(len(w) > _MAX_PINYIN_LETTERS for w in words):
        return None
    combos: list[tuple[str, ...]] = [()]
    for w in words:
        splits = split_syllables(w)
        if not splits:
            return None
        combos = [c + s for c in combos for s in splits][:_MAX_PINYIN_COMBOS]
    return combos


def _pinyin(combos: list[tuple[str, ...]]) -> Q.Query:
    """Each way to read typed pinyin as syllables: the Chinese of the index that reads so."""
    return _any_of([ReadAs("pinyin", c) for c in combos])


def _pattern(q: Q.Query) -> Q.Query:
    """Wildcards and prefixes: on Chinese words and bigrams for Chinese, on words otherwise."""
    if isinstance(q, Q.TermRange):  # [a TO c] has a start and an end, no text
        start, end = (fold(v).lower() if v else v for v in (q.start, q.end))
        return Q.TermRange("content", start, end, q.startexcl, q.endexcl)
    text = fold(q.text).lower()
    pattern = text if isinstance(q, Q.Wildcard) else text + "*"
    if "*" in pattern and not pattern.strip("*?"):
        # Wildcards alone (**, *?) match every word: Whoosh would build a matcher for each term
        # of the index (15 s for "**" over the sample corpus) to find every document.
        return Q.Every()
    if any(is_cjk(ch) for ch in text):
        return Q.Or([Wildcard("content", pattern), Wildcard("cjk", pattern)])
    return (Wildcard if isinstance(q, Q.Wildcard) else Prefix)("content", text)


@cache
def _english_pinyin() -> frozenset[str]:
    path = Path(__file__).parents[1] / "data" / "english_pinyin.txt"
    lines = path.read_text("utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))

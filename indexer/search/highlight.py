"""Find where a query matched in a document's text, by the same analyzers that indexed it.

Matching runs the field's analyzer over the stored text and looks for each query term or phrase at
successive token positions, so a Traditional query marks Simplified text, and a pinyin query,
settled into the Chinese it was read as (query.settle), marks those characters. Everything
returned is HTML-escaped.
"""

import fnmatch
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from markupsafe import Markup, escape
from whoosh import query as Q

from indexer.analyse.analysis import (
    HAN,
    RUN_GAP,
    SKIP_HAN,
    analysed,
    bigram_analyzer,
    word_analyzer,
)
from indexer.analyse.fold import folded, is_cjk
from indexer.classify.enrich import INDICATORS
from indexer.classify.indicators import locate
from indexer.index.schema import TEXT_FIELDS
from indexer.search.gloss_html import PLAIN, glossed

_WORD_FIELDS = ("content", "title")  # analysed by word_analyzer
_BIGRAM_FIELDS = ("cjk",)  # by bigram_analyzer
_ANALYZERS = (*_WORD_FIELDS, *_BIGRAM_FIELDS)
# The fields a document's text is marked for: its views, and the indicators (ip:, domain: ...).
MARKED = (*TEXT_FIELDS, *INDICATORS)
_CHUNK = 1000  # characters analysed at a time when only the first few matches are wanted


@dataclass(frozen=True)
class Pattern:
    """A term or phrase of one field: each step is an exact token, or a glob when `glob` is set."""

    field: str
    steps: tuple[str, ...]
    glob: bool = False
    # Longer names it must not stand in (印度 in 印度尼西亚): their matches veto overlapping ones.
    outside: tuple["Pattern", ...] = ()

    def matches(self, index: int, token: str) -> bool:
        step = self.steps[index]
        return fnmatch.fnmatchcase(token, step) if self.glob else token == step


@dataclass(frozen=True)
class IndicatorPattern:
    """A query on an indicator field (ip:, domain: ...): marks the indicators it accepts."""

    field: str
    accepts: Callable[[str], bool]


def _indicator_pattern(q: Q.Query) -> IndicatorPattern | None:
    if getattr(q, "fieldname", None) not in INDICATORS or not q.is_leaf():
        return None
    if hasattr(
        q, "accepts"
    ):  # indexer.search.indicator_query: a network, a domain and its subdomains
        return IndicatorPattern(q.fieldname, q.accepts)
    if isinstance(q, (Q.Prefix, Q.Wildcard)):
        glob = q.text + "*" if isinstance(q, Q.Prefix) else q.text
        return IndicatorPattern(q.fieldname, lambda v: fnmatch.fnmatchcase(v, glob))
    if isinstance(q, Q.Term):
        return IndicatorPattern(q.fieldname, q.text.__eq__)
    return None


class Patterns(tuple):
    """A query's patterns. What marking a text needs of them for a set of fields is worked out on
    first use and kept: a search marks many texts (titles, snippets, messages) with one query's
    patterns, a thousand of them for pinyin initials."""

    def prepared(self, fields: tuple[str, ...]) -> "_Prepared":
        kept = self.__dict__.setdefault("_prepared", {})
        if fields not in kept:
            kept[fields] = _Prepared.of([p for p in self if p.field in fields])
        return kept[fields]


@dataclass(frozen=True)
class _Prepared:
    indicators: tuple[IndicatorPattern, ...]
    bigrams: tuple[Pattern, ...]
    strings: "_Strings | None"  # the bigram patterns as regexes, if they can be
    words: tuple[tuple[Pattern, tuple[str, ...]], ...]  # word patterns and their needles

    @classmethod
    def of(cls, pats: list) -> "_Prepared":
        indicators = tuple(p for p in pats if isinstance(p, IndicatorPattern))
        bigrams = tuple(p for p in pats if p.field in _BIGRAM_FIELDS)
        words = tuple((p, _needles(p)) for p in pats if p.field in _WORD_FIELDS)
        return cls(indicators, bigrams, _strings(bigrams) if bigrams else None, words)


def patterns(q: Q.Query) -> Patterns:
    """The positive terms and phrases of an expanded query (negated parts are not highlighted).

    Queries on indicator fields come back as IndicatorPatterns, which spans() uses when the
    indicator's field is among the fields it is asked for.
    """
    found = dict.fromkeys(_patterns(q))
    return Patterns(p for p in found if p.field in _ANALYZERS or p.field in INDICATORS)


def _patterns(q: Q.Query) -> list[Pattern]:
    if isinstance(q, Q.Not):
        return []
    if isinstance(q, Q.AndNot):
        return _patterns(q.a)
    if isinstance(q, Q.SpanNot):
        outside = _patterns(q.b)
        return [
            replace(p, outside=tuple(o for o in outside if o.field == p.field))
            for p in _patterns(q.a)
        ]
    if isinstance(q, Q.SpanOr):
        return [p for sub in q.subqs for p in _patterns(sub)]
    if (indicator := _indicator_pattern(q)) is not None:
        return [indicator]
    if isinstance(q, Q.Term):
        return [Pattern(q.fieldname, (q.text,))]
    if isinstance(q, Q.Phrase):
        return [Pattern(q.fieldname, tuple(q.words))]
    if isinstance(q, Q.Prefix):
        return [Pattern(q.fieldname, (q.text + "*",), glob=True)]
    if isinstance(q, Q.Wildcard):
        return [Pattern(q.fieldname, (q.text,), glob=True)]
    return [p for child in q.children() for p in _patterns(child)]


def spans(
    text: str, pats: list[Pattern], fields: tuple[str, ...], enough: int = 0
) -> list[tuple[int, int]]:
    """Merged (start, end) character spans where pats match; stop after `enough` if it is set."""
    pats = pats if isinstance(pats, Patterns) else Patterns(pats)
    prepared = pats.prepared(tuple(fields))
    if not text or not (prepared.indicators or prepared.bigrams or prepared.words):
        return []
    found = _indicator_spans(text, prepared.indicators)
    for offset, chunk in _chunks(text, _CHUNK if enough else len(text)):
        if prepared.strings is not None:
            found += [(offset + s, offset + e) for s, e in _match_strings(chunk, prepared.strings)]
        elif prepared.bigrams:
            matches = _match(chunk, bigram_analyzer(), prepared.bigrams, "")
            found += [(offset + s, offset + e) for s, e in matches]
        haystack = _haystack(chunk) if prepared.words else ""
        # Tokenized only for the words the text may hold.
        wanted = [p for p, needles in prepared.words if all(n in haystack for n in needles)]
        if wanted:
            # Words of the content view are found without segmenting Chinese unless one is
            # Chinese (a wildcard such as 安*): Chinese strings are matched as bigrams.
            chinese = any(is_cjk(ch) for p in wanted for step in p.steps for ch in step)
            matches = _match(chunk, word_analyzer(), wanted, "" if chinese else SKIP_HAN)
            found += [(offset + s, offset + e) for s, e in matches]
        if enough and len(found) >= enough:
            break
    return _merge(found)


def _haystack(text: str) -> str:
    """The text as the word analyzer's tokens are cut from it: folded, lower-cased, Chinese runs
    without their inner spaces. Every token of the text is a substring of it, or (an English
    word's stem) shares all but its last two letters with one."""
    return _GAP.sub("", folded(text).lower())


def _needles(p: Pattern) -> tuple[str, ...]:
    """What a text's _haystack must hold for the pattern to match in it: each step's token, or all
    but its last two letters for a stem (Snowball's English stemmer changes at most a word's last
    letter, happy -> happi: tests/test_highlight.py checks it over many words). Nothing is
    required of a wildcard, or of a word of another script (lower-casing may change its length)."""
    if p.glob:
        return ()
    needles = []
    for step in p.steps:
        if step.isascii():
            needles.append(step[:-2] if step.isalpha() else step)
        elif all(is_cjk(ch) for ch in step):
            needles.append(step)
        else:
            return ()
    return tuple(needles)


def _indicator_spans(text: str, pats: list[IndicatorPattern]) -> list[tuple[int, int]]:
    """Where text writes an indicator that one of pats accepts (mail.gov.in for domain:gov.in)."""
    found = []
    for kind in {p.field for p in pats}:
        tests = [p.accepts for p in pats if p.field == kind]
        found += [(s, e) for s, e, v in locate(text, kind) if any(t(v) for t in tests)]
    return found


@dataclass(frozen=True)
class _Strings:
    """Chinese strings to find in the folded text, the same matches as their bigrams' (found
    without making a token of every bigram of the text).

    Strings without vetoes are looked up in sets at the places where one can start (pinyin
    initials expand to a thousand strings: as one regex, each place of a text tried them all);
    the few with vetoes (印度 not inside 印度尼西亚) are regexes with their vetoes'."""

    starts: re.Pattern | None  # the first characters of the strings without vetoes
    words: frozenset[str]  # strings of two or more characters
    lengths: tuple[int, ...]  # their lengths, longest first
    ends: frozenset[str]  # characters that match at the end of a run only
    globs: frozenset[str]  # characters that match with the next character of their run
    vetoed: tuple[tuple[re.Pattern, tuple[re.Pattern, ...]], ...]


@lru_cache(maxsize=64)  # kept between searches: strings with vetoes are compiled regexes
def _strings(pats: tuple[Pattern, ...]) -> _Strings | None:
    """The patterns as _Strings; None if one is not a Chinese string."""
    kinds: dict[str, set[str]] = {"word": set(), "end": set(), "glob": set()}
    vetoed = []
    for p in pats:
        if p.outside:
            sources = [_string(q) for q in (p, *p.outside)]
            if None in sources:
                return None
            vetoed.append((_lookahead(sources[0]), tuple(map(_lookahead, sources[1:]))))
        elif (found := _chars(p)) is not None:
            kinds[found[0]].add(found[1])
        else:
            return None
    firsts = {w[0] for ws in kinds.values() for w in ws}
    starts = re.compile("[" + "".join(map(re.escape, sorted(firsts))) + "]") if firsts else None
    lengths = tuple(sorted({len(w) for w in kinds["word"]}, reverse=True))
    words, ends, globs = (frozenset(kinds[k]) for k in ("word", "end", "glob"))
    return _Strings(starts, words, lengths, ends, globs, tuple(vetoed))


def _chars(p: Pattern) -> tuple[str, str] | None:
    """("glob", ch) for a character's prefix query (的*: the character with what follows it in
    its run), ("end", ch) for a run's last character (indexed alone), ("word", chars) for a
    chain of bigrams; None for anything else."""
    steps = p.steps
    if p.glob:
        ch = steps[0][:1]
        simple = len(steps) == 1 and steps[0] == ch + "*" and is_cjk(ch)
        return ("glob", ch) if simple else None
    if len(steps) == 1 and len(steps[0]) == 1:
        return "end", steps[0]
    chained = all(len(a) == 2 == len(b) and a[1] == b[0] for a, b in pairwise(steps))
    if not chained or len(steps[0]) != 2:
        return None
    return "word", steps[0] + "".join(b[1] for b in steps[1:])


def _string(p: Pattern) -> str | None:
    """_chars as a regex over the folded text (a space may stand between two characters)."""
    found = _chars(p)
    if found is None:
        return None
    kind, chars = found
    if kind == "glob":
        return re.escape(chars) + f"(?:{RUN_GAP}?[{HAN}])?"
    if kind == "end":
        return re.escape(chars) + f"(?!{RUN_GAP}?[{HAN}])"
    return f"{RUN_GAP}?".join(map(re.escape, chars))


def _lookahead(regex: str) -> re.Pattern:
    # Matches may overlap (哈哈 in 哈哈哈, twice), as bigram matches do.
    return re.compile(f"(?=({regex}))")


# A space between two Chinese characters, which a Chinese run (and so its words) passes over.
_GAP = re.compile(f"(?<=[{HAN}]){RUN_GAP}(?=[{HAN}])")
_IS_HAN = re.compile(f"[{HAN}]")


def _match_strings(text: str, strings: _Strings) -> Iterator[tuple[int, int]]:
    same = folded(text)  # same length as the text: offsets carry over
    for regex, vetoes in strings.vetoed:
        vetoed = [m.span(1) for v in vetoes for m in v.finditer(same)]
        for m in regex.finditer(same):
            s, e = m.span(1)
            if not any(s < ve and vs < e for vs, ve in vetoed):
                yield s, e
    if strings.starts is None:
        return
    # Runs without their inner spaces; at[i] is where character i of `joined` stands in text.
    gaps = [m.start() for m in _GAP.finditer(same)]
    joined = _GAP.sub("", same) if gaps else same
    at = _offsets(len(same), gaps)
    words, lengths, n = strings.words, strings.lengths, len(joined)
    for m in strings.starts.finditer(joined):
        i, ch = m.start(), m.group()
        han_next = i + 1 < n and _IS_HAN.match(joined, i + 1) is not None
        width = next((k for k in lengths if i + k <= n and joined[i : i + k] in words), 0)
        if ch in strings.globs:
            width = max(width, 2 if han_next else 1)
        if not width and not han_next and ch in strings.ends:
            width = 1
        if width:
            yield at(i), at(i + width - 1) + 1


def _offsets(length: int, gaps: list[int]) -> Callable[[int], int]:
    """Where character i of a text with the characters at `gaps` removed stands in the text."""
    if not gaps:
        return int
    removed = set(gaps)
    return [i for i in range(length) if i not in removed].__getitem__


def _match(text: str, analyzer, pats: list[Pattern], mode: str) -> Iterator[tuple[int, int]]:
    by_pos: dict[int, dict[str, int]] = defaultdict(dict)  # position -> token -> end char
    starts: dict[str, list[tuple[int, int]]] = defaultdict(list)  # token -> (position, start char)
    tokens = analysed(analyzer, text, mode)
    if tokens is None:
        tokens = (
            (t.text, t.pos, (t.startchar, t.endchar))
            for t in analyzer(text, positions=True, chars=True, mode=mode)
        )
    for word, pos, (start, end) in tokens:
        by_pos[pos][word] = end
        starts[word].append((pos, start))

    def found(p: Pattern) -> Iterator[tuple[int, int]]:
        first = [w for w in starts if p.matches(0, w)] if p.glob else [p.steps[0]]
        for word in first:
            for pos, start in starts.get(word, ()):
                end = _phrase_end(by_pos, pos, p)
                if end is not None:
                    yield start, end

    for p in pats:
        vetoes = [span for o in p.outside for span in found(o)]
        for s, e in found(p):
            if not any(s < ve and vs < e for vs, ve in vetoes):
                yield s, e


def _phrase_end(by_pos: dict[int, dict[str, int]], pos: int, p: Pattern) -> int | None:
    """End character of the pattern's match starting at position pos, or None."""
    end = 0
    for i in range(len(p.steps)):
        tokens = by_pos.get(pos + i, {})
        if p.glob:
            ends = [e for w, e in tokens.items() if p.matches(i, w)]
        else:
            ends = [tokens[p.steps[i]]] if p.steps[i] in tokens else []
        if not ends:
            return None
        end = max(end, *ends)
    return end


def _chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """Pieces of about `size` characters cut at line ends, so phrases are rarely split."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def _merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def mark(
    text: str,
    marked: list[tuple[int, int]],
    how: str = PLAIN,
    within: tuple[int, int] | None = None,
) -> Markup:
    """The whole text escaped, with each span in <mark>; its Chinese words glossed unless how is
    PLAIN, those of text[lo:hi] only if within is (lo, hi) (gloss_html)."""
    if how != PLAIN:
        return glossed(text, marked, how, within)
    out, last = [], 0
    for s, e in marked:
        out += [escape(text[last:s]), Markup("<mark>"), escape(text[s:e]), Markup("</mark>")]
        last = e
    out.append(escape(text[last:]))
    return Markup("").join(out)


def snippet(
    text: str,
    marked: list[tuple[int, int]],
    width: int = 160,
    fragments: int = 3,
    how: str = PLAIN,
) -> Markup:
    """Up to `fragments` escaped excerpts around the first spans; marks are never cut; Chinese
    words glossed unless how is PLAIN."""
    if not marked:
        return mark(_clip(text, 0, width * 2), [], how)
    windows: list[list[int]] = []
    for s, e in marked:
        lo, hi = max(0, s - width // 3), min(len(text), max(e, s - width // 3 + width))
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], e)
        elif len(windows) < fragments:
            windows.append([lo, hi])
    pieces = [
        mark(text[lo:hi], [(a - lo, b - lo) for a, b in marked if lo <= a and b <= hi], how)
        for lo, hi in windows
    ]
    lead = "…" if windows[0][0] > 0 else ""
    tail = "…" if windows[-1][1] < len(text) else ""
    return Markup(lead) + Markup(" … ").join(pieces) + Markup(tail)


def _clip(text: str, start: int, width: int) -> str:
    piece = text[start : start + width]
    return piece + ("…" if len(text) > start + width else "")

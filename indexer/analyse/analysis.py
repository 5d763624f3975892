"""The Whoosh analyzer chains: one per indexed view of a document's text.

Every tokenizer reads the folded text (width and Traditional -> Simplified, same length as the
original), so token offsets point into the original text and highlighting stays exact.

- word:     English and other space-separated words (lower-cased, Snowball-stemmed), indicators
            kept whole (emails, domains, IPs, versions) with their parts, and Chinese words (jieba).
- bigram:   overlapping Chinese character bigrams: any Chinese string of two or more characters is
            a phrase of bigrams, found whatever the document's word segmentation was.

Pinyin is not a view of each document but a property of the index's vocabulary: reading_entries
gives the readings of a text's Chinese characters and bigrams, read in their words' context, for
the lexicon kept beside the index (lexicon.py); typed pinyin is expanded into the Chinese terms
that read that way when a query runs.

These classes are pickled into the index schema: an index that names classes moved or gone is
another version's, which indexer.index.reader refuses with a message to rebuild it.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import Stemmer
from whoosh.analysis import CompositeAnalyzer, Filter, LowercaseFilter, Token, Tokenizer

from indexer.analyse.fold import HAN, folded
from indexer.analyse.pinyin import word_readings

_W = rf"[^\W{HAN}]"  # a word character that is not Han: Han runs are segmented separately
_COMPOUND = (
    rf"(?:{_W}|[.+-])+@{_W}+(?:-{_W}+)*(?:\.{_W}+(?:-{_W}+)*)+"  # email
    r"|(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{1,4}"  # IPv6 (loosely)
    rf"|{_W}+(?:[.:_/@-]{_W}+)+"  # domains, IPv4, versions, hyphenated words, wxid_...
)
# A single space inside Chinese text (OCR output, 泰国 航空公司) does not end the run.
RUN_GAP = "[ \u3000]"
_HAN_RUN = rf"[{HAN}]+(?:{RUN_GAP}[{HAN}]+)*"
# No re.I: every class above matches the same characters without it (only the hex digits needed
# their capitals), and compiling the Han ranges case-insensitively cost 70 ms at every start-up.
_SCAN = re.compile(rf"(?P<han>{_HAN_RUN})|(?P<compound>{_COMPOUND})|(?P<word>{_W}+)")
_HAN_RUNS = re.compile(_HAN_RUN)
_NOT_HAN_WORD = re.compile(rf"[^\W_{HAN}]+")


@dataclass(frozen=True)
class HanRun:
    """A run of Han characters without its inner spaces, and where each character stands."""

    text: str
    offsets: Sequence[int]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Character span in the original text of run characters i..j-1."""
        return self.offsets[i], self.offsets[j - 1] + 1

    def pos(self, i: int) -> int:
        """Token position of run character i: consecutive inside a run, never across runs."""
        return self.offsets[0] + i


def _runs(text: str) -> Iterator[re.Match[str]]:
    """Han runs, compound tokens and words of the folded text, in order."""
    return _SCAN.finditer(folded(text))


def _han_run(m: re.Match[str]) -> HanRun:
    text = m.group()
    if " " not in text and "\u3000" not in text:  # most runs: no character loop in Python
        return HanRun(text, range(m.start(), m.end()))
    chars = [(m.start() + i, ch) for i, ch in enumerate(text) if ch not in " \u3000"]
    return HanRun("".join(ch for _, ch in chars), tuple(at for at, _ in chars))


def _token(t: Token, text: str, pos: int, span: tuple[int, int], offset: int, kw: dict) -> Token:
    t.text = text
    t.boost = 1.0
    t.stopped = False
    if kw["positions"]:
        t.pos = kw["start_pos"] + pos
    if kw["chars"]:
        t.startchar, t.endchar = offset + span[0], offset + span[1]
    return t


class _Tokenizer(Tokenizer):
    """Whoosh's tokenizer interface; subclasses yield (text, position, span) from folded text."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        kw = {"positions": positions, "chars": chars, "start_pos": start_pos}
        for text, pos, span in self.tokens(value, mode):
            yield _token(t, text, pos, span, start_char, kw)

    def tokens(self, value: str, mode: str) -> Iterator[tuple[str, int, tuple[int, int]]]:
        raise NotImplementedError


class _HanTokenizer(_Tokenizer):
    """A tokenizer of Chinese runs only; subclasses yield (text, i, j) per run."""

    def tokens(self, value: str, mode: str) -> Iterator[tuple[str, int, tuple[int, int]]]:
        for m in _runs(value):
            if m.lastgroup == "han":
                run = _han_run(m)
                for text, i, j in self.han_tokens(run):
                    yield text, run.pos(i), run.span(i, j)

    def han_tokens(self, run: HanRun) -> Iterator[tuple[str, int, int]]:
        raise NotImplementedError


# The word tokenizer's mode for marking words of other scripts in a text: Chinese runs are
# passed over, not segmented (jieba loads its dictionary in 0.2-0.5 s and cuts every run).
SKIP_HAN = "skip_han"


class WordTokenizer(_Tokenizer):
    """Words, compounds kept whole (plus their parts when indexing) and jieba-segmented Chinese."""

    def tokens(self, value: str, mode: str) -> Iterator[tuple[str, int, tuple[int, int]]]:
        pos = 0
        for m in _runs(value):
            word, start = m.group(), m.start()
            if m.lastgroup == "han" and mode == SKIP_HAN:
                pos += 1  # a gap, so no phrase of other words matches across the run
                continue
            if m.lastgroup == "han":
                run = _han_run(m)
                at = run.offsets
                for w, i, j in _jieba().tokenize(run.text):
                    yield w, pos, (at[i], at[j - 1] + 1)  # run.span(i, j)
                    pos += 1
                continue
            yield word, pos, (start, m.end())
            if m.lastgroup == "compound" and mode != "query":
                # Parts follow at successive positions so `gov in` and `check in` match as
                # phrases inside mail.gov.in and check-in; the joined form (isoon) shares the
                # whole's position.
                parts = list(_NOT_HAN_WORD.finditer(word))
                if "-" in word:
                    yield "".join(p.group() for p in parts), pos, (start, m.end())
                for i, p in enumerate(parts):
                    yield p.group(), pos + i, (start + p.start(), start + p.end())
                pos += len(parts) - 1
            pos += 1


class StemFilter(Filter):
    """Snowball stemming of plain alphabetic words (running -> run); other tokens untouched."""

    def __init__(self, language: str = "english"):
        self.language = language

    def __call__(self, tokens):
        stem = _stemmer(self.language).stemWord
        for t in tokens:
            if t.text.isascii() and t.text.isalpha():
                t.text = stem(t.text)
            yield t


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    # PyStemmer is Snowball in C (~1 µs a word, 100x the pure-Python port); its stemmer objects
    # cannot be pickled into the schema, so the filter looks them up here.
    return Stemmer.Stemmer(language)


class BigramTokenizer(_HanTokenizer):
    """Overlapping bigrams of each Han run, and its last character alone."""

    def han_tokens(self, run: HanRun) -> Iterator[tuple[str, int, int]]:
        text = run.text
        for i in range(len(text) - 1):
            yield text[i : i + 2], i, i + 2
        # The last character alone makes single-character queries exact at run ends.
        yield text[-1], len(text) - 1, len(text)


@cache
def _jieba():
    # jieba loads its dictionary on import (0.2 s): a search that segments no Chinese, or opens
    # the index only to read it, does without.
    import rjieba

    return rjieba


@cache
def word_analyzer():
    """English words stemmed, indicators whole, Chinese words (one chain: it keeps no state)."""
    return WordTokenizer() | LowercaseFilter() | StemFilter()


@cache
def bigram_analyzer():
    """Chinese character bigrams."""
    return BigramTokenizer()


def analysed(
    analyzer, value: str, mode: str = "index"
) -> Iterator[tuple[str, int, tuple[int, int]]] | None:
    """The analyzer's tokens as (text, position, character span), without a Token object and a
    chain of generators per token (most of the time Whoosh spent adding a document, and of
    marking a hit's words); None for an analyzer other than the two above."""
    if type(analyzer) is BigramTokenizer:
        return analyzer.tokens(value, mode)
    if type(analyzer) is CompositeAnalyzer and [type(a) for a in analyzer.items] == _WORDS:
        return _words(analyzer.items[0], analyzer.items[2], value, mode)
    return None


def _words(tokenizer: WordTokenizer, stemmer: StemFilter, value: str, mode: str):
    stem = _stemmer(stemmer.language).stemWord
    for text, pos, span in tokenizer.tokens(value, mode):
        text = text.lower()
        yield (stem(text) if text.isascii() and text.isalpha() else text), pos, span


def term_positions(analyzer, value: str) -> dict[str, list[int]] | None:
    """Each term of an indexed text and its positions (None for an analyzer analysed does not
    know)."""
    if type(analyzer) is BigramTokenizer:
        return _bigram_positions(value)
    tokens = analysed(analyzer, value)
    if tokens is None:
        return None
    found: dict[str, list[int]] = defaultdict(list)
    for text, pos, _ in tokens:
        found[text].append(pos)
    return found


def _han_texts(value: str) -> Iterator[tuple[int, str]]:
    """Where each Han run of the folded text starts, and its characters without inner spaces
    (HanRun's text, without the offsets of each character)."""
    for m in _HAN_RUNS.finditer(folded(value)):
        yield m.start(), m.group().replace(" ", "").replace("\u3000", "")


def _bigram_positions(value: str) -> dict[str, list[int]]:
    """BigramTokenizer's terms and positions, a run at a time (the tokens' spans, a tuple each,
    are not needed to index: 2.8 of the 6.4 s that reading 3,000 documents into terms took)."""
    found: dict[str, list[int]] = defaultdict(list)
    for start, text in _han_texts(value):
        for i in range(len(text) - 1):
            found[text[i : i + 2]].append(start + i)
        found[text[-1]].append(start + len(text) - 1)
    return found


_WORDS = [WordTokenizer, LowercaseFilter, StemFilter]  # word_analyzer's chain


# What reading_entries gives: kind, key and Chinese term in one string, kind one of
SYLLABLE, PAIR, INITIALS = "s", "p", "i"


def reading_entries(texts: Iterable[str]) -> set[str]:
    """How the Chinese of the texts reads, for the lexicon: each character by its syllables
    (s, an, 安), each bigram by its syllable pairs (p, an_xun, 安洵) and by its initials (i, ax,
    安洵), every reading as the character has it in its jieba word's context (银行 is yin hang).

    Each entry is one string, its kind, key and term separated by tabs ("s\\tan\\t安"): a file's
    hundreds of entries go from the extraction worker to the process that counts them, and as
    tuples of three they cost more to send and count than the rest of the file.
    """
    runs = {run for text in texts for _, run in _han_texts(text)}
    found: set[str] = set()
    cut = _jieba().cut
    for run in runs:
        last = ""  # the previous word's last character, whose bigram with this word's first
        last_alts: tuple[str, ...] = ()  # character crosses the two words
        for word in cut(run):
            found |= _word_entries(word)
            readings = word_readings(word) or ((),)
            if last_alts and readings[0]:
                found |= _bigram_entries(last + word[0], last_alts, readings[0])
            last, last_alts = word[-1], readings[-1]
    return found


# A word's entries are the same wherever it stands: the commonest words (most of any text, by
# Zipf's law) are read once per process. Bounded, as every cache an extraction worker keeps over
# a corpus of millions of documents.
@lru_cache(maxsize=30_000)
def _word_entries(word: str) -> frozenset[str]:
    readings = word_readings(word)  # one per character
    found = {
        f"{SYLLABLE}\t{r}\t{ch}" for ch, alts in zip(word, readings, strict=False) for r in alts
    }
    for i in range(min(len(word), len(readings)) - 1):
        if readings[i] and readings[i + 1]:
            found |= _bigram_entries(word[i : i + 2], readings[i], readings[i + 1])
    return frozenset(found)


@lru_cache(maxsize=30_000)
def _bigram_entries(
    bigram: str, alts: tuple[str, ...], following: tuple[str, ...]
) -> frozenset[str]:
    found = {f"{PAIR}\t{a}_{b}\t{bigram}" for a in alts for b in following}
    found.add(f"{INITIALS}\t{alts[0][0]}{following[0][0]}\t{bigram}")
    return frozenset(found)

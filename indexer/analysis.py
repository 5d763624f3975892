"""The Whoosh analyzer chains: one per indexed view of a document's text.

Every tokenizer reads the folded text (width and Traditional -> Simplified, same length as the
original), so token offsets point into the original text and highlighting stays exact.

- word:     English and other space-separated words (lower-cased, Snowball-stemmed), indicators
            kept whole (emails, domains, IPs, versions) with their parts, and Chinese words (jieba).
- bigram:   overlapping Chinese character bigrams: any Chinese string of two or more characters is
            a phrase of bigrams, found whatever the document's word segmentation was.
- syllable: the toneless pinyin of each Chinese character, read in its word's context, alternatives
            at the same position: typed pinyin is a phrase of syllables.
- initials: the first letters of the readings of every 2 to 4 Chinese characters (安洵 -> ax).

These classes are pickled into the index schema: keep them at this import path.
"""

import re
from collections.abc import Iterator
from functools import cache, lru_cache

import rjieba
import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from indexer.fold import fold
from indexer.pinyin import word_readings

_HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_W = rf"[^\W{_HAN}]"  # a word character that is not Han: Han runs are segmented separately
_COMPOUND = (
    rf"(?:{_W}|[.+-])+@{_W}+(?:-{_W}+)*(?:\.{_W}+(?:-{_W}+)*)+"  # email
    r"|(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{1,4}"  # IPv6 (loosely)
    rf"|{_W}+(?:[.:_/@-]{_W}+)+"  # domains, IPv4, versions, hyphenated words, wxid_...
)
_SCAN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<compound>{_COMPOUND})|(?P<word>{_W}+)", re.IGNORECASE)
_NOT_HAN_WORD = re.compile(rf"[^\W_{_HAN}]+")


def _runs(text: str) -> Iterator[re.Match[str]]:
    """Han runs, compound tokens and words of the folded text, in order."""
    return _SCAN.finditer(_folded(text))


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    # Each field's analyzer folds the same text in turn (indexing, highlighting): fold it once.
    return fold(text)


def _token(
    t: Token, text: str, pos: int, start: int, end: int, positions: bool, chars: bool
) -> Token:
    t.text = text
    t.boost = 1.0
    t.stopped = False
    if positions:
        t.pos = pos
    if chars:
        t.startchar = start
        t.endchar = end
    return t


class WordTokenizer(Tokenizer):
    """Words, compounds kept whole (plus their parts when indexing) and jieba-segmented Chinese."""

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
        pos = start_pos
        for m in _runs(value):
            base = start_char + m.start()
            if m.lastgroup == "han":
                for word, s, e in rjieba.tokenize(m.group()):
                    yield _token(t, word, pos, base + s, base + e, positions, chars)
                    pos += 1
                continue
            yield _token(t, m.group(), pos, base, base + len(m.group()), positions, chars)
            if m.lastgroup == "compound" and mode != "query":
                # Parts follow at successive positions so `gov in` and `check in` match as
                # phrases inside mail.gov.in and check-in; the joined form (isoon) shares the
                # whole's position.
                parts = list(_NOT_HAN_WORD.finditer(m.group()))
                if "-" in m.group():
                    joined = "".join(p.group() for p in parts)
                    yield _token(t, joined, pos, base, base + len(m.group()), positions, chars)
                for i, p in enumerate(parts):
                    yield _token(
                        t, p.group(), pos + i, base + p.start(), base + p.end(), positions, chars
                    )
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


class BigramTokenizer(Tokenizer):
    """Overlapping bigrams of each Han run at character positions, and its last character alone."""

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
        for m in _runs(value):
            if m.lastgroup != "han":
                continue
            run, base = m.group(), m.start()
            for i in range(len(run) - 1):
                at = base + i
                yield _token(
                    t,
                    run[i : i + 2],
                    start_pos + at,
                    start_char + at,
                    start_char + at + 2,
                    positions,
                    chars,
                )
            # The last character alone makes single-character queries exact at run ends.
            at = base + len(run) - 1
            yield _token(
                t, run[-1], start_pos + at, start_char + at, start_char + at + 1, positions, chars
            )


class SyllableTokenizer(Tokenizer):
    """Toneless pinyin of each Han character, read in its jieba word's context."""

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
        for m in _runs(value):
            if m.lastgroup != "han":
                continue
            for i, alts in enumerate(_run_readings(m.group())):
                at = m.start() + i
                for reading in alts:
                    yield _token(
                        t,
                        reading,
                        start_pos + at,
                        start_char + at,
                        start_char + at + 1,
                        positions,
                        chars,
                    )


class InitialsTokenizer(Tokenizer):
    """Initials of every 2- to 4-character stretch of a Han run (安洵 -> ax), whatever its words.

    Word segmentation would miss names it does not know (用安洵 is one jieba word), so every
    stretch a typed abbreviation could stand for is indexed, positioned at its first character.
    """

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
        for m in _runs(value):
            if m.lastgroup != "han":
                continue
            run = m.group()
            letters = [alts[0][0] if alts else "" for alts in _run_readings(run)]
            for i in range(len(run)):
                for n in range(2, 5):
                    if i + n > len(run) or not all(letters[i : i + n]):
                        break
                    at = start_char + m.start() + i
                    yield _token(
                        t,
                        "".join(letters[i : i + n]),
                        start_pos + m.start() + i,
                        at,
                        at + n,
                        positions,
                        chars,
                    )


def _run_readings(run: str) -> list[tuple[str, ...]]:
    """Per character of a Han run, its readings in the context of its jieba word."""
    return [alts for word in rjieba.cut(run) for alts in word_readings(word)]


def word_analyzer():
    """English words stemmed, indicators whole, Chinese words."""
    return WordTokenizer() | LowercaseFilter() | StemFilter()


def bigram_analyzer():
    """Chinese character bigrams."""
    return BigramTokenizer()


def syllable_analyzer():
    """Toneless pinyin syllables of Chinese characters."""
    return SyllableTokenizer()


def initials_analyzer():
    """Initials of Chinese words."""
    return InitialsTokenizer()

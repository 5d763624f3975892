"""What each Chinese word of a text reads as and means: tone-marked pinyin, short CEDICT senses.

Words are the analysis's own (jieba over the folded text, as the word view indexes them), so a
gloss covers exactly what a search for the word finds. A word is looked up as written (CEDICT
has Traditional headwords too) and then folded to Simplified; a word CEDICT lacks (a name, a
jieba compound) reads as pypinyin reads it in context, with its characters' senses. Lookups are
cached per word: a chat log's messages repeat the same few thousand words.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from indexer.analyse.analysis import analysed, word_analyzer
from indexer.analyse.dictionary import Entry, entries, marked
from indexer.analyse.fold import fold, is_cjk
from indexer.analyse.pinyin import toneless

# A gloss is a tooltip, not the dictionary: a few readings, a few senses each, each kept short.
MAX_READINGS = 3
MAX_SENSES = 4
MAX_SENSE_CHARS = 60
MAX_LINE_CHARS = 120
MAX_PART = 4  # the longest CEDICT word looked for inside a word CEDICT lacks
# Senses that are about the dictionary rather than the word: measure words, other readings.
_NOT_A_SENSE = re.compile(r"^(CL:|also pr\.|Taiwan pr\.|old variant of|\(Tw\) pr\.)")


@dataclass(frozen=True)
class Gloss:
    """A Chinese word's reading (a tone-marked syllable per Han character) and sense lines."""

    syllables: tuple[str, ...]  # 银行: (yín, háng); "" where no reading is known
    senses: tuple[str, ...]  # bank / xíng: to walk; to go / 安 ān: calm; quiet

    @property
    def pinyin(self) -> str:
        """The word's syllables joined, as dictionaries write a word (yínháng)."""
        return "".join(self.syllables)

    @property
    def text(self) -> str:
        """Reading and senses on their own lines, as a tooltip shows them."""
        return "\n".join(line for line in (self.pinyin, *self.senses) if line)


@dataclass(frozen=True)
class Segment:
    """A piece of a text: a Chinese word with its gloss, or other text (gloss None)."""

    text: str
    start: int
    gloss: Gloss | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def segments(text: str) -> tuple[Segment, ...]:
    """The whole text in order: each Chinese word glossed, the text between untouched."""
    out: list[Segment] = []
    last = 0
    for s, e in chinese_words(text):
        if s > last:
            out.append(Segment(text[last:s], last))
        word = text[s:e]
        out.append(Segment(word, s, gloss(word.replace(" ", "").replace("\u3000", ""))))
        last = e
    if last < len(text):
        out.append(Segment(text[last:], last))
    return tuple(out)


def warm() -> None:
    """Load what glossing reads (jieba's, pypinyin's and CEDICT's tables: seconds, once), so
    that a server's first page with Chinese does not wait for them."""
    segments("汉语")


def chinese_words(text: str) -> list[tuple[int, int]]:
    """Character spans of the text's Chinese words, as the word analyzer segments them."""
    tokens = analysed(word_analyzer(), text, "query") or ()
    return [span for word, _, span in tokens if is_cjk(word[0])]


@lru_cache(maxsize=200_000)
def gloss(word: str) -> Gloss:
    """The gloss of a word of Han characters, as written (Simplified or Traditional)."""
    folded = fold(word)
    found = _known(word)
    context = _context_syllables(folded)
    if not found:
        return Gloss(context, _part_senses(word, context))
    reading = _toneless_of(context)
    ranked = sorted(found, key=lambda e: _rank(e, reading))
    chosen = ranked[0]
    syllables = tuple(marked(s) for s in chosen.pinyin.split())
    if len(syllables) != len(word):  # a reading with Latin letters or erhua: pypinyin's
        syllables = context
    return Gloss(syllables, _sense_lines(ranked))


def _rank(entry: Entry, reading: tuple[str, ...]) -> tuple[bool, bool, bool]:
    # The reading pypinyin gives the word here first (行 alone is xíng, in 银行 háng), then
    # entries that are more than a variant spelling (拖 before 拕), then common words before
    # names (张 zhāng "to open" before the surname).
    variant = all(s.startswith(("variant of", "old variant of")) for s in entry.senses)
    return _toneless(entry) != reading, variant, entry.pinyin[:1].isupper()


def _toneless(entry: Entry) -> tuple[str, ...]:
    return tuple(toneless(marked(s)) for s in entry.pinyin.split())


def _toneless_of(syllables: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(toneless(s) for s in syllables)


def _sense_lines(ranked: list[Entry]) -> tuple[str, ...]:
    """One line per reading (entries of one reading merged), its reading named if there are
    several."""
    by_reading: dict[str, list[str]] = {}
    for e in ranked:
        by_reading.setdefault(e.marked_pinyin, []).extend(_senses(e))
    several = len(by_reading) > 1
    lines = []
    for reading, senses in list(by_reading.items())[:MAX_READINGS]:
        line = _clip("; ".join(dict.fromkeys(senses[:MAX_SENSES])), MAX_LINE_CHARS)
        if line:
            lines.append(f"{reading}: {line}" if several else line)
    return tuple(lines)


def _senses(entry: Entry) -> list[str]:
    kept = [s for s in entry.senses if not _NOT_A_SENSE.match(s)]
    return [_clip(s, MAX_SENSE_CHARS) for s in kept]


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _part_senses(word: str, context: tuple[str, ...]) -> tuple[str, ...]:
    """For a word CEDICT lacks (银行行长): the senses of the longest CEDICT words it is made of
    (银行, 行长), each under the reading it has here; characters CEDICT lacks show their reading."""
    if len(word) == 1:
        return ()
    lines, at = [], 0
    while at < len(word):
        end = next(
            (e for e in range(min(len(word), at + MAX_PART), at, -1) if _known(word[at:e])),
            at + 1,
        )
        part, reading = word[at:end], "".join(context[at:end])
        known = _known(part)
        same = [e for e in known if _toneless(e) == _toneless_of(context[at:end])] or list(known)
        senses = "; ".join([s for e in same for s in _senses(e)][:2])
        lines.append(f"{part} {reading}: {senses}" if senses else f"{part} {reading}".strip())
        at = end
    return tuple(lines)


def _known(part: str) -> tuple[Entry, ...]:
    return entries(part) or entries(fold(part))


def _context_syllables(word: str) -> tuple[str, ...]:
    # pypinyin reads a word's characters in context (银行 yín háng) with tone marks; it is
    # imported here, as in pinyin.py, so that a page without Chinese never loads it.
    from pypinyin import Style, pinyin

    found = pinyin(word, style=Style.TONE, errors=lambda s: [""] * len(s))
    return tuple(readings[0] if readings else "" for readings in found)

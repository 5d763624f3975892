"""Toneless pinyin readings of Chinese words and the splitting of typed pinyin into syllables.

pypinyin loads its dictionaries when imported (about half a second), and jieba its own: both are
imported where a reading is first needed (indexing, highlighting pinyin), so that a search for
typed pinyin, English or Chinese words starts at once. The syllables typed pinyin is split into
and the characters that keep two readings are data files made from pypinyin's and jieba's
dictionaries (tools/make_pinyin_data.py).
"""

import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parents[1] / "data"
SYLLABLES = DATA / "syllables.txt"
# Characters whose reading pypinyin's phrase dictionary leaves open (长 chang / zhang), with
# their common readings, and whether standing alone they are a function word (了 le).
COMMON_READINGS = DATA / "common_readings.tsv"

_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}
_VOWELS = set("aeiouv")
# Interjection readings such as 嗯 (n, ng) and 呣 (m) would let a typed run split anywhere.
_MIN_QUERY_SYLLABLE = 2
_MAX_SPLITS = 4


def toneless(reading: str) -> str:
    """A reading without its tone mark, ü written v (lǜ -> lv)."""
    decomposed = unicodedata.normalize("NFD", reading)
    bare = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", bare).replace("ü", "v")


@cache
def syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows, with ü written v (lv, nve)."""
    lines = SYLLABLES.read_text("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=500_000)
def word_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """Per character, toneless readings of a jieba word in context (alternatives where undecided).

    A phrase of pypinyin's dictionary inside the word decides its characters (银行 -> yin hang,
    大夫 -> dai fu). Any other character reads its usual way (能 neng, 大 da, 了 le), and a
    character with two common readings (common_readings) keeps both, unless it is a function word
    standing alone. A reading with ü is also given with u: people type 绿 as lv, lu or lü.
    """
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg.simpleseg import seg

    alone = len(word) == 1
    out: list[tuple[str, ...]] = []
    for part in seg(word):
        if len(part) > 1 and part in PHRASES_DICT:
            out += [_spellings(rs) for rs in _pinyin(part)]
            continue
        for ch in part:
            usual = _pinyin(ch)[0][:1]
            common = common_readings().get(ch)
            if common is None or (alone and ch in _function_words()):
                out.append(_spellings(usual))
            else:
                out.append(_spellings([*usual, *common]))
    return tuple(out)


@lru_cache(maxsize=100_000)
def _pinyin(text: str) -> tuple[tuple[str, ...], ...]:
    # Cached: words are cached above, but thousands of words share a few thousand characters,
    # and pypinyin's lookup was most of the time spent reading a corpus's Chinese.
    from pypinyin import Style, pinyin

    found = pinyin(text, style=Style.NORMAL, heteronym=True, errors=lambda s: [""] * len(s))
    return tuple(tuple(readings) for readings in found)


def _spellings(readings: Iterable[str]) -> tuple[str, ...]:
    alts: list[str] = []
    for r in readings:
        r = r.replace("ü", "v")
        if r.isascii() and r.isalpha():
            alts += [r, r.replace("v", "u")] if "v" in r else [r]
    return tuple(dict.fromkeys(alts))


@cache
def common_readings() -> dict[str, tuple[str, ...]]:
    """Characters with two common readings (长: chang, zhang), or a common one other than
    pypinyin's usual reading (佛: fo), with those readings, most frequent first."""
    return {ch: readings for ch, (readings, _) in _common_table().items()}


@cache
def _function_words() -> frozenset[str]:
    """The characters of common_readings that jieba's dictionary tags as function words."""
    return frozenset(ch for ch, (_, function) in _common_table().items() if function)


@cache
def _common_table() -> dict[str, tuple[tuple[str, ...], bool]]:
    rows = (line.split("\t") for line in COMMON_READINGS.read_text("utf-8").splitlines())
    return {
        ch: (tuple(readings.split(",")), function == "function")
        for ch, readings, function in (r for r in rows if r[0] and not r[0].startswith("#"))
    }


def initials(word: str) -> str:
    """First letters of the word's context reading (安洵 -> ax); empty if a character has none."""
    letters = [alts[0][0] for alts in word_readings(word) if alts]
    return "".join(letters) if len(letters) == len(word) else ""


def normalize_typed(text: str) -> str:
    """Lower-case typed pinyin, drop tone marks and digits, write ü as v."""
    s = toneless(text.lower()).replace("u:", "v")
    return "".join(ch for ch in s if not ch.isdigit())


def split_syllables(text: str) -> list[tuple[str, ...]]:
    """Ways to read a typed run as toneless syllables, fewest syllables first ([] if none).

    `anxunxinxi` -> [(an, xun, xin, xi)]; `xian` -> [(xian,), (xi, an)]. An apostrophe forces a
    boundary (xi'an). Syllables typed with u for ü (lu, nue) stay as typed: the index has both.
    """
    parts = [p for p in normalize_typed(text).split("'") if p]
    if not parts or not all(p.isascii() and p.isalpha() for p in parts):
        return []
    combos: list[tuple[str, ...]] = [()]
    for part in parts:
        ways = _splits(part)
        if not ways:
            return []
        combos = [c + w for c in combos for w in ways][:_MAX_SPLITS]
    return sorted(combos, key=_unlikeliness)[:_MAX_SPLITS]


@lru_cache(maxsize=4096)
def _splits(run: str) -> tuple[tuple[str, ...], ...]:
    known = _query_syllables()
    n = len(run)
    # ways[i]: splits of run[i:], kept to the likeliest few so long runs stay cheap.
    ways: list[list[tuple[str, ...]]] = [[] for _ in range(n)] + [[()]]
    for i in range(n - 1, -1, -1):
        found = []
        for j in range(min(n, i + 6), i, -1):
            if run[i:j] in known:
                found += [(run[i:j], *rest) for rest in ways[j]]
        ways[i] = sorted(found, key=_unlikeliness)[:_MAX_SPLITS]
    return tuple(w for w in ways[0] if _mid_vowels(w) <= 1)


def _mid_vowels(split: tuple[str, ...]) -> int:
    # Orthography puts an apostrophe before a syllable starting with a, o or e inside a word
    # (xi'an), so a joined run read that way is a less likely, but still typed, reading.
    return sum(1 for s in split[1:] if s[0] in "aoe")


def _unlikeliness(split: tuple[str, ...]) -> tuple[int, int]:
    return (_mid_vowels(split), len(split))


@cache
def _query_syllables() -> frozenset[str]:
    typed_u = {s.replace("v", "u") for s in syllables() if "v" in s}
    return frozenset(
        s for s in syllables() | typed_u if len(s) >= _MIN_QUERY_SYLLABLE or s in "aeo"
    )


_INITIAL_LETTERS = set("bcdfghjklmnpqrstwxyzaeo")


def looks_like_initials(text: str) -> bool:
    """True for a short run of letters that could be a Chinese word's initials (ax, yh)."""
    s = text.lower()
    return 2 <= len(s) <= 4 and s.isascii() and set(s) <= _INITIAL_LETTERS

"""Toneless pinyin readings of Chinese words and the splitting of typed pinyin into syllables."""

import unicodedata
from functools import cache, lru_cache

from pypinyin import Style, pinyin
from pypinyin.pinyin_dict import pinyin_dict

_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}
_VOWELS = set("aeiouv")
# Interjection readings such as 嗯 (n, ng) and 呣 (m) would let a typed run split anywhere.
_MIN_QUERY_SYLLABLE = 2
_MAX_SPLITS = 4


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading)
    bare = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", bare).replace("ü", "v")


@cache
def syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows, with ü written v (lv, nve)."""
    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            s = _toneless(reading)
            if s.isascii() and s.isalpha() and _VOWELS & set(s):
                found.add(s)
    return frozenset(found)


@lru_cache(maxsize=500_000)
def word_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """Per character, toneless readings of a word in context (alternatives where undecided).

    pypinyin returns the phrase reading for a word in its phrase dictionary (银行 -> yin hang) and
    every reading of a character it cannot decide. A reading with ü is also given with u, because
    people type 绿 as lv, lu or lü.
    """
    out = []
    for readings in pinyin(
        word, style=Style.NORMAL, heteronym=True, errors=lambda s: [""] * len(s)
    ):
        alts: list[str] = []
        for r in readings:
            r = r.replace("ü", "v")
            if not r.isascii() or not r.isalpha():
                continue
            alts.append(r)
            if "v" in r:
                alts.append(r.replace("v", "u"))
        out.append(tuple(dict.fromkeys(alts)))
    return tuple(out)


def initials(word: str) -> str:
    """First letters of the word's context reading (安洵 -> ax); empty if a character has none."""
    letters = [alts[0][0] for alts in word_readings(word) if alts]
    return "".join(letters) if len(letters) == len(word) else ""


def normalize_typed(text: str) -> str:
    """Lower-case typed pinyin, drop tone marks and digits, write ü as v."""
    s = _toneless(text.lower()).replace("u:", "v")
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

"""Regional vocabulary: the word the mainland, Taiwan or Hong Kong uses for the same thing.

Folding (fold.py) maps Traditional characters to Simplified one by one, so 網路 finds 网路 but not
网络, and 伺服器 not 服务器. OpenCC's phrase conversions (s2twp, tw2sp, s2hkp, hk2sp) know those
word pairs. Guards keep a word from becoming something else:
- a word the mainland uses is read as the mainland's: 程序 (program) has Taiwan's 程式, and is not
  also read as Taiwan's 程序 (process, the mainland's 进程); nor 尼日利亚 as Taiwan's 尼日 (Niger)
  followed by 利亚, which became 尼日尔利亚;
- a conversion is kept only when the reverse conversion leads back to the word typed;
- a phrase rule reaching across a word boundary is not applied: 安全局长 is 安全 局长, not 安 +
  全局 (global) + 长;
- a variant differing only character by character (随着, 随著) is left to folding;
- pairs of ordinary mainland words with meanings of their own (数据, 资料), and wrong conversions
  found by trying the commonest words, are listed in data/regional_exclude.tsv.
"""

from collections.abc import Callable
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path

import opencc

from indexer.analyse.fold import fold, is_cjk

DATA = Path(__file__).parents[1] / "data" / "regional_exclude.tsv"
# (to the region's words, back to the mainland's): Taiwan, Hong Kong.
_REGIONS = (("s2twp", "tw2sp"), ("s2hkp", "hk2sp"))
_CHARACTER_CONFIGS = ("s2tw", "s2hk", "tw2s", "hk2s", "s2twp", "s2hkp", "tw2sp", "hk2sp")
_MIN_HAN = 2  # one character is a morpheme, not a word a region names differently


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def _jieba():
    # rjieba loads its dictionary on import (0.2 s): only when a conversion needs checking.
    import rjieba

    return rjieba


@cache
def _excluded() -> frozenset[frozenset[str]]:
    lines = DATA.read_text("utf-8").splitlines()
    return frozenset(frozenset(line.split("\t")) for line in lines if line and line[0] != "#")


@lru_cache(maxsize=4096)  # a search's pages, facets and document views expand its query again
def regional_variants(word: str) -> tuple[str, ...]:
    """Folded words other regions use for word (服务器 -> 伺服器, 伺服器 -> 服务器), not itself."""
    if sum(map(is_cjk, word)) < _MIN_HAN:
        return ()
    folded = fold(word)
    found = _converted(folded, [folded], forward=True)
    if not found:
        # A region's word, typed in Traditional (軟體), shared (滑鼠) or Simplified (软体) script.
        spellings = dict.fromkeys([word, _converter("s2tw").convert(folded)])
        found = _converted(folded, list(spellings), forward=False)
    excluded = _excluded()
    return tuple(v for v in dict.fromkeys(found) if frozenset((folded, v)) not in excluded)


def _converted(folded: str, spellings: list[str], forward: bool) -> list[str]:
    """Each region's word for the spellings (forward: mainland to region), folded, where the
    conversion back leads to the folded word typed."""
    found = []
    for to_region, to_mainland in _REGIONS:
        there, back = _converter(to_region), _converter(to_mainland)
        if not forward:
            there, back = back, there
        for spelling in spellings:
            converted = there.convert(spelling)
            variant = fold(converted)
            if (
                fold(back.convert(converted)) == folded
                and not _character_forms(folded, variant)
                and not _crosses_words(spelling, converted, there.convert)
            ):
                found.append(variant)
    return found


def _character_forms(folded: str, variant: str) -> bool:
    """True when variant is folded itself or differs only in variant characters (着, 著)."""
    return len(variant) == len(folded) and all(
        a == b or b in _forms(a) or a in _forms(b) for a, b in zip(folded, variant, strict=True)
    )


@cache
def _forms(ch: str) -> frozenset[str]:
    return frozenset(fold(_converter(c).convert(ch)) for c in _CHARACTER_CONFIGS)


def _crosses_words(spelling: str, converted: str, convert: Callable[[str], str]) -> bool:
    """True when the phrase rules that made converted from spelling reach into or out of the
    middle of a word of jieba's dictionary."""
    a, b = fold(spelling), fold(converted)
    head = _common(a, b)
    tail = min(_common(a[::-1], b[::-1]), len(a) - head, len(b) - head)
    shift = len(b) - len(a)  # the change moved what follows it by this much
    # The rules' extent: the shortest piece of spelling whose conversion alone makes the change
    # (looked for outwards from the change, where it almost always is).
    start = next(i for i in range(head, -1, -1) if fold(convert(spelling[i:])) == b[i:])
    end = next(
        j for j in range(len(a) - tail, len(a) + 1) if fold(convert(spelling[:j])) == b[: j + shift]
    )
    # Only words of jieba's dictionary: it cuts unknown names anyhow (密芝根州: 密芝 根州).
    cut = _jieba().cut(a)
    ends = list(accumulate(len(w) for w in cut))
    words = zip(cut, [0, *ends[:-1]], ends, strict=True)
    return any(
        (s < start < e < end or start < s < end < e) and _jieba().has_word(w) for w, s, e in words
    )


def _common(a: str, b: str) -> int:
    """How many characters a and b share at their start."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )

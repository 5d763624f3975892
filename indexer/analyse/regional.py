"""Regional vocabulary: the word the mainland, Taiwan or Hong Kong uses for the same thing.

Folding (fold.py) maps Traditional characters to Simplified one by one, so 網路 finds 网路 but not
网络, and 伺服器 not 服务器. OpenCC's phrase conversions (s2twp, tw2sp, s2hkp, hk2sp) know those
word pairs. Guards keep a word from becoming something else:
- a word the mainland uses is read as the mainland's: 程序 (program) has Taiwan's 程式, and is not
  also read as Taiwan's 程序 (process, the mainland's 进程); nor 尼日利亚 as Taiwan's 尼日 (Niger)
  followed by 利亚, which became 尼日尔利亚;
- a conversion is kept only when the reverse conversion leads back to the word typed;
- a variant differing only character by character (随着, 随著) is left to folding;
- pairs of ordinary mainland words with meanings of their own (数据, 资料) are listed in
  data/regional_exclude.tsv and never widened.
"""

from functools import cache
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
def _excluded() -> frozenset[frozenset[str]]:
    lines = DATA.read_text("utf-8").splitlines()
    return frozenset(frozenset(line.split("\t")) for line in lines if line and line[0] != "#")


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
            if fold(back.convert(converted)) == folded and not _character_forms(folded, variant):
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

"""Character folding for analysis and classification: width (NFKC), Traditional -> Simplified.

Folding keeps one output character per input character, so offsets found in folded text are
offsets into the original text (highlighting depends on this).
"""

import re
import unicodedata
from functools import cache, lru_cache

import opencc

# The characters is_cjk accepts, as a regex character class body.
HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
HAN_CHAR = re.compile(f"[{HAN}]")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


class _Narrow(dict):
    """str.translate's table of narrowing: a character's NFKC form where that is one character
    (ｂ -> b, ２ -> 2), else itself; filled as characters are met (a loop in Python over a text's
    characters was a sixth of the time spent reading its pinyin for the lexicon)."""

    def __missing__(self, code: int) -> int:
        width = unicodedata.normalize("NFKC", chr(code))
        self[code] = ord(width) if len(width) == 1 else code
        return self[code]


_NARROW = _Narrow()


@cache
def _simplify(ch: str) -> str:
    simple = _t2s().convert(ch)
    return simple if len(simple) == 1 else ch


def fold(text: str) -> str:
    """Full-width forms narrowed and Traditional Chinese made Simplified, same length as text."""
    if text.isascii():
        return text
    narrowed = text.translate(_NARROW)
    # Whole-string conversion lets OpenCC use phrase context; fall back per character where a
    # phrase rule changed the length and would break offset alignment.
    converted = _t2s().convert(narrowed)
    if len(converted) == len(text):
        return converted
    return "".join(_simplify(ch) for ch in narrowed)


@lru_cache(maxsize=64)
def folded(text: str) -> str:
    """fold(text), kept for the next reader of the same text: classification, the lexicon's
    readings and each field's analyzer fold a document's text in turn (indexing, highlighting)."""
    return fold(text)


def is_cjk(ch: str) -> bool:
    """True for Han ideographs (the characters that jieba, OpenCC and pypinyin handle)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x2EBEF
        or 0xF900 <= o <= 0xFAFF
        or o == 0x3007
    )

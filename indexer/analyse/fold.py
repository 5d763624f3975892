"""Character folding for analysis and classification: width (NFKC), Traditional -> Simplified.

Folding keeps one output character per input character, so offsets found in folded text are
offsets into the original text (highlighting depends on this).
"""

import unicodedata
from functools import cache

import opencc


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _narrow(ch: str) -> str:
    width = unicodedata.normalize("NFKC", ch)
    return width if len(width) == 1 else ch


@cache
def _simplify(ch: str) -> str:
    simple = _t2s().convert(ch)
    return simple if len(simple) == 1 else ch


def fold(text: str) -> str:
    """Full-width forms narrowed and Traditional Chinese made Simplified, same length as text."""
    if text.isascii():
        return text
    narrowed = "".join(ch if ch.isascii() else _narrow(ch) for ch in text)
    # Whole-string conversion lets OpenCC use phrase context; fall back per character where a
    # phrase rule changed the length and would break offset alignment.
    converted = _t2s().convert(narrowed)
    if len(converted) == len(text):
        return converted
    return "".join(_simplify(ch) for ch in narrowed)


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

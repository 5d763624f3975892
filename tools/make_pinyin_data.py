"""Write the pinyin data files of indexer/data/ from pypinyin's and jieba's dictionaries.

    python -m tools.make_pinyin_data

- syllables.txt: every toneless syllable (ü as v) that typed pinyin is split into;
- common_readings.tsv: the characters that keep two readings where no phrase decides.

Deriving them at run time took seconds in every indexing process and every search that marks
pinyin. tests/test_pinyin.py checks both files against the installed packages.
"""

from collections import Counter, defaultdict

import rjieba
from pypinyin.constants import PHRASES_DICT
from pypinyin.pinyin_dict import pinyin_dict

from indexer.analyse.pinyin import COMMON_READINGS, SYLLABLES, toneless

_VOWELS = set("aeiouv")
# A reading the phrase dictionary gives a character in at least a fifth of the phrases it is in,
# and in 10 of them, is a common reading: a character with two common readings (长 chang and
# zhang, 调 diao and tiao) keeps both where no phrase decides. Rare readings (能 tai, 大 tai,
# 事 zi) are dropped: they found 能完成 and 大晚上 for taiwan.
_COMMON_SHARE = 0.2
_COMMON_PHRASES = 10
# jieba's parts of speech of function words (particles, adverbs, conjunctions, prepositions,
# pronouns, modal particles, interjections, onomatopoeia): standing alone such a character is
# the function word (了 le, 还 hai, 都 dou), whatever its readings in phrases (了解, 还原, 首都).
_FUNCTION_POS = tuple("udcpryeo")


def dictionary_syllables() -> list[str]:
    """Every toneless syllable of pypinyin's dictionary, sorted."""
    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            s = toneless(reading)
            if s.isascii() and s.isalpha() and _VOWELS & set(s):
                found.add(s)
    return sorted(found)


def common_reading_rows() -> list[tuple[str, str, str]]:
    """(character, its common readings most frequent first, function or word), sorted."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for phrase, readings in PHRASES_DICT.items():
        for ch, alts in zip(phrase, readings, strict=False):
            counts[ch].update(toneless(r) for r in alts)
    rows = []
    for ch, c in counts.items():
        total = c.total()
        common = [
            r for r, n in c.most_common() if n >= _COMMON_PHRASES and n >= _COMMON_SHARE * total
        ]
        usual = toneless(pinyin_dict.get(ord(ch), "").split(",")[0])
        if len(set(common) | {usual}) > 1:
            function = rjieba.tag(ch)[0][1].startswith(_FUNCTION_POS)
            rows.append((ch, ",".join(common), "function" if function else "word"))
    return sorted(rows)


def main() -> None:
    header = "# Made by python -m tools.make_pinyin_data from pypinyin's dictionary"
    SYLLABLES.write_text("\n".join([header, *dictionary_syllables()]) + "\n", "utf-8")
    rows = ["\t".join(row) for row in common_reading_rows()]
    COMMON_READINGS.write_text("\n".join([header, *rows]) + "\n", "utf-8")


if __name__ == "__main__":
    main()

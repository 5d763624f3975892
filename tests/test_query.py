"""Typed queries expanded into the index's views (structure only; behaviour is in test_search)."""

import contextlib

import pytest
from whoosh import query as Q

from indexer.highlight import Pattern, patterns
from indexer.query import QueryError, parse_query


def leaves(text: str) -> set[Pattern]:
    return set(patterns(parse_query(text)))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("anxun", Pattern("py2", ("an_xun",))),
        ("AnXun", Pattern("py2", ("an_xun",))),
        ("an xun", Pattern("py2", ("an_xun",))),
        ('"an xun"', Pattern("py2", ("an_xun",))),
        ("anxunxinxi", Pattern("py2", ("an_xun", "xun_xin", "xin_xi"))),
        ("anxun xinxi", Pattern("py2", ("an_xun", "xun_xin", "xin_xi"))),
        ("lvse", Pattern("py2", ("lv_se",))),
        ("luse", Pattern("py2", ("lu_se",))),
        ("ax", Pattern("pyi", ("ax",))),
        ("zgyh", Pattern("pyi", ("zg", "gy", "yh"))),
        ("安洵信息", Pattern("cjk", ("安洵", "洵信", "信息"))),
        ("安洵 信息", Pattern("cjk", ("安洵",))),
        ('"安洵 信息"', Pattern("cjk", ("安洵", "洵信", "信息"))),
        ("資料", Pattern("cjk", ("资料",))),
        ("India", Pattern("cjk", ("印度",))),
        ("印度", Pattern("content", ("india",))),
        ("Hong Kong", Pattern("cjk", ("香港",))),
        ("i-Soon", Pattern("cjk", ("安洵",))),
        ("anxun", Pattern("content", ("anxun",))),
        ("running", Pattern("content", ("run",))),
        ("mail.gov.in", Pattern("content", ("mail.gov.in",))),
        ("gov.in", Pattern("content", ("gov", "in"))),
        ("secur*", Pattern("content", ("secur*",), glob=True)),
    ],
)
def test_expansion_contains(typed, expected):
    assert expected in leaves(typed)


@pytest.mark.parametrize(
    ("typed", "absent_field"),
    [
        ("name", "py"),  # an English word that also splits as pinyin (na me) stays English
        ("data", "py"),
        ("India", "py"),
        ("安洵", "py"),
    ],
)
def test_no_pinyin_reading_where_none_is_meant(typed, absent_field):
    assert all(p.field != absent_field for p in leaves(typed))


def test_negated_terms_are_not_highlighted():
    assert all("telecom" not in p.steps for p in leaves("India NOT telecom"))


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("country:India", Q.Term("country", "IN")),
        ("country:印度", Q.Term("country", "IN")),
        ("country:in", Q.Term("country", "IN")),
        ("target_type:运营商", Q.Term("target_type", "telecom")),
        ("lang:ZH", Q.Term("lang", "zh")),
        ("filetype:.MD", Q.Term("filetype", "md")),
    ],
)
def test_facet_fields_take_names_in_any_language(typed, term):
    assert parse_query(typed) == term


@pytest.mark.parametrize("typed", ["country:Atlantis", "target_type:bakery"])
def test_unknown_facet_values_are_clear_errors(typed):
    with pytest.raises(QueryError, match="unknown"):
        parse_query(typed)


@pytest.mark.parametrize(
    "typed", ['"unbalanced', "(a OR", "a AND", "NOT", "*", "***", "title:", ")(", "a:b:c"]
)
def test_odd_syntax_never_raises_anything_but_query_error(typed):
    with contextlib.suppress(QueryError):
        parse_query(typed)


def test_empty_query_matches_everything():
    assert parse_query("  ") == Q.Every()

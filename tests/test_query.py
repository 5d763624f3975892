"""Typed queries expanded into the index's views (structure only; behaviour is in test_search)."""

import contextlib
import re
from dataclasses import replace

import pytest
from whoosh import query as Q

from indexer.index.build import build_index
from indexer.index.reader import read_index
from indexer.search.highlight import Pattern, patterns, spans
from indexer.search.query import Fallback, QueryError, ReadAs, expand_query, parse_query
from indexer.search.search import Filters, search


def leaves(text: str) -> set[Pattern]:
    """The query's patterns, without the longer names they must not stand in."""
    return {replace(p, outside=()) for p in patterns(parse_query(text))}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
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
    "typed",
    [
        "name",  # an English word that also splits as pinyin (na me) stays English
        "data",
        "India",
        "安洵",
    ],
)
def test_no_pinyin_reading_where_none_is_meant(typed):
    assert all(r.kind != "pinyin" for r in readings(parse_query(typed)))


def readings(q: Q.Query) -> set[ReadAs]:
    """The typed pinyin and initials of a query, as it will read them in the index's lexicon."""
    if isinstance(q, ReadAs):
        return {q}
    return {r for child in q.children() for r in readings(child)}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("anxun", ReadAs("pinyin", ("an", "xun"))),
        ("AnXun", ReadAs("pinyin", ("an", "xun"))),
        ("an xun", ReadAs("pinyin", ("an", "xun"))),
        ("anxunxinxi", ReadAs("pinyin", ("an", "xun", "xin", "xi"))),
        ("anxun xinxi", ReadAs("pinyin", ("an", "xun", "xin", "xi"))),
        ("lvse", ReadAs("pinyin", ("lv", "se"))),
        ("luse", ReadAs("pinyin", ("lu", "se"))),
        ("ax", ReadAs("initials", ("a", "x"))),
        ("zgyh", ReadAs("initials", ("z", "g", "y", "h"))),
    ],
)
def test_pinyin_is_read_in_the_lexicon(typed, expected):
    assert expected in readings(parse_query(typed))


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


@pytest.mark.parametrize(
    "typed", ['"安洵信息"', '"四川安洵"', '"an xun"', '"anxun"', '"India"', '"ax"', '"i-Soon"']
)
def test_a_quoted_word_or_phrase_is_searched_as_written(typed):
    q, expansions = expand_query(typed)
    assert expansions == ()
    assert {p.field for p in patterns(q)} <= {"content", "cjk"}


def test_quotes_apply_to_their_words_only():
    _, expansions = expand_query('"四川安洵" anxun')
    assert [e.typed for e in expansions] == ["anxun", "anxun"]
    assert {e.kind for e in expansions} == {"names", "pinyin"}


@pytest.mark.parametrize(
    ("typed", "kind", "searched"),
    [
        ("anxun", "pinyin", "an xun"),
        ("anxun", "names", "安洵"),
        ("India", "names", "印度"),
        ("ax", "initials", "ax"),
        ("Hong Kong", "names", "香港"),
    ],
)
def test_the_expansions_that_ran_are_listed(typed, kind, searched):
    _, expansions = expand_query(typed)
    assert any(e.kind == kind and searched in e.searched for e in expansions), expansions


def test_a_country_name_carries_the_longer_names_it_must_not_stand_in():
    chinese = [p for p in patterns(parse_query("India")) if p.steps == ("印度",)]
    assert chinese and {"".join(o.steps[:1]) for o in chinese[0].outside} >= {"印度"}
    assert any(o.steps == ("印度", "度尼", "尼西", "西亚") for o in chinese[0].outside)


def test_no_name_of_a_synonym_group_contains_another():
    # A longer name (四川安洵) is a more specific thing: it gets a group of its own, so that it is
    # never widened to what the shorter name means (everything 安洵).
    from indexer.classify.countries import normalize_name
    from indexer.search.synonyms import DATA

    for line in DATA.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names = {normalize_name(n) for n in line.split("\t") if n.strip()}
            for a in names:
                inside = [b for b in names if b != a and re.search(rf"(?<!\w){re.escape(b)}", a)]
                assert not inside, (a, inside)


@pytest.mark.parametrize("typed", ["MSS", "XSS", "ZGYH"])
def test_capitals_are_an_acronym_first_and_initials_only_as_a_fallback(typed):
    q = parse_query(typed)
    assert isinstance(q, Fallback)
    assert not readings(q.a)
    assert q.b == ReadAs("initials", tuple(typed.lower()))


@pytest.mark.parametrize("typed", ["mss", "xss", "ax", "zgyh", "Ax"])
def test_lower_case_initials_are_searched_with_the_word(typed):
    q = parse_query(typed)
    assert not isinstance(q, Fallback)
    assert ReadAs("initials", tuple(typed.lower())) in readings(q)


@pytest.mark.parametrize("typed", ["IT", "VPN"])
def test_capitals_that_cannot_be_initials_are_only_the_word(typed):
    assert {p.field for p in patterns(parse_query(typed))} == {"content"}


def test_an_acronym_reads_as_initials_only_where_no_document_of_the_index_has_it(tmp_path):
    # Two indexing runs make two segments: Whoosh's Otherwise would decide in each on its own.
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "acronym.txt").write_text("三个站有 XSS，明天先试试", "utf-8")
    build_index(corpus, index_dir)
    (corpus / "initials.txt").write_text("那个口子先试试", "utf-8")
    build_index(corpus, index_dir)
    assert read_index(index_dir, lambda s: len(s.leaf_searchers())) >= 2

    def found(typed: str) -> set[str]:
        return {h.path for h in search(index_dir, typed, Filters(), pagelen=10).hits}

    assert found("XSS") == {"acronym.txt"}
    # What is marked is what matched: XSS, not the initials the acronym did not need.
    [hit] = search(index_dir, "XSS", Filters()).hits
    assert re.findall("<mark>(.*?)</mark>", str(hit.snippet)) == ["XSS"]
    assert found("xss") == {"acronym.txt", "initials.txt"}
    (corpus / "acronym.txt").unlink()
    build_index(corpus, index_dir)
    assert found("XSS") == {"initials.txt"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("foo bar 安洵", [(0, 7)]),
        ("foo 安洵 bar", []),  # Chinese between: not the phrase, though not segmented to mark it
        ("安洵foo bar", [(2, 9)]),
    ],
)
def test_words_are_marked_around_chinese_as_they_were_indexed(text, expected):
    assert spans(text, [Pattern("content", ("foo", "bar"))], ("content",)) == expected


def test_a_character_or_prefix_of_many_words_finds_them_all_as_one_union(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    tails = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"
    for i, tail in enumerate(tails):
        (corpus / f"{i:02}.txt").write_text(f"是{tail}。secur{tail.encode().hex()} x", "utf-8")
    (corpus / "end.txt").write_text("就是", "utf-8")  # the character last in its run
    (corpus / "none.txt").write_text("没有 security", "utf-8")
    build_index(corpus, index_dir)
    for typed, extra in (("是", {"end.txt"}), ("secur*", {"none.txt"})):
        hits = search(index_dir, typed, Filters(), pagelen=100).hits
        assert {h.path for h in hits} == {f"{i:02}.txt" for i in range(len(tails))} | extra
        assert all("<mark>" in str(h.snippet) for h in hits)


@pytest.mark.parametrize("typed", ["the", "and", "for", "with"])
def test_english_stop_words_are_not_read_as_initials(typed):
    assert not readings(parse_query(typed))

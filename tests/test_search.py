"""Search on a real index of corpus_sample/: pinyin, folding, cross-lingual names, facets."""

import re

import pytest
from whoosh.matching import AndNotMatcher, ListMatcher

from indexer.analyse.fold import fold
from indexer.classify.countries import longer_names
from indexer.index.build import build_index
from indexer.search.search import Filters, count, get_document, search
from indexer.search.translate import Options


def paths(
    index_dir, query: str, filters: Filters | None = None, translation: Options | None = None
) -> set[str]:
    filters = filters or Filters(include={"kind": ("document",)})
    found = search(index_dir, query, filters, pagelen=100, translation=translation)
    return {h.path for h in found.hits}


def containing(texts: dict[str, str], *needles: str) -> set[str]:
    """Files whose folded text contains any needle (folded too)."""
    return {p for p, t in texts.items() if any(fold(n) in fold(t) for n in needles)}


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("anxun", "安洵"),
        ("an xun", "安洵"),
        ("AnXun", "安洵"),
        ("ax", "安洵"),
        ("yinhang", "银行"),
        ("yin hang", "银行"),
        ("waijiaobu", "外交部"),
        ("dianxin", "电信"),
        ("lvse", "绿色"),
        ("luse", "绿色"),
        ("lüse", "绿色"),
    ],
)
def test_pinyin_finds_the_chinese_word_and_marks_it(sample_index, sample_texts, typed, word):
    expected = containing(sample_texts, word)
    assert expected, f"corpus_sample has no {word}"
    found = paths(sample_index, typed)
    assert expected <= found
    doc = get_document(sample_index, sorted(expected)[0], typed)
    assert doc is not None
    marked = {fold(m) for m in re.findall(r"<mark>(.*?)</mark>", str(doc.text_html))}
    assert fold(word) in marked or any(fold(word) in m for m in marked)


def test_pinyin_run_of_several_words(sample_index, sample_texts):
    expected = containing(sample_texts, "安洵信息")
    assert expected
    assert expected <= paths(sample_index, "anxunxinxi")


@pytest.mark.parametrize(
    ("typed", "other"), [("資料", "资料"), ("资料", "資料"), ("數據", "数据"), ("电信", "電信")]
)
def test_traditional_and_simplified_find_each_other(sample_index, sample_texts, typed, other):
    expected = containing(sample_texts, typed, other)
    assert expected
    # The English a word translates to (数据: data) is translate.py's, tested there.
    assert paths(sample_index, typed, translation=Options(on=False)) == expected


@pytest.mark.parametrize(
    ("typed", "other"), [("India", "印度"), ("印度", "India"), ("Pakistan", "巴基斯坦")]
)
def test_country_names_cross_languages(sample_index, sample_texts, typed, other):
    # A name inside a longer one (印度 in 印度尼西亚) names another place: not counted.
    outside = {p: _without(t, longer_names(other)) for p, t in sample_texts.items()}
    only_other = {p for p in containing(outside, other) if not re.search(typed, outside[p], re.I)}
    assert only_other, f"no file names {other} without {typed}"
    assert only_other <= paths(sample_index, typed)


def _without(text: str, names: tuple[str, ...]) -> str:
    text = fold(text)
    for name in names:
        text = re.sub(re.escape(name), " ", text, flags=re.I)
    return text


def test_chinese_substring_found_whatever_the_segmentation(sample_index, sample_texts):
    # 洵信 is never a word of its own, only the middle of 安洵信息.
    expected = containing(sample_texts, "洵信")
    assert expected and paths(sample_index, "洵信") == expected


def test_highlight_marks_traditional_text_for_a_simplified_query(sample_index, sample_texts):
    trad = {p for p, t in sample_texts.items() if "資料" in t}
    assert trad
    doc = get_document(sample_index, sorted(trad)[0], "资料")
    assert "<mark>資料</mark>" in str(doc.text_html)


DOCS = {"kind": ("document",)}


def test_country_filter_returns_exactly_the_classified_documents(sample_index):
    everything = search(sample_index, "", Filters(include=DOCS), pagelen=100)
    assert everything.total <= 100
    india = search(sample_index, "", Filters(include={**DOCS, "country": ("India",)}), pagelen=100)
    assert india.total == everything.facets["country"]["IN"]
    assert all("IN" in h.country for h in india.hits)
    classified = {h.path for h in everything.hits if "IN" in h.country}
    assert {h.path for h in india.hits} == classified


def test_excluded_value_removes_its_documents(sample_index):
    everything = search(sample_index, "", Filters(include=DOCS), pagelen=100)
    rest = search(
        sample_index, "", Filters(include=DOCS, exclude={"country": ("IN",)}), pagelen=100
    )
    assert rest.total == everything.total - everything.facets["country"]["IN"]
    assert not any("IN" in h.country for h in rest.hits)


def test_facet_counts_add_up(sample_index):
    r = search(sample_index, "")
    for facet in ("kind", "lang", "filetype"):
        assert sum(r.facets[facet].values()) == r.total
    for facet in ("country", "target_type", "sender"):
        for value, n in r.facets[facet].items():
            assert search(sample_index, "", Filters(include={facet: (value,)})).total == n


@pytest.mark.parametrize("sort", ["relevance", "-date"])
@pytest.mark.parametrize("group", [False, True])
def test_a_search_without_facets_finds_the_same_hits(sample_index, sort, group):
    kw = {"pagelen": 20, "sort": sort, "group": group}
    full, bare = (
        search(sample_index, "安洵 OR India", **kw),
        search(sample_index, "安洵 OR India", facets=False, **kw),
    )
    assert full.facets and full.timeline
    assert (bare.facets, bare.timeline) == ({}, [])
    assert (bare.total, bare.hits) == (full.total, full.hits)


def test_filters_of_one_facet_are_alternatives_and_facets_combine(sample_index):
    r = search(sample_index, "", Filters(include=DOCS), pagelen=100)
    a, b = list(r.facets["country"])[:2]
    both = search(sample_index, "", Filters(include={**DOCS, "country": (a, b)}), pagelen=100)
    assert all(a in h.country or b in h.country for h in both.hits)
    zh = search(
        sample_index, "", Filters(include={**DOCS, "country": (a, b), "lang": ("zh",)}), pagelen=100
    )
    assert {h.path for h in zh.hits} == {h.path for h in both.hits if h.lang == "zh"}


def test_pagination_covers_every_hit_once(sample_index):
    total = search(sample_index, "").total
    seen = []
    for page in range(1, total // 50 + 2):
        hits = search(sample_index, "", page=page, pagelen=50).hits
        seen += [(h.path, h.message and h.message["index"]) for h in hits]
    assert len(seen) == len(set(seen)) == total


def test_boolean_syntax(sample_index, sample_texts):
    with_both = containing(sample_texts, "安洵") & containing(sample_texts, "印度", "India")
    assert paths(sample_index, "安洵 AND India") == with_both
    assert paths(sample_index, "安洵 NOT India") == containing(sample_texts, "安洵") - with_both


def test_snippets_are_escaped(sample_index):
    for hit in search(sample_index, "alert", pagelen=100).hits:
        assert "<script" not in str(hit.snippet)
        assert "<img" not in str(hit.snippet)


def test_a_search_past_its_time_limit_returns_partial_results_marked(sample_index):
    full = search(sample_index, "安洵 OR India OR data*")
    cut = search(sample_index, "安洵 OR India OR data*", time_limit=0.0)
    assert not full.cut_short and full.total > 0
    assert cut.cut_short and cut.total <= full.total


def test_an_excluded_list_starting_before_the_matches_still_excludes():
    # Whoosh's AndNotMatcher let 105 through (indexer/index/whoosh_fixes.py).
    matched = AndNotMatcher(ListMatcher([105, 107, 132]), ListMatcher([104, 105, 132]))
    assert list(matched.all_ids()) == [107]


@pytest.mark.parametrize("query", ["an", "India", "data OR 数据", "安洵 OR ax"])
def test_the_total_counts_every_match_not_only_the_first_page(sample_index, query):
    # With one hit a page, the ranking could skip parts of the query that cannot reach the top.
    assert search(sample_index, query, pagelen=1).total == count(sample_index, query)


NAMED = {
    "sichuan.txt": "合同由四川安洵签署",
    "shanghai.txt": "上海安洵的报价单",
    "info.txt": "安洵信息 组织架构",
    "english.txt": "i-Soon staff list, Sichuan Anxun office",
    "brand.txt": "安洵的产品手册",
}


@pytest.fixture(scope="module")
def named_index(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("named")
    for name, text in NAMED.items():
        (corpus / name).write_text(text, "utf-8")
    index_dir = tmp_path_factory.mktemp("named-index")
    build_index(corpus, index_dir)
    return index_dir


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("四川安洵", {"sichuan.txt", "english.txt"}),  # its own English name, not i-Soon's group
        ('"四川安洵"', {"sichuan.txt"}),
        ('"安洵信息"', {"info.txt"}),
        ("上海安洵", {"shanghai.txt"}),
        ("安洵", set(NAMED)),
        ('"安洵"', set(NAMED) - {"english.txt"}),
    ],
)
def test_a_longer_or_quoted_name_is_not_widened_to_a_shorter_ones_group(
    named_index, typed, expected
):
    assert paths(named_index, typed, Filters()) == expected

"""A country's name inside another place's longer name (印度 in 印度尼西亚, Guinea in Papua New
Guinea, 中国 in 发展中国家) names that place, not the country: for the classifier and for search.

The pairs are generated from the names data (CLDR through Babel and country_aliases.tsv), so a
name added to the data is tested with every name it stands in.
"""

from pathlib import Path

import pytest

from indexer.analyse.fold import fold, is_cjk
from indexer.classify.countries import country_names, find_countries, longer_names, resolve_country
from indexer.index.build import build_index
from indexer.index.schema import TEXT_FIELDS
from indexer.search.highlight import patterns, spans
from indexer.search.query import parse_query
from indexer.search.search import Filters, search


def _sentence(name: str) -> str:
    return f"记录：{name}。" if any(is_cjk(ch) for ch in name) else f"Notes on {name} today."


def _pairs() -> list[tuple[str, str, str]]:
    """(code, short name, longer name of another place) for every name the classifier finds."""
    found = []
    for code in sorted({resolve_country(n) for n in _all_names()} - {None}):
        for short in country_names(code):
            if code in find_countries(_sentence(short)):
                found += [(code, short, long) for long in longer_names(short)]
    return sorted(set(found))


def _all_names() -> set[str]:
    from indexer.classify.countries import _names  # every code's names: the data under test

    return {n for names in _names().values() for n in names}


PAIRS = _pairs()
SHORT = sorted({(code, short) for code, short, _ in PAIRS})


def test_the_data_has_such_pairs():
    # The cases researchers met; the list is generated, these only guard the generator.
    have = {(fold(s), fold(lg)) for _, s, lg in PAIRS}
    for short, long in [("印度", "印度尼西亚"), ("几内亚", "巴布亚新几内亚"), ("苏丹", "南苏丹")]:
        assert (short, long) in have
    english = {(s.lower(), lg) for _, s, lg in PAIRS}
    assert ("guinea", "equatorial guinea") in english and ("sudan", "south sudan") in english
    assert len(PAIRS) > 60


@pytest.mark.parametrize(("code", "short", "long"), PAIRS)
def test_the_classifier_does_not_count_a_name_inside_a_longer_one(code, short, long):
    assert code not in find_countries(_sentence(long))
    assert code in find_countries(_sentence(long) + _sentence(short))


@pytest.fixture(scope="module")
def names_index(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """One document per name (short and long): corpus-relative path -> the name it holds."""
    corpus = tmp_path_factory.mktemp("names")
    held = {}
    for i, name in enumerate(sorted({n for _, s, lg in PAIRS for n in (s, lg)})):
        path = f"n{i:03d}.txt"
        (corpus / path).write_text(_sentence(name), "utf-8")
        held[path] = name
    index_dir = tmp_path_factory.mktemp("names-index")
    build_index(corpus, index_dir)
    return index_dir, held


@pytest.mark.parametrize(("code", "short"), SHORT)
def test_a_search_for_a_name_skips_the_longer_names_it_stands_in(names_index, code, short):
    index_dir, held = names_index
    found = {h.path for h in search(index_dir, short, Filters(), pagelen=100).hits}
    longer = {p for p, n in held.items() if fold(n).lower() in longer_names(short)}
    assert not found & longer, sorted(held[p] for p in found & longer)
    assert {p for p, n in held.items() if n == short} <= found


@pytest.mark.parametrize(("code", "short", "long"), PAIRS)
def test_nothing_is_marked_inside_a_longer_name(code, short, long):
    pats = patterns(parse_query(short))
    assert spans(_sentence(long), pats, TEXT_FIELDS) == []
    assert spans(_sentence(short), pats, TEXT_FIELDS) != []

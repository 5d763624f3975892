"""Indicator queries over a real index: networks (ip:a.b.c.d/n), domain trees, marked snippets."""

from pathlib import Path

import pytest
from whoosh import query as Q

from indexer.index.build import BuildOptions, build_index
from indexer.search.filters import Filters
from indexer.search.indicator_query import DomainTree, IPNetwork
from indexer.search.query import QueryError, parse_query
from indexer.search.search import get_document, search

DOCS = {"kind": ("document",)}
FILES = {
    "hk_relay.txt": "香港中转 8.218.14.7，备用 8.218.200.1。",
    "other_net.txt": "出口走的8.219.0.1，不在那个段里。",
    "v6.txt": "Relay 2001:db8:0:0:1:2:3:4 and 2001:db8::5 answered; 2001:db9::1 did not.",
    "gov_in.txt": "前言\n"
    + "背景说明。" * 80
    + "\n拿下了 mail.mea.gov.in 和 MAIL.POLICE.GOV.IN 的邮箱。",
    "suffix_only.txt": "印度政府的域名都在 gov.in 下面，泰国的在 go.th 下面。",
    "toc.txt": "目录\n4.1 总体设计\n4.1.4 部署\n4.1.4.1 系统架构 ........ 12\n正文。",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    for name, text in FILES.items():
        (corpus / name).write_text(text, "utf-8")
    index_dir = tmp_path_factory.mktemp("index")
    build_index(corpus, index_dir, options=BuildOptions(workers=1, ocr="off"))
    return index_dir


def paths(index_dir: Path, query: str) -> set[str]:
    return {h.path for h in search(index_dir, query, Filters(include=DOCS), pagelen=100).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ip:8.218.0.0/16", {"hk_relay.txt"}),
        ("ip:8.218.14.0/24", {"hk_relay.txt"}),
        ("ip:8.218.0.0/15", {"hk_relay.txt", "other_net.txt"}),
        ("ip:8.0.0.0/8", {"hk_relay.txt", "other_net.txt"}),
        ("ip:8.218.14.7/32", {"hk_relay.txt"}),
        ("ip:9.0.0.0/8", set()),
        ('ip:"2001:db8::/32"', {"v6.txt"}),
        ('ip:"2001:db8:0:0:1::/80"', {"v6.txt"}),  # an address written 2001:db8::1:2:3:4
        ('ip:"2001:db9::/32"', {"v6.txt"}),
        ('ip:"2001:dba::/32"', set()),
        ("ip:8.218.14.7", {"hk_relay.txt"}),  # one address, as before
        ("ip:8.218.0.0/16 AND 香港", {"hk_relay.txt"}),
        ("ip:8.0.0.0/8 NOT ip:8.218.0.0/16", {"other_net.txt"}),
    ],
)
def test_ip_network_query(index, query, expected):
    assert paths(index, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("domain:gov.in", {"gov_in.txt"}),  # the names under a public suffix, not the suffix
        ("domain:mea.gov.in", {"gov_in.txt"}),
        ("domain:mail.mea.gov.in", {"gov_in.txt"}),
        ("domain:police.gov.in", {"gov_in.txt"}),
        ("domain:go.th", set()),
        ("domain:ea.gov.in", set()),  # a whole label, not a string suffix
    ],
)
def test_domain_query_matches_the_tree(index, query, expected):
    assert paths(index, query) == expected


def test_no_public_suffix_is_indexed_as_a_domain(index):
    facet = search(index, "", Filters(include=DOCS)).facets["domain"]
    assert set(facet) == {"mail.mea.gov.in", "mea.gov.in", "mail.police.gov.in", "police.gov.in"}


def test_section_numbers_are_not_indexed_as_ips(index):
    assert paths(index, "ip:4.1.4.1") == set()
    assert "4.1.4.1" not in search(index, "", Filters(include=DOCS)).facets["ip"]


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("ip:8.218.0.0/16", ["8.218.14.7", "8.218.200.1"]),
        ("ip:8.218.200.1", ["8.218.200.1"]),
        ("domain:gov.in", ["mail.mea.gov.in", "MAIL.POLICE.GOV.IN"]),
        ("domain:police.gov.in", ["MAIL.POLICE.GOV.IN"]),
        ('ip:"2001:db8::/32"', ["2001:db8:0:0:1:2:3:4", "2001:db8::5"]),
    ],
)
def test_a_hit_through_an_indicator_shows_it_marked(index, query, marked):
    (hit,) = search(index, query, Filters(include=DOCS)).hits
    assert [m.split("</mark>")[0] for m in str(hit.snippet).split("<mark>")[1:]] == marked
    document = get_document(index, hit.path, query)
    assert document is not None and document.matches == len(marked)


def test_a_far_indicator_is_the_snippet(index):
    """The snippet is cut around the indicator, not taken from the start of the document."""
    (hit,) = search(index, "domain:mea.gov.in", Filters(include=DOCS)).hits
    assert "mail.mea.gov.in" in str(hit.snippet) and "前言" not in str(hit.snippet)


def test_negated_indicators_are_not_marked(index):
    (hit,) = search(index, "ip:8.0.0.0/8 NOT ip:8.218.0.0/16", Filters(include=DOCS)).hits
    assert str(hit.snippet).count("<mark>") == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ip:8.218.0.0/16", IPNetwork("ip", "8.218.0.0/16")),
        ("ip:8.218.1.2/16", IPNetwork("ip", "8.218.0.0/16")),  # host bits set: its network
        ('ip:"2001:DB8::/32"', IPNetwork("ip", "2001:db8::/32")),
        ("domain:GOV.IN.", DomainTree("domain", "gov.in")),
        ("ip:8.218.14.7", Q.Term("ip", "8.218.14.7")),
    ],
)
def test_parsed_indicator_queries(typed, expected):
    assert parse_query(typed) == expected


@pytest.mark.parametrize("typed", ["ip:8.218.0.0/99", "ip:8.218.0/16", "ip:anxun/8"])
def test_a_network_that_is_none_is_an_error(typed):
    with pytest.raises(QueryError, match="not an IP network"):
        parse_query(typed)


def test_network_query_in_the_web_api(client, sample_index):
    """corpus_sample's assets are in the documentation networks; /24 finds exactly their files."""
    one = client.get("/api/search", query_string={"q": "ip:198.51.100.23", "kind": "document"})
    net = client.get("/api/search", query_string={"q": "ip:198.51.100.0/24", "kind": "document"})
    other = client.get("/api/search", query_string={"q": "ip:198.51.101.0/24"})
    assert 0 < one.get_json()["total"] < net.get_json()["total"]
    assert other.get_json()["total"] == 0
    ips = net.get_json()["facets"]["ip"]
    assert ips and all(ip.startswith("198.51.100.") for ip in ips if ip.startswith("198.51."))
    for hit in net.get_json()["hits"]:
        assert "<mark>198.51.100." in hit["snippet"] or "!/" in hit["path"]
